//! The order desk's writes and its history: record a payment, add a staff
//! note, edit the pickup number or the delivery address, take a return or
//! an exchange; and read an order's history, oldest first.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;

use super::AppState;
use super::auth::{CurrentAdmin, Staff};
use super::extract::{ApiJson, ApiPath};
use super::problem::{ApiError, Problem};
use crate::domain::order::{
    HistoryEvent, NoteInput, Order, OrderEdit, PaymentInput, ReturnInput, StaffNote,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/orders/{id}/payment", post(record_payment))
        .route("/orders/{id}/notes", post(add_note))
        .route("/orders/{id}/history", get(order_history))
        .route("/orders/{id}/return", post(take_return))
        .route("/orders/{id}", axum::routing::patch(edit_order))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OrderHistory {
    /// Oldest first: the order's creation, then every change.
    events: Vec<HistoryEvent>,
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/orders/{id}/history",
    tag = "admin",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The order's life: created, status changes (a step back with its reason), payments, notes, edits and returns, each with its actor and time", body = OrderHistory),
        (status = 404, description = "`not_found`: no such order", body = Problem),
    ),
)]
async fn order_history(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<OrderHistory>, ApiError> {
    let events = state.store.order_history(&id).await?;
    Ok(Json(OrderHistory { events }))
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/orders/{id}/payment",
    tag = "admin",
    request_body = PaymentInput,
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The order with its payment; a `payment.recorded` event is written with it", body = Order),
        (status = 404, description = "`not_found`: no such order", body = Problem),
        (status = 422, description = "`validation_failed`: an unknown status or method, a paid order without its method, an amount below 0 or over 100 times the total, another currency", body = Problem),
    ),
)]
async fn record_payment(
    State(state): State<AppState>,
    CurrentAdmin(admin, Staff): CurrentAdmin<Staff>,
    ApiPath(id): ApiPath<String>,
    ApiJson { value: input, .. }: ApiJson<PaymentInput>,
) -> Result<Json<Order>, ApiError> {
    let order = state.store.record_payment(&id, input, &admin).await?;
    Ok(Json(order))
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/orders/{id}/notes",
    tag = "admin",
    request_body = NoteInput,
    params(("id" = String, Path)),
    responses(
        (status = 201, description = "The note, kept in the order's history", body = StaffNote),
        (status = 404, description = "`not_found`: no such order", body = Problem),
        (status = 422, description = "`validation_failed`: no note, or one over 2,000 characters", body = Problem),
    ),
)]
async fn add_note(
    State(state): State<AppState>,
    CurrentAdmin(admin, Staff): CurrentAdmin<Staff>,
    ApiPath(id): ApiPath<String>,
    ApiJson { value: input, .. }: ApiJson<NoteInput>,
) -> Result<(StatusCode, Json<StaffNote>), ApiError> {
    let note = input.check()?;
    let note = state.store.add_order_note(&id, note, &admin).await?;
    Ok((StatusCode::CREATED, Json(note)))
}

#[utoipa::path(
    patch,
    path = "/api/v1/admin/orders/{id}",
    tag = "admin",
    request_body = OrderEdit,
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The order with its new pickup number or delivery address; each change is in its history", body = Order),
        (status = 404, description = "`not_found`: no such order", body = Problem),
        (status = 422, description = "`validation_failed`, naming every field", body = Problem),
    ),
)]
async fn edit_order(
    State(state): State<AppState>,
    CurrentAdmin(admin, Staff): CurrentAdmin<Staff>,
    ApiPath(id): ApiPath<String>,
    ApiJson { value: edit, .. }: ApiJson<OrderEdit>,
) -> Result<Json<Order>, ApiError> {
    let limits = &state.config.limits;
    Ok(Json(
        state.store.edit_order(&id, edit, limits, &admin).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/orders/{id}/return",
    tag = "admin",
    request_body = ReturnInput,
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The order after the return: units returned per line, replacements added at today's price, the total changed by the difference; `returned` once every unit came back", body = Order),
        (status = 404, description = "`not_found`: no such order", body = Problem),
        (status = 409, description = "`invalid_transition`: the order was not shipped or delivered; `insufficient_stock`: a replacement is short, and nothing changed", body = Problem),
        (status = 422, description = "`validation_failed`: a sku not in the order, more units than it holds, an unknown replacement", body = Problem),
    ),
)]
async fn take_return(
    State(state): State<AppState>,
    CurrentAdmin(admin, Staff): CurrentAdmin<Staff>,
    ApiPath(id): ApiPath<String>,
    ApiJson { value: input, .. }: ApiJson<ReturnInput>,
) -> Result<Json<Order>, ApiError> {
    let limits = &state.config.limits;
    let order = state.store.take_return(&id, input, limits, &admin).await?;
    tracing::info!(order_id = %order.id, status = order.status.as_str(), actor = %admin.name, "order return taken");
    Ok(Json(order))
}

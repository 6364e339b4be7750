//! Admin orders: the list with its filters, one order, and status changes.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::{CurrentAdmin, Staff};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::paging::{date_param, decode_cursor, encode_cursor, page_size};
use super::problem::{ApiError, Problem};
use crate::domain::order::{Order, OrderStatus};
use crate::domain::page::OrderFilter;
use crate::domain::{FieldError, ValidationError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/orders", get(list_orders))
        .route("/orders/{id}", get(get_order))
        .route("/orders/{id}/status", post(change_order_status))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct OrderQuery {
    status: Option<String>,
    /// From this time on (inclusive): RFC 3339, or a date for midnight UTC.
    from: Option<String>,
    /// Before this time (exclusive).
    to: Option<String>,
    /// Page size.
    limit: Option<usize>,
    /// The `next_cursor` of the page before, as it came.
    cursor: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct OrderList {
    orders: Vec<Order>,
    next_cursor: Option<String>,
}

fn parse_status(raw: &str) -> Result<OrderStatus, FieldError> {
    OrderStatus::parse(raw).ok_or_else(|| {
        FieldError::new(
            "status",
            format!("Statut inconnu « {raw} » (pending, confirmed, processing, shipped, delivered, cancelled)."),
            format!("Unknown status `{raw}` (pending, confirmed, processing, shipped, delivered, cancelled)."),
        )
    })
}

fn order_filter(query: OrderQuery) -> Result<OrderFilter, FieldError> {
    Ok(OrderFilter {
        status: query
            .status
            .filter(|s| !s.is_empty())
            .map(|s| parse_status(&s))
            .transpose()?,
        from: date_param("from", query.from)?,
        to: date_param("to", query.to)?,
        limit: page_size(query.limit)?,
        before_seq: decode_cursor(query.cursor)?,
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/orders",
    tag = "admin",
    params(
        OrderQuery,
    ),
    responses(
        (status = 200, description = "Orders, newest first", body = OrderList),
        (status = 422, description = "`validation_failed`, naming every field", body = Problem),
    ),
)]
async fn list_orders(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<OrderQuery>,
) -> Result<Json<OrderList>, ApiError> {
    let filter = order_filter(query).map_err(ValidationError::one)?;
    let page = state.store.orders(filter).await?;
    Ok(Json(OrderList {
        orders: page.items,
        next_cursor: page.next_cursor.map(|c| encode_cursor(&c)),
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/orders/{id}",
    operation_id = "admin_get_order",
    tag = "admin",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "The order", body = Order),
        (status = 404, description = "`not_found`: no such order", body = Problem),
    ),
)]
async fn get_order(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Order>, ApiError> {
    Ok(Json(state.store.order(&id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct StatusInput {
    #[schema(value_type = OrderStatus, required, example = "confirmed")]
    status: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/orders/{id}/status",
    tag = "admin",
    request_body = StatusInput,
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "The order with its new status; a cancel returns its stock", body = Order),
        (status = 404, description = "`not_found`: no such order", body = Problem),
        (status = 409, description = "`invalid_transition`", body = Problem),
        (status = 422, description = "`validation_failed`, naming every field", body = Problem),
    ),
)]
async fn change_order_status(
    State(state): State<AppState>,
    CurrentAdmin(admin, Staff): CurrentAdmin<Staff>,
    ApiPath(id): ApiPath<String>,
    ApiJson { value: input, .. }: ApiJson<StatusInput>,
) -> Result<Json<Order>, ApiError> {
    let raw = input
        .status
        .ok_or_else(|| ValidationError::one(FieldError::required("status")))?;
    let status = parse_status(&raw).map_err(ValidationError::one)?;
    let order = state.store.set_order_status(&id, status, &admin).await?;
    tracing::info!(order_id = %order.id, status = order.status.as_str(), actor = %admin.name, "order status changed");
    Ok(Json(order))
}

//! Admin orders: the list with its filters and search, the counts per
//! status, one order, and status changes (one step back with a reason).
//! The rest of the desk (payments, notes, edits, history, returns) is in
//! `order_desk.rs`.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::{CurrentAdmin, Staff};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::paging::{date_param, decode_cursor, encode_cursor, page_size};
use super::problem::{ApiError, Problem};
use crate::domain::invalid::{Checker, optional_text};
use crate::domain::order::{
    Order, OrderSearch, OrderStatus, PaymentStatus, STAFF_NOTE_CHARS_MAX, StatusCounts,
};
use crate::domain::page::{OrderFilter, StatusFilter};
use crate::domain::phone::Country;
use crate::domain::{FieldError, ValidationError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/orders", get(list_orders))
        .route("/orders/counts", get(order_counts))
        .route("/orders/{id}", get(get_order))
        .route("/orders/{id}/status", post(change_order_status))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderQuery {
    /// A status, or `to_handle` (pending, confirmed and processing).
    status: Option<String>,
    /// `unpaid`, `paid` or `refunded`.
    payment: Option<String>,
    /// An order number (`SR-1042` or `1042`), a phone in any spelling,
    /// part of a name (case and accents ignored) or a pickup number; at
    /// most 200 characters.
    q: Option<String>,
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

const STATUSES: &str = "pending, confirmed, processing, shipped, delivered, cancelled, returned";

fn parse_status(raw: &str) -> Result<OrderStatus, FieldError> {
    OrderStatus::parse(raw).ok_or_else(|| unknown_status(raw, STATUSES))
}

fn unknown_status(raw: &str, known: &str) -> FieldError {
    FieldError::new(
        "status",
        format!("Statut inconnu « {raw} » ({known})."),
        format!("Unknown status `{raw}` ({known})."),
    )
}

/// The desk's filter a query asks for, every wrong parameter named; phones
/// are read as the shop's `country` reads them.
pub fn order_filter(query: OrderQuery, country: Country) -> Result<OrderFilter, ValidationError> {
    let mut checker = Checker::default();
    let status = checker.check(
        query
            .status
            .filter(|s| !s.is_empty())
            .map(|s| {
                StatusFilter::parse(&s)
                    .ok_or_else(|| unknown_status(&s, &format!("{STATUSES}, to_handle")))
            })
            .transpose(),
    );
    let payment = checker.check(
        query
            .payment
            .filter(|s| !s.is_empty())
            .map(|s| PaymentStatus::parse(&s).ok_or_else(|| PaymentStatus::unknown("payment", &s)))
            .transpose(),
    );
    let search = checker.check(
        query
            .q
            .map(|q| OrderSearch::parse(&q, country))
            .transpose()
            .map(Option::flatten),
    );
    let from = checker.check(date_param("from", query.from));
    let to = checker.check(date_param("to", query.to));
    let limit = checker.check(page_size(query.limit));
    let before_seq = checker.check(decode_cursor(query.cursor));
    checker.finish()?;
    let checked = "every parameter checked";
    Ok(OrderFilter {
        status: status.expect(checked),
        payment: payment.expect(checked),
        search: search.expect(checked),
        from: from.expect(checked),
        to: to.expect(checked),
        limit: limit.expect(checked),
        before_seq: before_seq.expect(checked),
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
        (status = 200, description = "Orders, newest first, each with its payment and its number of staff notes", body = OrderList),
        (status = 422, description = "`validation_failed`, naming every field", body = Problem),
    ),
)]
async fn list_orders(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<OrderQuery>,
) -> Result<Json<OrderList>, ApiError> {
    let country = state.store.settings().await?.default_country;
    let filter = order_filter(query, country)?;
    let page = state.store.orders(filter).await?;
    Ok(Json(OrderList {
        orders: page.items,
        next_cursor: page.next_cursor.map(|c| encode_cursor(&c)),
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/orders/counts",
    tag = "admin",
    responses(
        (status = 200, description = "How many orders have each status, and how many are still to handle (pending, confirmed, processing)", body = StatusCounts),
    ),
)]
async fn order_counts(State(state): State<AppState>) -> Result<Json<StatusCounts>, ApiError> {
    Ok(Json(state.store.order_counts().await?))
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
        (status = 200, description = "The order, with its payment and its number of staff notes", body = Order),
        (status = 404, description = "`not_found`: no such order", body = Problem),
    ),
)]
async fn get_order(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Order>, ApiError> {
    Ok(Json(state.store.desk_order(&id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct StatusInput {
    #[schema(value_type = OrderStatus, required, example = "confirmed")]
    status: Option<String>,
    /// Required for one step back (delivered → shipped, shipped →
    /// processing, processing → confirmed, confirmed → pending); kept in
    /// the order's history. At most 2,000 characters.
    #[schema(max_length = 2000)]
    reason: Option<String>,
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
    let mut checker = Checker::default();
    let status = checker.check(
        input
            .status
            .ok_or_else(|| FieldError::required("status"))
            .and_then(|raw| parse_status(&raw)),
    );
    let reason = checker.check(optional_text(
        "reason",
        input.reason.as_deref(),
        STAFF_NOTE_CHARS_MAX,
        true,
    ));
    checker.finish()?;
    let (status, reason) = (status.expect("checked"), reason.expect("checked"));
    let order = state
        .store
        .set_order_status(&id, status, reason, &admin)
        .await?;
    tracing::info!(order_id = %order.id, status = order.status.as_str(), actor = %admin.name, "order status changed");
    Ok(Json(order))
}

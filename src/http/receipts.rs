//! Deliveries received (receipts): one form's lines restocked together,
//! the list of receipts and one receipt with its lines.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::{CurrentAdmin, Staff};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::paging::{bad_cursor, decode_position, encode_cursor, page_size};
use super::problem::{ApiError, Problem};
use crate::domain::page::ReceiptFilter;
use crate::domain::receiving::{
    RECEIPT_ID_CHARS_MAX, Receipt, ReceiptInput, ReceiptSummary, receipt_id,
};
use crate::domain::{FieldError, ValidationError};
use crate::store::{Resource, StoreError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/receipts", get(list_receipts).post(receive_delivery))
        .route("/receipts/{id}", get(get_receipt))
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/receipts",
    tag = "admin",
    request_body = ReceiptInput,
    responses(
        (status = 201, description = "The receipt, its lines with the stock each left; one `restock` movement per line carries its id", body = Receipt),
        (status = 422, description = "`validation_failed`, naming every field: `lines[3].sku` for an unknown or retired sku, `lines[2].quantity` for 0, a negative quantity or one over the restock limit, `lines` past the line limit", body = Problem),
    ),
)]
async fn receive_delivery(
    State(state): State<AppState>,
    CurrentAdmin(admin, Staff): CurrentAdmin<Staff>,
    ApiJson { value: input, .. }: ApiJson<ReceiptInput>,
) -> Result<(StatusCode, Json<Receipt>), ApiError> {
    let receipt = input.validate(&state.config.limits)?;
    let received = state.store.receive(receipt, &admin).await?;
    tracing::info!(
        receipt_id = %received.id,
        lines = received.lines.len(),
        total = received.total,
        actor = %admin.name,
        "delivery received"
    );
    Ok((StatusCode::CREATED, Json(received)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ReceiptQuery {
    /// Page size.
    limit: Option<usize>,
    /// The `next_cursor` of the page before, as it came.
    cursor: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct ReceiptList {
    receipts: Vec<ReceiptSummary>,
    next_cursor: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/receipts",
    tag = "admin",
    params(ReceiptQuery),
    responses(
        (status = 200, description = "The receipts, newest first, each with its total and its number of lines", body = ReceiptList),
        (status = 422, description = "`validation_failed`: a bad `limit` or `cursor`", body = Problem),
    ),
)]
async fn list_receipts(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ReceiptQuery>,
) -> Result<Json<ReceiptList>, ApiError> {
    let filter = receipt_filter(query).map_err(ValidationError::one)?;
    let page = state.store.receipts(filter).await?;
    Ok(Json(ReceiptList {
        receipts: page.items,
        next_cursor: page.next_cursor.map(|c| encode_cursor(&c)),
    }))
}

fn receipt_filter(query: ReceiptQuery) -> Result<ReceiptFilter, FieldError> {
    let before = decode_position(query.cursor)?
        .map(|position| {
            position
                .split_once(' ')
                .map(|(at, id)| (at.to_owned(), id.to_owned()))
                .ok_or_else(bad_cursor)
        })
        .transpose()?;
    Ok(ReceiptFilter {
        limit: page_size(query.limit)?,
        before,
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/receipts/{id}",
    tag = "admin",
    params(
        ("id" = String, Path, description = "The receipt's id"),
    ),
    responses(
        (status = 200, description = "The receipt and its lines", body = Receipt),
        (status = 404, description = "`not_found`: no such receipt", body = Problem),
    ),
)]
async fn get_receipt(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Receipt>, ApiError> {
    // An id that could not be one names no receipt.
    let shown: String = id.chars().take(RECEIPT_ID_CHARS_MAX).collect();
    let id = receipt_id("id", id)
        .map_err(|_| ApiError::from(StoreError::not_found(Resource::Receipt, shown)))?;
    Ok(Json(state.store.receipt(&id).await?))
}

//! Admin stock: restocks, adjustments with a reason, and the ledger's history.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::{CurrentAdmin, Staff};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::paging::{date_param, decode_cursor, encode_cursor, page_size};
use super::problem::{ApiError, Problem};
use crate::domain::limits::SEARCH_CHARS_MAX;
use crate::domain::page::MovementFilter;
use crate::domain::receiving::{CountInput, receipt_id};
use crate::domain::sku::Sku;
use crate::domain::stock::StockChange;
use crate::domain::stock::{AdjustInput, Movement, MovementKind, RestockInput};
use crate::domain::{FieldError, ValidationError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/stock/{sku}/restock", post(restock_variant))
        .route("/stock/{sku}/adjust", post(adjust_variant))
        .route("/stock/movements", get(list_movements))
        .route("/stock/adjustments", post(apply_adjustments))
}

#[derive(Serialize, utoipa::ToSchema)]
struct StockAnswer {
    sku: String,
    /// Units on hand after the change, once a restock served waiting preorders.
    available: i64,
    movement: Movement,
    /// The `preorder_allocation` movements a restock made in its
    /// transaction, oldest order first; empty for an adjustment.
    allocations: Vec<Movement>,
}

impl From<StockChange> for StockAnswer {
    fn from(change: StockChange) -> Self {
        StockAnswer {
            sku: change.sku,
            available: change.available,
            movement: change.movement,
            allocations: change.allocations,
        }
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/stock/{sku}/restock",
    tag = "admin",
    request_body = RestockInput,
    params(
        ("sku" = String, Path, example = "ROBE-ETE-M"),
    ),
    responses(
        (status = 200, description = "The stock after the restock, its movement, and the units it gave at once to waiting preorders (oldest order first)", body = StockAnswer),
        (status = 404, description = "`not_found`: no such sku", body = Problem),
        (status = 422, description = "`validation_failed`, naming every field", body = Problem),
    ),
)]
async fn restock_variant(
    State(state): State<AppState>,
    CurrentAdmin(admin, Staff): CurrentAdmin<Staff>,
    ApiPath(sku): ApiPath<String>,
    ApiJson { value: input, .. }: ApiJson<RestockInput>,
) -> Result<Json<StockAnswer>, ApiError> {
    let sku = Sku::parse("sku", &sku).map_err(ValidationError::one)?;
    let restock = input.validate(&state.config.limits)?;
    let change = state.store.restock(&sku, restock, &admin).await?;
    tracing::info!(sku = %change.sku, available = change.available, actor = %admin.name, "restocked");
    Ok(Json(change.into()))
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/stock/{sku}/adjust",
    tag = "admin",
    request_body = AdjustInput,
    params(
        ("sku" = String, Path, example = "ROBE-ETE-M"),
    ),
    responses(
        (status = 200, description = "The stock after the adjustment and its movement", body = StockAnswer),
        (status = 404, description = "`not_found`: no such sku", body = Problem),
        (status = 409, description = "`insufficient_stock`: the stock would go below 0", body = Problem),
        (status = 422, description = "`validation_failed`, naming every field", body = Problem),
    ),
)]
async fn adjust_variant(
    State(state): State<AppState>,
    CurrentAdmin(admin, Staff): CurrentAdmin<Staff>,
    ApiPath(sku): ApiPath<String>,
    ApiJson { value: input, .. }: ApiJson<AdjustInput>,
) -> Result<Json<StockAnswer>, ApiError> {
    let sku = Sku::parse("sku", &sku).map_err(ValidationError::one)?;
    let adjustment = input.validate()?;
    let change = state.store.adjust_stock(&sku, adjustment, &admin).await?;
    tracing::info!(sku = %change.sku, available = change.available, actor = %admin.name, "stock adjusted");
    Ok(Json(change.into()))
}

/// The movements a count wrote, in the order of its lines; a line that
/// found the stock it sets wrote none.
#[derive(Serialize, utoipa::ToSchema)]
struct CountAnswer {
    movements: Vec<Movement>,
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/stock/adjustments",
    tag = "admin",
    request_body = CountInput,
    responses(
        (status = 200, description = "Every line applied, one `adjustment` movement per line that changed the stock", body = CountAnswer),
        (status = 409, description = "`stale_stock`: the stock of these lines moved since they were counted (`lines`: every one, with `expected_available` and `available`), or `insufficient_stock`: a line would go below 0; nothing applied", body = Problem),
        (status = 422, description = "`validation_failed`, naming every field (`lines[3].sku`…), unknown skus included", body = Problem),
    ),
)]
async fn apply_adjustments(
    State(state): State<AppState>,
    CurrentAdmin(admin, Staff): CurrentAdmin<Staff>,
    ApiJson { value: input, .. }: ApiJson<CountInput>,
) -> Result<Json<CountAnswer>, ApiError> {
    let count = input.validate()?;
    let lines = count.lines.len();
    let movements = state.store.apply_count(count, &admin).await?;
    tracing::info!(lines, changed = movements.len(), actor = %admin.name, "count applied");
    Ok(Json(CountAnswer { movements }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct MovementQuery {
    /// Exactly this sku.
    sku: Option<String>,
    /// Words to search: each must be found in the variant's product title,
    /// sku or colour, or be its size, in any case and with or without
    /// accents (`ete robe` finds "Robe d'été"). At most 200 characters.
    q: Option<String>,
    kind: Option<String>,
    /// From this time on (inclusive): RFC 3339, or a date for midnight UTC.
    from: Option<String>,
    /// Before this time (exclusive).
    to: Option<String>,
    /// Only the movements of this receipt (its id).
    receipt: Option<String>,
    /// Page size.
    limit: Option<usize>,
    /// The `next_cursor` of the page before, as it came.
    cursor: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct MovementList {
    movements: Vec<Movement>,
    next_cursor: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/stock/movements",
    tag = "admin",
    params(
        MovementQuery,
    ),
    responses(
        (status = 200, description = "The ledger, newest first", body = MovementList),
        (status = 422, description = "`validation_failed`, naming every field", body = Problem),
    ),
)]
async fn list_movements(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<MovementQuery>,
) -> Result<Json<MovementList>, ApiError> {
    let filter = movement_filter(query).map_err(ValidationError::one)?;
    let page = state.store.movements(filter).await?;
    Ok(Json(MovementList {
        movements: page.items,
        next_cursor: page.next_cursor.map(|c| encode_cursor(&c)),
    }))
}

fn movement_filter(query: MovementQuery) -> Result<MovementFilter, FieldError> {
    let q = query.q.unwrap_or_default();
    if q.chars().count() > SEARCH_CHARS_MAX {
        return Err(FieldError::too_long("q", SEARCH_CHARS_MAX));
    }
    let kind = query
        .kind
        .filter(|k| !k.is_empty())
        .map(|k| {
            MovementKind::parse(&k).ok_or_else(|| {
                FieldError::new(
                    "kind",
                    format!("Type de mouvement inconnu « {k} » (initial, restock, adjustment, sale, cancellation)."),
                    format!("Unknown movement kind `{k}` (initial, restock, adjustment, sale, cancellation)."),
                )
            })
        })
        .transpose()?;
    Ok(MovementFilter {
        sku: query
            .sku
            .filter(|s| !s.is_empty())
            .map(|s| Sku::parse("sku", &s))
            .transpose()?,
        kind,
        from: date_param("from", query.from)?,
        to: date_param("to", query.to)?,
        receipt: query
            .receipt
            .filter(|r| !r.is_empty())
            .map(|r| receipt_id("receipt", r))
            .transpose()?,
        words: MovementFilter::words_of(&q),
        limit: page_size(query.limit)?,
        before_id: decode_cursor(query.cursor)?,
    })
}

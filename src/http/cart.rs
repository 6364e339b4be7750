//! The cart check (levels 1-3 of the seed): what the stock could serve of each line now.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::Serialize;

use super::AppState;
use super::extract::{AcceptLang, ApiJson};
use super::problem::{ApiError, Problem};
use crate::domain::messages;
use crate::domain::order::CartInput;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/cart/check", post(check_cart))
}

#[derive(Serialize, utoipa::ToSchema)]
struct CartCheck {
    /// True when every line can be bought as it is.
    ok: bool,
    lines: Vec<CartLine>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct CartLine {
    sku: String,
    requested: i64,
    /// 0 for a size no longer for sale.
    available: i64,
    /// The price now, in minor units: what the order will charge.
    unit_price: i64,
    /// False when the product was withdrawn or the size retired.
    for_sale: bool,
    /// What the cart should hold: the request capped at the stock.
    accepted: i64,
    /// The toast to show when the line was capped; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/cart/check",
    tag = "catalog",
    request_body = CartInput,
    responses(
        (status = 200, description = "What the stock could serve of each line now; reserves nothing", body = CartCheck),
        (status = 422, description = "`validation_failed`, naming every field", body = Problem),
        (status = 429, description = "`rate_limited`: this client address sent more checkouts and cart checks than its budget (`--rate-limit-per-second`, `--rate-limit-burst`); nothing was read or changed", body = Problem, headers(("Retry-After" = u64, description = "Whole seconds (at least 1) until this address is served again"))),
    ),
)]
async fn check_cart(
    State(state): State<AppState>,
    AcceptLang(lang): AcceptLang,
    ApiJson { value: input, .. }: ApiJson<CartInput>,
) -> Result<Json<CartCheck>, ApiError> {
    let lines = input.validate(&state.config.limits)?;
    let stock = state.store.check_cart(lines).await?;
    let lines: Vec<CartLine> = stock
        .into_iter()
        .map(|line| {
            let available = if line.for_sale { line.available } else { 0 };
            let accepted = line.requested.min(available);
            let detail = if !line.for_sale {
                Some(messages::unavailable_lines(lang, &[line.unavailable()]))
            } else {
                (accepted < line.requested).then(|| {
                    messages::cart_toast(lang, available, &line.size, line.color.as_deref())
                })
            };
            CartLine {
                detail,
                requested: line.requested,
                available,
                unit_price: line.unit_price,
                for_sale: line.for_sale,
                accepted,
                sku: line.sku,
            }
        })
        .collect();
    Ok(Json(CartCheck {
        ok: lines.iter().all(|l| l.accepted == l.requested),
        lines,
    }))
}

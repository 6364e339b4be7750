//! The customer check: the storefront asks the server whether a phone and
//! an e-mail will be accepted, so that the page and the checkout give the
//! same answer without the page copying the rules.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};

use super::AppState;
use super::extract::ApiJson;
use super::problem::{ApiError, Problem};
use crate::domain::order::{CheckedCustomer, CustomerCheckInput};

/// `POST /api/v1/customer/check`, under the buyer's writes' rate limit
/// (`http/mod.rs`).
pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/customer/check", post(check_customer))
}

#[utoipa::path(
    post,
    path = "/api/v1/customer/check",
    tag = "orders",
    request_body = CustomerCheckInput,
    responses(
        (status = 200, description = "Every field given would be accepted by `POST /api/v1/orders`; the phone as the shop's country reads it (E.164)", body = CheckedCustomer),
        (status = 422, description = "`validation_failed`: each field the order would refuse, named as in an order (`customer.phone`), with the order's own sentence", body = Problem),
        (status = 429, description = "`rate_limited`: this client address sent more checkouts, cart checks and customer checks than its budget", body = Problem, headers(("Retry-After" = u64, description = "Whole seconds (at least 1) until this address is served again"))),
    ),
)]
pub(super) async fn check_customer(
    State(state): State<AppState>,
    ApiJson { value: input, .. }: ApiJson<CustomerCheckInput>,
) -> Result<Json<CheckedCustomer>, ApiError> {
    let country = state.store.settings().await?.default_country;
    Ok(Json(input.check(&state.config.limits, country)?))
}

//! Checkout (level 4) and a buyer reading their own order.

use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::time::Instant;
use utoipa::ToSchema;

use super::AppState;
use super::extract::{
    AcceptLang, ApiJson, ApiPath, IdempotencyKeyHeader, bearer_token, parse_json,
};
use super::problem::{ApiError, Problem};
use crate::checkout::{CheckoutAnswer, CheckoutRequest, IdempotencyKey, Outcome, PlacedOrder};
use crate::domain::Lang;
use crate::domain::invalid::{Checker, FieldError, ValidationError, required_text};
use crate::domain::order::{Order, OrderInput, sequence_of};
use crate::domain::phone::Phone;
use crate::domain::tokens::is_order_access_token;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/orders", post(create_order))
        .route("/api/v1/orders/{id}", get(get_order))
}

/// `POST /api/v1/orders/lookup`, under its own rate limit (`http/mod.rs`).
pub fn lookup_routes() -> Router<AppState> {
    Router::new().route("/api/v1/orders/lookup", post(lookup_order))
}

/// A buyer finding their order again with what the confirmation showed.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LookupInput {
    /// The order's number, as the confirmation showed it.
    #[schema(example = "SR-1001")]
    pub number: Option<String>,
    /// The phone the order was placed with, written any way it is dialled.
    #[schema(example = "07 00 00 00 01")]
    pub phone: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/orders/lookup",
    tag = "orders",
    request_body = LookupInput,
    responses(
        (status = 200, description = "The order and its access token, as the checkout gave them", body = CreatedOrder),
        (status = 404, description = "`not_found`: no order with this number and this phone (either may be the wrong one)", body = Problem),
        (status = 422, description = "`validation_failed`: a field missing or too long", body = Problem),
        (status = 429, description = "`rate_limited`: this address tried too many lookups (5 at once, then 10 a minute)", body = Problem, headers(("Retry-After" = u64))),
    ),
)]
async fn lookup_order(
    State(state): State<AppState>,
    ApiJson { value: input, .. }: ApiJson<LookupInput>,
) -> Result<Response, ApiError> {
    let (number, phone) = input.validate()?;
    let not_found = || ApiError::NotFound {
        resource: crate::store::Resource::Order,
        key: number.clone(),
    };
    let country = state.store.settings().await?.default_country;
    let (Some(seq), Ok(phone)) = (sequence_of(&number), Phone::normalise(&phone, country)) else {
        return Err(not_found());
    };
    let order = state
        .store
        .order_for_number_and_phone(seq, phone.as_str().to_owned())
        .await?
        .ok_or_else(not_found)?;
    let access_token = state.checkout.access_token(&order.id);
    let answer = CreatedOrder {
        order: &order,
        access_token: &access_token,
    };
    Ok(Json(answer).into_response())
}

impl LookupInput {
    fn validate(self) -> Result<(String, String), ValidationError> {
        let mut checker = Checker::default();
        let number = checker.check(required_text(
            "number",
            self.number.as_deref(),
            LOOKUP_CHARS_MAX,
        ));
        let phone = checker.check(required_text(
            "phone",
            self.phone.as_deref(),
            LOOKUP_CHARS_MAX,
        ));
        checker.finish()?;
        match (number, phone) {
            (Some(number), Some(phone)) => Ok((number, phone)),
            // The checker holds an error for every field that is None.
            _ => Err(ValidationError::one(FieldError::required("number"))),
        }
    }
}

/// The longest number or phone a lookup reads.
pub const LOOKUP_CHARS_MAX: usize = 40;

#[utoipa::path(
    post,
    path = "/api/v1/orders",
    tag = "orders",
    request_body = OrderInput,
    params(
        ("Idempotency-Key" = Option<String>, Header, description = "Visible ASCII characters. The same key with the same body replays the first answer, waiting for it when the first request is still running; with another body, 422 `idempotency_key_reused`"),
    ),
    responses(
        (status = 201, description = "The order: all of its lines or none, at the server's prices", body = CreatedOrder, headers(("Idempotent-Replayed" = String, description = "`true` when this is the stored answer to an earlier request with the same key"))),
        (status = 409, description = "`insufficient_stock` (every short line in `lines`) or `order_limit_reached`; nothing changed. Replayed like a 201", body = Problem, headers(("Idempotent-Replayed" = String))),
        (status = 422, description = "`validation_failed` (every bad field) or `idempotency_key_reused`", body = Problem),
        (status = 429, description = "`rate_limited`: this client address sent more checkouts and cart checks than its budget (`--rate-limit-per-second`, `--rate-limit-burst`); nothing was read or changed", body = Problem, headers(("Retry-After" = u64, description = "Whole seconds (at least 1) until this address is served again"))),
    ),
)]
async fn create_order(
    State(state): State<AppState>,
    AcceptLang(lang): AcceptLang,
    IdempotencyKeyHeader(key): IdempotencyKeyHeader,
    ApiJson { value: input, raw }: ApiJson<OrderInput>,
) -> Result<Response, ApiError> {
    let order = match input.validate(&state.config.limits) {
        Ok(order) => order,
        Err(invalid) => {
            state.metrics.order("invalid", None);
            return Err(invalid.into());
        }
    };
    let idempotency = key.map(|key| IdempotencyKey {
        key,
        request_hash: request_hash(&raw),
    });
    let started = Instant::now();
    let request = CheckoutRequest {
        order,
        idempotency,
        lang,
    };
    let answer = state.checkout.place_order(request).await;
    let label = CheckoutAnswer::metric_label(&answer);
    state.metrics.order(label, Some(started.elapsed()));
    Ok(match answer? {
        CheckoutAnswer::Decided(outcome) => {
            log_outcome(&outcome);
            respond(outcome, None)
        }
        CheckoutAnswer::Replayed { outcome, lang } => {
            let mut response = respond(outcome, Some(lang));
            let replayed = HeaderValue::from_static("true");
            response
                .headers_mut()
                .insert("idempotent-replayed", replayed);
            response
        }
    })
}

fn log_outcome(outcome: &Outcome) {
    match outcome {
        Outcome::Placed(placed) => {
            let order = &placed.order;
            tracing::info!(order_id = %order.id, number = %order.number, skus = ?sku_list(order), "order placed");
        }
        Outcome::Refused(refusal) => tracing::info!(%refusal, "order refused"),
    }
}

/// The answer to a checkout: 201 with the order, or the refusal's problem.
/// A replayed refusal is written in the language it was first given in.
fn respond(outcome: Outcome, lang: Option<Lang>) -> Response {
    match outcome {
        Outcome::Placed(placed) => {
            (StatusCode::CREATED, Json(CreatedOrder::of(&placed))).into_response()
        }
        Outcome::Refused(refusal) => {
            let error = ApiError::from(refusal);
            match lang {
                Some(lang) => error.to_response(lang),
                None => error.into_response(),
            }
        }
    }
}

/// The answer to a checkout: the order and the token that lets its buyer read it.
// Borrowed from the placed order: the answer needs no clone of it.
#[derive(Serialize, ToSchema)]
pub struct CreatedOrder<'a> {
    #[schema(value_type = Order)]
    pub order: &'a Order,
    /// Send as `Authorization: Bearer …` to `GET /api/v1/orders/{id}`.
    pub access_token: &'a str,
}

impl<'a> CreatedOrder<'a> {
    fn of(placed: &'a PlacedOrder) -> Self {
        CreatedOrder {
            order: &placed.order,
            access_token: &placed.access_token,
        }
    }
}

fn sku_list(order: &Order) -> Vec<&str> {
    order.lines.iter().map(|l| l.sku.as_str()).collect()
}

/// SHA-256 of the body as canonical JSON: keys sorted, no spacing, so that
/// the same order written differently is still "the same body".
fn request_hash(raw: &[u8]) -> String {
    let mut canonical = String::with_capacity(raw.len());
    if let Ok(value) = parse_json::<serde_json::Value>(raw) {
        write_canonical(&value, &mut canonical);
    }
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// Writes JSON with every object's keys sorted, whatever order serde_json's
/// maps keep (its `preserve_order` feature, if a dependency turned it on,
/// would keep the client's order and make equal bodies differ).
fn write_canonical(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// A buyer's own order, with its access token; 404 for any other token.
#[utoipa::path(
    get,
    path = "/api/v1/orders/{id}",
    tag = "orders",
    security(("order_token" = [])),
    params(
        ("id" = String, Path, description = "The order id"),
    ),
    responses(
        (status = 200, description = "The buyer's own order", body = Order),
        (status = 404, description = "`not_found`: no such order, or not this token", body = Problem),
    ),
)]
async fn get_order(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    parts: Parts,
) -> Result<Json<Order>, ApiError> {
    let not_found = || ApiError::NotFound {
        resource: crate::store::Resource::Order,
        key: id.clone(),
    };
    let token = bearer_token(&parts).ok_or_else(not_found)?;
    // Tokens are derived from the shop's secret; orders placed before that
    // also open with the token they were given, kept as a hash.
    if is_order_access_token(state.store.shop_secret(), &id, token) {
        return Ok(Json(state.store.order(&id).await?));
    }
    Ok(Json(state.store.order_for_buyer(&id, token).await?))
}

#[cfg(test)]
mod tests {
    use super::request_hash;

    #[test]
    fn the_same_body_with_other_key_order_and_spacing_has_the_same_hash() {
        let a = br#"{"lines":[{"sku":"A","quantity":1}],"customer":{"name":"Awa","phone":"07"}}"#;
        let b = br#"{ "customer": {"phone": "07", "name": "Awa"}, "lines": [ {"quantity": 1, "sku": "A"} ] }"#;
        let c = br#"{"lines":[{"sku":"A","quantity":2}],"customer":{"name":"Awa","phone":"07"}}"#;
        assert_eq!(request_hash(a), request_hash(b));
        assert_ne!(request_hash(a), request_hash(c));
    }
}

//! "Me prévenir": a buyer leaves a phone or an e-mail on a sold-out size
//! and is told once when it comes back; the message's link unsubscribes.
//! Signups are limited per client address (the routes' limiter) and per
//! phone or e-mail (the store counts them).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::extract::{ApiJson, ApiPath};
use super::problem::{ApiError, Problem};
use crate::domain::waitlist::WaitlistRequest;
use crate::domain::{FieldError, ValidationError};
use crate::store::SignupRefused;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/products/{id}/waitlist", post(sign_up))
        .route("/api/v1/waitlist/unsubscribe", post(unsubscribe))
}

/// An empty answer: `{}`.
#[derive(Serialize, utoipa::ToSchema)]
struct Accepted {}

#[utoipa::path(
    post,
    path = "/api/v1/products/{id}/waitlist",
    tag = "catalog",
    params(("id" = String, Path, description = "The product's id or slug")),
    request_body = WaitlistRequest,
    responses(
        (status = 202, description = "Signed up (or already waiting for this size): told once, by SMS or e-mail, when the size comes back", body = Accepted),
        (status = 404, description = "`not_found`: no such product for sale, or the sku is not one of its sizes", body = Problem),
        (status = 422, description = "`validation_failed`: no phone and no e-mail, both, an invalid one, a size that is in stock (buy it) or not for sale", body = Problem),
        (status = 429, description = "`rate_limited`: too many signups from this address, or for this phone or e-mail this hour", body = Problem),
    ),
)]
async fn sign_up(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson { value: request, .. }: ApiJson<WaitlistRequest>,
) -> Result<(StatusCode, Json<Accepted>), ApiError> {
    let country = state.store.settings().await?.default_country;
    let signup = request.check(country)?;
    match state.store.sign_up_waitlist(&id, signup).await? {
        Ok(()) => Ok((StatusCode::ACCEPTED, Json(Accepted {}))),
        Err(SignupRefused::InStock) => Err(ValidationError::one(FieldError::new(
            "sku",
            "Cette taille est en stock : vous pouvez la commander dès maintenant.",
            "This size is in stock: you can order it now.",
        ))
        .into()),
        Err(SignupRefused::NotForSale) => Err(ValidationError::one(FieldError::new(
            "sku",
            "Cette taille n'est plus proposée par la boutique.",
            "The shop no longer offers this size.",
        ))
        .into()),
        Err(SignupRefused::TooMany) => Err(ApiError::RateLimited {
            retry_after_secs: crate::store::SIGNUP_WINDOW_SECS,
        }),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct UnsubscribeRequest {
    /// The token of the message's link.
    token: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/waitlist/unsubscribe",
    tag = "catalog",
    request_body = UnsubscribeRequest,
    responses(
        (status = 204, description = "Nobody will be told about this size through this signup (again: fine)"),
        (status = 404, description = "`not_found`: a token nobody was given", body = Problem),
        (status = 422, description = "`validation_failed`: a body that is not `{\"token\": \"…\"}`", body = Problem),
        (status = 429, description = "`rate_limited`: too many tries from this address (the signups' budget: tokens cannot be tried in bulk)", body = Problem),
    ),
)]
async fn unsubscribe(
    State(state): State<AppState>,
    ApiJson { value: request, .. }: ApiJson<UnsubscribeRequest>,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .unsubscribe_waitlist(request.token.trim())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

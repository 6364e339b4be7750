//! The shop's identity and delivery zones: public for its pages, set by its owner.

use axum::extract::State;
use axum::routing::{get, put};
use axum::{Json, Router};

use super::AppState;
use super::auth::{CurrentAdmin, Owner};
use super::extract::ApiJson;
use super::problem::{ApiError, Problem};
use crate::domain::shop::{Shop, ShopPatch};

/// `GET /api/v1/shop`, public.
pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/shop", get(get_shop))
}

/// `PUT /shop`, under `/api/v1/admin`.
pub fn admin_routes() -> Router<AppState> {
    Router::new().route("/shop", put(update_shop))
}

#[utoipa::path(
    get,
    path = "/api/v1/shop",
    tag = "catalog",
    responses(
        (status = 200, description = "The shop's name, how to reach it, its currency and its delivery zones", body = Shop),
    ),
)]
async fn get_shop(State(state): State<AppState>) -> Result<Json<Shop>, ApiError> {
    Ok(Json(state.store.shop().await?))
}

/// Merges the fields given; `delivery_zones`, when given, replaces the list.
#[utoipa::path(
    put,
    path = "/api/v1/admin/shop",
    tag = "admin",
    request_body = ShopPatch,
    responses(
        (status = 200, description = "The shop after merging the fields given, as `GET /api/v1/shop` shows it", body = Shop),
        (status = 403, description = "`forbidden`: for the owner only, or a session's write without its CSRF token", body = Problem),
        (status = 422, description = "`validation_failed`, naming every field", body = Problem),
    ),
)]
async fn update_shop(
    State(state): State<AppState>,
    CurrentAdmin(admin, Owner): CurrentAdmin<Owner>,
    ApiJson { value: patch, .. }: ApiJson<ShopPatch>,
) -> Result<Json<Shop>, ApiError> {
    let shop = state.store.update_shop(patch, &admin).await?;
    tracing::info!(actor = %admin.name, "shop updated");
    Ok(Json(shop))
}

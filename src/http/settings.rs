//! Admin settings: the per-customer limit, the low-stock threshold, the reference date.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

use super::AppState;
use super::auth::{CurrentAdmin, Owner};
use super::extract::ApiJson;
use super::problem::{ApiError, Problem};
use crate::domain::settings::{Settings, SettingsPatch};

pub fn routes() -> Router<AppState> {
    Router::new().route("/settings", get(get_settings).put(update_settings))
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/settings",
    tag = "admin",
    responses(
        (status = 200, description = "The shop's settings", body = Settings),
    ),
)]
async fn get_settings(State(state): State<AppState>) -> Result<Json<Settings>, ApiError> {
    Ok(Json(state.store.settings().await?))
}

/// Merges the fields given; `{"reference_date": <now>}` accepts the current stock as the new reference.
#[utoipa::path(
    put,
    path = "/api/v1/admin/settings",
    tag = "admin",
    request_body = SettingsPatch,
    responses(
        (status = 200, description = "The settings after merging the fields given", body = Settings),
        (status = 403, description = "`forbidden`: for the owner only, or a session's write without its CSRF token", body = Problem),
        (status = 422, description = "`validation_failed`, naming every field", body = Problem),
    ),
)]
async fn update_settings(
    State(state): State<AppState>,
    CurrentAdmin(admin, Owner): CurrentAdmin<Owner>,
    ApiJson { value: patch, .. }: ApiJson<SettingsPatch>,
) -> Result<Json<Settings>, ApiError> {
    let settings = state.store.update_settings(patch, &admin).await?;
    tracing::info!(actor = %admin.name, "settings updated");
    Ok(Json(settings))
}

//! Admin settings: the per-customer limit, the low-stock threshold, the reference date.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

use super::AppState;
use super::auth::CurrentAdmin;
use super::extract::ApiJson;
use super::problem::ApiError;
use crate::domain::settings::{Settings, SettingsPatch};

pub fn routes() -> Router<AppState> {
    Router::new().route("/settings", get(get_settings).put(update_settings))
}

async fn get_settings(State(state): State<AppState>) -> Result<Json<Settings>, ApiError> {
    Ok(Json(state.store.settings().await?))
}

/// Merges the fields given; `{"reference_date": <now>}` accepts the current stock as the new reference.
async fn update_settings(
    State(state): State<AppState>,
    CurrentAdmin(admin): CurrentAdmin,
    ApiJson { value: patch, .. }: ApiJson<SettingsPatch>,
) -> Result<Json<Settings>, ApiError> {
    let settings = state.store.update_settings(patch, &admin).await?;
    tracing::info!(actor = %admin.name, "settings updated");
    Ok(Json(settings))
}

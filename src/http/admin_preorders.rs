//! The back office's preorders: per variant, the lines waiting for stock,
//! oldest first, with the places they take and what restocks gave them.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

use super::AppState;
use super::auth::{CurrentAdmin, Staff};
use super::problem::ApiError;
use crate::domain::preorder::PreorderList;

pub fn routes() -> Router<AppState> {
    Router::new().route("/preorders", get(list_preorders))
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/preorders",
    tag = "admin",
    responses(
        (status = 200, description = "Every variant with preorder lines waiting for stock, the one waiting longest first, with its settings, its places (`waiting`, `places_left`) and its waiting lines oldest first (at most 200 each, `lines_not_shown` counts the rest); then the variants taking preorders with nobody waiting", body = PreorderList),
    ),
)]
async fn list_preorders(
    State(state): State<AppState>,
    CurrentAdmin(_, Staff): CurrentAdmin<Staff>,
) -> Result<Json<PreorderList>, ApiError> {
    Ok(Json(state.store.preorders().await?))
}

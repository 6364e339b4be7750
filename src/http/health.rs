//! Liveness and readiness, for load balancers and supervisors.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use super::problem::{ApiError, Problem};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health))
        .route("/readyz", get(ready))
}

/// `{"status": "ok"}` or `{"status": "ready"}`.
#[derive(Serialize, ToSchema)]
pub struct Status {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// 200 while the process runs.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    responses(
        (status = 200, description = "The process runs", body = Status),
    ),
)]
async fn health() -> Json<Status> {
    Json(Status { status: "ok" })
}

/// 200 when the database answers and takes writes, 503 otherwise: while
/// writes fail because its disk is full, a load balancer should stop
/// sending buyers here.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    responses(
        (status = 200, description = "The database answers and takes writes", body = Status),
        (status = 503, description = "`unavailable`: the database does not answer, or its disk is full", body = Problem),
    ),
)]
async fn ready(State(state): State<AppState>) -> Result<(StatusCode, Json<Status>), ApiError> {
    state.store.ping().await.map_err(|error| {
        tracing::warn!(%error, "not ready: the database does not answer");
        ApiError::Unavailable
    })?;
    if state.store.disk_still_full().await {
        return Err(ApiError::DiskFull);
    }
    Ok((StatusCode::OK, Json(Status { status: "ready" })))
}

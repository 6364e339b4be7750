//! Liveness and readiness, for load balancers and supervisors.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use super::problem::{ApiError, Problem};
use crate::config::Instance;

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

/// `{"status": "ok", "instance": "shop|demo|bench"}`.
#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
    /// A real shop, `serve --demo` or `serve --bench` (a throwaway
    /// instance): `stockroom load` refuses a real shop unless told.
    pub instance: Instance,
}

/// 200 while the process runs.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    responses(
        (status = 200, description = "The process runs, and what it is for", body = Health),
    ),
)]
async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok",
        instance: state.config.instance,
    })
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

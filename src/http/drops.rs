//! A drop's public page data: what it sells, at what price, how many are
//! left, and the server's time that its countdown runs from.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use super::AppState;
use super::admin_drops::drop_key;
use super::extract::ApiPath;
use super::problem::{ApiError, Problem};
use crate::domain::drop::PublicDrop;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/drops/{slug}", get(get_public_drop))
}

#[utoipa::path(
    get,
    path = "/api/v1/drops/{slug}",
    tag = "catalog",
    params(("slug" = String, Path, description = "The drop's slug", example = "capsule-noel")),
    responses(
        (status = 200, description = "The drop now: its window, its status (`upcoming`, `live`, `sold_out` inside the window once every line's units are sold, `ended`), the server's time to count down from, and its lines with the price the server charges and the units left (none before the start of a drop hidden until then). Never cached.", body = PublicDrop),
        (status = 404, description = "`not_found`: no drop has this slug", body = Problem),
    ),
)]
async fn get_public_drop(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
) -> Result<Response, ApiError> {
    let slug = drop_key(slug)?;
    let drop = state.store.public_drop(&slug).await?;
    let mut response = Json(drop).into_response();
    // `server_time` is the moment of this answer: a kept copy would count
    // down from a stale clock.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

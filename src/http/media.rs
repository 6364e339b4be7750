//! The shop's stored photos, public: `GET /media/{name}`. A name is the
//! hash of the bytes it serves, so an answer never changes: cached for a
//! year as immutable, with the hash as its `ETag` (304 for a copy already
//! held). Read from the database, so every instance serves every photo.

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::AppState;
use super::extract::ApiPath;
use super::problem::{ApiError, Problem};
use crate::domain::image::is_media_name;
use crate::store::Resource;

/// A stored photo never changes under its name.
pub const MEDIA_CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

pub fn routes() -> Router<AppState> {
    Router::new().route("/media/{name}", get(get_media))
}

#[utoipa::path(
    get,
    path = "/media/{name}",
    tag = "catalog",
    params(
        ("name" = String, Path, description = "The hex SHA-256 of the image's bytes and its extension, as a product's `images` give it", example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.jpg"),
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of a copy already held"),
    ),
    responses(
        (status = 200, description = "The image, `Cache-Control: public, max-age=31536000, immutable`", content_type = "image/jpeg", body = Vec<u8>, headers(("ETag" = String, description = "The image's hash, quoted"))),
        (status = 304, description = "The copy held is this image"),
        (status = 404, description = "`not_found`: no such image", body = Problem),
    ),
)]
async fn get_media(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::NotFound {
        resource: Resource::Image,
        key: name.clone(),
    };
    if !is_media_name(&name) {
        return Err(not_found());
    }
    let hash = name.split('.').next().unwrap_or_default();
    let etag = format!("\"{hash}\"");
    let held = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| {
            tags.split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .any(|t| t == etag || t == "*")
        });
    let media = state.store.media(&name).await?.ok_or_else(not_found)?;
    if held {
        return Ok(cached(StatusCode::NOT_MODIFIED, &etag, Body::empty()));
    }
    let mut response = cached(StatusCode::OK, &etag, Body::from(media.bytes));
    if let Ok(content_type) = HeaderValue::from_str(&media.content_type) {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, content_type);
    }
    Ok(response)
}

fn cached(status: StatusCode, etag: &str, body: Body) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(MEDIA_CACHE_CONTROL),
    );
    if let Ok(etag) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, etag);
    }
    response
}

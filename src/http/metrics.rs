//! `GET /metrics` (Prometheus text), for programs on the shop's machine
//! unless `--metrics-token` is set, and the middleware that counts every
//! request by route and status.

use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use subtle::ConstantTimeEq;

use super::AppState;
use super::client_address::{is_local_client, peer};
use super::extract::bearer_token;
use super::problem::{ApiError, Problem};

pub fn routes() -> Router<AppState> {
    Router::new().route("/metrics", get(get_metrics))
}

/// The metrics, with the stock gauges and pool use read now.
///
/// They tell the shop's sales volume, so they are not public: with a
/// `--metrics-token` they need it as a bearer token; without one they are
/// answered only to programs on this machine (a loopback peer that is not
/// a trusted proxy, since a proxy on this machine forwards anyone), such as
/// a Prometheus or an agent beside the shop.
///
/// Stock gauges are refreshed here, at scrape time, rather than on every
/// stock change: that costs one small read per scrape instead of a labelled
/// gauge lookup per order line on the checkout path, and the value is exact
/// at the instant Prometheus reads it.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    security(
        (),
        ("metrics_token" = []),
    ),
    responses(
        (status = 200, description = "Prometheus text format", body = String, content_type = "text/plain"),
        (status = 401, description = "`unauthorized`: a metrics token is set and this is not it", body = Problem),
        (status = 403, description = "`forbidden`: no metrics token is set and the client is not on the shop's machine", body = Problem),
    ),
)]
pub(super) async fn get_metrics(
    State(state): State<AppState>,
    mut parts: Parts,
) -> Result<Response, ApiError> {
    match &state.config.metrics_token {
        Some(expected) => {
            let given = bearer_token(&parts).unwrap_or_default();
            if !bool::from(given.as_bytes().ct_eq(expected.expose().as_bytes())) {
                return Err(ApiError::Unauthorized);
            }
        }
        None => {
            let trusted = &state.config.rate_limit.trusted_proxies;
            let local = peer(&mut parts)
                .await
                .is_some_and(|peer| is_local_client(peer, trusted));
            if !local {
                return Err(ApiError::MetricsNotLocal);
            }
        }
    }
    let stock = state.store.stock_levels().await?;
    let pool = state.store.pool_status();
    let (checkout_queue, checkout_queue_max) = state.checkout.queued();
    let disk = state.store.disk();
    let gauges = crate::metrics::ConnectionGauges {
        readers_max: pool.readers_max,
        readers_open: pool.readers_open,
        readers_idle: pool.readers_idle,
        checkout_queue,
        checkout_queue_max,
        disk_full: disk.is_full(),
        disk_full_writes: disk.refused_writes(),
    };
    let text = state.metrics.render(&stock, &gauges);
    let mut response = text.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    Ok(response)
}

/// Counts and times every request under its route template; requests that
/// matched no route count under `unmatched`, so probes of random paths do
/// not make a series each.
pub async fn track_requests(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let response = next.run(request).await;
    state.metrics.http_request(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

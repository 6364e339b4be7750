//! HTTP: the axum router of docs/API.md, one file per resource, with the admin
//! guard, the rate limit of the buyer's writes, the body limit, a request's
//! deadlines and the language of errors applied around it; and the server
//! that runs it (`serve/`).

mod admin_customers;
mod admin_drops;
mod admin_export;
mod admin_images;
mod admin_import;
mod admin_orders;
mod admin_preorders;
mod admin_products;
mod admin_stock;
mod allowed_hosts;
mod audit;
mod auth;
mod cart;
pub mod client_address;
mod csv;
mod customer;
mod deadline;
mod desk_reports;
mod drops;
mod events;
mod extract;
mod headers;
mod health;
mod json_errors;
mod media;
mod metrics;
mod notifications;
mod openapi;
mod order_desk;
mod orders;
mod paging;
pub mod problem;
mod products;
mod rate_limit;
mod receipts;
mod request_id;
mod serve;
mod settings;
mod shop;
mod sign_in;
mod staff;
mod waitlist;
mod web;
mod webhooks;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::MatchedPath;
use axum::http::Request;
use axum::middleware;
use axum::response::Response;
use axum::routing::any;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::config::Config;
use crate::domain::limits::CSV_IMPORT_ANSWER_SECS;
use crate::store::Store;
use problem::ApiError;
use rate_limit::{ClientLimiter, RateLimitRefusal};
use request_id::REQUEST_ID;

// The body checks that need no server, for the fuzz targets (`fuzz/`).
pub use extract::{JSON_NESTING_MAX, nesting_exceeds};
pub use serve::{open_files, serve};
pub use web::prepare as prepare_pages;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// The checkout engine, in front of the same store.
    pub checkout: crate::checkout::Checkout,
    pub config: Arc<Config>,
    pub metrics: crate::metrics::Metrics,
    /// Password hashes running at once (`PASSWORD_HASHES_AT_ONCE`).
    pub password_hashing: Arc<tokio::sync::Semaphore>,
    /// Photos decoded at once (`admin_images::IMAGE_DECODES_AT_ONCE`).
    pub image_decoding: Arc<tokio::sync::Semaphore>,
    /// Event streams open at once (`events::EVENT_STREAMS_MAX`).
    pub event_streams: Arc<tokio::sync::Semaphore>,
}

/// Password hashes (sign-ins, new passwords) computed at once; more wait
/// their turn, so that sign-ins never take every core from the checkout.
pub const PASSWORD_HASHES_AT_ONCE: usize = 2;

impl AppState {
    /// The state of a serving app; starts the checkout engine in front of
    /// `store` on the current runtime.
    pub fn new(store: Store, config: Config, metrics: crate::metrics::Metrics) -> AppState {
        let checkout =
            crate::checkout::Checkout::start(store.clone(), metrics.checkout_batch_sizes());
        let config = Arc::new(config);
        // The outbox's worker of this instance, beside its checkout engine.
        crate::outbox::start(store.clone(), config.clone(), metrics.clone());
        AppState {
            store,
            checkout,
            config,
            metrics,
            password_hashing: Arc::new(tokio::sync::Semaphore::new(PASSWORD_HASHES_AT_ONCE)),
            image_decoding: Arc::new(tokio::sync::Semaphore::new(
                admin_images::IMAGE_DECODES_AT_ONCE,
            )),
            event_streams: Arc::new(tokio::sync::Semaphore::new(events::EVENT_STREAMS_MAX)),
        }
    }
}

/// The whole application: public API, admin API behind its guard, problems
/// for the rest. With a `limiter`, the buyer's writes (checkout and the cart
/// check) are limited per client address.
pub fn router(state: AppState, limiter: Option<Arc<ClientLimiter>>) -> Router {
    let admin_guard = middleware::from_fn_with_state(state.clone(), auth::require_admin);
    let admin = Router::new()
        .merge(admin_products::routes())
        .merge(admin_images::routes())
        .merge(admin_stock::routes())
        .merge(admin_preorders::routes())
        .merge(receipts::routes())
        .merge(admin_orders::routes())
        .merge(order_desk::routes())
        .merge(desk_reports::routes())
        .merge(admin_customers::routes())
        .merge(settings::routes())
        .merge(shop::admin_routes())
        .merge(audit::routes())
        .merge(admin_export::routes())
        .merge(staff::routes())
        .merge(events::routes())
        .merge(webhooks::routes())
        .merge(notifications::routes())
        .merge(admin_drops::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // Authentication comes first, even for unknown admin paths.
        .layer(admin_guard.clone())
        .layer(middleware::map_response(headers::private));
    let orders = orders::routes().layer(middleware::map_response(headers::private));
    let mut buyer_writes = Router::new()
        .merge(cart::routes())
        .merge(customer::routes())
        .merge(orders);
    if let Some(limiter) = limiter {
        // Before the body is read: a refused request costs no parsing.
        buyer_writes =
            buyer_writes.route_layer(middleware::from_fn_with_state(limiter, rate_limit::limit));
    }
    let lookups = orders::lookup_routes()
        .route_layer(middleware::from_fn_with_state(
            ClientLimiter::lookups(
                &state.config.rate_limit,
                state
                    .metrics
                    .rate_limited(crate::metrics::RateLimit::Lookups),
            ),
            rate_limit::limit,
        ))
        .layer(middleware::map_response(headers::private));
    let waitlist = waitlist::routes().route_layer(middleware::from_fn_with_state(
        ClientLimiter::waitlist_signups(
            &state.config.rate_limit,
            state
                .metrics
                .rate_limited(crate::metrics::RateLimit::Waitlist),
        ),
        rate_limit::limit,
    ));
    let body_limit = state.config.limits.request_body_bytes_max;
    let config = state.config.clone();
    let accepted_hosts: Option<Arc<[_]>> = config.accepted_hosts().map(Arc::from);
    let deadlines = deadline::RequestDeadlines::of(&state.config.connections);
    // The CSV import has its own body limit (its route's) and its own
    // deadline: a large file on PostgreSQL takes longer than any request.
    let import_deadlines = deadline::RequestDeadlines {
        answer: Duration::from_secs(CSV_IMPORT_ANSWER_SECS),
        ..deadlines
    };
    let import = Router::new()
        .nest("/api/v1/admin", admin_import::routes())
        .layer(admin_guard.clone())
        .layer(middleware::map_response(headers::private))
        .layer(middleware::from_fn_with_state(
            import_deadlines,
            deadline::limit,
        ));
    // The event stream stays open: no request deadline.
    let event_stream = Router::new()
        .nest("/api/v1/admin", events::stream_routes())
        .layer(admin_guard.clone())
        .layer(middleware::map_response(headers::private));
    Router::new()
        .merge(health::routes())
        .merge(metrics::routes())
        .merge(openapi::routes(&state.config).layer(middleware::map_response(headers::swagger_ui)))
        .merge(products::routes())
        .merge(drops::routes())
        .merge(media::routes())
        .merge(shop::routes())
        .merge(buyer_writes)
        .merge(lookups)
        .merge(waitlist)
        .merge(sign_in::routes(&state).layer(middleware::map_response(headers::private)))
        .merge(web::routes())
        .nest("/api/v1/admin", admin)
        // `nest` leaves `/api/v1/admin/` itself to the outer fallback, without
        // the guard; it is an admin path like any other.
        .route(
            "/api/v1/admin/",
            any(not_found)
                .layer(admin_guard)
                .layer(middleware::map_response(headers::private)),
        )
        .fallback(unknown_address)
        .method_not_allowed_fallback(method_not_allowed)
        // Every route above is answered within the request's deadlines; a
        // route with limits of its own (an event stream, an upload) is
        // merged after this layer.
        .layer(middleware::from_fn_with_state(deadlines, deadline::limit))
        .merge(uploads(&state))
        .merge(import)
        .merge(event_stream)
        .layer(DefaultBodyLimit::max(body_limit))
        // Before anything else is decided, admin authentication included.
        .layer(middleware::from_fn_with_state(
            accepted_hosts,
            allowed_hosts::check,
        ))
        .layer(middleware::from_fn(problem::localize))
        .layer(middleware::map_response(headers::nosniff))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track_requests,
        ))
        .with_state(state)
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(log_answer)
                .on_failure(()),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        // Outermost: a client's own id is dropped before one is set.
        .layer(middleware::from_fn_with_state(config, request_id::screen))
}

/// One INFO line per request when it is answered, but for the rate
/// limit's refusals: they are counted in the metrics and logged at DEBUG,
/// since a flood of them must not flood the log. 5xx are not logged again
/// as failures: an internal error is logged once, where it becomes a 500
/// (`problem/mod.rs`).
fn log_answer(response: &Response, latency: Duration, _: &Span) {
    let status = response.status().as_u16();
    let duration_ms = latency.as_secs_f64() * 1000.0;
    if response.extensions().get::<RateLimitRefusal>().is_some() {
        tracing::debug!(status, duration_ms, "request answered");
    } else {
        tracing::info!(status, duration_ms, "request answered");
    }
}

/// The photo upload, with limits of its own: its body limit and deadlines
/// replace the others' (API.md, details 9 and 14); behind the admin guard
/// like every admin path, its wrong methods answered after it.
fn uploads(state: &AppState) -> Router<AppState> {
    let admin_guard = middleware::from_fn_with_state(state.clone(), auth::require_admin);
    Router::new()
        .route(
            "/api/v1/admin/products/{id}/images",
            admin_images::upload_route(),
        )
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(admin_images::UPLOAD_BODY_BYTES_MAX))
        .layer(middleware::from_fn_with_state(
            admin_images::UPLOAD_DEADLINES,
            deadline::limit,
        ))
        .layer(admin_guard)
        .layer(middleware::map_response(headers::private))
}

/// The span of one request: its method, route template, path and id. No
/// header but the request id is read, so no token reaches a log line, and
/// the id is ours or a trusted proxy's (`request_id.rs`).
fn request_span<B>(request: &Request<B>) -> Span {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str);
    tracing::info_span!("request", method = %request.method(), route, path = %request.uri().path(), request_id = %id)
}

async fn not_found() -> ApiError {
    ApiError::RouteNotFound
}

/// An address that leads nowhere: a page in French for a browser, the
/// `not_found` problem for everyone else.
async fn unknown_address(uri: axum::http::Uri, headers: axum::http::HeaderMap) -> Response {
    if web::wants_a_page(uri.path(), &headers) {
        web::not_found_page(&headers)
    } else {
        axum::response::IntoResponse::into_response(ApiError::RouteNotFound)
    }
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

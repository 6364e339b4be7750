//! The OpenAPI 3.1 description of the API, generated from the handlers'
//! `#[utoipa::path]` annotations and the types' `ToSchema` derives, served
//! at `/api/openapi.json`, with Swagger UI at `/api/docs` (its files are
//! compiled into the binary).

use axum::Router;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use super::problem::Problem;
use super::{
    AppState, admin_orders, admin_products, admin_stock, audit, cart, health, metrics, orders,
    products, settings,
};
use shared::{AdminGuard, BearerSchemes, SharedProblems};

mod shared;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "stockroom",
        description = "Stock and order service of a small shop: a checkout that never oversells. \
Errors are `application/problem+json` with a stable `code`; `detail` is French unless \
`Accept-Language` prefers English."
    ),
    paths(
        health::health,
        health::ready,
        metrics::get_metrics,
        products::list_products,
        products::get_product,
        cart::check_cart,
        orders::create_order,
        orders::get_order,
        admin_products::create_product,
        admin_products::get_product,
        admin_products::patch_product,
        admin_stock::restock_variant,
        admin_stock::adjust_variant,
        admin_stock::list_movements,
        admin_orders::list_orders,
        admin_orders::get_order,
        admin_orders::change_order_status,
        settings::get_settings,
        settings::update_settings,
        audit::get_audit,
        audit::get_audit_csv,
    ),
    components(schemas(Problem)),
    modifiers(&BearerSchemes, &AdminGuard, &SharedProblems),
    tags(
        (name = "catalog", description = "The public catalog and the cart check"),
        (name = "orders", description = "Checkout and a buyer's own order"),
        (name = "admin", description = "The back office; every path needs an admin token"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
pub struct ApiDoc;

/// `/api/openapi.json` and Swagger UI at `/api/docs`.
pub fn routes() -> Router<AppState> {
    Router::new().merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", ApiDoc::openapi()))
}

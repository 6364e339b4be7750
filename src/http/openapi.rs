//! The OpenAPI 3.1 description of the API, generated from the handlers'
//! `#[utoipa::path]` annotations and the types' `ToSchema` derives, served
//! at `/api/openapi.json`, with Swagger UI at `/api/docs` (its files are
//! compiled into the binary).

use axum::Router;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_swagger_ui::SwaggerUi;

use super::problem::Problem;
use super::{
    AppState, admin_orders, admin_products, admin_stock, audit, cart, health, metrics, orders,
    products, settings,
};

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
    modifiers(&BearerSchemes, &SharedProblems),
    tags(
        (name = "catalog", description = "The public catalog and the cart check"),
        (name = "orders", description = "Checkout and a buyer's own order"),
        (name = "admin", description = "The back office; every path needs an admin token"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
pub struct ApiDoc;

/// The three bearer tokens: an admin's, an order's access token, and the
/// optional metrics token.
struct BearerSchemes;

impl Modify for BearerSchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, what) in [
            (
                "admin_token",
                "An admin's token, from `stockroom admin create`.",
            ),
            ("order_token", "The `access_token` returned with the order."),
            ("metrics_token", "The `--metrics-token`, when one is set."),
        ] {
            let mut scheme = Http::new(HttpAuthScheme::Bearer);
            scheme.description = Some(what.to_owned());
            components.add_security_scheme(name, SecurityScheme::Http(scheme));
        }
    }
}

/// The problems that any operation of a kind may answer, said once here
/// rather than on every handler (schemathesis found them missing): every
/// JSON body may be too large (413) or not JSON (415), and every `/api/`
/// operation may find the database overloaded or unreachable (503).
struct SharedProblems;

impl SharedProblems {
    fn problem(description: &str) -> RefOr<utoipa::openapi::Response> {
        let content = Content::new(Some(Ref::from_schema_name(Problem::name())));
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content("application/problem+json", content)
                .build(),
        )
    }
}

impl Modify for SharedProblems {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                let responses = &mut operation.responses.responses;
                let mut add = |status: &str, description: &str| {
                    responses
                        .entry(status.to_owned())
                        .or_insert_with(|| Self::problem(description));
                };
                if operation.request_body.is_some() {
                    add(
                        "413",
                        "`payload_too_large`: the body is over the limit (64 KiB by default)",
                    );
                    add(
                        "415",
                        "`unsupported_media_type`: the body is not `application/json`",
                    );
                }
                if path.starts_with("/api/") {
                    add(
                        "503",
                        "`unavailable`: overloaded or the database is unreachable; retry later",
                    );
                }
            }
        }
    }
}

/// `/api/openapi.json` and Swagger UI at `/api/docs`.
pub fn routes() -> Router<AppState> {
    Router::new().merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", ApiDoc::openapi()))
}

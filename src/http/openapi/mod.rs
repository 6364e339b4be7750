//! The OpenAPI 3.1 description of the API, generated from the handlers'
//! `#[utoipa::path]` annotations and the types' `ToSchema` derives, served
//! at `/api/openapi.json`, with Swagger UI at `/api/docs` (its files are
//! compiled into the binary).

use axum::Router;
use serde_json::Value;
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

use super::problem::Problem;
use super::{
    AppState, admin_customers, admin_drops, admin_export, admin_images, admin_import, admin_orders,
    admin_preorders, admin_products, admin_stock, audit, cart, customer, desk_reports, drops,
    events, health, media, metrics, notifications, order_desk, orders, products, receipts,
    settings, shop, sign_in, staff, waitlist, webhooks,
};
use crate::config::Config;
#[cfg(test)]
use crate::domain::Limits;
use crate::domain::product::StockState;
use links::Links;
use shared::{AdminGuard, BearerSchemes, SharedProblems};

mod constraints;
mod links;
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
        customer::check_customer,
        orders::create_order,
        orders::lookup_order,
        orders::get_order,
        admin_products::list_products,
        admin_products::create_product,
        admin_products::get_product,
        admin_products::patch_product,
        admin_products::add_variant,
        admin_products::patch_variant,
        admin_images::upload_image,
        admin_images::patch_image,
        admin_images::delete_image,
        media::get_media,
        admin_stock::restock_variant,
        admin_stock::adjust_variant,
        admin_stock::list_movements,
        admin_stock::apply_adjustments,
        admin_preorders::list_preorders,
        receipts::receive_delivery,
        receipts::list_receipts,
        receipts::get_receipt,
        admin_orders::list_orders,
        admin_orders::get_order,
        admin_orders::change_order_status,
        admin_orders::order_counts,
        order_desk::order_history,
        order_desk::record_payment,
        order_desk::add_note,
        order_desk::edit_order,
        order_desk::take_return,
        desk_reports::export_orders,
        desk_reports::picking_list,
        admin_customers::list_customers,
        admin_customers::get_customer,
        settings::get_settings,
        settings::update_settings,
        shop::get_shop,
        shop::update_shop,
        audit::get_audit,
        audit::get_audit_csv,
        admin_import::import_catalog,
        admin_export::export_catalog,
        admin_export::export_stock,
        admin_export::export_movements,
        sign_in::sign_in,
        sign_in::sign_out,
        sign_in::me,
        sign_in::set_up_password,
        sign_in::change_password,
        staff::list_staff,
        staff::invite_staff,
        staff::revoke_staff,
        staff::reset_staff_password,
        events::list_events,
        events::stream_events,
        webhooks::create_webhook,
        webhooks::list_webhooks,
        webhooks::get_webhook,
        webhooks::delete_webhook,
        webhooks::test_webhook,
        webhooks::list_deliveries,
        webhooks::retry_delivery,
        notifications::get_notifications,
        notifications::put_notifications,
        notifications::test_notifications,
        notifications::list_channel_deliveries,
        waitlist::sign_up,
        waitlist::unsubscribe,
        admin_drops::create_drop,
        admin_drops::list_drops,
        admin_drops::get_drop,
        admin_drops::patch_drop,
        admin_drops::end_drop,
        admin_drops::drop_live,
        drops::get_public_drop,
    ),
    components(schemas(Problem, StockState)),
    modifiers(&BearerSchemes, &AdminGuard, &Links),
    tags(
        (name = "catalog", description = "The public catalog and the cart check"),
        (name = "orders", description = "Checkout and a buyer's own order"),
        (name = "admin", description = "The back office; every path needs a session or an API token"),
        (name = "auth", description = "Signing in and out, setup links, one's own password"),
        (name = "staff", description = "The shop's team, for its owner"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
pub struct ApiDoc;

/// The document of a server running with `config`: the derive's, with the
/// problems every operation shares and the bounds of this configuration.
pub fn document(config: &Config) -> Value {
    let limits = &config.limits;
    let mut openapi = ApiDoc::openapi();
    SharedProblems {
        request_body_bytes_max: limits.request_body_bytes_max,
        host_check: config.accepted_hosts().is_some(),
    }
    .modify(&mut openapi);
    // utoipa's types cannot say everything JSON Schema can (`not`, a `oneOf`
    // beside `properties`): the bounds are written on the JSON. Serialising
    // these types does not fail; `Null` would only leave the document empty.
    let mut document = serde_json::to_value(openapi).unwrap_or_default();
    let missing = constraints::apply(&mut document, limits);
    if !missing.is_empty() {
        tracing::warn!(
            ?missing,
            "OpenAPI constraints name places the document lacks"
        );
    }
    document
}

/// `/api/openapi.json` and Swagger UI at `/api/docs`, for a server running
/// with `config`.
pub fn routes(config: &Config) -> Router<AppState> {
    let swagger =
        SwaggerUi::new("/api/docs").external_url_unchecked("/api/openapi.json", document(config));
    Router::new().merge(swagger)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_constraint_finds_its_place_in_the_document() {
        let mut document = serde_json::to_value(ApiDoc::openapi()).expect("JSON");
        let missing = constraints::apply(&mut document, &Limits::default());
        assert!(missing.is_empty(), "{missing:?}");
    }
}

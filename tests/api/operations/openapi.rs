//! `GET /api/openapi.json`: a valid OpenAPI 3.1 document listing every path
//! of docs/API.md, and Swagger UI at `/api/docs`.

use std::collections::HashSet;

use clap::Parser;
use reqwest::StatusCode;
use serde_json::{Value, json};
use stockroom::config::{Config, RateLimitConfig, ServeArgs};

use crate::helpers::{order_body, spawn_app, spawn_app_with};

/// Every endpoint of docs/API.md (web pages and this document aside).
const API_PATHS: [(&str, &str); 53] = [
    ("get", "/api/v1/products"),
    ("get", "/api/v1/products/{id_or_slug}"),
    ("post", "/api/v1/cart/check"),
    ("post", "/api/v1/orders"),
    ("get", "/api/v1/orders/{id}"),
    ("post", "/api/v1/admin/products"),
    ("get", "/api/v1/admin/products/{id}"),
    ("patch", "/api/v1/admin/products/{id}"),
    ("post", "/api/v1/admin/stock/{sku}/restock"),
    ("post", "/api/v1/admin/stock/{sku}/adjust"),
    ("get", "/api/v1/admin/stock/movements"),
    ("get", "/api/v1/admin/preorders"),
    ("get", "/api/v1/admin/orders"),
    ("get", "/api/v1/admin/orders/{id}"),
    ("post", "/api/v1/admin/orders/{id}/status"),
    ("get", "/api/v1/admin/orders/counts"),
    ("patch", "/api/v1/admin/orders/{id}"),
    ("get", "/api/v1/admin/orders/{id}/history"),
    ("post", "/api/v1/admin/orders/{id}/payment"),
    ("post", "/api/v1/admin/orders/{id}/notes"),
    ("post", "/api/v1/admin/orders/{id}/return"),
    ("get", "/api/v1/admin/orders.csv"),
    ("get", "/api/v1/admin/picking"),
    ("get", "/api/v1/admin/customers"),
    ("get", "/api/v1/admin/customers/{phone}"),
    ("get", "/api/v1/admin/audit"),
    ("get", "/api/v1/admin/audit.csv"),
    ("get", "/api/v1/admin/settings"),
    ("put", "/api/v1/admin/settings"),
    ("get", "/api/v1/admin/events"),
    ("get", "/api/v1/admin/events/stream"),
    ("post", "/api/v1/admin/webhooks"),
    ("get", "/api/v1/admin/webhooks"),
    ("get", "/api/v1/admin/webhooks/{id}"),
    ("delete", "/api/v1/admin/webhooks/{id}"),
    ("post", "/api/v1/admin/webhooks/{id}/test"),
    ("get", "/api/v1/admin/webhooks/{id}/deliveries"),
    ("post", "/api/v1/admin/deliveries/{id}/retry"),
    ("get", "/api/v1/admin/notifications"),
    ("put", "/api/v1/admin/notifications"),
    ("post", "/api/v1/admin/notifications/test"),
    ("post", "/api/v1/products/{id}/waitlist"),
    ("post", "/api/v1/waitlist/unsubscribe"),
    ("post", "/api/v1/admin/drops"),
    ("get", "/api/v1/admin/drops"),
    ("get", "/api/v1/admin/drops/{id}"),
    ("patch", "/api/v1/admin/drops/{id}"),
    ("post", "/api/v1/admin/drops/{id}/end"),
    ("get", "/api/v1/admin/drops/{id}/live"),
    ("get", "/api/v1/drops/{slug}"),
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/metrics"),
];

fn refs(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                found.push(target.clone());
            }
            map.values().for_each(|v| refs(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
        _ => {}
    }
}

fn header_param<'a>(operation: &'a Value, name: &str) -> Option<&'a Value> {
    operation["parameters"]
        .as_array()?
        .iter()
        .find(|p| p["in"] == "header" && p["name"] == name)
}

#[tokio::test]
async fn the_openapi_document_is_valid_and_lists_every_path_of_the_api() {
    let app = spawn_app().await;
    let response = app.get("/api/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("a body");
    let spec = oas3::from_json(&text).expect("a valid OpenAPI 3.1 document");
    assert!(spec.openapi.starts_with("3.1"), "{}", spec.openapi);
    let doc: Value = serde_json::from_str(&text).expect("JSON");

    for (method, path) in API_PATHS {
        let operation = &doc["paths"][path][method];
        assert!(operation.is_object(), "{method} {path} is not described");
        let admin = path.starts_with("/api/v1/admin/");
        let security = operation["security"].to_string();
        assert_eq!(
            security.contains("admin_token"),
            admin,
            "{method} {path}: {security}"
        );
        if admin {
            assert!(
                operation["responses"]["401"].is_object(),
                "{method} {path} has no 401"
            );
        }
    }
    let mut operation_ids = HashSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            let id = operation["operationId"].as_str().expect("an operationId");
            assert!(
                operation_ids.insert(id.to_owned()),
                "{method} {path}: `{id}` twice"
            );
        }
    }
    let mut targets = Vec::new();
    refs(&doc, &mut targets);
    for target in targets {
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected $ref {target}"));
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{target} does not resolve"
        );
    }

    let problem = &doc["components"]["schemas"]["Problem"]["properties"];
    for field in [
        "type", "title", "status", "code", "detail", "lines", "errors",
    ] {
        assert!(problem[field].is_object(), "Problem has no `{field}`");
    }
    let checkout = &doc["paths"]["/api/v1/orders"]["post"];
    assert!(header_param(checkout, "Idempotency-Key").is_some());
    assert!(checkout["responses"]["201"]["headers"]["Idempotent-Replayed"].is_object());
    assert!(
        checkout["responses"]["409"]["content"]["application/problem+json"].is_object(),
        "errors are problem+json"
    );
    let patch = &doc["paths"]["/api/v1/admin/products/{id}"]["patch"];
    assert!(header_param(patch, "If-Match").is_some_and(|p| p["required"] == true));
    for code in ["412", "428"] {
        assert!(patch["responses"][code].is_object(), "PATCH has no {code}");
    }
    let read = &doc["paths"]["/api/v1/admin/products/{id}"]["get"];
    assert!(read["responses"]["200"]["headers"]["ETag"].is_object());
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["admin_token"]["scheme"], "bearer");
    assert!(
        doc["paths"]["/api/v1/orders/{id}"]["get"]["security"]
            .to_string()
            .contains("order_token")
    );
}

#[tokio::test]
async fn swagger_ui_is_served_from_the_binary() {
    let app = spawn_app().await;
    let response = app.get("/api/docs/").await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.expect("a page");
    assert!(page.to_lowercase().contains("swagger"), "{page}");
    let initializer = app.get("/api/docs/swagger-initializer.js").await;
    assert_eq!(initializer.status(), StatusCode::OK);
    assert!(
        initializer
            .text()
            .await
            .expect("js")
            .contains("/api/openapi.json")
    );
}

/// The flags of `stockroom serve`, parsed as the binary parses them.
#[derive(Parser)]
struct Serve {
    #[command(flatten)]
    args: ServeArgs,
}

#[tokio::test]
async fn the_document_states_the_limits_the_shop_was_started_with() {
    let flags = [
        "stockroom",
        "--order-lines-max",
        "20",
        "--line-quantity-max",
        "30",
        "--request-body-bytes-max",
        "4096",
    ];
    let serve = Serve::try_parse_from(flags).expect("valid flags");
    let config = Config {
        rate_limit: RateLimitConfig::OFF,
        ..Config::from_args(&serve.args)
    };
    let app = spawn_app_with(config).await;
    let doc: Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("JSON");

    let schemas = &doc["components"]["schemas"];
    for body in ["OrderInput", "CartInput"] {
        assert_eq!(
            schemas[body]["properties"]["lines"]["maxItems"], 20,
            "{body}"
        );
    }
    let quantity = &schemas["LineInput"]["properties"]["quantity"];
    assert_eq!(
        (&quantity["minimum"], &quantity["maximum"]),
        (&json!(1), &json!(30))
    );
    let too_large = doc["paths"]["/api/v1/orders"]["post"]["responses"]["413"]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(too_large.contains("4096 bytes"), "{too_large}");

    // What the document says is what the server enforces: lines of one sku
    // are merged, so 20 lines of 1 are one line of 20, within the maximum.
    let sku = app.product_with_stock("robe-limites", "M", 100).await;
    let cart = |lines: usize, quantity: i64| json!({"lines": vec![json!({"sku": sku, "quantity": quantity}); lines]});
    let app = &app;
    let refused_field = |body: Value| async move {
        let response = app.check_cart(&body).await;
        let status = response.status();
        let problem: Value = response.json().await.expect("JSON");
        (
            status,
            problem["errors"][0]["field"].as_str().map(str::to_owned),
        )
    };
    assert_eq!(app.check_cart(&cart(20, 1)).await.status(), StatusCode::OK);
    assert_eq!(app.check_cart(&cart(1, 30)).await.status(), StatusCode::OK);
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    assert_eq!(
        refused_field(cart(21, 1)).await,
        (unprocessable, Some("lines".to_owned()))
    );
    assert_eq!(
        refused_field(cart(1, 31)).await,
        (unprocessable, Some("lines[0].quantity".to_owned()))
    );
}

/// A link's runtime expression, as a tool evaluates it against an answer's
/// body: `$response.body#/pointer`, alone or inside `{…}` in a string.
fn evaluate(expression: &str, body: &Value) -> String {
    let resolve = |inner: &str| {
        let pointer = inner
            .strip_prefix("$response.body#")
            .expect("a body expression");
        match body.pointer(pointer).expect("the pointer resolves") {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        }
    };
    match expression.split_once('{') {
        Some((before, rest)) => {
            let (inner, after) = rest.split_once('}').expect("a closing brace");
            format!("{before}{}{after}", resolve(inner))
        }
        None => resolve(expression),
    }
}

#[tokio::test]
async fn the_link_from_a_checkout_reads_the_order_with_its_token() {
    let app = spawn_app().await;
    let doc: Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("JSON");
    let link = &doc["paths"]["/api/v1/orders"]["post"]["responses"]["201"]["links"]["read"];
    assert_eq!(link["operationId"], "get_order");
    let sku = app.product_with_stock("robe-lien", "M", 3).await;
    let (status, created) = app
        .place(&order_body("+2250700000001", &[(&sku, 1)]), None)
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let parameter = |name: &str| {
        let expression = link["parameters"][name].as_str().expect("an expression");
        evaluate(expression, &created)
    };
    let response = app
        .request(
            reqwest::Method::GET,
            &format!("/api/v1/orders/{}", parameter("path.id")),
        )
        .header("Authorization", parameter("header.Authorization"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let order: Value = response.json().await.expect("an order");
    assert_eq!(order, created["order"]);
}

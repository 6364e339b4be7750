//! The allowed-hosts check (`--allowed-hosts`, off by default): with it, a
//! request whose `Host` is neither the public url's host nor a listed one
//! is refused with 421 `misdirected_request` before anything else, and
//! writes nothing; a page of another site whose name was pointed at the
//! shop's address (DNS rebinding) reads nothing.

use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::Value;
use stockroom::config::Config;

use crate::helpers::{TestApp, order_body, phone, spawn_app, spawn_app_with, test_config};

fn checking(public_url: &str, allowed_hosts: &[&str]) -> Config {
    Config {
        public_url: public_url.parse().expect("a public url"),
        allowed_hosts: allowed_hosts
            .iter()
            .map(|h| h.parse().expect("a host name"))
            .collect(),
        ..test_config()
    }
}

fn with_host(request: RequestBuilder, host: &str) -> RequestBuilder {
    request.header("host", host)
}

async fn status_for(app: &TestApp, path: &str, host: &str) -> StatusCode {
    with_host(app.request(Method::GET, path), host)
        .send()
        .await
        .expect("sent")
        .status()
}

#[tokio::test]
async fn without_the_setting_any_host_is_served() {
    let app = spawn_app().await;
    assert_eq!(
        status_for(&app, "/api/v1/products", "rebound.attacker.example").await,
        StatusCode::OK
    );
    let document: Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("JSON");
    assert!(document["paths"]["/api/v1/products"]["get"]["responses"]["421"].is_null());
}

#[tokio::test]
async fn with_the_setting_another_host_is_refused_before_anything_else_and_writes_nothing() {
    let app = spawn_app_with(checking("http://127.0.0.1:8080", &["boutique.example"])).await;
    let sku = app.product_with_stock("robe", "M", 3).await;
    let before = app.snapshot().await;
    for path in [
        "/api/v1/products",
        "/",
        "/api/v1/admin/audit",
        "/metrics",
        "/healthz",
    ] {
        let refused = with_host(
            app.request(Method::GET, path),
            "rebound.attacker.example:8080",
        )
        .send()
        .await
        .expect("sent");
        app.problem(
            refused,
            StatusCode::MISDIRECTED_REQUEST,
            "misdirected_request",
        )
        .await;
    }
    let order = with_host(
        app.request(Method::POST, "/api/v1/orders"),
        "rebound.attacker.example",
    )
    .header("accept-language", "en")
    .json(&order_body(&phone(1), &[(&sku, 1)]))
    .send()
    .await
    .expect("sent");
    let problem = app
        .problem(
            order,
            StatusCode::MISDIRECTED_REQUEST,
            "misdirected_request",
        )
        .await;
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("not the shop's address"))
    );
    assert_eq!(app.snapshot().await, before, "nothing written");
    let document: Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("JSON");
    assert!(
        document["paths"]["/api/v1/products"]["get"]["responses"]["421"].is_object(),
        "the document says it"
    );
}

#[tokio::test]
async fn the_public_urls_host_and_the_listed_ones_are_served_in_any_spelling() {
    let app = spawn_app_with(checking(
        "https://Boutique.example",
        &["www.boutique.example"],
    ))
    .await;
    for host in [
        "boutique.example",
        "BOUTIQUE.example:443",
        "boutique.example.",
        "www.boutique.example:8080",
    ] {
        assert_eq!(
            status_for(&app, "/api/v1/products", host).await,
            StatusCode::OK,
            "{host}"
        );
    }
    // The server's own address is not the shop's once a public url names another.
    for host in [
        "127.0.0.1",
        "localhost",
        "example",
        "boutique.example.attacker.example",
    ] {
        assert_eq!(
            status_for(&app, "/api/v1/products", host).await,
            StatusCode::MISDIRECTED_REQUEST,
            "{host}"
        );
    }
}

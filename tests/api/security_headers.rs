//! Headers that keep answers where they belong: `Cache-Control: no-store`
//! on private answers (an order, the admin API, `audit.csv`),
//! `X-Content-Type-Options: nosniff` on every answer, and Swagger UI under a
//! content security policy that no other site may frame.

use reqwest::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use reqwest::{Method, Response, StatusCode};

use crate::helpers::{order_body, phone, spawn_app};

fn header(response: &Response, name: reqwest::header::HeaderName) -> &str {
    response
        .headers()
        .get(&name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no {name} on {} {}", response.status(), response.url()))
}

fn assert_private(response: &Response) {
    assert_eq!(
        header(response, CACHE_CONTROL),
        "no-store",
        "{}",
        response.url()
    );
    assert_eq!(
        header(response, X_CONTENT_TYPE_OPTIONS),
        "nosniff",
        "{}",
        response.url()
    );
}

#[tokio::test]
async fn an_order_and_its_token_are_never_stored_by_a_cache() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe", "M", 3).await;
    let placed = app
        .post_order(&order_body(&phone(1), &[(&sku, 1)]), None)
        .await;
    assert_eq!(placed.status(), StatusCode::CREATED);
    assert_private(&placed);
    let placed: serde_json::Value = placed.json().await.expect("an order");
    let id = placed["order"]["id"].as_str().expect("an id");
    let token = placed["access_token"].as_str().expect("a token");
    let read = app
        .request(Method::GET, &format!("/api/v1/orders/{id}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent");
    assert_eq!(read.status(), StatusCode::OK);
    assert_private(&read);
}

#[tokio::test]
async fn every_admin_answer_is_never_stored_by_a_cache() {
    let app = spawn_app().await;
    app.product_with_stock("robe", "M", 3).await;
    for path in [
        "/api/v1/admin/audit",
        "/api/v1/admin/audit.csv",
        "/api/v1/admin/orders",
        "/api/v1/admin/settings",
        "/api/v1/admin/no-such-thing",
        "/api/v1/admin/",
    ] {
        assert_private(&app.admin_get(path).await);
        // Refused too: a 401 says nothing private, but it is the same path.
        let refused = app.get(path).await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_private(&refused);
    }
}

#[tokio::test]
async fn every_answer_forbids_content_type_sniffing() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/products",
        "/api/v1/products/no-such-product",
        "/api/openapi.json",
        "/healthz",
        "/no/such/route",
        "/",
    ] {
        let response = app.get(path).await;
        assert_eq!(
            header(&response, X_CONTENT_TYPE_OPTIONS),
            "nosniff",
            "{path}"
        );
    }
    let public = app.get("/api/v1/products").await;
    assert!(
        public.headers().get(CACHE_CONTROL).is_none(),
        "the public catalog may be cached"
    );
}

#[tokio::test]
async fn swagger_ui_runs_only_its_own_files_and_cannot_be_framed() {
    let app = spawn_app().await;
    for path in ["/api/docs/", "/api/docs/swagger-initializer.js"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let policy = header(&response, CONTENT_SECURITY_POLICY);
        for directive in [
            "default-src 'none'",
            "script-src 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(policy.contains(directive), "{path}: {policy}");
        }
        assert_eq!(header(&response, X_FRAME_OPTIONS), "DENY", "{path}");
    }
}

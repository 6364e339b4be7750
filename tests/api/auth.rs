//! Admin authentication: every admin path, known or not, answers 401 to a
//! request without a valid admin token, before anything else is looked at.

use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, order_body, phone, spawn_app};

/// A product and a pending order, so that every admin request below would
/// succeed (and write) if it were let through.
async fn shop(app: &TestApp) -> (String, String) {
    let product = app
        .create_product(&json!({
            "slug": "robe-ete", "title": "Robe d'été", "price": 15000,
            "variants": [{"size": "M", "stock": 5}]
        }))
        .await;
    let placed = app
        .post_order(&order_body(&phone(1), &[("ROBE-ETE-M", 1)]), None)
        .await;
    assert_eq!(placed.status(), StatusCode::CREATED);
    let placed: Value = placed.json().await.expect("json");
    (
        product["id"].as_str().expect("an id").to_owned(),
        placed["order"]["id"].as_str().expect("an id").to_owned(),
    )
}

/// Every admin endpoint with a body it would accept, plus an unknown admin
/// path and a known one with a method it does not take.
fn admin_requests(product_id: &str, order_id: &str) -> Vec<(Method, String, Option<Value>)> {
    let product = format!("/api/v1/admin/products/{product_id}");
    vec![
        (
            Method::POST,
            "/api/v1/admin/products".into(),
            Some(json!({"title": "Chemise", "price": 1, "variants": [{"size": "S", "stock": 1}]})),
        ),
        (Method::GET, product.clone(), None),
        (
            Method::PATCH,
            product,
            Some(json!({"title": "Robe longue"})),
        ),
        (
            Method::POST,
            "/api/v1/admin/stock/ROBE-ETE-M/restock".into(),
            Some(json!({"quantity": 3})),
        ),
        (
            Method::POST,
            "/api/v1/admin/stock/ROBE-ETE-M/adjust".into(),
            Some(json!({"delta": -1, "reason": "abîmée"})),
        ),
        (Method::GET, "/api/v1/admin/stock/movements".into(), None),
        (Method::GET, "/api/v1/admin/orders".into(), None),
        (
            Method::GET,
            format!("/api/v1/admin/orders/{order_id}"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/admin/orders/{order_id}/status"),
            Some(json!({"status": "cancelled"})),
        ),
        (Method::GET, "/api/v1/admin/audit".into(), None),
        (Method::GET, "/api/v1/admin/audit.csv".into(), None),
        (Method::GET, "/api/v1/admin/settings".into(), None),
        (
            Method::PUT,
            "/api/v1/admin/settings".into(),
            Some(json!({"order_limit_per_customer": null})),
        ),
        (Method::GET, "/api/v1/admin/nope".into(), None),
        (Method::GET, "/api/v1/admin/".into(), None),
        (Method::DELETE, "/api/v1/admin/products".into(), None),
    ]
}

/// Sends every admin request, letting `authorize` add (or not) credentials,
/// and checks each is a 401 `unauthorized` that wrote nothing.
async fn every_admin_request_is_refused(
    app: &TestApp,
    (product_id, order_id): &(String, String),
    authorize: impl Fn(RequestBuilder) -> RequestBuilder,
) {
    let before = app.snapshot().await;
    for (method, path, body) in admin_requests(product_id, order_id) {
        let mut request = authorize(app.request(method.clone(), &path));
        if let Some(body) = &body {
            // `If-Match: *` lets the PATCH pass its precondition.
            request = request.json(body).header("If-Match", "*");
        }
        let response = request.send().await.expect("sent");
        let challenge = response
            .headers()
            .get(reqwest::header::WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        app.problem(response, StatusCode::UNAUTHORIZED, "unauthorized")
            .await;
        assert!(
            challenge.is_some_and(|c| c.starts_with("Bearer")),
            "{method} {path} has no Bearer challenge"
        );
    }
    assert_eq!(app.snapshot().await, before);
}

/// The control for the tests below: with the admin token, the same requests
/// succeed, so a 401 there is the token's doing and nothing else's.
#[tokio::test]
async fn every_admin_request_succeeds_with_the_admin_token() {
    let app = spawn_app().await;
    let (product_id, order_id) = shop(&app).await;

    for (method, path, body) in admin_requests(&product_id, &order_id) {
        let mut request = app.admin(method.clone(), &path);
        if let Some(body) = &body {
            request = request.json(body).header("If-Match", "*");
        }
        let status = request.send().await.expect("sent").status();
        match (path.as_str(), &method) {
            ("/api/v1/admin/nope" | "/api/v1/admin/", _) => {
                assert_eq!(status, StatusCode::NOT_FOUND, "{path}")
            }
            (_, &Method::DELETE) => assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{path}"),
            _ => assert!(status.is_success(), "{method} {path}: {status}"),
        }
    }
}

#[tokio::test]
async fn every_admin_path_without_a_token_is_a_401_with_a_challenge() {
    let app = spawn_app().await;
    let shop = shop(&app).await;
    every_admin_request_is_refused(&app, &shop, |request| request).await;
}

#[tokio::test]
async fn every_admin_path_with_a_wrong_token_is_a_401() {
    let app = spawn_app().await;
    let shop = shop(&app).await;
    let forged = format!("{}x", app.admin_token);
    for token in [forged.as_str(), "sra_1_wrong", "sra_999_wrong", "nope"] {
        every_admin_request_is_refused(&app, &shop, |request| request.bearer_auth(token)).await;
    }
}

#[tokio::test]
async fn every_admin_path_with_a_malformed_authorization_is_a_401() {
    let app = spawn_app().await;
    let shop = shop(&app).await;
    let token = app.admin_token.clone();
    let malformed = [
        token.clone(),
        format!("Basic {token}"),
        format!("Bearer{token}"),
        "Bearer".to_owned(),
        "Bearer    ".to_owned(),
        format!("Token {token}"),
    ];
    for value in malformed {
        every_admin_request_is_refused(&app, &shop, |request| {
            request.header(reqwest::header::AUTHORIZATION, value.as_str())
        })
        .await;
    }
}

#[tokio::test]
async fn the_admin_token_opens_the_admin_api_in_any_case_of_bearer() {
    let app = spawn_app().await;

    for scheme in ["Bearer", "bearer", "BEARER"] {
        let response = app
            .request(Method::GET, "/api/v1/admin/settings")
            .header(
                reqwest::header::AUTHORIZATION,
                format!("{scheme} {}", app.admin_token),
            )
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::OK, "with {scheme}");
    }
}

#[tokio::test]
async fn a_revoked_admin_token_is_a_401() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;
    assert_eq!(app.restock(&sku, 1).await.status(), StatusCode::OK);
    let auditor = app
        .store
        .create_admin("auditor", stockroom::domain::staff::Role::Owner)
        .await
        .expect("an admin");
    let ledger = || async {
        let response = app
            .request(Method::GET, "/api/v1/admin/stock/movements")
            .bearer_auth(auditor.token.as_deref().expect("a token"))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::OK);
        response.json::<Value>().await.expect("json")
    };
    let before = ledger().await;

    app.store
        .revoke_admin("test-admin", "auditor")
        .await
        .expect("the admin is revoked");

    let response = app.restock(&sku, 1).await;
    app.problem(response, StatusCode::UNAUTHORIZED, "unauthorized")
        .await;
    let response = app.admin_get("/api/v1/admin/audit").await;
    app.problem(response, StatusCode::UNAUTHORIZED, "unauthorized")
        .await;
    assert_eq!(ledger().await, before);
    assert_eq!(app.available(&sku).await, 6);
}

#[tokio::test]
async fn a_known_admin_path_with_the_wrong_method_is_a_405_once_authenticated() {
    let app = spawn_app().await;

    for (method, path) in [
        (Method::DELETE, "/api/v1/admin/products"),
        (Method::GET, "/api/v1/admin/orders/x/status"),
        (Method::POST, "/api/v1/admin/audit"),
    ] {
        let response = app.admin(method, path).send().await.expect("sent");
        app.problem(
            response,
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        )
        .await;
    }
    for path in ["/api/v1/admin/nope", "/api/v1/admin/"] {
        let response = app.admin_get(path).await;
        app.problem(response, StatusCode::NOT_FOUND, "not_found")
            .await;
    }
}

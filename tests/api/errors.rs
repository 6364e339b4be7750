//! Errors as docs/API.md describes them: problem+json for every failure, in the
//! order 401, 405, 413, 415, 422, in French unless English is preferred.

use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_TYPE};
use reqwest::{Method, Response, StatusCode};
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};

const BODY_LIMIT: usize = 64 * 1024;

/// A restock of the one sku of a fresh shop with this raw body and content type.
async fn raw_restock(app: &TestApp, content_type: Option<&str>, body: Vec<u8>) -> Response {
    let mut request = app
        .admin(Method::POST, "/api/v1/admin/stock/ROBE-ETE-M/restock")
        .body(body);
    if let Some(content_type) = content_type {
        request = request.header(CONTENT_TYPE, content_type);
    }
    request.send().await.expect("sent")
}

/// `{"quantity": 1}` padded with spaces to exactly `len` bytes: valid JSON.
fn padded_restock(len: usize) -> Vec<u8> {
    let mut body = br#"{"quantity": 1}"#.to_vec();
    body.resize(len, b' ');
    body
}

async fn shop(app: &TestApp) {
    app.product_with_stock("robe-ete", "M", 5).await;
}

#[tokio::test]
async fn a_body_of_exactly_64_kib_is_read_and_one_byte_more_is_a_413() {
    let app = spawn_app().await;
    shop(&app).await;

    let at_limit = raw_restock(&app, Some("application/json"), padded_restock(BODY_LIMIT)).await;
    assert_eq!(at_limit.status(), StatusCode::OK);
    let before = app.snapshot().await;

    let over = raw_restock(
        &app,
        Some("application/json"),
        padded_restock(BODY_LIMIT + 1),
    )
    .await;

    app.problem(over, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
        .await;
    assert_eq!(app.snapshot().await, before);
    assert_eq!(app.available("ROBE-ETE-M").await, 6);
}

#[tokio::test]
async fn an_oversized_body_is_a_413_even_with_a_wrong_content_type() {
    let app = spawn_app().await;
    shop(&app).await;
    let before = app.snapshot().await;

    for content_type in [Some("text/plain"), None] {
        let response = raw_restock(&app, content_type, padded_restock(BODY_LIMIT * 2)).await;
        app.problem(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
            .await;
    }
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn a_body_that_is_not_declared_as_json_is_a_415() {
    let app = spawn_app().await;
    shop(&app).await;
    let before = app.snapshot().await;

    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("application/jsonp"),
        None,
    ] {
        let response = raw_restock(&app, content_type, padded_restock(20)).await;
        app.problem(
            response,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        )
        .await;
    }
    assert_eq!(app.snapshot().await, before);
    let with_charset = raw_restock(
        &app,
        Some("application/json; charset=utf-8"),
        padded_restock(20),
    )
    .await;
    assert_eq!(with_charset.status(), StatusCode::OK);
}

#[tokio::test]
async fn broken_truncated_or_trailing_garbage_json_is_a_422_naming_the_body() {
    let app = spawn_app().await;
    shop(&app).await;
    let before = app.snapshot().await;

    for body in [
        r#"{"quantity": }"#,
        r#"{"quantity": 1"#,
        r#"{"quantity": 1} x"#,
        r#"{"quantity": 1}{"quantity": 1}"#,
        r#"{'quantity': 1}"#,
        "",
    ] {
        let response = raw_restock(&app, Some("application/json"), body.into()).await;
        app.validation_problem(response, "body").await;
    }
    let not_an_object = raw_restock(&app, Some("application/json"), b"[1]".to_vec()).await;
    app.problem(
        not_an_object,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn checks_come_in_the_order_401_405_413_415_422_then_business_rules() {
    let app = spawn_app().await;
    shop(&app).await;
    let before = app.snapshot().await;
    let oversized = padded_restock(BODY_LIMIT + 1);
    let send = |method: Method, path: &str, token: bool, content_type: &str, body: Vec<u8>| {
        let request = app.request(method, path).header(CONTENT_TYPE, content_type);
        let request = if token {
            request.bearer_auth(&app.admin_token)
        } else {
            request
        };
        request.body(body).send()
    };
    let restock = "/api/v1/admin/stock/ROBE-ETE-M/restock";

    let unauthenticated = send(
        Method::POST,
        restock,
        false,
        "text/plain",
        oversized.clone(),
    );
    let wrong_method = send(Method::PUT, restock, true, "text/plain", oversized.clone());
    let too_large = send(Method::POST, restock, true, "text/plain", oversized);
    let not_json = send(Method::POST, restock, true, "text/plain", b"{".to_vec());
    let invalid = send(
        Method::POST,
        "/api/v1/admin/stock/NOPE-M/restock",
        true,
        "application/json",
        br#"{"quantity": 0}"#.to_vec(),
    );

    for (response, status, code) in [
        (
            unauthenticated.await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        ),
        (
            wrong_method.await,
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            too_large.await,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (
            not_json.await,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            invalid.await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
    ] {
        app.problem(response.expect("sent"), status, code).await;
    }
    assert_eq!(app.snapshot().await, before);
}

async fn detail_for(app: &TestApp, accept_language: Option<&str>) -> String {
    let mut request = app.request(Method::GET, "/api/v1/products/robe-hiver");
    if let Some(value) = accept_language {
        request = request.header(ACCEPT_LANGUAGE, value);
    }
    let response = request.send().await.expect("sent");
    let problem = app
        .problem(response, StatusCode::NOT_FOUND, "not_found")
        .await;
    assert_eq!(problem["title"], "Not found", "the title is always English");
    problem["detail"].as_str().expect("a detail").to_owned()
}

#[tokio::test]
async fn details_are_french_by_default_and_english_when_english_weighs_more() {
    let app = spawn_app().await;
    let french = "Aucun produit ne correspond à « robe-hiver ».";
    let english = "There is no product `robe-hiver`.";

    for (accept_language, expected) in [
        (None, french),
        (Some("de-DE, es;q=0.8"), french),
        (Some("fr-FR, en;q=0.9"), french),
        (Some("en"), english),
        (Some("en-GB"), english),
        (Some("fr;q=0.5, en;q=0.9"), english),
        (Some("en;q=0, fr;q=0.1"), french),
    ] {
        assert_eq!(
            detail_for(&app, accept_language).await,
            expected,
            "Accept-Language: {accept_language:?}"
        );
    }
}

#[tokio::test]
async fn field_errors_are_translated_too() {
    let app = spawn_app().await;
    shop(&app).await;

    let response = app
        .admin(Method::POST, "/api/v1/admin/stock/ROBE-ETE-M/restock")
        .header(ACCEPT_LANGUAGE, "en")
        .json(&serde_json::json!({"quantity": 0}))
        .send()
        .await
        .expect("sent");

    let problem = app.validation_problem(response, "quantity").await;
    let expected = "The field `quantity` must be an integer from 1 to 1000000.";
    assert_eq!(problem["errors"][0]["detail"], expected);
    assert_eq!(problem["detail"], expected);

    let unauthorized = app
        .request(Method::GET, "/api/v1/admin/audit")
        .header(ACCEPT_LANGUAGE, "en-US,en;q=0.9,fr;q=0.8")
        .send()
        .await
        .expect("sent");
    let problem = app
        .problem(unauthorized, StatusCode::UNAUTHORIZED, "unauthorized")
        .await;
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("Authentication required")),
        "{problem}"
    );
}

#[tokio::test]
async fn an_unknown_route_is_a_404_problem() {
    let app = spawn_app().await;

    for path in [
        "/nope",
        "/api/v1/nope",
        "/api/v2/products",
        "/api/v1/products/a/b",
    ] {
        let response = app.get(path).await;
        app.problem(response, StatusCode::NOT_FOUND, "not_found")
            .await;
    }
}

#[tokio::test]
async fn a_browser_asking_for_an_unknown_page_gets_a_french_page_and_the_api_stays_json() {
    let app = spawn_app().await;
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let page = app
        .request(Method::GET, "/robe-rouge")
        .header("accept", browser)
        .send()
        .await
        .expect("sent");
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .expect("text")
            .starts_with("text/html")
    );
    let html = page.text().await.expect("a page");
    assert!(
        html.contains("<html lang=\"fr\">") && html.contains("Page introuvable"),
        "{html}"
    );
    assert!(html.contains("href=\"/\""), "a way back to the shop");

    // The API answers problems, whatever the client accepts.
    for path in ["/api/v1/nope", "/api/v1/admin/nope"] {
        let response = app
            .request(Method::GET, path)
            .header("accept", browser)
            .bearer_auth(&app.admin_token)
            .send()
            .await
            .expect("sent");
        app.problem(response, StatusCode::NOT_FOUND, "not_found")
            .await;
    }
}

#[tokio::test]
async fn a_known_route_with_the_wrong_method_is_a_405_problem() {
    let app = spawn_app().await;

    for (method, path) in [
        (Method::DELETE, "/api/v1/products"),
        (Method::POST, "/api/v1/products/robe-ete"),
        (Method::GET, "/api/v1/orders"),
        (Method::GET, "/api/v1/cart/check"),
        (Method::POST, "/healthz"),
    ] {
        let response = app.request(method, path).send().await.expect("sent");
        app.problem(
            response,
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        )
        .await;
    }
}

#[tokio::test]
async fn a_path_that_does_not_decode_to_text_is_a_problem_too() {
    let app = spawn_app().await;
    shop(&app).await;

    let response = app.get("/api/v1/products/%FF").await;
    app.problem(response, StatusCode::NOT_FOUND, "not_found")
        .await;
    let response = app.restock("%FF", 1).await;
    app.problem(response, StatusCode::NOT_FOUND, "not_found")
        .await;
}

#[tokio::test]
async fn health_and_readiness_answer_200() {
    let app = spawn_app().await;

    for path in ["/healthz", "/readyz"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let body: Value = response.json().await.expect("json");
        assert!(body["status"].is_string());
    }
}

#[tokio::test]
async fn a_body_that_is_a_json_array_instead_of_an_object_is_a_422() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;

    let response = app
        .admin(
            reqwest::Method::POST,
            &format!("/api/v1/admin/stock/{sku}/restock"),
        )
        .header("content-type", "application/json")
        .body("[5, null]")
        .send()
        .await
        .expect("sent");

    app.validation_problem(response, "body").await;
    assert_eq!(app.available(&sku).await, 5);
}

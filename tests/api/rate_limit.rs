//! Rate limiting of the buyer's writes per client address: 429
//! `rate_limited` with `Retry-After` past the burst, in French or English,
//! per address, never for reads, off at 0.
//!
//! Every test client is 127.0.0.1. Two addresses are simulated with
//! 127.0.0.1 as a trusted proxy and `X-Forwarded-For`. The slowest budget
//! there is refills one request a second, and a slow machine may take a
//! second to send a burst; so a test sends until it is refused, a bounded
//! number of times, and checks that the burst was served first.

use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use stockroom::config::{Config, RateLimitConfig};

use crate::helpers::{TestApp, order_body, phone, spawn_app_with, test_config};

/// Requests sent past the burst before a test gives up waiting for a 429;
/// at one request a second refilled, they cannot all be served.
const TRIES_PAST_BURST: usize = 20;

fn limited(per_second: u32, burst: u32, trusted_proxies: &[&str]) -> Config {
    Config {
        rate_limit: RateLimitConfig {
            per_second,
            burst,
            trusted_proxies: trusted_proxies
                .iter()
                .map(|p| p.parse().expect("a block"))
                .collect(),
            ..RateLimitConfig::DEFAULT
        },
        ..test_config()
    }
}

fn cart_check(app: &TestApp, sku: &str) -> RequestBuilder {
    app.request(Method::POST, "/api/v1/cart/check")
        .json(&json!({"lines": [{"sku": sku, "quantity": 1}]}))
}

/// Sends `request()` until it is refused; answers the refusal and how many were served before it.
async fn send_until_refused(
    mut request: impl FnMut() -> RequestBuilder,
    burst: u32,
) -> (Response, usize) {
    let mut served = 0;
    for _ in 0..burst as usize + TRIES_PAST_BURST {
        let response = request().send().await.expect("the request is sent");
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            return (response, served);
        }
        assert!(
            response.status().is_success(),
            "{}: {}",
            response.status(),
            response.text().await.unwrap_or_default()
        );
        served += 1;
    }
    panic!("never refused after {served} requests");
}

fn retry_after_secs(response: &Response) -> u64 {
    let value = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .expect("a Retry-After header");
    let secs: u64 = value.parse().expect("Retry-After in whole seconds");
    assert!(secs >= 1, "Retry-After {secs}");
    secs
}

#[tokio::test]
async fn a_client_past_its_burst_gets_429_rate_limited_with_retry_after_in_french_and_english() {
    let app = spawn_app_with(limited(1, 3, &[])).await;
    let sku = app.product_with_stock("robe-ete", "M", 10).await;

    let (refused, served) = send_until_refused(|| cart_check(&app, &sku), 3).await;
    assert!(served >= 3, "the burst of 3 is served first, got {served}");
    let secs = retry_after_secs(&refused);
    let french = app
        .problem(refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited")
        .await;
    let detail = french["detail"].as_str().expect("a detail");
    assert!(detail.starts_with("Trop de requêtes"), "{detail}");
    let plural = if secs > 1 { "s" } else { "" };
    assert!(
        detail.ends_with(&format!("Réessayez dans {secs} seconde{plural}.")),
        "the detail quotes Retry-After: {detail}"
    );

    let (refused, _) =
        send_until_refused(|| cart_check(&app, &sku).header("Accept-Language", "en"), 0).await;
    let secs = retry_after_secs(&refused);
    let english = app
        .problem(refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited")
        .await;
    let detail = english["detail"].as_str().expect("a detail");
    assert!(detail.starts_with("Too many requests"), "{detail}");
    let plural = if secs > 1 { "s" } else { "" };
    assert!(
        detail.ends_with(&format!("retry in {secs} second{plural}.")),
        "the detail quotes Retry-After: {detail}"
    );
    assert_eq!(english["title"], "Too many requests");

    // The checkout shares the budget, and a refused one writes nothing:
    // not even its body is read (bad JSON is 429 here, not 422).
    let (refused, _) = send_until_refused(
        || {
            app.request(Method::POST, "/api/v1/orders")
                .json(&order_body(&phone(1), &[(sku.as_str(), 2)]))
        },
        0,
    )
    .await;
    app.problem(refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited")
        .await;
    let (refused, _) = send_until_refused(
        || {
            app.request(Method::POST, "/api/v1/orders")
                .header("content-type", "application/json")
                .body("{not json")
        },
        0,
    )
    .await;
    app.problem(refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited")
        .await;
    assert_eq!(app.available(&sku).await, 10, "no order was written");
}

#[tokio::test]
async fn another_address_behind_a_trusted_proxy_keeps_its_own_budget() {
    let app = spawn_app_with(limited(1, 2, &["127.0.0.1", "::1"])).await;
    let sku = app.product_with_stock("robe-ete", "M", 10).await;
    let from = |client: &str| cart_check(&app, &sku).header("X-Forwarded-For", client.to_owned());

    let (refused, served) = send_until_refused(|| from("203.0.113.9"), 2).await;
    assert!(served >= 2, "the burst of 2 is served first, got {served}");
    app.problem(refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited")
        .await;

    let other = from("198.51.100.7").send().await.expect("sent");
    assert_eq!(
        other.status(),
        StatusCode::OK,
        "another buyer is not affected"
    );

    // A forged left-most entry buys no fresh budget: the proxy appended the
    // address it saw, and that one is counted.
    let mut forged = 0;
    let (refused, _) = send_until_refused(
        || {
            forged += 1;
            from(&format!("10.9.8.{forged}, 203.0.113.9"))
        },
        0,
    )
    .await;
    app.problem(refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited")
        .await;
}

#[tokio::test]
async fn x_forwarded_for_from_a_peer_that_is_not_a_trusted_proxy_is_ignored() {
    let app = spawn_app_with(limited(1, 2, &[])).await;
    let sku = app.product_with_stock("robe-ete", "M", 10).await;
    // Each request claims another client; all are 127.0.0.1's.
    let mut claimed = 0;
    let (refused, served) = send_until_refused(
        || {
            claimed += 1;
            cart_check(&app, &sku).header("X-Forwarded-For", format!("203.0.113.{claimed}"))
        },
        2,
    )
    .await;
    assert!(served < 2 + TRIES_PAST_BURST, "{served}");
    app.problem(refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited")
        .await;
}

#[tokio::test]
async fn after_waiting_as_told_by_retry_after_the_client_is_served_again() {
    let app = spawn_app_with(limited(1, 1, &[])).await;
    let sku = app.product_with_stock("robe-ete", "M", 10).await;
    let (refused, _) = send_until_refused(|| cart_check(&app, &sku), 1).await;
    let wait = retry_after_secs(&refused);
    assert!(wait <= 1, "one request a second: Retry-After {wait}");
    tokio::time::sleep(Duration::from_secs(wait)).await;
    let again = app
        .post_order(&order_body(&phone(1), &[(sku.as_str(), 1)]), None)
        .await;
    assert_eq!(
        again.status(),
        StatusCode::CREATED,
        "served again after Retry-After"
    );
}

#[tokio::test]
async fn catalog_reads_and_a_buyers_own_order_are_never_limited() {
    let app = spawn_app_with(limited(1, 1, &[])).await;
    let sku = app.product_with_stock("robe-ete", "M", 10).await;
    let created = app
        .post_order(&order_body(&phone(1), &[(sku.as_str(), 1)]), None)
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.expect("JSON");
    let (refused, _) = send_until_refused(|| cart_check(&app, &sku), 0).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);

    let order_path = format!(
        "/api/v1/orders/{}",
        created["order"]["id"].as_str().expect("an id")
    );
    let token = created["access_token"].as_str().expect("a token");
    for _ in 0..30 {
        assert_eq!(app.get("/api/v1/products").await.status(), StatusCode::OK);
        assert_eq!(
            app.get("/api/v1/products/robe-ete").await.status(),
            StatusCode::OK
        );
        let own = app
            .request(Method::GET, &order_path)
            .bearer_auth(token)
            .send()
            .await
            .expect("sent");
        assert_eq!(own.status(), StatusCode::OK);
    }
}

/// The value of `stockroom_http_rate_limited_total{limit="…"}` now.
async fn refused_count(app: &TestApp, limit: &str) -> f64 {
    let text = app.get("/metrics").await.text().await.expect("the metrics");
    let series = format!("stockroom_http_rate_limited_total{{limit=\"{limit}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&series))
        .unwrap_or_else(|| panic!("no {series}in:\n{text}"))
        .parse()
        .expect("a number")
}

#[tokio::test]
async fn each_refusal_is_counted_in_the_metrics_under_its_budget() {
    let app = spawn_app_with(limited(1, 2, &[])).await;
    let sku = app.product_with_stock("robe-ete", "M", 10).await;
    assert_eq!(refused_count(&app, "buyer_writes").await, 0.0);
    let (refused, _) = send_until_refused(|| cart_check(&app, &sku), 2).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused_count(&app, "buyer_writes").await, 1.0);
    assert_eq!(refused_count(&app, "lookups").await, 0.0);

    let lookup = || {
        app.request(Method::POST, "/api/v1/orders/lookup")
            .json(&json!({"number": "SR-1001", "phone": phone(1)}))
    };
    let mut answered = 0;
    loop {
        let response = lookup().send().await.expect("sent");
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        answered += 1;
        assert!(answered <= 20, "lookups are never refused");
    }
    assert_eq!(refused_count(&app, "lookups").await, 1.0);
    assert_eq!(refused_count(&app, "buyer_writes").await, 1.0);
}

#[tokio::test]
async fn limiting_is_off_at_zero_per_second() {
    let app = spawn_app_with(limited(0, 1, &[])).await;
    let sku = app.product_with_stock("robe-ete", "M", 100).await;
    for buyer in 0..60 {
        let check = cart_check(&app, &sku).send().await.expect("sent");
        assert_eq!(check.status(), StatusCode::OK);
        let order = app
            .post_order(&order_body(&phone(buyer), &[(sku.as_str(), 1)]), None)
            .await;
        assert_eq!(order.status(), StatusCode::CREATED);
    }
}

#[tokio::test]
async fn the_openapi_document_names_the_429_of_both_buyer_writes() {
    let app = spawn_app_with(test_config()).await;
    let spec: Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("JSON");
    for path in ["/api/v1/orders", "/api/v1/cart/check"] {
        let answer = &spec["paths"][path]["post"]["responses"]["429"];
        let description = answer["description"].as_str().unwrap_or_default();
        assert!(description.contains("rate_limited"), "{path}: {answer}");
        assert!(
            answer["headers"]["Retry-After"].is_object(),
            "{path}: {answer}"
        );
        assert!(
            answer["content"]["application/problem+json"].is_object(),
            "{path}: {answer}"
        );
    }
}

//! "Me prévenir": who may sign up, and how often.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, behind_proxies, order_body, phone, spawn_app, spawn_app_with};

/// A client address of its own per signup, for an app behind a trusted
/// proxy: tests that are not about the address's budget stay within it.
static CLIENTS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

impl TestApp {
    pub async fn sign_up_waitlist(
        &self,
        product: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        let n = CLIENTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let client = format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255);
        self.request(
            reqwest::Method::POST,
            &format!("/api/v1/products/{product}/waitlist"),
        )
        .header("X-Forwarded-For", client)
        .json(body)
        .send()
        .await
        .expect("the request is sent")
    }
}

#[tokio::test]
async fn a_sold_out_size_takes_a_phone_or_an_email_once() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-attente", "M", 1).await;
    assert_eq!(
        app.place(&order_body(&phone(1), &[(&sku, 1)]), None)
            .await
            .0,
        StatusCode::CREATED
    );
    for body in [
        json!({"sku": sku, "phone": "07 00 00 00 09"}),
        json!({"sku": sku, "phone": "+225 0700000009"}),
        json!({"sku": sku.to_lowercase(), "email": "awa@exemple.ci"}),
    ] {
        let response = app.sign_up_waitlist("robe-attente", &body).await;
        assert_eq!(response.status(), StatusCode::ACCEPTED, "{body}");
        assert_eq!(
            response.json::<serde_json::Value>().await.expect("json"),
            json!({})
        );
    }
}

#[tokio::test]
async fn bad_signups_are_named() {
    let app = spawn_app_with(behind_proxies(&["127.0.0.1"])).await;
    let sku = app.product_with_stock("robe-attente-mal", "M", 0).await;
    for (body, field) in [
        (json!({"sku": sku}), "phone"),
        (
            json!({"sku": sku, "phone": "0700000009", "email": "a@b.ci"}),
            "phone",
        ),
        (json!({"sku": sku, "phone": "12"}), "phone"),
        (json!({"sku": sku, "email": "awa@"}), "email"),
        (json!({"sku": "", "email": "awa@exemple.ci"}), "sku"),
    ] {
        let response = app.sign_up_waitlist("robe-attente-mal", &body).await;
        app.validation_problem(response, field).await;
    }
    // A size in stock is bought, not waited for.
    let in_stock = app.product_with_stock("robe-en-stock", "M", 3).await;
    let response = app
        .sign_up_waitlist(
            "robe-en-stock",
            &json!({"sku": in_stock, "phone": "0700000009"}),
        )
        .await;
    let problem = app.validation_problem(response, "sku").await;
    assert!(
        problem["detail"]
            .as_str()
            .expect("detail")
            .contains("en stock")
    );
    // A sku of another product, or none at all.
    let response = app
        .sign_up_waitlist(
            "robe-attente-mal",
            &json!({"sku": in_stock, "phone": "0700000009"}),
        )
        .await;
    app.problem(response, StatusCode::NOT_FOUND, "not_found")
        .await;
    let response = app
        .sign_up_waitlist("pas-de-robe", &json!({"sku": sku, "phone": "0700000009"}))
        .await;
    app.problem(response, StatusCode::NOT_FOUND, "not_found")
        .await;
}

#[tokio::test]
async fn one_address_and_one_phone_sign_up_a_bounded_number_of_times() {
    // Through a trusted proxy, each request names its own client address.
    let app = spawn_app_with(behind_proxies(&["127.0.0.1"])).await;
    let sizes = [
        ("XS", 0),
        ("S", 0),
        ("M", 0),
        ("L", 0),
        ("XL", 0),
        ("XXL", 0),
    ];
    let mut skus = app.product_with_sizes("robe-tailles", &sizes).await;
    skus.extend(app.product_with_sizes("robe-tailles-2", &sizes).await);
    let sign_up = |client: String, sku: &str, phone: &str| {
        let product = if skus[..6].contains(&sku.to_owned()) {
            "robe-tailles"
        } else {
            "robe-tailles-2"
        };
        app.request(
            reqwest::Method::POST,
            &format!("/api/v1/products/{product}/waitlist"),
        )
        .header("X-Forwarded-For", client)
        .json(&json!({"sku": sku, "phone": phone}))
        .send()
    };
    // One address: its burst, then 429.
    let mut from_one = Vec::new();
    for sku in &skus[..7] {
        let response = sign_up("203.0.113.1".into(), sku, "0700000001")
            .await
            .expect("sent");
        from_one.push(response.status());
    }
    assert!(
        from_one[..5].iter().all(|s| *s == StatusCode::ACCEPTED),
        "{from_one:?}"
    );
    assert_eq!(from_one[6], StatusCode::TOO_MANY_REQUESTS, "{from_one:?}");
    // One phone from many addresses: ten an hour, then 429.
    let mut for_one_phone = Vec::new();
    for (n, sku) in skus.iter().enumerate() {
        let response = sign_up(format!("198.51.100.{n}"), sku, "0700000002")
            .await
            .expect("sent");
        for_one_phone.push(response.status());
    }
    assert!(
        for_one_phone[..10]
            .iter()
            .all(|s| *s == StatusCode::ACCEPTED),
        "{for_one_phone:?}"
    );
    let refused = sign_up("198.51.100.99".into(), &skus[10], "07 00 00 00 02")
        .await
        .expect("sent");
    app.problem(refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited")
        .await;
}

#[tokio::test]
async fn an_unknown_unsubscribe_token_is_not_found() {
    let app = spawn_app().await;
    let response = app
        .request(reqwest::Method::POST, "/api/v1/waitlist/unsubscribe")
        .json(&json!({"token": "nope"}))
        .send()
        .await
        .expect("sent");
    app.problem(response, StatusCode::NOT_FOUND, "not_found")
        .await;
}

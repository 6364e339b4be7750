//! `POST /api/v1/orders/lookup`: a buyer finds an order again with its
//! number and phone; any wrong pair is an unknown order, and an address
//! cannot try pairs in bulk.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, order_body, phone, spawn_app};

async fn lookup(app: &TestApp, body: &Value) -> reqwest::Response {
    app.request(Method::POST, "/api/v1/orders/lookup")
        .json(body)
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn the_number_and_the_phone_however_written_give_the_order_and_its_token() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;
    let (_, placed) = app.place(&order_body(&phone(1), &[(&sku, 2)]), None).await;
    let number = placed["order"]["number"].as_str().expect("a number");

    for (number, phone) in [
        (number.to_owned(), phone(1)),
        (number.to_lowercase(), "07 00 00 00 01".to_owned()),
        (
            number.trim_start_matches("SR-").to_owned(),
            "+225 0700000001".to_owned(),
        ),
    ] {
        let response = lookup(&app, &json!({"number": number, "phone": phone})).await;
        assert_eq!(response.status(), StatusCode::OK, "{number} {phone}");
        let found: Value = response.json().await.expect("json");
        assert_eq!(found["order"], placed["order"]);
        assert_eq!(found["access_token"], placed["access_token"]);
    }
    let id = placed["order"]["id"].as_str().expect("an id");
    let token = placed["access_token"].as_str().expect("a token");
    assert_eq!(
        app.buyer_order(id, Some(token)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_wrong_phone_an_unknown_number_and_nonsense_all_answer_not_found() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;
    let (_, placed) = app.place(&order_body(&phone(1), &[(&sku, 1)]), None).await;
    let number = placed["order"]["number"].as_str().expect("a number");

    for (number, phone) in [
        (number, phone(2)),
        ("SR-9999", phone(1)),
        ("pas un numéro", phone(1)),
        (number, "pas un téléphone".to_owned()),
    ] {
        let response = lookup(&app, &json!({"number": number, "phone": phone})).await;
        let problem = app
            .problem(response, StatusCode::NOT_FOUND, "not_found")
            .await;
        assert!(
            !problem.to_string().contains("Awa"),
            "nothing of the order in {problem}"
        );
    }
}

#[tokio::test]
async fn a_lookup_without_its_fields_names_them() {
    let app = spawn_app().await;

    let response = lookup(&app, &json!({})).await;

    let problem = app.validation_problem(response, "number").await;
    assert!(TestApp::error_fields(&problem).contains(&"phone".to_owned()));
}

#[tokio::test]
async fn an_address_trying_pairs_in_bulk_is_told_to_wait() {
    let app = spawn_app().await;
    let guess = json!({"number": "SR-1001", "phone": phone(7)});

    for _ in 0..5 {
        assert_eq!(lookup(&app, &guess).await.status(), StatusCode::NOT_FOUND);
    }
    let response = lookup(&app, &guess).await;

    let retry_after: u64 = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After");
    assert!((1..=6).contains(&retry_after), "{retry_after}");
    app.problem(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited")
        .await;
}

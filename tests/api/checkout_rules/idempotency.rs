//! Idempotency keys: one order per key and body, the first answer replayed
//! as it was, another body refused, and only well-formed keys accepted.

use std::sync::Arc;

use reqwest::header::HeaderValue;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use super::read;
use crate::helpers::{TestApp, order_body, phone, spawn_app};

const ROUNDS: usize = 20;

fn replayed(response: &Response) -> bool {
    response
        .headers()
        .get("idempotent-replayed")
        .is_some_and(|v| v == "true")
}

/// Posts a raw JSON text, exactly as written.
async fn post_raw(app: &TestApp, body: &str, key: &str) -> Response {
    app.request(Method::POST, "/api/v1/orders")
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", key)
        .body(body.to_owned())
        .send()
        .await
        .expect("sent")
}

async fn order_count(app: &TestApp) -> usize {
    let list: Value = app
        .admin_get("/api/v1/admin/orders?limit=500")
        .await
        .json()
        .await
        .expect("orders");
    list["orders"].as_array().expect("orders").len()
}

// How it works: each round, 50 tasks released together by a barrier post the
// same body with the same key. The writer applies them one after another, so
// the first writes the order and the rest find its answer: exactly one order
// and one stock drop, every answer the same 201, all but one marked replayed.
// The store has no "in flight" state: the key is checked and written inside
// the writer's transaction, so a request with a key that is still being
// decided waits for that decision and replays it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_retries_with_one_key_make_one_order_and_the_same_answer() {
    let app = Arc::new(spawn_app().await);
    for round in 0..ROUNDS {
        let sku = app
            .product_with_stock(&format!("robe-idem-{round}"), "M", 10)
            .await;
        let body = order_body(&phone(round), &[(&sku, 2)]);
        let key = format!("retry-{round}");
        let answers = app
            .together(50, |app, _| {
                let (body, key) = (body.clone(), key.clone());
                async move {
                    let response = app.post_order(&body, Some(&key)).await;
                    let replay = replayed(&response);
                    let status = response.status();
                    (status, replay, response.text().await.expect("a body"))
                }
            })
            .await;

        assert!(
            answers.iter().all(|(s, _, _)| *s == StatusCode::CREATED),
            "{answers:#?}"
        );
        assert_eq!(
            answers.iter().filter(|(_, r, _)| !r).count(),
            1,
            "one first answer"
        );
        let first: Value = serde_json::from_str(&answers[0].2).expect("json");
        for (_, _, text) in &answers {
            let answer: Value = serde_json::from_str(text).expect("json");
            assert_eq!(answer, first);
        }
        assert_eq!(app.available(&sku).await, 8);
        assert_eq!(app.ledger_sum(&sku).await, 8);
        assert_eq!(order_count(&app).await, round + 1);
    }
    app.assert_audit_consistent().await;
}

#[tokio::test]
async fn the_same_key_with_another_body_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 10).await;
    let (status, _) = app
        .place(&order_body(&phone(1), &[(&sku, 1)]), Some("k-1"))
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let (status, problem) = app
        .place(&order_body(&phone(1), &[(&sku, 2)]), Some("k-1"))
        .await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["code"], json!("idempotency_key_reused"));
    assert_eq!(app.available(&sku).await, 9);
    assert_eq!(order_count(&app).await, 1);
}

#[tokio::test]
async fn the_same_body_written_with_other_key_order_and_spacing_is_the_same_body() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 10).await;
    let compact = format!(
        r#"{{"customer":{{"name":"Awa K.","phone":"+2250700000001"}},"lines":[{{"sku":"{sku}","quantity":2}}]}}"#
    );
    let spread = format!(
        "{{\n  \"lines\" : [ {{ \"quantity\" : 2, \"sku\" : \"{sku}\" }} ],\n  \"customer\" : {{ \"phone\" : \"+2250700000001\", \"name\" : \"Awa K.\" }}\n}}"
    );

    let first = post_raw(&app, &compact, "k-order").await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.expect("json");
    let again = post_raw(&app, &spread, "k-order").await;

    assert_eq!(again.status(), StatusCode::CREATED);
    assert!(replayed(&again));
    let again: Value = again.json().await.expect("json");
    assert_eq!(again["order"]["id"], first["order"]["id"]);
    assert_eq!(app.available(&sku).await, 8);
}

#[tokio::test]
async fn a_refusal_is_replayed_as_it_was_even_after_a_restock() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 1).await;
    let body = order_body(&phone(1), &[(&sku, 2)]);
    let first = app.post_order(&body, Some("k-short")).await;
    assert_eq!(first.status(), StatusCode::CONFLICT);
    let first: Value = first.json().await.expect("json");
    assert_eq!(first["code"], json!("insufficient_stock"));
    assert_eq!(app.restock(&sku, 10).await.status(), StatusCode::OK);

    let again = app.post_order(&body, Some("k-short")).await;

    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(replayed(&again));
    assert_eq!(
        again.headers().get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/problem+json"[..])
    );
    assert_eq!(again.json::<Value>().await.expect("json"), first);
    assert_eq!(app.available(&sku).await, 11);
    // A new key is a new attempt, served by the new stock.
    let (status, _) = app.place(&body, Some("k-short-2")).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn an_invalid_order_is_not_remembered_so_the_corrected_body_can_use_the_key() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;
    let no_name = json!({"customer": {"phone": phone(1)}, "lines": [{"sku": sku, "quantity": 1}]});
    let unknown_sku = order_body(&phone(1), &[("ROBE-INCONNUE-M", 1)]);
    for (key, invalid) in [("k-fix-1", no_name), ("k-fix-2", unknown_sku)] {
        let (status, problem) = app.place(&invalid, Some(key)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem:#}");
        assert_eq!(problem["code"], json!("validation_failed"));

        let fixed = app
            .post_order(&order_body(&phone(1), &[(&sku, 1)]), Some(key))
            .await;

        assert_eq!(fixed.status(), StatusCode::CREATED, "key {key}");
        assert!(!replayed(&fixed));
    }
    assert_eq!(app.available(&sku).await, 3);
}

#[tokio::test]
async fn a_key_must_be_one_to_255_visible_ascii_characters() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;
    let body = order_body(&phone(1), &[(&sku, 1)]);
    let bad_keys = [
        HeaderValue::from_static(""),
        HeaderValue::from_str(&"k".repeat(256)).expect("a header"),
        HeaderValue::from_bytes("clé".as_bytes()).expect("a header"),
        HeaderValue::from_static("two words"),
    ];
    for key in bad_keys {
        let response = app
            .request(Method::POST, "/api/v1/orders")
            .header("Idempotency-Key", key.clone())
            .json(&body)
            .send()
            .await
            .expect("sent");
        let (status, problem) = read(response).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "key {key:?}");
        assert_eq!(problem["code"], json!("validation_failed"));
    }
    assert_eq!(app.available(&sku).await, 5);

    let (status, _) = app.place(&body, Some(&"k".repeat(255))).await;
    assert_eq!(status, StatusCode::CREATED);
}

//! The per-customer order limit: counted by normalised phone since the
//! reference date, cancelled orders aside, checked before the stock.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::read;
use crate::helpers::{TestApp, order_body, spawn_app};

const ROUNDS: usize = 20;

const LIMIT_REACHED: &str = "Vous avez atteint votre limite de 2 commandes";

/// One customer's number written three ways: local with spaces, `+225`,
/// and `00225` with dashes.
fn one_phone_three_ways(n: usize) -> [String; 3] {
    let local = format!("07{:08}", n);
    let pairs: Vec<&str> = (0..5).map(|i| &local[2 * i..2 * i + 2]).collect();
    [
        pairs.join(" "),
        format!("+225{local}"),
        format!("00225 {}", pairs.join("-")),
    ]
}

fn assert_limit_reached(status: StatusCode, problem: &Value) {
    assert_eq!(status, StatusCode::CONFLICT, "{problem:#}");
    assert_eq!(problem["code"], json!("order_limit_reached"));
    let detail = problem["detail"].as_str().expect("a detail");
    assert!(detail.starts_with(LIMIT_REACHED), "{detail}");
}

async fn place(app: &TestApp, phone: &str, sku: &str) -> (StatusCode, Value) {
    app.place(&order_body(phone, &[(sku, 1)]), None).await
}

// How it works: each round, one customer (a new number per round) sends 5
// orders at once from 5 tasks released by a barrier, the phone written in
// three different ways. The writer counts the customer's orders inside the
// transaction that would add one, so exactly 2 pass, whatever the timing.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_orders_at_once_from_one_phone_written_three_ways_make_two_orders() {
    let app = Arc::new(spawn_app().await);
    let sku = app.product_with_stock("robe-ete", "M", 1000).await;
    for round in 0..ROUNDS {
        let forms = one_phone_three_ways(round);
        let answers = app
            .together(5, |app, buyer| {
                let body = order_body(&forms[buyer % 3], &[(&sku, 1)]);
                async move { app.place(&body, None).await }
            })
            .await;

        let placed: Vec<&Value> = answers
            .iter()
            .filter(|(s, _)| *s == StatusCode::CREATED)
            .map(|(_, b)| b)
            .collect();
        assert_eq!(placed.len(), 2, "round {round}: {answers:#?}");
        for (status, body) in answers.iter().filter(|(s, _)| *s != StatusCode::CREATED) {
            assert_limit_reached(*status, body);
            assert_eq!(body["limit"], json!(2));
        }
        for order in placed {
            let typed = order["order"]["customer"]["phone"]
                .as_str()
                .expect("a phone");
            assert!(forms.iter().any(|f| f == typed), "shown as typed: {typed}");
        }
    }
    assert_eq!(app.available(&sku).await, 1000 - 2 * ROUNDS as i64);
    app.assert_audit_consistent().await;
}

#[tokio::test]
async fn a_cancelled_order_does_not_count_toward_the_limit() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 10).await;
    let (_, first) = place(&app, "07 00 00 00 01", &sku).await;
    place(&app, "+2250700000001", &sku).await;
    let (status, problem) = place(&app, "0700000001", &sku).await;
    assert_limit_reached(status, &problem);

    let id = first["order"]["id"].as_str().expect("an id");
    assert_eq!(
        app.set_status(id, "cancelled").await.status(),
        StatusCode::OK
    );

    let (status, _) = place(&app, "0700000001", &sku).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, problem) = place(&app, "0700000001", &sku).await;
    assert_limit_reached(status, &problem);
}

#[tokio::test]
async fn a_null_limit_removes_the_limit() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 10).await;
    for _ in 0..2 {
        place(&app, "0700000001", &sku).await;
    }

    let (status, settings) = read(
        app.put_settings(&json!({"order_limit_per_customer": null}))
            .await,
    )
    .await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(settings["order_limit_per_customer"], Value::Null);
    assert_eq!(
        settings["low_stock_percent"],
        json!(20),
        "other fields kept"
    );
    for _ in 0..3 {
        let (status, _) = place(&app, "0700000001", &sku).await;
        assert_eq!(status, StatusCode::CREATED);
    }
}

#[tokio::test]
async fn moving_the_reference_date_to_now_starts_every_count_again() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 10).await;
    for _ in 0..2 {
        place(&app, "0700000001", &sku).await;
    }
    let (status, problem) = place(&app, "0700000001", &sku).await;
    assert_limit_reached(status, &problem);

    let now = chrono::Utc::now().to_rfc3339();
    let (status, _) = read(app.put_settings(&json!({"reference_date": now})).await).await;
    assert_eq!(status, StatusCode::OK);

    for _ in 0..2 {
        let (status, _) = place(&app, "0700000001", &sku).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, problem) = place(&app, "0700000001", &sku).await;
    assert_limit_reached(status, &problem);
    app.assert_audit_consistent().await;
}

#[tokio::test]
async fn the_limit_is_checked_before_the_stock() {
    let app = spawn_app().await;
    let skus = app
        .product_with_sizes("robe-ete", &[("M", 10), ("L", 0)])
        .await;
    for _ in 0..2 {
        place(&app, "0700000001", &skus[0]).await;
    }

    let (status, problem) = place(&app, "0700000001", &skus[1]).await;

    assert_limit_reached(status, &problem);
    // Another customer asking for the same sold-out size hears about the stock.
    let (status, problem) = place(&app, "0700000002", &skus[1]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["code"], json!("insufficient_stock"));
}

#[tokio::test]
async fn settings_out_of_their_range_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let before: Value = app
        .admin_get("/api/v1/admin/settings")
        .await
        .json()
        .await
        .expect("settings");
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    for patch in [
        json!({"order_limit_per_customer": 0}),
        json!({"order_limit_per_customer": -1}),
        json!({"order_limit_per_customer": "2"}),
        json!({"low_stock_percent": 101}),
        json!({"low_stock_percent": -1}),
        json!({"reference_date": "hier"}),
        json!({"reference_date": "2026-02-30"}),
        json!({"reference_date": tomorrow}),
        json!({"low_stock_percent": 10, "order_limit_per_customer": 0}),
    ] {
        let (status, problem) = read(app.put_settings(&patch).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{patch}");
        assert_eq!(problem["code"], json!("validation_failed"), "{patch}");
    }
    let after: Value = app
        .admin_get("/api/v1/admin/settings")
        .await
        .json()
        .await
        .expect("settings");
    assert_eq!(after, before);
    assert_eq!(after["order_limit_per_customer"], json!(2));
}

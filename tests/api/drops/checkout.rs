//! Drops in the checkout, over HTTP on either database: the first
//! millisecond of a hidden drop, its price and units, the cap per customer
//! under a rush of one phone written five ways, a cancellation during the
//! drop and after it, and what an idempotency key keeps. The shop's clock
//! is held by each test, never slept on.

use std::sync::Arc;

use chrono::TimeDelta;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{NOW, at, drop_body, hold, start};
use crate::helpers::{TestApp, order_body, phone, spawn_app};

/// A shop with a robe in M (stock 10) and the hidden drop `noel` of 3 of
/// them at 9,000 from `start()`, two per customer.
async fn shop_with_drop(app: &TestApp) -> String {
    hold(app, at(NOW));
    let sku = app.product_with_stock("robe", "M", 10).await;
    app.create_drop(&drop_body("noel", &[(&sku, 3, Some(9000))]))
        .await;
    sku
}

fn from_drop_page(phone: &str, sku: &str, quantity: i64) -> Value {
    let mut body = order_body(phone, &[(sku, quantity)]);
    body["drop"] = json!("noel");
    body
}

#[tokio::test]
async fn a_hidden_drop_refuses_an_order_one_millisecond_before_its_start_and_serves_one_at_its_start()
 {
    let app = spawn_app().await;
    let sku = shop_with_drop(&app).await;

    hold(&app, start() - TimeDelta::milliseconds(1));
    let (status, early) = app.place(&order_body(&phone(1), &[(&sku, 1)]), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{early}");
    assert_eq!(early["code"], "drop_not_started");
    assert_eq!(early["starts_at"], "2030-06-01T11:00:00.000000Z");
    assert_eq!(early["drop"], "noel");
    assert!(
        early["detail"]
            .as_str()
            .is_some_and(|d| d.contains("1 juin 2030 à 11 h 00")),
        "{early}"
    );

    hold(&app, start());
    let (status, placed) = app.place(&from_drop_page(&phone(1), &sku, 1), None).await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    let line = &placed["order"]["lines"][0];
    assert_eq!(line["unit_price"], 9000);
    assert!(line["drop_id"].is_string(), "{line}");
    assert_eq!(app.available(&sku).await, 9, "a drop's sale takes stock");
    assert_eq!(app.public_drop("noel").await["lines"][0]["remaining"], 2);
    app.assert_audit_consistent().await;
}

#[tokio::test]
async fn the_cap_per_customer_holds_under_fifty_orders_at_once_from_one_phone_written_five_ways() {
    let app = Arc::new(spawn_app().await);
    hold(&app, at(NOW));
    // No limit of orders: the drop's cap is what stops them.
    let settings = app
        .put_settings(&json!({"order_limit_per_customer": null}))
        .await;
    assert_eq!(settings.status(), StatusCode::OK);
    let sku = app.product_with_stock("robe", "M", 100).await;
    app.create_drop(&drop_body("noel", &[(&sku, 60, Some(9000))]))
        .await;
    hold(&app, start() + TimeDelta::minutes(1));
    let spellings = [
        "+2250700000001",
        "07 00 00 00 01",
        "00225 07 00 00 00 01",
        "+225 07-00-00-00-01",
        "225 0700000001",
    ];
    let answers = app
        .together(50, |app, i| {
            let body = from_drop_page(spellings[i % 5], &sku, 1);
            async move { app.place(&body, None).await }
        })
        .await;
    let placed = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::CREATED)
        .count();
    assert_eq!(placed, 2, "two units per customer, whatever the spelling");
    for (status, body) in answers.iter().filter(|(s, _)| *s != StatusCode::CREATED) {
        assert_eq!(*status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["code"], "drop_limit_reached", "{body}");
        assert_eq!(body["limit"], 2);
    }
    assert_eq!(app.available(&sku).await, 98);
    assert_eq!(app.public_drop("noel").await["lines"][0]["remaining"], 58);
    let live: Value = app
        .admin_get("/api/v1/admin/drops/noel/live")
        .await
        .json()
        .await
        .expect("the live figures");
    assert!(
        live["refusals"].to_string().contains("drop_limit_reached"),
        "{live}"
    );
    assert!(live["refusals"].to_string().contains("48"), "{live}");
}

#[tokio::test]
async fn a_drop_sells_its_units_then_refuses_though_stock_remains_and_after_its_end_sells_at_the_usual_price()
 {
    let app = spawn_app().await;
    let sku = shop_with_drop(&app).await;
    hold(&app, start());
    for buyer in 1..=3 {
        let (status, body) = app
            .place(&order_body(&phone(buyer), &[(&sku, 1)]), None)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, short) = app.place(&order_body(&phone(4), &[(&sku, 1)]), None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(short["code"], "insufficient_stock");
    assert_eq!(short["lines"][0]["available"], 0);
    assert_eq!(app.available(&sku).await, 7);
    assert_eq!(app.public_drop("noel").await["status"], "sold_out");

    hold(&app, at("2030-06-01T13:00:00Z"));
    let (status, late) = app.place(&from_drop_page(&phone(4), &sku, 1), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{late}");
    assert_eq!(late["code"], "drop_ended");
    assert_eq!(late["ends_at"], "2030-06-01T13:00:00.000000Z");
    let (status, usual) = app.place(&order_body(&phone(4), &[(&sku, 1)]), None).await;
    assert_eq!(status, StatusCode::CREATED, "{usual}");
    assert_eq!(usual["order"]["lines"][0]["unit_price"], 15000);
    assert!(usual["order"]["lines"][0].get("drop_id").is_none());
}

#[tokio::test]
async fn cancelling_during_the_drop_gives_the_unit_back_to_the_drop_and_after_it_only_to_stock() {
    let app = spawn_app().await;
    let sku = shop_with_drop(&app).await;
    hold(&app, start());
    let (_, first) = app.place(&from_drop_page(&phone(1), &sku, 2), None).await;
    let (_, second) = app.place(&from_drop_page(&phone(2), &sku, 1), None).await;
    assert_eq!(app.public_drop("noel").await["lines"][0]["remaining"], 0);

    let id = first["order"]["id"].as_str().expect("an id");
    assert_eq!(
        app.set_status(id, "cancelled").await.status(),
        StatusCode::OK
    );
    assert_eq!(app.public_drop("noel").await["lines"][0]["remaining"], 2);
    assert_eq!(app.available(&sku).await, 9);
    // The customer's units came back with them: the cap counts what they keep.
    let (status, again) = app.place(&from_drop_page(&phone(1), &sku, 2), None).await;
    assert_eq!(status, StatusCode::CREATED, "{again}");

    hold(&app, at("2030-06-01T13:00:00Z"));
    let id = second["order"]["id"].as_str().expect("an id");
    assert_eq!(
        app.set_status(id, "cancelled").await.status(),
        StatusCode::OK
    );
    assert_eq!(app.admin_drop("noel").await["lines"][0]["remaining"], 0);
    assert_eq!(app.available(&sku).await, 8);
    app.assert_audit_consistent().await;
}

#[tokio::test]
async fn a_key_keeps_the_drops_cap_but_not_its_start_so_a_retry_once_it_opens_is_served() {
    let app = spawn_app().await;
    let sku = shop_with_drop(&app).await;
    let body = from_drop_page(&phone(1), &sku, 1);
    hold(&app, start() - TimeDelta::seconds(1));
    let (status, early) = app.place(&body, Some("drop-key-1")).await;
    assert_eq!(
        (status, early["code"].as_str()),
        (StatusCode::CONFLICT, Some("drop_not_started"))
    );
    hold(&app, start());
    let (status, placed) = app.place(&body, Some("drop-key-1")).await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");

    let over = from_drop_page(&phone(1), &sku, 2);
    let (status, capped) = app.place(&over, Some("drop-key-2")).await;
    assert_eq!(
        (status, capped["code"].as_str()),
        (StatusCode::CONFLICT, Some("drop_limit_reached"))
    );
    let response = app.post_order(&over, Some("drop-key-2")).await;
    assert_eq!(response.headers()["idempotent-replayed"], "true");
}

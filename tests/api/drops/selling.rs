//! What the drop's views show once the engine sells through it: units
//! left and sold, `sold_out` inside the window, orders per minute and
//! refusals per reason in the live view.

use chrono::TimeDelta;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{NOW, at, drop_body, hold, start};
use crate::helpers::{TestApp, order_body, phone};

/// An order placed from the drop's page.
fn from_drop(buyer: usize, sku: &str, quantity: i64) -> Value {
    let mut body = order_body(&phone(buyer), &[(sku, quantity)]);
    body["drop"] = json!("noel");
    body
}

async fn live(app: &TestApp) -> Value {
    let response = app.admin_get("/api/v1/admin/drops/noel/live").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("the live view")
}

#[tokio::test]
async fn a_drop_whose_units_are_all_sold_is_sold_out_until_its_end() {
    let app = crate::helpers::spawn_app().await;
    hold(&app, at(NOW));
    let sku = app.product_with_stock("robe", "M", 10).await;
    app.create_drop(&drop_body("noel", &[(&sku, 3, Some(12000))]))
        .await;

    hold(&app, start() + TimeDelta::seconds(5));
    let (status, first) = app.place(&from_drop(1, &sku, 2), None).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["order"]["total"], 24000);
    assert_eq!(app.public_drop("noel").await["status"], "live");
    let (status, second) = app.place(&from_drop(2, &sku, 1), None).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");

    let drop = app.public_drop("noel").await;
    assert_eq!(drop["status"], "sold_out");
    assert_eq!(drop["lines"][0]["remaining"], 0);
    let admin = app.admin_drop("noel").await;
    assert_eq!(admin["lines"][0]["sold"], 3);
    assert_eq!(admin["lines"][0]["remaining"], 0);
    hold(&app, at("2030-06-01T13:00:00Z"));
    assert_eq!(app.public_drop("noel").await["status"], "ended");
}

#[tokio::test]
async fn the_live_view_counts_orders_per_minute_and_refusals_per_reason() {
    let app = crate::helpers::spawn_app().await;
    hold(&app, at(NOW));
    let sku = app.product_with_stock("robe", "M", 10).await;
    app.create_drop(&drop_body("noel", &[(&sku, 5, None)]))
        .await;

    // One order in the first minute, two in the third; the same buyer past
    // the cap of 2, refused.
    hold(&app, start() + TimeDelta::seconds(10));
    assert_eq!(
        app.place(&from_drop(1, &sku, 2), None).await.0,
        StatusCode::CREATED
    );
    hold(&app, start() + TimeDelta::seconds(130));
    assert_eq!(
        app.place(&from_drop(2, &sku, 1), None).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        app.place(&from_drop(3, &sku, 1), None).await.0,
        StatusCode::CREATED
    );
    let (status, refused) = app.place(&from_drop(1, &sku, 1), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["code"], "drop_limit_reached");

    let live = live(&app).await;

    let minutes = live["orders_per_minute"].as_array().expect("minutes");
    let counts: Vec<i64> = minutes
        .iter()
        .map(|m| m["orders"].as_i64().expect("a count"))
        .collect();
    assert_eq!(counts, [0, 0, 0, 0, 0, 0, 0, 1, 0, 2]);
    assert_eq!(minutes[9]["minute"], "2030-06-01T11:02:00.000000Z");
    assert_eq!(live["orders"], 3);
    assert_eq!(
        live["refusals"],
        json!([{"code": "drop_limit_reached", "count": 1}])
    );
    assert_eq!(live["drop"]["lines"][0]["remaining"], 1);
}

//! Delivery zones at checkout: the fee is the server's, part of the
//! order's total; an unknown zone is refused.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, order_body, phone, spawn_app};

/// A shop delivering to Cocody (1,500) and offering pickup (free).
pub(super) async fn with_zones(app: &TestApp) {
    let response = app
        .admin(Method::PUT, "/api/v1/admin/shop")
        .json(&json!({"delivery_zones": [
            {"id": "cocody", "name": "Cocody", "fee": 1500},
            {"id": "retrait", "name": "Retrait en boutique", "fee": 0}]}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
}

fn in_zone(sku: &str, quantity: i64, zone: &str) -> Value {
    let mut body = order_body(&phone(1), &[(sku, quantity)]);
    body["delivery"]["zone"] = json!(zone);
    body
}

#[tokio::test]
async fn a_zones_fee_is_a_line_of_the_total_shown_to_buyer_and_desk() {
    let app = spawn_app().await;
    with_zones(&app).await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;

    let (status, order) = app.place(&in_zone(&sku, 2, "cocody"), None).await;

    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["order"]["delivery_fee"], 1500);
    assert_eq!(order["order"]["total"], 2 * 15000 + 1500);
    assert_eq!(order["order"]["delivery"]["zone"], "cocody");
    assert_eq!(order["order"]["delivery"]["zone_name"], "Cocody");
    let desk = app
        .admin_order(order["order"]["id"].as_str().expect("an id"))
        .await;
    assert_eq!(desk["delivery_fee"], 1500);
    assert_eq!(desk["total"], 31500);
}

#[tokio::test]
async fn without_a_zone_there_is_no_fee_and_pickup_is_free() {
    let app = spawn_app().await;
    with_zones(&app).await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;

    let (_, plain) = app.place(&order_body(&phone(1), &[(&sku, 1)]), None).await;
    let (_, pickup) = app.place(&in_zone(&sku, 1, "retrait"), None).await;

    assert_eq!(plain["order"]["delivery_fee"], 0);
    assert_eq!(plain["order"]["total"], 15000);
    assert_eq!(pickup["order"]["delivery_fee"], 0);
    assert_eq!(
        pickup["order"]["delivery"]["zone_name"],
        "Retrait en boutique"
    );
}

#[tokio::test]
async fn the_fee_is_the_one_of_the_moment_of_the_order() {
    let app = spawn_app().await;
    with_zones(&app).await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;
    let (_, before) = app.place(&in_zone(&sku, 1, "cocody"), None).await;

    app.admin(Method::PUT, "/api/v1/admin/shop")
        .json(&json!({"delivery_zones": [{"id": "cocody", "name": "Cocody Riviera", "fee": 2500}]}))
        .send()
        .await
        .expect("sent");
    let (_, after) = app.place(&in_zone(&sku, 1, "cocody"), None).await;

    let kept = app
        .admin_order(before["order"]["id"].as_str().expect("an id"))
        .await;
    assert_eq!(kept["delivery_fee"], 1500);
    assert_eq!(kept["delivery"]["zone_name"], "Cocody");
    assert_eq!(after["order"]["delivery_fee"], 2500);
    assert_eq!(after["order"]["total"], 17500);
}

#[tokio::test]
async fn an_unknown_or_malformed_zone_is_refused_and_nothing_is_sold() {
    let app = spawn_app().await;
    with_zones(&app).await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;

    for zone in ["marcory", "Pas Une Zone"] {
        let response = app
            .request(Method::POST, "/api/v1/orders")
            .json(&in_zone(&sku, 1, zone))
            .send()
            .await
            .expect("sent");
        app.validation_problem(response, "delivery.zone").await;
    }
    assert_eq!(app.available(&sku).await, 5);
}

//! Honest prices: the total the buyer was shown travels with the order;
//! when the server's differs, the order is refused with `price_changed`,
//! every line's current price and the total, and nothing is written or
//! kept with the idempotency key.

use std::sync::Arc;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::delivery::with_zones;
use crate::helpers::{TestApp, order_body, phone, spawn_app};

fn expecting(sku: &str, quantity: i64, expected_total: i64, zone: Option<&str>) -> Value {
    let mut body = order_body(&phone(1), &[(sku, quantity)]);
    body["expected_total"] = json!(expected_total);
    if let Some(zone) = zone {
        body["delivery"]["zone"] = json!(zone);
    }
    body
}

async fn set_price(app: &TestApp, slug: &str, price: i64) {
    let product: Value = app.product(slug).await.json().await.expect("a product");
    let id = product["id"].as_str().expect("an id");
    let (_, etag) = app.admin_product(id).await;
    let response = app
        .patch_product(id, Some(&etag), &json!({"price": price}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_total_the_buyer_saw_is_accepted() {
    let app = spawn_app().await;
    with_zones(&app).await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;

    let (status, order) = app
        .place(&expecting(&sku, 2, 31500, Some("cocody")), None)
        .await;

    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["order"]["total"], 31500);
}

#[tokio::test]
async fn a_price_changed_since_the_cart_refuses_the_order_with_the_new_prices() {
    let app = spawn_app().await;
    with_zones(&app).await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;
    set_price(&app, "robe-ete", 11000).await;

    let response = app
        .request(Method::POST, "/api/v1/orders")
        .header("Idempotency-Key", "panier-awa-1")
        .json(&expecting(&sku, 2, 2 * 9500 + 1500, Some("cocody")))
        .send()
        .await
        .expect("sent");

    let problem = app
        .problem(response, StatusCode::CONFLICT, "price_changed")
        .await;
    assert_eq!(problem["lines"], json!([{"sku": sku, "unit_price": 11000}]));
    assert_eq!(problem["delivery_fee"], 1500);
    assert_eq!(problem["total"], 2 * 11000 + 1500);
    let detail = problem["detail"].as_str().expect("a detail");
    assert!(detail.contains("23"), "the new total in: {detail}");
    assert_eq!(app.available(&sku).await, 5, "nothing sold");
    assert_eq!(
        app.movements_matching(&format!("sku={sku}")).await.len(),
        1,
        "only the initial movement"
    );

    // The same key, the buyer having confirmed the new total: decided afresh.
    let (status, order) = app
        .place(
            &expecting(&sku, 2, 23500, Some("cocody")),
            Some("panier-awa-1"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(app.available(&sku).await, 3);
}

#[tokio::test]
async fn a_changed_fee_is_a_changed_total_too() {
    let app = spawn_app().await;
    with_zones(&app).await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;

    let response = app
        .request(Method::POST, "/api/v1/orders")
        .json(&expecting(&sku, 1, 15000, Some("cocody")))
        .send()
        .await
        .expect("sent");

    let problem = app
        .problem(response, StatusCode::CONFLICT, "price_changed")
        .await;
    assert_eq!(problem["delivery_fee"], 1500);
    assert_eq!(problem["total"], 16500);
}

#[tokio::test]
async fn stock_is_decided_before_price() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 1).await;

    let response = app
        .request(Method::POST, "/api/v1/orders")
        .json(&expecting(&sku, 2, 1, None))
        .send()
        .await
        .expect("sent");

    app.problem(response, StatusCode::CONFLICT, "insufficient_stock")
        .await;
}

#[tokio::test]
async fn a_negative_expected_total_is_a_validation_error() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 1).await;

    let response = app
        .request(Method::POST, "/api/v1/orders")
        .json(&expecting(&sku, 1, -5, None))
        .send()
        .await
        .expect("sent");

    app.validation_problem(response, "expected_total").await;
}

#[tokio::test]
async fn the_cart_check_answers_each_lines_current_price() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 3).await;
    set_price(&app, "robe-ete", 9500).await;

    let check: Value = app
        .check_cart(&json!({"lines": [{"sku": sku, "quantity": 1}]}))
        .await
        .json()
        .await
        .expect("json");

    assert_eq!(check["lines"][0]["unit_price"], 9500);
    assert_eq!(check["lines"][0]["for_sale"], true);
}

#[tokio::test]
async fn under_a_rush_at_a_new_price_nobody_is_charged_the_old_one() {
    let app = Arc::new(spawn_app().await);
    let sku = app.product_with_stock("robe-ete", "M", 20).await;
    set_price(&app, "robe-ete", 11000).await;

    let answers = app
        .together(30, |app, buyer| {
            let sku = sku.clone();
            async move {
                // Half the buyers saw the old price, half the new one.
                let seen = if buyer % 2 == 0 { 15000 } else { 11000 };
                let mut body = order_body(&phone(buyer), &[(&sku, 1)]);
                body["expected_total"] = json!(seen);
                app.place(&body, None).await
            }
        })
        .await;

    let sold = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::CREATED)
        .inspect(|(_, order)| assert_eq!(order["order"]["total"], 11000))
        .count();
    let refused = answers
        .iter()
        .filter(|(_, body)| body["code"] == "price_changed")
        .count();
    assert_eq!((sold, refused), (15, 15));
    assert_eq!(app.available(&sku).await, 5);
}

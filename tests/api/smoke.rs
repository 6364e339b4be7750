//! A first walk through the API: the demo-like path from catalog to order.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{order_body, phone, spawn_app};

#[tokio::test]
async fn a_buyer_orders_a_size_and_the_ledger_follows() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;

    let response = app
        .post_order(&order_body(&phone(1), &[(&sku, 2)]), None)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let placed: Value = response.json().await.expect("json");
    assert_eq!(placed["order"]["total"], json!(30000));
    assert!(
        placed["order"]["number"]
            .as_str()
            .expect("a number")
            .starts_with("SR-")
    );

    assert_eq!(app.available(&sku).await, 3);
    assert_eq!(app.ledger_sum(&sku).await, 3);
    assert_eq!(app.audit().await["consistent"], json!(true));
}

//! The desk's reports: the filtered orders as CSV, the picking list,
//! the customers by phone, and the pickup number a shop may require, on
//! the suite's database (SQLite, or PostgreSQL with
//! `STOCKROOM_TEST_API_DATABASE=postgres`).

mod customers;
mod orders_csv;
mod picking;
mod pickup_number;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

impl TestApp {
    /// A JSON answer of the admin API that must be 200.
    pub async fn admin_json(&self, path: &str) -> Value {
        let response = self.admin_get(path).await;
        let status = response.status();
        let text = response.text().await.expect("a body");
        assert_eq!(status, StatusCode::OK, "{path}: {text}");
        serde_json::from_str(&text).expect("JSON")
    }

    /// An order for `name` at `phone` (as typed), placed: the buyer's view.
    pub async fn order_by(&self, name: &str, phone: &str, lines: &[(&str, i64)]) -> Value {
        let body = json!({
            "customer": {"name": name, "phone": phone},
            "delivery": {"address": "Cocody, Abidjan"},
            "lines": lines.iter().map(|(sku, quantity)| json!({"sku": sku, "quantity": quantity})).collect::<Vec<_>>(),
        });
        let (status, answer) = self.place(&body, None).await;
        assert_eq!(status, StatusCode::CREATED, "order placed: {answer}");
        answer["order"].clone()
    }

    /// Records `order` as paid in full by `method`.
    pub async fn pay(&self, order: &Value, method: &str) {
        let id = order["id"].as_str().expect("an id");
        let body = json!({"status": "paid", "method": method, "amount": order["total"], "reference": null});
        let response = self
            .admin_post(&format!("/api/v1/admin/orders/{id}/payment"), &body)
            .await;
        assert_eq!(response.status(), StatusCode::OK, "payment of {id}");
    }
}

/// The id of an order answered by the API.
fn id_of(order: &Value) -> &str {
    order["id"].as_str().expect("an id")
}

//! The order desk: search and counts, payments, notes, edits and steps
//! back in an order's history, returns and exchanges through the ledger.

mod history;
mod payment;
mod returns;
mod search;

use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::helpers::{TestApp, order_body};

impl TestApp {
    /// Places an order for `phone` and answers it (the buyer's view).
    pub async fn order_for(&self, phone: &str, lines: &[(&str, i64)]) -> Value {
        let (status, body) = self.place(&order_body(phone, lines), None).await;
        assert_eq!(status, reqwest::StatusCode::CREATED, "order placed: {body}");
        body["order"].clone()
    }

    /// Moves an order through each status of `path`, each move accepted.
    pub async fn walk(&self, order_id: &str, path: &[&str]) {
        for status in path {
            let response = self.set_status(order_id, status).await;
            assert_eq!(response.status(), 200, "order moved to {status}");
        }
    }

    pub async fn admin_patch(&self, path: &str, body: &Value) -> Response {
        self.admin(Method::PATCH, path)
            .json(body)
            .send()
            .await
            .expect("the request is sent")
    }

    /// The admin orders list for a query string, its orders' numbers.
    pub async fn numbers_found(&self, query: &str) -> Vec<String> {
        let response = self
            .admin_get(&format!("/api/v1/admin/orders?{query}"))
            .await;
        assert_eq!(response.status(), 200, "orders?{query}");
        let body: Value = response.json().await.expect("a list");
        body["orders"]
            .as_array()
            .expect("orders")
            .iter()
            .map(|o| o["number"].as_str().expect("a number").to_owned())
            .collect()
    }

    pub async fn history(&self, order_id: &str) -> Vec<Value> {
        let response = self
            .admin_get(&format!("/api/v1/admin/orders/{order_id}/history"))
            .await;
        assert_eq!(response.status(), 200, "history of {order_id}");
        let body: Value = response.json().await.expect("a history");
        body["events"].as_array().expect("events").clone()
    }

    pub async fn take_return(&self, order_id: &str, body: &Value) -> Response {
        self.admin_post(&format!("/api/v1/admin/orders/{order_id}/return"), body)
            .await
    }
}

/// A return body of `lines` and `replacements`, restocked.
pub fn return_body(lines: &[(&str, i64)], replacements: &[(&str, i64)]) -> Value {
    let of = |lines: &[(&str, i64)]| {
        lines
            .iter()
            .map(|(sku, quantity)| json!({"sku": sku, "quantity": quantity}))
            .collect::<Vec<_>>()
    };
    json!({"lines": of(lines), "restock": true, "replacements": of(replacements)})
}

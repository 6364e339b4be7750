//! The stockroom's bulk operations: deliveries received as one receipt
//! (`receipts.rs`), counts applied all or nothing (`counts.rs`), and a
//! count typed while a rush sells the same variants (`count_rush.rs`).

mod count_rush;
mod counts;
mod receipts;

use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::TestApp;

impl TestApp {
    /// `POST /api/v1/admin/receipts`.
    pub async fn receive(&self, body: &Value) -> Response {
        self.admin_post("/api/v1/admin/receipts", body).await
    }

    /// `POST /api/v1/admin/stock/adjustments`.
    pub async fn count(&self, body: &Value) -> Response {
        self.admin_post("/api/v1/admin/stock/adjustments", body)
            .await
    }

    /// Units on hand of `sku` as the audit reads them (retired variants too).
    pub async fn stock_of(&self, sku: &str) -> i64 {
        let audit = self.audit().await;
        audit["variants"]
            .as_array()
            .expect("variants")
            .iter()
            .find(|v| v["sku"] == sku)
            .and_then(|v| v["available"].as_i64())
            .unwrap_or_else(|| panic!("{sku} is in the audit"))
    }
}

/// A receipt body of `(sku, quantity)` lines.
pub fn receipt_body(reference: &str, lines: &[(&str, i64)]) -> Value {
    let lines: Vec<Value> = lines
        .iter()
        .map(|(sku, quantity)| json!({"sku": sku, "quantity": quantity}))
        .collect();
    json!({"reference": reference, "supplier": "Atelier Adjamé", "lines": lines})
}

/// A count body: each line `(sku, counted, expected_available)`.
pub fn count_body(reason: &str, lines: &[(&str, i64, i64)]) -> Value {
    let lines: Vec<Value> = lines
        .iter()
        .map(|(sku, set, expected)| json!({"sku": sku, "set": set, "expected_available": expected}))
        .collect();
    json!({"reason": reason, "lines": lines})
}

/// Reads a 2xx answer's body, failing with the body otherwise.
pub async fn ok_json(response: Response, status: StatusCode) -> Value {
    let got = response.status();
    let text = response.text().await.expect("a body");
    assert_eq!(got, status, "body: {text}");
    serde_json::from_str(&text).expect("JSON")
}

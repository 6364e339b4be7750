//! The checkout under real concurrency: buyers released together by a
//! barrier against a real server, and the outcomes checked against what
//! some serial order of the same buyers would give.

mod batches;
mod false_rejects;
mod multi_line;
mod scenarios;

use reqwest::StatusCode;
use serde_json::Value;
use stockroom::config::Config;

use crate::helpers::{TestApp, phone};

/// Every concurrency case is played this many times, on fresh products.
pub const ROUNDS: usize = 20;

/// A server that commits each order in a transaction of its own.
pub fn single_mode() -> Config {
    let mut config = crate::helpers::test_config();
    config.store.checkout_batch_max = 1;
    config
}

/// A phone of its own for each buyer of each round, so the per-customer
/// limit (2 by default) never mixes into the stock outcomes.
pub fn buyer_phone(round: usize, buyer: usize) -> String {
    phone(round * 1000 + buyer)
}

/// The problem `code` of an answer, or "" for a success.
pub fn code(body: &Value) -> &str {
    body["code"].as_str().unwrap_or("")
}

/// `(sku, quantity)` of each line of an order as the server answered it.
pub fn order_lines(order: &Value) -> Vec<(String, i64)> {
    order["lines"]
        .as_array()
        .expect("order lines")
        .iter()
        .map(|l| {
            let sku = l["sku"].as_str().expect("a sku").to_owned();
            (sku, l["quantity"].as_i64().expect("a quantity"))
        })
        .collect()
}

/// Asserts that stock, ledger and audit agree that `sku` holds `expected` units.
pub async fn assert_stock(app: &TestApp, sku: &str, expected: i64) {
    assert_eq!(app.available(sku).await, expected, "available of {sku}");
    assert_eq!(app.ledger_sum(sku).await, expected, "ledger sum of {sku}");
}

/// Counts answers by status.
pub fn count(answers: &[(StatusCode, Value)], status: StatusCode) -> usize {
    answers.iter().filter(|(s, _)| *s == status).count()
}

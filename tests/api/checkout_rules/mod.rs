//! The checkout's rules, one at a time: what a refusal says, whose prices
//! count, idempotency keys, the per-customer limit, order statuses, a
//! buyer's access to their order, and the cart check.

mod cart;
mod customer_check;
mod idempotency;
mod order_limit;
mod phones;
mod short_lines;
mod statuses;

use reqwest::{Response, StatusCode};
use serde_json::Value;

/// Status and JSON body of an answer.
pub async fn read(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    (status, response.json().await.expect("a JSON answer"))
}

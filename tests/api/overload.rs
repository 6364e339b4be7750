//! Back-pressure, on SQLite's writer and on PostgreSQL's checkout sequencer
//! alike (the suite runs on both): when more checkouts arrive than the queue
//! holds, the excess is answered at once with 503 `unavailable` and
//! `Retry-After`, never queued without bound, and the rest is served
//! correctly.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::json;
use stockroom::config::Config;
use stockroom::config::StoreConfig;

use crate::helpers::{order_body, phone, spawn_app_with, test_config};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_full_write_queue_answers_503_with_retry_after_and_serves_the_rest() {
    // A queue of 2 and two orders per commit (one would take PostgreSQL's
    // path without a queue): 200 buyers released together overflow it, so
    // some must be turned away while others are served.
    let config = Config {
        store: StoreConfig {
            write_queue_max: 2,
            checkout_batch_max: 2,
            ..StoreConfig::default()
        },
        ..test_config()
    };
    let app = Arc::new(spawn_app_with(config).await);
    let sku = app.product_with_stock("robe-ete", "M", 1000).await;

    let answers = app
        .together(200, |app, buyer| {
            let body = order_body(&phone(buyer), &[(&sku, 1)]);
            async move {
                let response = app.post_order(&body, None).await;
                let retry_after = response
                    .headers()
                    .get("retry-after")
                    .map(|v| v.to_str().unwrap_or("").to_owned());
                let status = response.status();
                let problem: serde_json::Value = response.json().await.unwrap_or_default();
                (status, retry_after, problem["code"].clone())
            }
        })
        .await;

    let created = answers
        .iter()
        .filter(|(s, ..)| *s == StatusCode::CREATED)
        .count();
    let turned_away: Vec<_> = answers
        .iter()
        .filter(|(s, ..)| *s == StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    assert_eq!(
        created + turned_away.len(),
        200,
        "only 201 and 503: {answers:?}"
    );
    assert!(!turned_away.is_empty(), "the queue of 2 overflowed");
    assert!(created > 0, "the queue kept serving");
    for (_, retry_after, code) in turned_away {
        assert_eq!(retry_after.as_deref(), Some("1"));
        assert_eq!(code, &json!("unavailable"));
    }
    assert_eq!(app.available(&sku).await, 1000 - created as i64);
    app.assert_audit_consistent().await;
}

//! A history check in the spirit of Jepsen: every request and answer of a
//! concurrent rush is recorded with the client's clock, and checked from
//! outside against the ledger, which gives the serial order the server chose.
//! Each acceptance must have its sale in the ledger, taken inside the
//! request's lifetime; each refusal must quote a stock level the ledger
//! really went through during the request's lifetime, too small for it.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{order_body, phone, spawn_app};

/// One buyer's request as the client saw it.
struct Observed {
    sent: DateTime<Utc>,
    received: DateTime<Utc>,
    quantity: i64,
    status: StatusCode,
    body: Value,
}

fn at(text: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text.as_str().expect("a time"))
        .expect("RFC 3339")
        .with_timezone(&Utc)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_answer_of_a_rush_is_justified_by_the_stock_at_its_point_in_the_ledger() {
    // 100 buyers of 1 to 3 units race for 60 units, released together, five
    // rounds on fresh products; stock only falls during a round, so each
    // level the ledger went through lasts one interval of time.
    let app = Arc::new(spawn_app().await);
    app.put_settings(&serde_json::json!({"order_limit_per_customer": null}))
        .await;
    for round in 0..5 {
        let sku = app
            .product_with_stock(&format!("robe-{round}"), "M", 60)
            .await;
        let observed = app
            .together(100, |app, buyer| {
                let quantity = 1 + (buyer as i64 * 7 + round) % 3;
                let body = order_body(&phone(buyer), &[(&sku, quantity)]);
                async move {
                    let sent = Utc::now();
                    let (status, body) = app.place(&body, None).await;
                    Observed {
                        sent,
                        received: Utc::now(),
                        quantity,
                        status,
                        body,
                    }
                }
            })
            .await;
        check_history(
            &app.movements_matching(&format!("sku={sku}")).await,
            &observed,
            60,
        );
    }
}

/// The checker: replays the ledger as the serial order and places every
/// observed answer in it.
fn check_history(ledger: &[Value], observed: &[Observed], initial: i64) {
    // States the stock went through: (level, from, until).
    let mut states: Vec<(i64, DateTime<Utc>, Option<DateTime<Utc>>)> = Vec::new();
    let mut sales: HashMap<String, (i64, DateTime<Utc>)> = HashMap::new();
    let mut level = 0;
    for movement in ledger {
        let quantity = movement["quantity"].as_i64().expect("a quantity");
        level += quantity;
        assert_eq!(
            movement["available_after"].as_i64(),
            Some(level),
            "the ledger adds up"
        );
        assert!(level >= 0, "never below zero");
        let time = at(&movement["created_at"]);
        if let Some(last) = states.last_mut() {
            last.2 = Some(time);
        }
        states.push((level, time, None));
        if movement["kind"] == "sale" {
            let order = movement["order_id"].as_str().expect("an order").to_owned();
            assert!(
                sales.insert(order, (-quantity, time)).is_none(),
                "one sale per order"
            );
        }
    }
    assert_eq!(states.first().map(|s| s.0), Some(initial));
    let mut accepted = 0;
    for o in observed {
        match o.status {
            StatusCode::CREATED => {
                accepted += 1;
                let id = o.body["order"]["id"].as_str().expect("an id");
                let (quantity, time) = sales
                    .get(id)
                    .copied()
                    .expect("every acceptance has its sale in the ledger");
                assert_eq!(quantity, o.quantity);
                assert!(
                    o.sent <= time && time <= o.received,
                    "the sale happened while the request ran"
                );
            }
            StatusCode::CONFLICT => {
                let line = &o.body["lines"][0];
                let quoted = line["available"].as_i64().expect("the stock quoted");
                assert!(
                    quoted < o.quantity,
                    "a refusal only when the stock was too small"
                );
                let justified = states.iter().any(|(level, from, until)| {
                    *level == quoted
                        && *from <= o.received
                        && until.is_none_or(|until| until >= o.sent)
                });
                assert!(
                    justified,
                    "the quoted stock {quoted} was the real stock while the request ran"
                );
            }
            other => panic!("unexpected answer {other}: {}", o.body),
        }
    }
    assert_eq!(
        accepted,
        sales.len(),
        "no sale without an acknowledged order"
    );
}

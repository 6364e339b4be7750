//! A count typed while a rush sells the same variants never erases a sale:
//! each counted line is applied only on the stock it was counted from, or
//! refused as `stale_stock`.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::Value;

use super::count_body;
use crate::checkout_rush::buyer_phone;
use crate::helpers::{order_body, spawn_app};

const ROUNDS: usize = 10;
const SIZES: [&str; 4] = ["S", "M", "L", "XL"];
const STOCK: i64 = 30;
/// What she counts on each size: two units fewer than the page showed.
const COUNTED: i64 = STOCK - 2;
const BUYERS: usize = 24;

/// The id of a movement, as a number that orders the ledger.
fn id_of(movement: &Value) -> i64 {
    movement["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .expect("a numeric movement id")
}

// How it works: each round makes a product of four sizes with 30 units
// each, read as the count page shows them. 24 buyer tasks (one unit of
// size `buyer % 4` each) and 4 count tasks (one per size: 28 counted,
// `expected_available` 30) wait on one barrier and are released together.
// Afterwards, per size: an applied count comes before every sale of its
// size in the ledger (it was counted from 30 units), and the stock is 28
// minus the sales after it; a refused count
// is `stale_stock` naming the size with a stock below 30, and the stock is
// 30 minus every sale. Every 201 is a sale in the ledger, and the audit
// agrees with it all.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_count_typed_during_a_rush_never_erases_a_sale() {
    let app = Arc::new(spawn_app().await);
    let (mut applied, mut refused) = (0, 0);
    for round in 0..ROUNDS {
        let sizes: Vec<(&str, i64)> = SIZES.iter().map(|s| (*s, STOCK)).collect();
        let skus = app
            .product_with_sizes(&format!("robe-rush-{round}"), &sizes)
            .await;
        let answers = app
            .together(BUYERS + SIZES.len(), |app, task| {
                let skus = skus.clone();
                async move {
                    let response = if task < BUYERS {
                        let sku = &skus[task % SIZES.len()];
                        let body = order_body(&buyer_phone(round, task), &[(sku, 1)]);
                        app.post_order(&body, None).await
                    } else {
                        let sku = &skus[task - BUYERS];
                        app.count(&count_body("inventaire", &[(sku, COUNTED, STOCK)]))
                            .await
                    };
                    let status = response.status();
                    (status, response.json::<Value>().await.expect("JSON"))
                }
            })
            .await;

        for (status, body) in &answers[..BUYERS] {
            // 30 units per size serve every buyer: nobody is refused.
            assert_eq!(*status, StatusCode::CREATED, "{body}");
        }
        let mut sales_seen = 0;
        for (size, sku) in skus.iter().enumerate() {
            let (status, answer) = &answers[BUYERS + size];
            let sales = app.all_movements(&[("sku", sku), ("kind", "sale")]).await;
            sales_seen += sales.len();
            let stock = app.available(sku).await;
            match *status {
                StatusCode::OK => {
                    applied += 1;
                    let movements = answer["movements"].as_array().expect("movements");
                    assert_eq!(movements.len(), 1, "{answer}");
                    let count_id = id_of(&movements[0]);
                    let before = sales.iter().filter(|s| id_of(s) < count_id).count();
                    assert_eq!(before, 0, "a sale came before an applied count of {sku}");
                    assert_eq!(stock, COUNTED - sales.len() as i64, "{sku}");
                }
                StatusCode::CONFLICT => {
                    refused += 1;
                    assert_eq!(answer["code"], "stale_stock", "{answer}");
                    let line = &answer["lines"][0];
                    assert_eq!(line["sku"], sku.as_str());
                    assert_eq!(line["expected_available"], STOCK);
                    let found = line["available"].as_i64().expect("available");
                    assert!(
                        found < STOCK && found >= STOCK - sales.len() as i64,
                        "{answer}"
                    );
                    assert_eq!(stock, STOCK - sales.len() as i64, "{sku}");
                }
                other => panic!("a count answered {other}: {answer}"),
            }
            assert_eq!(app.ledger_sum(sku).await, stock, "ledger of {sku}");
        }
        assert_eq!(sales_seen, BUYERS, "every order is a sale in the ledger");
    }
    assert_eq!(applied + refused, ROUNDS * SIZES.len());
    eprintln!("counts applied: {applied}, refused as stale: {refused}");
    app.assert_audit_consistent().await;
}

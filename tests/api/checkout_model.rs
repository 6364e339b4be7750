//! The checkout against a model: random sequences of orders, cancels,
//! restocks and adjustments, played on a real server and on a few lines of
//! in-memory bookkeeping, must agree after every step.

use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, order_body, phone, spawn_app};

/// Sizes of the product each case plays with; their skus sort in this order.
const SIZES: [&str; 4] = ["A", "B", "C", "D"];

#[derive(Clone, Debug)]
enum Op {
    /// An order of `(size, quantity)` lines; a size may come twice (merged).
    Order(Vec<(usize, i64)>),
    /// Cancels the n-th order taken so far (modulo their number).
    Cancel(usize),
    /// Confirms the n-th order taken so far (modulo their number).
    Confirm(usize),
    Restock(usize, i64),
    Adjust(usize, i64),
    SetLevel(usize, i64),
}

fn op() -> impl Strategy<Value = Op> {
    let size = 0..SIZES.len();
    prop_oneof![
        5 => prop::collection::vec((size.clone(), 1..=3i64), 1..=3).prop_map(Op::Order),
        2 => (0..64usize).prop_map(Op::Cancel),
        1 => (0..64usize).prop_map(Op::Confirm),
        1 => (size.clone(), 1..=4i64).prop_map(|(s, q)| Op::Restock(s, q)),
        1 => (size.clone(), prop_oneof![-4..=-1i64, 1..=4i64]).prop_map(|(s, d)| Op::Adjust(s, d)),
        1 => (size, 0..=6i64).prop_map(|(s, n)| Op::SetLevel(s, n)),
    ]
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Pending,
    Confirmed,
    Cancelled,
}

/// An order the model knows was taken: its id, `(size, units)` lines and status.
#[derive(Clone)]
struct Taken {
    id: String,
    lines: Vec<(usize, i64)>,
    status: Status,
}

/// What the shop should hold: units per size and the orders taken.
struct Model {
    stock: Vec<i64>,
    orders: Vec<Taken>,
}

/// One case: a fresh product, then every op on server and model side by side.
async fn play(app: &TestApp, case: usize, initial: &[i64], ops: &[Op]) {
    let sizes: Vec<(&str, i64)> = SIZES.iter().copied().zip(initial.iter().copied()).collect();
    let skus = app
        .product_with_sizes(&format!("modele-{case}"), &sizes)
        .await;
    let mut model = Model {
        stock: initial.to_vec(),
        orders: Vec::new(),
    };
    for (step, op) in ops.iter().enumerate() {
        let context = format!("case {case}, step {step}: {op:?}");
        match op {
            Op::Order(lines) => {
                let body = order_body(
                    &phone(case * 1000 + step),
                    &lines
                        .iter()
                        .map(|(s, q)| (skus[*s].as_str(), *q))
                        .collect::<Vec<_>>(),
                );
                let (status, answer) = app.place(&body, None).await;
                expect_order(&mut model, &skus, lines, status, &answer, &context);
            }
            Op::Cancel(n) | Op::Confirm(n) if !model.orders.is_empty() => {
                let at = n % model.orders.len();
                let Taken {
                    id,
                    lines,
                    status: before,
                } = model.orders[at].clone();
                let cancel = matches!(op, Op::Cancel(_));
                let to = if cancel { "cancelled" } else { "confirmed" };
                let status = app.set_status(&id, to).await.status();
                let allowed = if cancel {
                    before != Status::Cancelled
                } else {
                    before == Status::Pending
                };
                if allowed {
                    assert_eq!(status, StatusCode::OK, "{context}");
                    model.orders[at].status = if cancel {
                        Status::Cancelled
                    } else {
                        Status::Confirmed
                    };
                    if cancel {
                        for (size, quantity) in lines {
                            model.stock[size] += quantity;
                        }
                    }
                } else {
                    assert_eq!(status, StatusCode::CONFLICT, "{context}");
                }
            }
            Op::Cancel(_) | Op::Confirm(_) => continue,
            Op::Restock(size, quantity) => {
                let answer = app.restock(&skus[*size], *quantity).await;
                model.stock[*size] += quantity;
                expect_level(answer, model.stock[*size], &context).await;
            }
            Op::Adjust(size, delta) => {
                let answer = app
                    .adjust(&skus[*size], &json!({"delta": delta, "reason": "abîmé"}))
                    .await;
                if model.stock[*size] + delta < 0 {
                    assert_eq!(answer.status(), StatusCode::CONFLICT, "{context}");
                    let problem: Value = answer.json().await.expect("json");
                    assert_eq!(problem["code"], json!("insufficient_stock"), "{context}");
                } else {
                    model.stock[*size] += delta;
                    expect_level(answer, model.stock[*size], &context).await;
                }
            }
            Op::SetLevel(size, level) => {
                let answer = app
                    .adjust(&skus[*size], &json!({"set": level, "reason": "inventaire"}))
                    .await;
                model.stock[*size] = *level;
                expect_level(answer, *level, &context).await;
            }
        }
        for (sku, units) in skus.iter().zip(&model.stock) {
            assert_eq!(
                app.available(sku).await,
                *units,
                "available of {sku} after {context}"
            );
            assert_eq!(
                app.ledger_sum(sku).await,
                *units,
                "ledger of {sku} after {context}"
            );
        }
    }
    app.assert_audit_consistent().await;
}

/// Checks an order's answer against the model and updates the model.
fn expect_order(
    model: &mut Model,
    skus: &[String],
    lines: &[(usize, i64)],
    status: StatusCode,
    answer: &Value,
    context: &str,
) {
    let mut merged = vec![0; SIZES.len()];
    for (size, quantity) in lines {
        merged[*size] += quantity;
    }
    let wanted: Vec<(usize, i64)> = merged
        .iter()
        .enumerate()
        .filter(|(_, q)| **q > 0)
        .map(|(s, q)| (s, *q))
        .collect();
    let short: Vec<Value> = wanted
        .iter()
        .filter(|(s, q)| model.stock[*s] < *q)
        .map(|(s, q)| json!({"sku": skus[*s], "requested": q, "available": model.stock[*s]}))
        .collect();
    if short.is_empty() {
        assert_eq!(status, StatusCode::CREATED, "{context}: {answer:#}");
        let expected: Vec<Value> = wanted.iter().map(|(s, q)| json!([skus[*s], q])).collect();
        let got: Vec<Value> = answer["order"]["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| json!([l["sku"], l["quantity"]]))
            .collect();
        assert_eq!(got, expected, "{context}");
        let units: i64 = wanted.iter().map(|(_, q)| q).sum();
        assert_eq!(answer["order"]["total"], json!(15000 * units), "{context}");
        for (s, q) in &wanted {
            model.stock[*s] -= q;
        }
        let id = answer["order"]["id"].as_str().expect("an id").to_owned();
        model.orders.push(Taken {
            id,
            lines: wanted,
            status: Status::Pending,
        });
    } else {
        assert_eq!(status, StatusCode::CONFLICT, "{context}: {answer:#}");
        assert_eq!(answer["code"], json!("insufficient_stock"), "{context}");
        assert_eq!(answer["lines"], json!(short), "{context}");
    }
}

/// A restock or adjustment answered 200 with the level the model expects.
async fn expect_level(answer: reqwest::Response, level: i64, context: &str) {
    assert_eq!(answer.status(), StatusCode::OK, "{context}");
    let change: Value = answer.json().await.expect("json");
    assert_eq!(change["available"], json!(level), "{context}");
    assert_eq!(
        change["movement"]["available_after"],
        json!(level),
        "{context}"
    );
}

// How it works: one server for the whole property; each proptest case gets
// a product of its own with 4 sizes of 0-5 units and plays ~25 random ops
// one after another, comparing every answer and, after every step, each
// size's stock and ledger sum with the model. Phones differ per order so
// the per-customer limit stays out of the way.
#[test]
fn random_orders_cancels_and_stock_changes_agree_with_a_model_of_the_stock() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let app = runtime.block_on(spawn_app());
    let config = ProptestConfig {
        cases: 12,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let cases = AtomicUsize::new(0);
    let strategy = (
        prop::collection::vec(0..=5i64, SIZES.len()),
        prop::collection::vec(op(), 20..=30),
    );
    let outcome = TestRunner::new(config).run(&strategy, |(initial, ops)| {
        let case = cases.fetch_add(1, Ordering::Relaxed);
        runtime.block_on(play(&app, case, &initial, &ops));
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

//! The ledger's invariant as a property: whatever admins and buyers do, in
//! whatever order, each variant's `available` is the sum of its movements and
//! the audit finds nothing wrong.
//!
//! How it works: proptest draws a starting stock and ~20 operations (restocks,
//! adjustments by delta or to a level, some of which would go below zero,
//! orders, status changes, cancellations, some too late or twice). Each case
//! runs a fresh server in its own tokio runtime and plays the operations over HTTP one after the other, while a
//! model of the stock predicts each answer: the exact status of every request
//! is asserted as it comes. At the end, the catalog must equal the model, the
//! ledger of every sku must sum to its stock, and the audit must say
//! `consistent: true` with no difference on any variant.

use proptest::prelude::*;
use proptest::sample::Index;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, order_body, phone, spawn_app};

const SKUS: [&str; 3] = ["ROBE-ETE-M", "ROBE-ETE-L", "CHEMISE-S"];

#[derive(Clone, Debug)]
enum Op {
    Restock {
        variant: usize,
        quantity: i64,
    },
    AdjustBy {
        variant: usize,
        delta: i64,
    },
    AdjustTo {
        variant: usize,
        level: i64,
    },
    Order {
        lines: Vec<(usize, i64)>,
    },
    /// Moves an order one step on (or tries to, once it is delivered or cancelled).
    Advance {
        order: Index,
    },
    Cancel {
        order: Index,
    },
}

/// The statuses an order moves through, in order; any of the first three can be cancelled.
const FORWARD: [&str; 5] = ["pending", "confirmed", "processing", "shipped", "delivered"];

fn op() -> impl Strategy<Value = Op> {
    let variant = 0..SKUS.len();
    prop_oneof![
        2 => (variant.clone(), 1i64..=10)
            .prop_map(|(variant, quantity)| Op::Restock { variant, quantity }),
        2 => (variant.clone(), prop_oneof![-12i64..=-1, 1i64..=6])
            .prop_map(|(variant, delta)| Op::AdjustBy { variant, delta }),
        1 => (variant.clone(), 0i64..=8)
            .prop_map(|(variant, level)| Op::AdjustTo { variant, level }),
        4 => prop::collection::vec((variant, 1i64..=4), 1..=3)
            .prop_map(|lines| Op::Order { lines }),
        1 => any::<Index>().prop_map(|order| Op::Advance { order }),
        2 => any::<Index>().prop_map(|order| Op::Cancel { order }),
    ]
}

/// What the shop should hold, computed without the server.
struct Model {
    stock: [i64; 3],
    orders: Vec<Placed>,
    /// Orders tried so far; each buyer gets its own phone, so that the
    /// per-customer limit never refuses one.
    buyers: usize,
}

/// An order the server took: its id, its units per variant and its status.
struct Placed {
    id: String,
    units: [i64; 3],
    status: &'static str,
}

async fn open_shop(app: &TestApp, initial: [i64; 3]) {
    app.create_product(&json!({
        "slug": "robe-ete", "title": "Robe d'été", "price": 15000,
        "variants": [{"size": "M", "stock": initial[0]}, {"size": "L", "stock": initial[1]}]
    }))
    .await;
    app.create_product(&json!({
        "slug": "chemise", "title": "Chemise", "price": 9000,
        "variants": [{"size": "S", "stock": initial[2]}]
    }))
    .await;
}

async fn play(app: &TestApp, model: &mut Model, op: &Op) {
    match op {
        Op::Restock { variant, quantity } => {
            let response = app.restock(SKUS[*variant], *quantity).await;
            assert_eq!(response.status(), StatusCode::OK);
            model.stock[*variant] += quantity;
        }
        Op::AdjustBy { variant, delta } => {
            let body = json!({"delta": delta, "reason": "propriété"});
            let response = app.adjust(SKUS[*variant], &body).await;
            if model.stock[*variant] + delta < 0 {
                app.problem(response, StatusCode::CONFLICT, "insufficient_stock")
                    .await;
            } else {
                assert_eq!(response.status(), StatusCode::OK);
                model.stock[*variant] += delta;
            }
        }
        Op::AdjustTo { variant, level } => {
            let body = json!({"set": level, "reason": "inventaire"});
            let response = app.adjust(SKUS[*variant], &body).await;
            assert_eq!(response.status(), StatusCode::OK);
            model.stock[*variant] = *level;
        }
        Op::Order { lines } => place_order(app, model, lines).await,
        Op::Advance { order } => {
            if model.orders.is_empty() {
                return;
            }
            let picked = order.index(model.orders.len());
            let placed = &mut model.orders[picked];
            let next = FORWARD
                .iter()
                .position(|s| *s == placed.status)
                .and_then(|i| FORWARD.get(i + 1));
            match next {
                Some(next) => {
                    let response = app.set_status(&placed.id, next).await;
                    assert_eq!(response.status(), StatusCode::OK);
                    placed.status = next;
                }
                None => {
                    let response = app.set_status(&placed.id, "confirmed").await;
                    app.problem(response, StatusCode::CONFLICT, "invalid_transition")
                        .await;
                }
            }
        }
        Op::Cancel { order } => {
            if model.orders.is_empty() {
                return;
            }
            let picked = order.index(model.orders.len());
            let placed = &mut model.orders[picked];
            let response = app.set_status(&placed.id, "cancelled").await;
            if matches!(placed.status, "pending" | "confirmed" | "processing") {
                assert_eq!(response.status(), StatusCode::OK);
                placed.status = "cancelled";
                for (stock, returned) in model.stock.iter_mut().zip(placed.units) {
                    *stock += returned;
                }
            } else {
                app.problem(response, StatusCode::CONFLICT, "invalid_transition")
                    .await;
            }
        }
    }
}

async fn place_order(app: &TestApp, model: &mut Model, lines: &[(usize, i64)]) {
    let mut units = [0; 3];
    for (variant, quantity) in lines {
        units[*variant] += quantity;
    }
    let skus: Vec<(&str, i64)> = lines.iter().map(|(v, q)| (SKUS[*v], *q)).collect();
    model.buyers += 1;
    let response = app
        .post_order(&order_body(&phone(model.buyers), &skus), None)
        .await;
    let servable = units.iter().zip(&model.stock).all(|(u, s)| u <= s);
    if !servable {
        app.problem(response, StatusCode::CONFLICT, "insufficient_stock")
            .await;
        return;
    }
    assert_eq!(response.status(), StatusCode::CREATED);
    let placed: Value = response.json().await.expect("json");
    let id = placed["order"]["id"].as_str().expect("an id").to_owned();
    for (stock, taken) in model.stock.iter_mut().zip(units) {
        *stock -= taken;
    }
    model.orders.push(Placed {
        id,
        units,
        status: "pending",
    });
}

async fn check_invariants(app: &TestApp, model: &Model) {
    for (sku, expected) in SKUS.iter().zip(model.stock) {
        let available = app.available(sku).await;
        assert_eq!(
            available, expected,
            "{sku}: the server disagrees with the model"
        );
        assert_eq!(
            app.ledger_sum(sku).await,
            available,
            "{sku}: ledger ≠ stock"
        );
    }
    let audit = app.audit().await;
    assert_eq!(audit["consistent"], json!(true), "audit: {audit}");
    assert_eq!(audit["negative_stock"], json!([]));
    for row in audit["variants"].as_array().expect("variants") {
        assert_eq!(row["difference"], 0, "audit row: {row}");
        assert_eq!(row["expected"], row["available"], "audit row: {row}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 16,
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_ledger_sums_to_the_stock_whatever_happens(
        initial in prop::array::uniform3(0i64..=5),
        ops in prop::collection::vec(op(), 15..=25),
    ) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let app = spawn_app().await;
            open_shop(&app, initial).await;
            let mut model = Model { stock: initial, orders: Vec::new(), buyers: 0 };
            for op in &ops {
                play(&app, &mut model, op).await;
            }
            check_invariants(&app, &model).await;
        });
    }
}

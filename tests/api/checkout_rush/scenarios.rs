//! The seed's scenarios, exactly: 5 units / 10 buyers, the last unit / 3
//! buyers, and 10 units / buyers of 3, 4 and 5.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{ROUNDS, assert_stock, buyer_phone, code, count, order_lines, single_mode};
use crate::helpers::{TestApp, order_body, spawn_app, spawn_app_with};

/// `buyers` buyers of one unit each rush a size with `stock` units: exactly
/// `stock` are served, everyone else is told another customer took it.
async fn last_units_rush(app: &Arc<TestApp>, name: &str, size: &str, stock: i64, buyers: usize) {
    for round in 0..ROUNDS {
        let slug = format!("{name}-{round}");
        let sku = app.product_with_stock(&slug, size, stock).await;
        let answers = app
            .together(buyers, |app, buyer| {
                let body = order_body(&buyer_phone(round, buyer), &[(&sku, 1)]);
                async move { app.place(&body, None).await }
            })
            .await;

        let served = count(&answers, StatusCode::CREATED);
        assert_eq!(served as i64, stock, "round {round}: {answers:#?}");
        assert_eq!(count(&answers, StatusCode::CONFLICT), buyers - served);
        let sold_out = format!("Produit {slug} (taille {size}) n'est plus disponible.");
        for (status, body) in &answers {
            if *status == StatusCode::CREATED {
                assert_eq!(order_lines(&body["order"]), [(sku.clone(), 1)]);
                continue;
            }
            assert_eq!(code(body), "insufficient_stock", "{body:#}");
            assert_eq!(body["detail"], json!(sold_out));
            assert_eq!(
                body["lines"],
                json!([{"sku": sku, "requested": 1, "available": 0}])
            );
        }
        assert_stock(app, &sku, 0).await;
    }
    app.assert_audit_consistent().await;
}

// How it works: each round creates a size M with 5 units, spawns 10 buyer
// tasks that wait on one barrier, then each posts an order of 1 unit; the
// checks count 201s and 409s and read stock, ledger and audit afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_units_and_ten_buyers_make_five_orders_and_five_refusals() {
    let app = Arc::new(spawn_app().await);
    last_units_rush(&app, "robe-a", "M", 5, 10).await;
}

// How it works: as above, on a server whose writer commits every order in a
// transaction of its own (`checkout_batch_max = 1`): group commit must not
// change a single outcome.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_units_and_ten_buyers_give_the_same_outcome_without_group_commit() {
    let app = Arc::new(spawn_app_with(single_mode()).await);
    last_units_rush(&app, "robe-a-single", "M", 5, 10).await;
}

// How it works: each round, a size L with its last unit and 3 buyer tasks
// released together by a barrier; exactly one order is taken.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_last_unit_and_three_buyers_make_one_order_and_two_refusals() {
    let app = Arc::new(spawn_app().await);
    last_units_rush(&app, "robe-b", "L", 1, 3).await;
}

/// What serving the buyers one after another in `turns` gives each of them:
/// `None` when served, `Some(available)` when refused with that much left.
fn serve_in_turn(stock: i64, quantities: &[i64], turns: &[usize]) -> Vec<Option<i64>> {
    let mut left = stock;
    let mut outcome = vec![None; quantities.len()];
    for &buyer in turns {
        if quantities[buyer] <= left {
            left -= quantities[buyer];
        } else {
            outcome[buyer] = Some(left);
        }
    }
    outcome
}

/// Every order of `0..n`.
fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new()];
    }
    let mut all = Vec::new();
    for shorter in permutations(n - 1) {
        for at in 0..=shorter.len() {
            let mut p = shorter.clone();
            p.insert(at, n - 1);
            all.push(p);
        }
    }
    all
}

// How it works: each round, 10 units of size M and three buyer tasks (3, 4
// and 5 units) released together by a barrier. Whatever order the server
// took them in, the outcome (who was served, and what each refusal says is
// left) must be the outcome of one of the 6 serial orders of these buyers.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn buyers_of_three_four_and_five_among_ten_units_get_what_a_serial_order_gives() {
    let app = Arc::new(spawn_app().await);
    let quantities = [3, 4, 5];
    let serial: Vec<Vec<Option<i64>>> = permutations(quantities.len())
        .iter()
        .map(|turns| serve_in_turn(10, &quantities, turns))
        .collect();
    for round in 0..ROUNDS {
        let slug = format!("robe-six-{round}");
        let sku = app.product_with_stock(&slug, "M", 10).await;
        let answers = app
            .together(quantities.len(), |app, buyer| {
                let body = order_body(&buyer_phone(round, buyer), &[(&sku, quantities[buyer])]);
                async move { app.place(&body, None).await }
            })
            .await;

        let observed: Vec<Option<i64>> = answers.iter().map(refused_with).collect();
        assert!(
            serial.contains(&observed),
            "round {round}: no serial order gives {observed:?}"
        );
        for ((status, body), requested) in answers.iter().zip(quantities) {
            if *status == StatusCode::CONFLICT {
                let left = body["lines"][0]["available"].as_i64().expect("available");
                assert_eq!(body["lines"][0]["requested"], json!(requested));
                assert_eq!(
                    body["detail"],
                    json!(if left == 1 {
                        format!(
                            "Il ne reste plus qu'un article de Produit {slug} (taille M), pour {requested} demandés : ajustez votre panier."
                        )
                    } else {
                        format!(
                            "Il ne reste plus que {left} articles de Produit {slug} (taille M), pour {requested} demandés : ajustez votre panier."
                        )
                    })
                );
            }
        }
        let served: i64 = quantities
            .iter()
            .zip(&observed)
            .filter(|(_, o)| o.is_none())
            .map(|(q, _)| q)
            .sum();
        assert_stock(&app, &sku, 10 - served).await;
    }
    app.assert_audit_consistent().await;
}

/// `None` for an order taken, `Some(available)` for an `insufficient_stock` refusal.
fn refused_with((status, body): &(StatusCode, Value)) -> Option<i64> {
    match *status {
        StatusCode::CREATED => None,
        StatusCode::CONFLICT => {
            assert_eq!(code(body), "insufficient_stock", "{body:#}");
            assert_eq!(body["lines"].as_array().map(Vec::len), Some(1));
            Some(body["lines"][0]["available"].as_i64().expect("available"))
        }
        other => panic!("unexpected answer {other}: {body:#}"),
    }
}

#[test]
fn the_serial_orders_of_three_four_and_five_leave_one_buyer_out() {
    let outcomes: Vec<_> = permutations(3)
        .iter()
        .map(|turns| serve_in_turn(10, &[3, 4, 5], turns))
        .collect();
    assert_eq!(outcomes.len(), 6);
    assert!(outcomes.contains(&vec![None, None, Some(3)]));
    assert!(outcomes.contains(&vec![Some(1), None, None]));
    assert!(outcomes.contains(&vec![None, Some(2), None]));
    assert!(outcomes.iter().all(|o| o.iter().flatten().count() == 1));
}

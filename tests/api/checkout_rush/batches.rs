//! Group commit: orders that share a transaction stay independent; a refusal
//! or an invalid order in a batch takes nothing from its neighbours.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::json;

use super::{ROUNDS, assert_stock, buyer_phone, code};
use crate::helpers::{order_body, spawn_app};

const BUYERS: usize = 40;

// How it works: each round, a size with plenty of stock (A) and a sold-out
// size (Z), and 40 buyer tasks released together by a barrier, so that they
// land in few batches. A quarter order A (must all be served); a quarter
// order A and Z (must all be refused, naming only Z); a quarter name an
// unknown sku and a quarter give a phone the store's normalisation refuses
// (both 422, raised inside the writer's transaction and rolled back to their
// own savepoint). Only the first quarter's units may leave the stock.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failing_order_in_a_batch_leaves_the_others_committed() {
    let app = Arc::new(spawn_app().await);
    for round in 0..ROUNDS {
        let skus = app
            .product_with_sizes(&format!("melange-{round}"), &[("A", 100), ("Z", 0)])
            .await;
        let (plenty, sold_out) = (&skus[0], &skus[1]);
        let unknown = format!("INCONNU-{round}");
        let answers = app
            .together(BUYERS, |app, buyer| {
                let phone = buyer_phone(round, buyer);
                let body = match buyer % 4 {
                    0 => order_body(&phone, &[(plenty.as_str(), 1)]),
                    1 => order_body(&phone, &[(plenty.as_str(), 1), (sold_out.as_str(), 1)]),
                    2 => order_body(&phone, &[(plenty.as_str(), 1), (unknown.as_str(), 1)]),
                    _ => order_body("+1234567", &[(plenty.as_str(), 1)]),
                };
                async move {
                    app.place(&body, Some(&format!("mix-{round}-{buyer}")))
                        .await
                }
            })
            .await;

        for (buyer, (status, body)) in answers.iter().enumerate() {
            match buyer % 4 {
                0 => assert_eq!(*status, StatusCode::CREATED, "{body:#}"),
                1 => {
                    assert_eq!(*status, StatusCode::CONFLICT, "{body:#}");
                    assert_eq!(code(body), "insufficient_stock");
                    assert_eq!(
                        body["lines"],
                        json!([{"sku": sold_out, "requested": 1, "available": 0}])
                    );
                }
                _ => {
                    assert_eq!(*status, StatusCode::UNPROCESSABLE_ENTITY, "{body:#}");
                    assert_eq!(code(body), "validation_failed");
                }
            }
        }
        assert_stock(&app, plenty, 100 - (BUYERS / 4) as i64).await;
        assert_stock(&app, sold_out, 0).await;
    }
    app.assert_audit_consistent().await;
}

/// What one task of a mixed storm did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Task {
    Buy,
    Cancel,
    Restock,
    Damage,
}

// How it works: each round, two sizes of 20 units and 6 orders placed
// beforehand; then 44 tasks released together by a barrier: 30 buyers of
// both sizes (1-2 units each, seeded rng), 6 cancels of the earlier orders,
// 4 restocks of A (+3) and 4 adjustments of B (-1), all landing in the same
// writer batches. Whatever the interleaving, every unit must be accounted
// for: final stock = initial − earlier orders + cancels + restocks −
// adjustments − units of the orders taken during the storm, and the ledger
// and the audit agree.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn orders_cancels_restocks_and_adjustments_in_one_storm_account_for_every_unit() {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    let app = Arc::new(spawn_app().await);
    for round in 0..ROUNDS {
        let skus = app
            .product_with_sizes(&format!("tempete-{round}"), &[("A", 20), ("B", 20)])
            .await;
        let (a, b) = (skus[0].as_str(), skus[1].as_str());
        let mut earlier = Vec::new();
        for buyer in 0..6 {
            let (status, body) = app
                .place(
                    &order_body(&buyer_phone(round, 900 + buyer), &[(a, 1), (b, 1)]),
                    None,
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{body:#}");
            earlier.push(body["order"]["id"].as_str().expect("an id").to_owned());
        }
        let mut rng = StdRng::seed_from_u64(0x57_0e + round as u64);
        let carts: Vec<(i64, i64)> = (0..30)
            .map(|_| (rng.random_range(1..=2), rng.random_range(1..=2)))
            .collect();
        let plan: Vec<Task> = [
            (Task::Buy, 30),
            (Task::Cancel, 6),
            (Task::Restock, 4),
            (Task::Damage, 4),
        ]
        .into_iter()
        .flat_map(|(task, n)| std::iter::repeat_n(task, n))
        .collect();

        let answers = app
            .together(plan.len(), |app, i| {
                let task = plan[i];
                let order = match task {
                    Task::Buy => Some(order_body(
                        &buyer_phone(round, i),
                        &[(a, carts[i].0), (b, carts[i].1)],
                    )),
                    _ => None,
                };
                let cancel = earlier.get(i.wrapping_sub(30)).cloned();
                let (a, b) = (a.to_owned(), b.to_owned());
                async move {
                    let response = match task {
                        Task::Buy => app.post_order(&order.expect("a cart"), None).await,
                        Task::Cancel => {
                            app.set_status(&cancel.expect("an order"), "cancelled")
                                .await
                        }
                        Task::Restock => app.restock(&a, 3).await,
                        Task::Damage => {
                            app.adjust(&b, &json!({"delta": -1, "reason": "abîmé"}))
                                .await
                        }
                    };
                    let status = response.status();
                    (
                        task,
                        status,
                        response.json::<serde_json::Value>().await.expect("json"),
                    )
                }
            })
            .await;

        let (mut sold_a, mut sold_b, mut damaged) = (0, 0, 0);
        for (i, (task, status, body)) in answers.iter().enumerate() {
            match (task, *status) {
                (Task::Buy, StatusCode::CREATED) => {
                    sold_a += carts[i].0;
                    sold_b += carts[i].1;
                }
                (Task::Buy | Task::Damage, StatusCode::CONFLICT) => {
                    assert_eq!(code(body), "insufficient_stock", "{body:#}");
                }
                (Task::Damage, StatusCode::OK) => damaged += 1,
                (Task::Cancel | Task::Restock, StatusCode::OK) => {}
                _ => panic!("round {round}: {task:?} answered {status}: {body:#}"),
            }
        }
        assert_stock(&app, a, 20 - 6 + 6 + 4 * 3 - sold_a).await;
        assert_stock(&app, b, 20 - 6 + 6 - damaged - sold_b).await;
    }
    app.assert_audit_consistent().await;
}

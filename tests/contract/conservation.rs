//! Conservation: after any mix of concurrent checkouts, restocks,
//! adjustments and cancels, every variant's movements sum to its stock, the
//! ledger's sales and returns match the orders, and nothing is negative.

use std::collections::HashMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use stockroom::domain::order::OrderStatus;
use stockroom::domain::page::{MovementFilter, OrderFilter};
use stockroom::domain::sku::Sku;
use stockroom::domain::stock::{AdjustBy, Adjustment, MovementKind, Restock};
use stockroom::store::StoreError;

use crate::harness::{TestStore, order, phone, request};
use crate::on_both_databases;

on_both_databases!(the_ledger_balances_after_random_concurrent_operations);

const WORKERS: u64 = 4;
const OPERATIONS_PER_WORKER: usize = 40;

async fn the_ledger_balances_after_random_concurrent_operations(t: TestStore) {
    t.set_order_limit(None).await;
    let skus = t.product("mix", &[("S", 6), ("M", 6), ("L", 6)]).await;
    let workers: Vec<_> = (0..WORKERS)
        .map(|worker| {
            let (store, admin, skus) = (t.store.clone(), t.admin.clone(), skus.clone());
            tokio::spawn(async move {
                let mut rng = StdRng::seed_from_u64(worker);
                let mut mine = Vec::new();
                for n in 0..OPERATIONS_PER_WORKER {
                    let sku = &skus[rng.random_range(0..skus.len())];
                    let result = match rng.random_range(0..10) {
                        0..6 => {
                            let other = &skus[rng.random_range(0..skus.len())];
                            let lines =
                                [(sku.as_str(), rng.random_range(1..3)), (other.as_str(), 1)];
                            let buyer = phone(worker as usize * 1000 + n);
                            match store.place_order(request(order(buyer, &lines), None)).await {
                                Ok(crate::harness::CheckoutAnswer::Decided(outcome)) => {
                                    if let Ok(placed) = *outcome {
                                        mine.push(placed.order.id);
                                    }
                                    Ok(())
                                }
                                other => panic!("unexpected checkout answer {other:?}"),
                            }
                        }
                        6 => {
                            let restock = Restock {
                                quantity: rng.random_range(1..4),
                                note: None,
                            };
                            store
                                .restock(&Sku::from_stored(sku.clone()), restock, &admin)
                                .await
                                .map(drop)
                        }
                        7 => {
                            let by = match rng.random_range(-3..3) {
                                0 => AdjustBy::Set(4),
                                delta => AdjustBy::Delta(delta),
                            };
                            let adjustment = Adjustment {
                                by,
                                reason: "count".into(),
                            };
                            store
                                .adjust_stock(&Sku::from_stored(sku.clone()), adjustment, &admin)
                                .await
                                .map(drop)
                        }
                        _ => match mine.pop() {
                            Some(id) => store
                                .set_order_status(&id, OrderStatus::Cancelled, None, &admin)
                                .await
                                .map(drop),
                            None => Ok(()),
                        },
                    };
                    match result {
                        Ok(()) | Err(StoreError::StockWouldGoNegative { .. }) => {}
                        Err(error) => panic!("operation {n} of worker {worker} failed: {error}"),
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("a worker finished");
    }
    t.assert_consistent().await;
    let movements = t
        .store
        .movements(MovementFilter {
            limit: 500,
            ..Default::default()
        })
        .await
        .expect("movements");
    assert!(
        movements.next_cursor.is_none(),
        "every movement fits in one page"
    );
    let mut ledger: HashMap<&str, i64> = HashMap::new();
    for m in &movements.items {
        *ledger.entry(m.sku.as_str()).or_default() += m.quantity;
    }
    for sku in &skus {
        assert_eq!(
            ledger[sku.as_str()],
            t.available(sku).await,
            "{sku}: ledger ≠ stock"
        );
    }
    // Every order's sales are in the ledger, one movement per line.
    let orders = t
        .store
        .orders(OrderFilter {
            limit: 500,
            ..Default::default()
        })
        .await
        .expect("orders");
    for o in &orders.items {
        let sales: Vec<_> = movements
            .items
            .iter()
            .filter(|m| m.kind == MovementKind::Sale && m.order_id.as_deref() == Some(&o.id))
            .collect();
        assert_eq!(
            sales.len(),
            o.lines.len(),
            "order {} is half-written",
            o.number
        );
    }
}

//! Cancelling returns an order's units exactly once, even when cancels race.

use std::sync::Arc;

use stockroom::domain::order::OrderStatus;
use stockroom::domain::page::MovementFilter;
use stockroom::domain::stock::MovementKind;

use crate::harness::{TestStore, is_transition_refusal, phone};
use crate::on_both_databases;

on_both_databases!(
    of_eight_racing_cancels_exactly_one_returns_the_units,
    a_shipped_order_cannot_be_cancelled,
);

async fn of_eight_racing_cancels_exactly_one_returns_the_units(t: TestStore) {
    let skus = t.product("cancel", &[("M", 5), ("L", 5)]).await;
    let placed = t
        .buy(phone(1), &[(&skus[0], 2), (&skus[1], 3)])
        .await
        .expect("an order");
    let barrier = Arc::new(tokio::sync::Barrier::new(8));
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (store, admin, barrier) = (t.store.clone(), t.admin.clone(), barrier.clone());
            let id = placed.order.id.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                store
                    .set_order_status(&id, OrderStatus::Cancelled, None, &admin)
                    .await
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("a cancel finished"));
    }
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(
        results
            .iter()
            .filter(|r| r.is_err())
            .all(is_transition_refusal)
    );
    assert_eq!(t.available(&skus[0]).await, 5);
    assert_eq!(t.available(&skus[1]).await, 5);
    let returns = t
        .store
        .movements(MovementFilter {
            kind: Some(MovementKind::Cancellation),
            limit: 100,
            ..Default::default()
        })
        .await
        .expect("movements");
    assert_eq!(returns.items.len(), 2, "one cancellation movement per line");
    t.assert_consistent().await;
}

async fn a_shipped_order_cannot_be_cancelled(t: TestStore) {
    let sku = t.product("shipped", &[("M", 5)]).await.remove(0);
    let placed = t.buy(phone(1), &[(&sku, 2)]).await.expect("an order");
    for status in [
        OrderStatus::Confirmed,
        OrderStatus::Processing,
        OrderStatus::Shipped,
    ] {
        t.store
            .set_order_status(&placed.order.id, status, None, &t.admin)
            .await
            .expect("moved on");
    }
    let cancel = t
        .store
        .set_order_status(&placed.order.id, OrderStatus::Cancelled, None, &t.admin)
        .await;
    assert!(is_transition_refusal(&cancel), "{cancel:?}");
    assert_eq!(t.available(&sku).await, 3);
}

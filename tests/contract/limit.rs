//! The per-customer order limit holds when one customer's orders race.

use stockroom::domain::order::CheckoutRefusal;

use crate::harness::{TestStore, phone, placed, rush};
use crate::on_both_databases;

on_both_databases!(
    five_orders_at_once_from_one_phone_under_a_limit_of_two_make_two,
    a_cancelled_order_does_not_count_towards_the_limit,
);

async fn five_orders_at_once_from_one_phone_under_a_limit_of_two_make_two(t: TestStore) {
    t.set_order_limit(Some(2)).await;
    let sku = t.product("limit", &[("M", 100)]).await.remove(0);
    // The same customer written two ways: the limit counts the normalised phone.
    let buyers = (0..5)
        .map(|b| {
            let typed = if b % 2 == 0 {
                phone(7)
            } else {
                "07 00 00 00 07".to_owned()
            };
            (typed, vec![(sku.clone(), 1)])
        })
        .collect();
    let outcomes = rush(&t, buyers).await;
    assert_eq!(placed(&outcomes).len(), 2, "{outcomes:?}");
    let limited = outcomes
        .iter()
        .filter(|o| matches!(o, Err(CheckoutRefusal::OrderLimitReached { limit: 2 })))
        .count();
    assert_eq!(limited, 3);
    assert_eq!(t.available(&sku).await, 98);
    t.assert_consistent().await;
}

async fn a_cancelled_order_does_not_count_towards_the_limit(t: TestStore) {
    t.set_order_limit(Some(1)).await;
    let sku = t.product("limit-cancel", &[("M", 10)]).await.remove(0);
    let first = t
        .buy(phone(3), &[(&sku, 1)])
        .await
        .expect("the first order");
    let second = t.buy(phone(3), &[(&sku, 1)]).await;
    assert_eq!(second, Err(CheckoutRefusal::OrderLimitReached { limit: 1 }));
    t.store
        .set_order_status(
            &first.order.id,
            stockroom::domain::order::OrderStatus::Cancelled,
            &t.admin,
        )
        .await
        .expect("cancelled");
    assert!(t.buy(phone(3), &[(&sku, 1)]).await.is_ok());
}

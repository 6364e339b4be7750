//! The per-customer order limit holds when one customer's orders race, and
//! each customer's kept count follows their orders: placed, cancelled,
//! counted again from a new reference date, and checked by the audit.

use stockroom::domain::order::{CheckoutRefusal, OrderStatus};
use stockroom::domain::settings::SettingsPatch;

use crate::harness::{TestStore, phone, placed, rush};
use crate::on_both_databases;

on_both_databases!(
    five_orders_at_once_from_one_phone_under_a_limit_of_two_make_two,
    a_cancelled_order_does_not_count_towards_the_limit,
    a_new_reference_date_counts_every_customer_again,
    the_audit_names_a_customer_whose_count_is_off,
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
            None,
            &t.admin,
        )
        .await
        .expect("cancelled");
    assert!(t.buy(phone(3), &[(&sku, 1)]).await.is_ok());
}

async fn set_reference_date(t: &TestStore, date: &str) {
    let patch: SettingsPatch =
        serde_json::from_value(serde_json::json!({ "reference_date": date })).expect("a patch");
    t.store
        .update_settings(patch, &t.admin)
        .await
        .expect("settings saved");
}

async fn a_new_reference_date_counts_every_customer_again(t: TestStore) {
    t.set_order_limit(Some(2)).await;
    let sku = t.product("limit-date", &[("M", 20)]).await.remove(0);
    let first = t.buy(phone(1), &[(&sku, 1)]).await.expect("a first order");
    t.buy(phone(1), &[(&sku, 1)]).await.expect("a second order");
    t.buy(phone(2), &[(&sku, 1)])
        .await
        .expect("another customer's");
    let third = t.buy(phone(1), &[(&sku, 1)]).await;
    assert_eq!(third, Err(CheckoutRefusal::OrderLimitReached { limit: 2 }));
    t.assert_consistent().await;
    // From a date after every order so far, nobody has ordered yet.
    set_reference_date(&t, &stockroom::domain::time::now()).await;
    t.assert_consistent().await;
    t.buy(phone(1), &[(&sku, 1)])
        .await
        .expect("counted from zero");
    t.buy(phone(1), &[(&sku, 1)]).await.expect("and again");
    let over = t.buy(phone(1), &[(&sku, 1)]).await;
    assert_eq!(over, Err(CheckoutRefusal::OrderLimitReached { limit: 2 }));
    // Cancelling an order from before the date gives nothing back...
    t.store
        .set_order_status(&first.order.id, OrderStatus::Cancelled, None, &t.admin)
        .await
        .expect("cancelled");
    let still = t.buy(phone(1), &[(&sku, 1)]).await;
    assert_eq!(still, Err(CheckoutRefusal::OrderLimitReached { limit: 2 }));
    t.assert_consistent().await;
    // ...and moving the date back counts the older orders again, the
    // cancelled one excepted: 1 before the date, 2 after.
    set_reference_date(&t, "1970-01-01T00:00:00.000000Z").await;
    let audit = t.store.audit().await.expect("an audit");
    assert!(
        audit.customer_counts.is_empty(),
        "{:?}",
        audit.customer_counts
    );
    t.assert_consistent().await;
    assert_eq!(
        t.available(&sku).await,
        20 - 5 + 1,
        "five placed, one cancelled"
    );
}

async fn the_audit_names_a_customer_whose_count_is_off(t: TestStore) {
    let sku = t.product("limit-audit", &[("M", 10)]).await.remove(0);
    t.buy(phone(4), &[(&sku, 1)]).await.expect("an order");
    t.buy(phone(5), &[(&sku, 1)]).await.expect("another");
    t.assert_consistent().await;
    // A stray script changes one count behind stockroom's back.
    t.raw_sql(&format!(
        "update customers set orders_counted = 7 where phone = '{}'",
        phone(4)
    ))
    .await
    .expect("the count is changed");
    let audit = t.store.audit().await.expect("an audit");
    assert!(!audit.consistent);
    let off: Vec<(String, i64, i64)> = audit
        .customer_counts
        .iter()
        .map(|c| (c.phone.clone(), c.counted, c.expected))
        .collect();
    assert_eq!(off, vec![(phone(4), 7, 1)]);
}

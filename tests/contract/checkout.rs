//! The checkout under contention: the seed's scenarios, multi-line orders
//! and false rejects. Each rush releases every buyer at once (a barrier)
//! against one store; the outcome must be one a serial order of the same
//! buyers allows, with stock, ledger and orders agreeing afterwards.

use stockroom::domain::order::CheckoutRefusal;

use crate::harness::{TestStore, phone, placed, rush, short_refusals};
use crate::on_both_databases;

on_both_databases!(
    five_units_and_ten_buyers_of_one_make_five_orders,
    the_last_unit_and_three_buyers_make_one_order,
    ten_units_and_buyers_of_three_four_and_five_make_two_orders,
    multi_line_orders_under_contention_leak_no_unit,
    with_more_stock_than_demand_nobody_is_refused,
);

async fn five_units_and_ten_buyers_of_one_make_five_orders(t: TestStore) {
    for round in 0..3 {
        let sku = &t.product(&format!("a-{round}"), &[("M", 5)]).await[0];
        let buyers = (0..10)
            .map(|b| (phone(round * 100 + b), vec![(sku.clone(), 1)]))
            .collect();
        let outcomes = rush(&t, buyers).await;
        assert_eq!(placed(&outcomes).len(), 5, "round {round}");
        assert_eq!(short_refusals(&outcomes), 5, "round {round}");
        assert_eq!(t.available(sku).await, 0);
    }
    t.assert_consistent().await;
}

async fn the_last_unit_and_three_buyers_make_one_order(t: TestStore) {
    for round in 0..3 {
        let sku = &t.product(&format!("b-{round}"), &[("M", 1)]).await[0];
        let buyers = (0..3)
            .map(|b| (phone(round * 100 + b), vec![(sku.clone(), 1)]))
            .collect();
        let outcomes = rush(&t, buyers).await;
        assert_eq!(placed(&outcomes).len(), 1, "round {round}");
        for outcome in outcomes.iter().filter(|o| o.is_err()) {
            let Err(CheckoutRefusal::InsufficientStock(lines)) = outcome else {
                panic!("a refusal for want of stock, got {outcome:?}");
            };
            assert_eq!((lines[0].requested, lines[0].available), (1, 0));
        }
        assert_eq!(t.available(sku).await, 0);
    }
    t.assert_consistent().await;
}

async fn ten_units_and_buyers_of_three_four_and_five_make_two_orders(t: TestStore) {
    for round in 0..3 {
        let sku = &t.product(&format!("six-{round}"), &[("M", 10)]).await[0];
        let wants = [3, 4, 5];
        let buyers = wants
            .iter()
            .enumerate()
            .map(|(b, q)| (phone(round * 100 + b), vec![(sku.clone(), *q)]))
            .collect();
        let outcomes = rush(&t, buyers).await;
        let sold: i64 = placed(&outcomes)
            .iter()
            .map(|p| p.order.lines[0].quantity)
            .sum();
        // Any two fit in 10 units and no three do: two orders, one refusal
        // that says exactly what was left.
        assert_eq!(placed(&outcomes).len(), 2, "round {round}: {outcomes:?}");
        let left = t.available(sku).await;
        assert_eq!(left, 10 - sold);
        let refused = outcomes.iter().find_map(|o| match o {
            Err(CheckoutRefusal::InsufficientStock(lines)) => Some(&lines[0]),
            _ => None,
        });
        let refused = refused.expect("one refusal");
        assert_eq!(refused.available, left);
        assert_eq!(refused.requested, 12 - sold);
    }
    t.assert_consistent().await;
}

async fn multi_line_orders_under_contention_leak_no_unit(t: TestStore) {
    let skus = t
        .product("multi", &[("S", 12), ("M", 12), ("L", 12), ("XL", 12)])
        .await;
    // 40 buyers, each wanting 3 of the 4 sizes: about four times the
    // stock, so many orders are short on some line.
    let buyers: Vec<_> = (0..40)
        .map(|b| {
            // Three of the four sizes, 1 or 2 units of each.
            let lines = (0..skus.len())
                .filter(|i| (b + i) % 4 != 0)
                .map(|i| (skus[i].clone(), 1 + ((b + i) % 2) as i64))
                .collect();
            (phone(b), lines)
        })
        .collect();
    let outcomes = rush(&t, buyers).await;
    for sku in &skus {
        let sold: i64 = placed(&outcomes)
            .iter()
            .flat_map(|p| &p.order.lines)
            .filter(|l| &l.sku == sku)
            .map(|l| l.quantity)
            .sum();
        assert_eq!(
            t.available(sku).await,
            12 - sold,
            "{sku}: units leaked or oversold"
        );
    }
    for outcome in &outcomes {
        if let Err(CheckoutRefusal::InsufficientStock(lines)) = outcome {
            assert!(lines.iter().all(|l| l.available < l.requested));
        }
    }
    assert!(
        short_refusals(&outcomes) > 0,
        "the rush was meant to run short"
    );
    t.assert_consistent().await;
}

async fn with_more_stock_than_demand_nobody_is_refused(t: TestStore) {
    let skus = t.product("ample", &[("M", 1000), ("L", 1000)]).await;
    let buyers = (0..60)
        .map(|b| {
            let mut lines = vec![(skus[0].clone(), 1 + (b % 3) as i64)];
            if b % 2 == 0 {
                lines.push((skus[1].clone(), 2));
            }
            (phone(b), lines)
        })
        .collect();
    let outcomes = rush(&t, buyers).await;
    assert_eq!(placed(&outcomes).len(), 60, "false rejects: {outcomes:?}");
    t.assert_consistent().await;
}

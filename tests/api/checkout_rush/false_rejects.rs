//! False rejects: while the stock could serve every buyer, nobody is refused.

use std::sync::Arc;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::StatusCode;

use super::{ROUNDS, assert_stock, buyer_phone, count};
use crate::helpers::{order_body, spawn_app};

// How it works: each round, 200 units of one size and 100 buyer tasks of 1
// unit released together by a barrier; every one of them must get a 201.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_buyers_of_one_among_two_hundred_units_are_all_served() {
    let app = Arc::new(spawn_app().await);
    for round in 0..ROUNDS {
        let sku = app
            .product_with_stock(&format!("stock-large-{round}"), "M", 200)
            .await;
        let answers = app
            .together(100, |app, buyer| {
                let body = order_body(&buyer_phone(round, buyer), &[(&sku, 1)]);
                async move { app.place(&body, None).await }
            })
            .await;
        assert_eq!(
            count(&answers, StatusCode::CREATED),
            100,
            "round {round}: {answers:#?}"
        );
        assert_stock(&app, &sku, 100).await;
    }
    app.assert_audit_consistent().await;
}

// How it works: each round, 10 sizes of 100 units and 50 buyer tasks of 3
// distinct sizes, 1-2 units each (at most 100 units of one size in all),
// released together by a barrier; every order must be taken whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn multi_line_buyers_are_all_served_while_the_stock_suffices() {
    let app = Arc::new(spawn_app().await);
    for round in 0..ROUNDS {
        let mut rng = StdRng::seed_from_u64(0xfa15e + round as u64);
        let sizes: Vec<String> = (0..10).map(|i| format!("T{i}")).collect();
        let sizes_ref: Vec<(&str, i64)> = sizes.iter().map(|s| (s.as_str(), 100)).collect();
        let skus = app
            .product_with_sizes(&format!("lot-large-{round}"), &sizes_ref)
            .await;
        let carts: Vec<Vec<(String, i64)>> = (0..50)
            .map(|_| {
                rand::seq::index::sample(&mut rng, skus.len(), 3)
                    .into_iter()
                    .map(|i| (skus[i].clone(), rng.random_range(1..=2)))
                    .collect()
            })
            .collect();
        let answers = app
            .together(carts.len(), |app, buyer| {
                let lines: Vec<(&str, i64)> =
                    carts[buyer].iter().map(|(s, q)| (s.as_str(), *q)).collect();
                let body = order_body(&buyer_phone(round, buyer), &lines);
                async move { app.place(&body, None).await }
            })
            .await;
        assert_eq!(
            count(&answers, StatusCode::CREATED),
            50,
            "round {round}: {answers:#?}"
        );
        for sku in &skus {
            let sold: i64 = carts
                .iter()
                .flatten()
                .filter(|(s, _)| s == sku)
                .map(|(_, q)| q)
                .sum();
            assert_stock(&app, sku, 100 - sold).await;
        }
    }
    app.assert_audit_consistent().await;
}

//! PostgreSQL only (SQLite has no connections to lose): the server ends
//! the store's connections again and again in the middle of a rush. A
//! transaction that lost its connection before `COMMIT` is run again by
//! the store; one that lost it after is answered 503 and resolved by the
//! client's retry with the same idempotency key. Afterwards the orders are
//! exactly those acknowledged, each whole, and ledger = stock = orders.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use stockroom::checkout::IdempotencyKey;
use stockroom::domain::page::OrderFilter;
use stockroom::store::StoreError;
use tokio_postgres::NoTls;

use crate::harness::{CheckoutAnswer, TestStore, order, phone, request};
use crate::pg_schema::base_url;

const BUYERS: usize = 12;
const ORDERS_PER_BUYER: usize = 6;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_lost_mid_rush_lose_no_acknowledged_order() {
    let Some(t) = TestStore::postgres("connections_lost_mid_rush").await else {
        return;
    };
    t.set_order_limit(None).await;
    let skus = Arc::new(t.product("lost", &[("M", 500), ("L", 500)]).await);
    let stop = Arc::new(AtomicBool::new(false));
    let terminated = Arc::new(AtomicU64::new(0));
    let killer = tokio::spawn(terminate_connections(
        t.schema_name().to_owned(),
        stop.clone(),
        terminated.clone(),
    ));
    let buyers: Vec<_> = (0..BUYERS)
        .map(|buyer| {
            let (store, skus) = (t.store.clone(), skus.clone());
            tokio::spawn(async move {
                let mut acknowledged = Vec::new();
                for n in 0..ORDERS_PER_BUYER {
                    let lines = [
                        (skus[0].as_str(), 1),
                        (skus[1].as_str(), 1 + (n % 2) as i64),
                    ];
                    let key = format!("buyer-{buyer}-order-{n}");
                    // Sent until decided, the same key every time.
                    loop {
                        let attempt = request(
                            order(phone(buyer * 100 + n), &lines),
                            Some(IdempotencyKey {
                                key: key.clone(),
                                request_hash: "same".into(),
                            }),
                        );
                        match store.place_order(attempt).await {
                            Ok(CheckoutAnswer::Decided(outcome)) => {
                                acknowledged.push(outcome.expect("ample stock").order.id);
                                break;
                            }
                            Ok(CheckoutAnswer::Replayed(stored)) => {
                                assert_eq!(stored.status, 201);
                                acknowledged.push(stored.body);
                                break;
                            }
                            Err(StoreError::Unavailable(_)) => {
                                tokio::time::sleep(Duration::from_millis(5)).await
                            }
                            Err(error) => panic!("unexpected checkout error: {error}"),
                        }
                    }
                }
                acknowledged
            })
        })
        .collect();
    let mut acknowledged = HashSet::new();
    for buyer in buyers {
        acknowledged.extend(buyer.await.expect("a buyer finished"));
    }
    stop.store(true, Ordering::Relaxed);
    killer.await.expect("the killer stopped");
    let ended = terminated.load(Ordering::Relaxed);
    println!("{ended} connections ended by the server during the rush");
    assert!(ended > 0, "no connection was ever ended");
    assert_eq!(acknowledged.len(), BUYERS * ORDERS_PER_BUYER);
    let orders = t
        .store
        .orders(OrderFilter {
            limit: 500,
            ..Default::default()
        })
        .await
        .expect("orders");
    let stored: HashSet<String> = orders.items.iter().map(|o| o.id.clone()).collect();
    assert_eq!(
        stored, acknowledged,
        "exactly the acknowledged orders, once each"
    );
    assert!(
        orders.items.iter().all(|o| o.lines.len() == 2),
        "no half-written order"
    );
    for sku in skus.iter() {
        let sold: i64 = orders
            .items
            .iter()
            .flat_map(|o| &o.lines)
            .filter(|l| &l.sku == sku)
            .map(|l| l.quantity)
            .sum();
        assert_eq!(t.available(sku).await, 500 - sold, "{sku}");
    }
    t.assert_consistent().await;
}

/// Ends every connection of this test's store, every few milliseconds,
/// until told to stop.
async fn terminate_connections(application: String, stop: Arc<AtomicBool>, count: Arc<AtomicU64>) {
    let base = base_url().expect("a test database");
    let (client, connection) = tokio_postgres::connect(&base, NoTls)
        .await
        .expect("a connection");
    let driver = tokio::spawn(connection);
    while !stop.load(Ordering::Relaxed) {
        tokio::time::sleep(Duration::from_millis(25)).await;
        let ended = client
            .query(
                "select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1",
                &[&application],
            )
            .await
            .expect("backends ended");
        count.fetch_add(ended.len() as u64, Ordering::Relaxed);
    }
    drop(client);
    let _ = driver.await;
}

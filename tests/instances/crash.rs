//! `kill -9` of one of three instances in the middle of a storm: no
//! acknowledged order is lost and no order is half-written.
//!
//! Buyers send orders with an idempotency key each, spread over the three
//! instances, and keep every 201 they get. One instance is killed while
//! they send. A request that got no answer (or a 503) may or may not have
//! been committed: it is resolved the way a client would, by sending it
//! again with the same key to a live instance, which replays the answer if
//! the order exists and decides it otherwise. Then every acknowledged order
//! must be there with its lines and its sale movements, the database must
//! hold no order that nobody was told about, and ledger = stock = orders.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use tokio::sync::Mutex;

use crate::cluster::Cluster;
use crate::shop::{order_body, phone};

const BUYERS: usize = 24;
const VICTIM: usize = 2;
const STOCK: i64 = 300;
const ORDERS_BEFORE_KILL: usize = 40;
const ORDERS_AFTER_KILL: usize = 40;
/// How long the storm may take to reach each count above.
const STORM_TIMEOUT: Duration = Duration::from_secs(30);

/// What the buyers saw: orders acknowledged (by id), and requests that got
/// no answer, with their idempotency key.
#[derive(Default)]
struct Seen {
    acknowledged: HashMap<String, Value>,
    unanswered: Vec<(String, Value)>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_one_of_three_instances_mid_storm_loses_no_acknowledged_order() {
    let Some(cluster) = Cluster::start(3, "kill_one_of_three").await else {
        return;
    };
    let cluster = Arc::new(cluster);
    let sizes: Vec<(String, i64)> = ["S", "M", "L", "XL", "XXL"]
        .iter()
        .map(|s| (s.to_string(), STOCK))
        .collect();
    let skus = Arc::new(cluster.create_product("crash", &sizes).await);
    let seen = Arc::new(Mutex::new(Seen::default()));
    let victim_dead = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let buyers: Vec<_> = (0..BUYERS)
        .map(|buyer| {
            let (cluster, skus, seen) = (cluster.clone(), skus.clone(), seen.clone());
            let (victim_dead, stop) = (victim_dead.clone(), stop.clone());
            tokio::spawn(async move {
                let mut rng = StdRng::seed_from_u64(buyer as u64);
                let mut sent = 0;
                while !stop.load(Ordering::Relaxed) {
                    let mut instance = (buyer + sent) % 3;
                    if instance == VICTIM && victim_dead.load(Ordering::Relaxed) {
                        instance = buyer % 2;
                    }
                    sent += 1;
                    let count = rng.random_range(1..=3);
                    let lines: Vec<(String, i64)> = skus
                        .choose_multiple(&mut rng, count)
                        .map(|sku| (sku.clone(), rng.random_range(1..=2)))
                        .collect();
                    let body = order_body(&phone(70_000 + buyer * 1000 + sent), &lines);
                    let key = uuid::Uuid::new_v4().to_string();
                    let answer = cluster.order(instance, &body, Some(&key)).await;
                    let mut seen = seen.lock().await;
                    match answer {
                        Ok((201, answer)) => {
                            let id = answer["order"]["id"].as_str().expect("an id").to_owned();
                            seen.acknowledged.insert(id, answer);
                        }
                        Ok((409, _)) => {}
                        Ok((503, _)) | Err(_) => seen.unanswered.push((key, body)),
                        Ok((status, answer)) => panic!("unexpected answer {status}: {answer}"),
                    }
                }
            })
        })
        .collect();
    // Kill once orders are flowing, and go on until more came after it:
    // counted, not timed, so a slow machine still kills mid-storm.
    wait_for_orders(&seen, ORDERS_BEFORE_KILL).await;
    cluster.kill(VICTIM);
    victim_dead.store(true, Ordering::Relaxed);
    wait_for_orders(&seen, ORDERS_BEFORE_KILL + ORDERS_AFTER_KILL).await;
    stop.store(true, Ordering::Relaxed);
    for buyer in buyers {
        buyer.await.expect("a buyer finished");
    }
    let mut seen = Arc::try_unwrap(seen)
        .ok()
        .expect("the buyers are done")
        .into_inner();
    assert!(
        seen.acknowledged.len() > 50,
        "the storm was too small to mean anything"
    );
    let (answered, unanswered) = (seen.acknowledged.len(), seen.unanswered.len());
    // What a client does after a lost answer: the same request, the same key.
    for (key, body) in std::mem::take(&mut seen.unanswered) {
        match cluster
            .order(0, &body, Some(&key))
            .await
            .expect("an answer")
        {
            (201, answer) => {
                let id = answer["order"]["id"].as_str().expect("an id").to_owned();
                seen.acknowledged.insert(id, answer);
            }
            (409, _) => {}
            (status, answer) => panic!("unexpected answer {status} on retry: {answer}"),
        }
    }
    println!(
        "{answered} orders acknowledged during the storm; {unanswered} requests unanswered, \
         of which {} turned out to be (or became) orders on retry",
        seen.acknowledged.len() - answered
    );
    check_every_order_is_whole(&cluster, &seen.acknowledged, &skus).await;
}

/// Waits until the buyers were told of `count` orders.
async fn wait_for_orders(seen: &Mutex<Seen>, count: usize) {
    let started = std::time::Instant::now();
    while seen.lock().await.acknowledged.len() < count {
        assert!(
            started.elapsed() < STORM_TIMEOUT,
            "the storm stalled before {count} orders"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn check_every_order_is_whole(
    cluster: &Cluster,
    acknowledged: &HashMap<String, Value>,
    skus: &[String],
) {
    let orders = cluster
        .admin_list(0, "/api/v1/admin/orders", "orders")
        .await;
    let stored: HashMap<&str, &Value> = orders
        .iter()
        .map(|o| (o["id"].as_str().expect("an id"), o))
        .collect();
    for (id, answer) in acknowledged {
        let order = stored
            .get(id.as_str())
            .unwrap_or_else(|| panic!("acknowledged order {id} lost"));
        assert_eq!(order["lines"], answer["order"]["lines"], "order {id}");
        let token = answer["access_token"].as_str().expect("a token");
        let own = cluster
            .client
            .get(format!("{}/api/v1/orders/{id}", cluster.base(1)))
            .bearer_auth(token)
            .send()
            .await
            .expect("an answer");
        assert_eq!(own.status(), 200, "the buyer cannot read order {id}");
    }
    assert_eq!(
        stored.len(),
        acknowledged.len(),
        "orders nobody was told about"
    );
    // Every order has one sale movement per line, of its quantity.
    let sales = cluster
        .admin_list(1, "/api/v1/admin/stock/movements?kind=sale", "movements")
        .await;
    let mut sold_by_order: HashMap<(&str, &str), i64> = HashMap::new();
    for sale in &sales {
        let key = (
            sale["order_id"].as_str().expect("an order"),
            sale["sku"].as_str().expect("a sku"),
        );
        *sold_by_order.entry(key).or_default() -= sale["quantity"].as_i64().expect("a quantity");
    }
    let mut sold_by_sku: HashMap<&str, i64> = HashMap::new();
    let mut lines = 0;
    for order in &orders {
        let id = order["id"].as_str().expect("an id");
        let order_lines = order["lines"].as_array().expect("lines");
        assert!(!order_lines.is_empty(), "order {id} has no lines");
        for line in order_lines {
            let (sku, quantity) = (
                line["sku"].as_str().expect("a sku"),
                line["quantity"].as_i64(),
            );
            assert_eq!(
                sold_by_order.get(&(id, sku)).copied(),
                quantity,
                "sale of {sku} in {id}"
            );
            *sold_by_sku.entry(sku).or_default() += quantity.expect("a quantity");
            lines += 1;
        }
    }
    assert_eq!(
        sales.len(),
        lines,
        "one sale movement per order line, no more"
    );
    let stock = cluster.stock(1).await;
    for sku in skus {
        let sold = sold_by_sku.get(sku.as_str()).copied().unwrap_or(0);
        assert_eq!(stock[sku], STOCK - sold, "{sku}: stock ≠ initial − orders");
    }
    cluster.assert_audit_consistent(&[0, 1]).await;
}

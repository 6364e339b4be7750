//! A count typed while a rush sells the same variants, across three
//! instances on one database: a counted line is applied only on the stock
//! it was counted from (the rows locked in the count's transaction), or
//! refused as `stale_stock`; no sale is ever erased.

use std::sync::Arc;

use reqwest::Method;
use serde_json::{Value, json};
use tokio::sync::Barrier;

use crate::cluster::Cluster;
use crate::shop::{Answer, order_body, phone};

const ROUNDS: usize = 3;
const STOCK: i64 = 20;
const COUNTED: i64 = STOCK - 1;
const SIZES: [&str; 3] = ["S", "M", "L"];
const BUYERS: usize = 18;

fn id_of(movement: &Value) -> i64 {
    movement["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .expect("a numeric movement id")
}

// How it works: a delivery is received through instance 1 and read back
// through instance 2. Then each round makes a product of three sizes with
// 20 units; 18 buyers (one unit of size `buyer % 3`, sent to instance
// `buyer % 3`) and three counts (one per size, 19 counted from the 20 the
// page showed, each to another instance) wait on one barrier. Afterwards,
// per size: an applied count precedes every sale of its size in the
// ledger and the stock is 19 minus those sales; a refused one is
// `stale_stock` and the stock is 20 minus every sale.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_never_let_a_count_erase_a_sale() {
    let Some(cluster) = Cluster::start(3, "three_instances_counts").await else {
        return;
    };
    let cluster = Arc::new(cluster);
    a_receipt_is_seen_by_every_instance(&cluster).await;
    for round in 0..ROUNDS {
        let sizes: Vec<(String, i64)> = SIZES.iter().map(|s| (s.to_string(), STOCK)).collect();
        let skus = cluster
            .create_product(&format!("inventaire-{round}"), &sizes)
            .await;
        let answers = race(&cluster, round, &skus).await;
        for (status, body) in &answers[..BUYERS] {
            assert_eq!(*status, 201, "20 units per size serve every buyer: {body}");
        }
        for (size, sku) in skus.iter().enumerate() {
            let (status, answer) = &answers[BUYERS + size];
            let path = format!("/api/v1/admin/stock/movements?sku={sku}");
            let movements = cluster.admin_list(size, &path, "movements").await;
            let sales: Vec<&Value> = movements.iter().filter(|m| m["kind"] == "sale").collect();
            let stock = cluster.stock(size + 1).await[sku];
            let ledger: i64 = movements
                .iter()
                .map(|m| m["quantity"].as_i64().expect("q"))
                .sum();
            assert_eq!(ledger, stock, "the ledger of {sku} sums to its stock");
            match *status {
                200 => {
                    let count_id = id_of(&answer["movements"][0]);
                    assert!(
                        sales.iter().all(|s| id_of(s) > count_id),
                        "{sku}: {movements:#?}"
                    );
                    assert_eq!(stock, COUNTED - sales.len() as i64, "{sku}");
                }
                409 => {
                    assert_eq!(answer["code"], "stale_stock", "{answer}");
                    assert_eq!(answer["lines"][0]["sku"], sku.as_str());
                    assert_eq!(stock, STOCK - sales.len() as i64, "{sku}");
                }
                other => panic!("a count answered {other}: {answer}"),
            }
        }
    }
    cluster.assert_audit_consistent(&[0, 1, 2]).await;
}

async fn a_receipt_is_seen_by_every_instance(cluster: &Cluster) {
    let sizes = [("S".to_owned(), 0), ("M".to_owned(), 1)];
    let skus = cluster.create_product("livraison", &sizes).await;
    let body = json!({"reference": "BL-1", "lines": [
        {"sku": &skus[0], "quantity": 4}, {"sku": &skus[1], "quantity": 2}
    ]});
    let (status, receipt) = cluster
        .admin_send(1, Method::POST, "/api/v1/admin/receipts", Some(&body))
        .await;
    assert_eq!(status, 201, "{receipt}");
    let id = receipt["id"].as_str().expect("an id");
    let path = format!("/api/v1/admin/receipts/{id}");
    let (status, read) = cluster.admin_send(2, Method::GET, &path, None).await;
    assert_eq!((status, &read), (200, &receipt));
    let stock = cluster.stock(0).await;
    assert_eq!((stock[&skus[0]], stock[&skus[1]]), (4, 3));
}

/// The buyers and the counts of one round, released together.
async fn race(cluster: &Arc<Cluster>, round: usize, skus: &[String]) -> Vec<Answer> {
    let tasks = BUYERS + SIZES.len();
    let barrier = Arc::new(Barrier::new(tasks));
    let handles: Vec<_> = (0..tasks)
        .map(|task| {
            let (cluster, barrier, skus) = (cluster.clone(), barrier.clone(), skus.to_vec());
            tokio::spawn(async move {
                barrier.wait().await;
                if task < BUYERS {
                    let line = [(skus[task % SIZES.len()].clone(), 1)];
                    let body = order_body(&phone(round * 100 + task), &line);
                    return cluster.order(task, &body, None).await.expect("an answer");
                }
                let size = task - BUYERS;
                let count = json!({"reason": "inventaire", "lines": [
                    {"sku": &skus[size], "set": COUNTED, "expected_available": STOCK}
                ]});
                let path = "/api/v1/admin/stock/adjustments";
                cluster
                    .admin_send(size + 1, Method::POST, path, Some(&count))
                    .await
            })
        })
        .collect();
    let mut answers = Vec::with_capacity(tasks);
    for handle in handles {
        answers.push(handle.await.expect("a task of the race"));
    }
    answers
}

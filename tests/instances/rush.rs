//! The rush scenarios sent across three instances at once: every outcome
//! must be one that a single instance (a serial order of the same buyers)
//! allows, and stock, ledger and orders must agree afterwards.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::Barrier;

use crate::cluster::Cluster;
use crate::shop::{Answer, order_body, phone};

const ROUNDS: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_on_one_database_end_each_rush_as_one_instance_would() {
    let Some(cluster) = Cluster::start(3, "three_instances_rush").await else {
        return;
    };
    let cluster = Arc::new(cluster);
    // Every scenario at the same time, each spreading its buyers over the three.
    let scenarios = [
        tokio::spawn(five_units_ten_buyers(cluster.clone())),
        tokio::spawn(last_unit_three_buyers(cluster.clone())),
        tokio::spawn(six(cluster.clone())),
        tokio::spawn(multi_line(cluster.clone())),
        tokio::spawn(last_unit_storm(cluster.clone())),
        tokio::spawn(one_customer_under_the_limit(cluster.clone())),
    ];
    for scenario in scenarios {
        scenario.await.expect("the scenario held");
    }
    cluster.assert_audit_consistent(&[0, 1, 2]).await;
    let mut ledger: HashMap<String, i64> = HashMap::new();
    for movement in cluster
        .admin_list(1, "/api/v1/admin/stock/movements", "movements")
        .await
    {
        let sku = movement["sku"].as_str().expect("a sku").to_owned();
        *ledger.entry(sku).or_default() += movement["quantity"].as_i64().expect("a quantity");
    }
    assert_eq!(
        ledger,
        cluster.stock(2).await,
        "the ledger sums to the stock"
    );
}

/// Sends every order at once (a barrier), buyer `i` to instance `i % 3`.
async fn race(cluster: &Arc<Cluster>, bodies: Vec<Value>) -> Vec<Answer> {
    let barrier = Arc::new(Barrier::new(bodies.len()));
    let tasks: Vec<_> = bodies
        .into_iter()
        .enumerate()
        .map(|(buyer, body)| {
            let (cluster, barrier) = (cluster.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                cluster.order(buyer, &body, None).await.expect("an answer")
            })
        })
        .collect();
    let mut answers = Vec::with_capacity(tasks.len());
    for task in tasks {
        answers.push(task.await.expect("a buyer finished"));
    }
    answers
}

fn count(answers: &[Answer], status: u16, code: Option<&str>) -> usize {
    answers
        .iter()
        .filter(|(s, body)| *s == status && code.is_none_or(|c| body["code"] == c))
        .count()
}

/// One-size products, `stock` units each; buyers ask for `wants`.
async fn rounds(cluster: &Arc<Cluster>, name: &str, stock: i64, wants: &[i64], first_phone: usize) {
    for round in 0..ROUNDS {
        let sku = cluster
            .create_product(&format!("{name}-{round}"), &[("M".into(), stock)])
            .await
            .remove(0);
        let bodies = wants
            .iter()
            .enumerate()
            .map(|(b, q)| order_body(&phone(first_phone + round * 100 + b), &[(sku.clone(), *q)]))
            .collect();
        let answers = race(cluster, bodies).await;
        let sold: i64 = answers
            .iter()
            .filter(|(s, _)| *s == 201)
            .map(|(_, body)| {
                body["order"]["lines"][0]["quantity"]
                    .as_i64()
                    .expect("a quantity")
            })
            .sum();
        let left = cluster.stock(round).await[&sku];
        assert_eq!(left, stock - sold, "{name} round {round}: nothing leaked");
        // A serial order allows exactly this: whoever was refused asked for
        // more than was left at the end (stock only went down).
        for (status, body) in &answers {
            match status {
                201 => {}
                409 => {
                    assert_eq!(body["code"], "insufficient_stock", "{body}");
                    let line = &body["lines"][0];
                    assert_eq!(line["available"], left, "{body}");
                    assert!(
                        line["requested"].as_i64() > Some(left),
                        "false reject: {body}"
                    );
                    let detail = body["detail"].as_str().expect("a detail");
                    let expected = match left {
                        0 => "n'est plus disponible.".to_owned(),
                        1 => "Il ne reste plus qu'un article de".to_owned(),
                        _ => format!("Il ne reste plus que {left} articles de"),
                    };
                    assert!(detail.contains(&expected), "{detail}");
                }
                _ => panic!("{name}: unexpected answer {status} {body}"),
            }
        }
    }
}

async fn five_units_ten_buyers(cluster: Arc<Cluster>) {
    rounds(&cluster, "a", 5, &[1; 10], 10_000).await;
}

async fn last_unit_three_buyers(cluster: Arc<Cluster>) {
    rounds(&cluster, "b", 1, &[1, 1, 1], 20_000).await;
}

/// 10 units, buyers of 3, 4 and 5: any two fit, no three do.
async fn six(cluster: Arc<Cluster>) {
    rounds(&cluster, "six", 10, &[3, 4, 5], 30_000).await;
}

async fn multi_line(cluster: Arc<Cluster>) {
    let sizes: Vec<(String, i64)> = ["S", "M", "L", "XL"]
        .iter()
        .map(|s| (s.to_string(), 12))
        .collect();
    let skus = cluster.create_product("multi", &sizes).await;
    // 45 buyers of three of the four sizes, 1 or 2 of each: about four
    // times the stock.
    let bodies = (0..45)
        .map(|b| {
            let lines: Vec<(String, i64)> = (0..4)
                .filter(|i| (b + i) % 4 != 0)
                .map(|i| (skus[i].clone(), 1 + ((b + i) % 2) as i64))
                .collect();
            order_body(&phone(40_000 + b), &lines)
        })
        .collect::<Vec<_>>();
    let answers = race(&cluster, bodies).await;
    let stock = cluster.stock(1).await;
    for sku in &skus {
        let sold: i64 = answers
            .iter()
            .filter(|(s, _)| *s == 201)
            .flat_map(|(_, body)| {
                body["order"]["lines"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .filter(|line| line["sku"] == sku.as_str())
            .map(|line| line["quantity"].as_i64().expect("a quantity"))
            .sum();
        assert_eq!(stock[sku], 12 - sold, "{sku}: units leaked or oversold");
    }
    for (status, body) in &answers {
        assert!(*status == 201 || *status == 409, "{status} {body}");
        if *status == 409 {
            // Refused rightly: some short line is still short at the end.
            let lines = body["lines"].as_array().expect("short lines");
            assert!(
                lines
                    .iter()
                    .any(|l| stock[l["sku"].as_str().expect("a sku")]
                        < l["requested"].as_i64().expect("requested")),
                "false reject: {body}"
            );
        }
    }
    assert!(count(&answers, 409, Some("insufficient_stock")) > 0);
}

/// 30 variants of one unit, three buyers for each.
async fn last_unit_storm(cluster: Arc<Cluster>) {
    let sizes: Vec<(String, i64)> = (0..30).map(|v| (format!("V{v:02}"), 1)).collect();
    let skus = cluster.create_product("last-unit", &sizes).await;
    let bodies = (0..90)
        .map(|b| order_body(&phone(50_000 + b), &[(skus[(b * 7) % 30].clone(), 1)]))
        .collect();
    let answers = race(&cluster, bodies).await;
    assert_eq!(count(&answers, 201, None), 30, "each last unit sold once");
    assert_eq!(count(&answers, 409, Some("insufficient_stock")), 60);
    let stock = cluster.stock(2).await;
    assert!(skus.iter().all(|sku| stock[sku] == 0));
}

/// The default limit of two orders per customer, five orders on three instances.
async fn one_customer_under_the_limit(cluster: Arc<Cluster>) {
    let sku = cluster
        .create_product("limit", &[("M".into(), 100)])
        .await
        .remove(0);
    let bodies = (0..5)
        .map(|_| order_body(&phone(60_000), &[(sku.clone(), 1)]))
        .collect();
    let answers = race(&cluster, bodies).await;
    assert_eq!(count(&answers, 201, None), 2, "{answers:?}");
    assert_eq!(count(&answers, 409, Some("order_limit_reached")), 3);
}

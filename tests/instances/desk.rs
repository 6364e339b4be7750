//! The order desk across three instances on one database: the same units
//! returned from every instance at once come back once, a return racing a
//! buyer for the last unit of its replacement leaves stock never below
//! zero, and each instance reads the others' payments and notes.

use std::sync::Arc;

use reqwest::Method;
use serde_json::{Value, json};
use tokio::sync::Barrier;

use crate::cluster::Cluster;
use crate::shop::{Answer, order_body, phone};

/// How it works: one order of 2 M and one of 1 M, both shipped. Round one:
/// each of the three instances is asked at once to take 1 M of the first
/// order back: two returns are accepted and the order is then `returned`,
/// the third refused (422: nothing left; or 409 once returned). Round two:
/// the second order's M is exchanged for the last L while a buyer on
/// another instance orders that L: exactly one of them gets it. Then every
/// instance reads the same payments and notes, and the audit agrees.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_take_each_unit_back_once_and_share_the_desk() {
    let Some(cluster) = Cluster::start(3, "three_instances_desk").await else {
        return;
    };
    let cluster = Arc::new(cluster);
    let sizes = [("M".to_owned(), 5), ("L".to_owned(), 1)];
    let skus = cluster.create_product("desk", &sizes).await;
    let (m, l) = (skus[0].clone(), skus[1].clone());
    let first = placed(&cluster, 0, &[(m.clone(), 2)]).await;
    let second = placed(&cluster, 1, &[(m.clone(), 1)]).await;
    for id in [&first, &second] {
        for status in ["confirmed", "processing", "shipped"] {
            let path = format!("/api/v1/admin/orders/{id}/status");
            let (code, body) = cluster
                .admin_send(2, Method::POST, &path, Some(&json!({"status": status})))
                .await;
            assert_eq!(code, 200, "{body}");
        }
    }

    let body = json!({"lines": [{"sku": &m, "quantity": 1}], "restock": true});
    let answers = together(&cluster, 3, |cluster, instance| {
        let (path, body) = (format!("/api/v1/admin/orders/{first}/return"), body.clone());
        async move {
            cluster
                .admin_send(instance, Method::POST, &path, Some(&body))
                .await
        }
    })
    .await;
    let accepted = answers.iter().filter(|(code, _)| *code == 200).count();
    assert_eq!(accepted, 2, "{answers:#?}");
    assert!(
        answers.iter().any(|(code, _)| *code == 422 || *code == 409),
        "{answers:#?}"
    );
    assert_eq!(order(&cluster, 1, &first).await["status"], "returned");
    assert_eq!(cluster.stock(2).await[&m], 5 - 3 + 2);

    let exchange = json!({"lines": [{"sku": &m, "quantity": 1}], "restock": true,
        "replacements": [{"sku": &l, "quantity": 1}]});
    let answers = together(&cluster, 2, |cluster, task| {
        let (second, exchange, l) = (second.clone(), exchange.clone(), l.clone());
        async move {
            if task == 0 {
                let path = format!("/api/v1/admin/orders/{second}/return");
                cluster
                    .admin_send(0, Method::POST, &path, Some(&exchange))
                    .await
            } else {
                let body = order_body(&phone(9), &[(l, 1)]);
                cluster.order(2, &body, None).await.expect("an answer")
            }
        }
    })
    .await;
    let served = answers
        .iter()
        .filter(|(code, _)| *code == 200 || *code == 201)
        .count();
    assert_eq!(served, 1, "one of them gets the last L: {answers:#?}");
    assert!(
        answers
            .iter()
            .any(|(code, body)| *code == 409 && body["code"] == "insufficient_stock")
    );
    assert_eq!(cluster.stock(1).await[&l], 0);

    let path = format!("/api/v1/admin/orders/{second}/payment");
    let (code, _) = cluster
        .admin_send(
            0,
            Method::POST,
            &path,
            Some(&json!({"status": "paid", "method": "orange_money"})),
        )
        .await;
    assert_eq!(code, 200);
    let path = format!("/api/v1/admin/orders/{second}/notes");
    let (code, _) = cluster
        .admin_send(
            1,
            Method::POST,
            &path,
            Some(&json!({"note": "Payé à la livraison"})),
        )
        .await;
    assert_eq!(code, 201);
    for instance in 0..3 {
        let seen = order(&cluster, instance, &second).await;
        assert_eq!(seen["payment"]["method"], "orange_money");
        assert_eq!(seen["staff_notes"], 1);
    }
    cluster.assert_audit_consistent(&[0, 1, 2]).await;
}

async fn placed(cluster: &Cluster, buyer: usize, lines: &[(String, i64)]) -> String {
    let (code, body) = cluster
        .order(buyer % 3, &order_body(&phone(buyer), lines), None)
        .await
        .expect("an answer");
    assert_eq!(code, 201, "{body}");
    body["order"]["id"].as_str().expect("an id").to_owned()
}

async fn order(cluster: &Cluster, instance: usize, id: &str) -> Value {
    let path = format!("/api/v1/admin/orders/{id}");
    let (code, body) = cluster.admin_send(instance, Method::GET, &path, None).await;
    assert_eq!(code, 200, "{body}");
    body
}

/// `n` tasks released together; answers in task order.
async fn together<F, Fut>(cluster: &Arc<Cluster>, n: usize, task: F) -> Vec<Answer>
where
    F: Fn(Arc<Cluster>, usize) -> Fut,
    Fut: std::future::Future<Output = Answer> + Send + 'static,
{
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (barrier, work) = (barrier.clone(), task(cluster.clone(), i));
            tokio::spawn(async move {
                barrier.wait().await;
                work.await
            })
        })
        .collect();
    let mut answers = Vec::with_capacity(n);
    for handle in handles {
        answers.push(handle.await.expect("a task"));
    }
    answers
}

//! The outbox across three instances on one PostgreSQL: events written on
//! every instance are numbered once, in an order a reader never skips, and
//! each is delivered to a webhook, never by two instances at the same
//! moment (the receiver answers slowly, so that a second sender would
//! overlap the first).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use crate::cluster::Cluster;
use crate::receivers::{Answer, HttpReceiver};
use crate::shop::{order_body, phone};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_event_is_numbered_once_and_delivered_by_one_instance_at_a_time() {
    let Some(cluster) = Cluster::start(3, "events_across_instances").await else {
        return;
    };
    let cluster = Arc::new(cluster);
    let hooks = HttpReceiver::start_answering(Answer::Slow {
        status: 200,
        delay: Duration::from_millis(150),
    })
    .await;
    let (status, webhook) = cluster
        .admin_send(
            0,
            reqwest::Method::POST,
            "/api/v1/admin/webhooks",
            Some(&json!({"url": hooks.url("/in"), "events": ["order.created", "stock.sold_out"]})),
        )
        .await;
    assert_eq!(status, 201, "{webhook}");
    let secret = webhook["secret"].as_str().expect("a secret").to_owned();
    let skus = cluster
        .create_product("robe-trois", &[("M".into(), 45)])
        .await;

    let rush: Vec<_> = (0..60)
        .map(|buyer| {
            let (cluster, sku) = (cluster.clone(), skus[0].clone());
            tokio::spawn(async move {
                let body = order_body(&phone(buyer), &[(sku, 1)]);
                cluster.order(buyer % 3, &body, None).await
            })
        })
        .collect();
    let mut acknowledged = BTreeSet::new();
    for placed in rush {
        let (status, body) = placed.await.expect("a buyer").expect("an answer");
        if status == 201 {
            acknowledged.insert(body["order"]["id"].as_str().expect("an id").to_owned());
        }
    }
    assert_eq!(acknowledged.len(), 45);

    // Read through another instance: one order.created per order, ids with
    // no gap (numbered after commit, one numbering at a time).
    let (status, page) = cluster
        .admin_send(
            2,
            reqwest::Method::GET,
            "/api/v1/admin/events?limit=500",
            None,
        )
        .await;
    assert_eq!(status, 200, "{page}");
    let events = page["events"].as_array().expect("events").clone();
    let ids: Vec<i64> = events
        .iter()
        .map(|e| e["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(
        ids,
        (1..=ids.len() as i64).collect::<Vec<_>>(),
        "ids without a gap"
    );
    let listed: BTreeSet<String> = events
        .iter()
        .filter(|e| e["type"] == "order.created")
        .map(|e| e["data"]["order_id"].as_str().expect("an id").to_owned())
        .collect();
    assert_eq!(listed, acknowledged);

    // Delivered, de-duplicated by id: every order once, the sell-out once.
    let expected = acknowledged.len() + 1;
    let mut by_id: BTreeMap<String, Value> = BTreeMap::new();
    for _ in 0..60 {
        for request in hooks.received() {
            request.verify_webhook(&secret).expect("signed");
            let id = request.header("webhook-id").expect("an id").to_owned();
            by_id.insert(id, request.json());
        }
        if by_id.len() >= expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let delivered: BTreeSet<String> = by_id
        .values()
        .filter(|e| e["type"] == "order.created")
        .map(|e| e["data"]["order_id"].as_str().expect("an id").to_owned())
        .collect();
    assert_eq!(delivered, acknowledged);
    assert_eq!(
        by_id
            .values()
            .filter(|e| e["type"] == "stock.sold_out")
            .count(),
        1
    );
    assert!(
        hooks.overlapping_ids().is_empty(),
        "delivered by two instances at once: {:?}",
        hooks.overlapping_ids()
    );
}

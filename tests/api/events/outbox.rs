//! Events as `GET /api/v1/admin/events` gives them: one per order created,
//! status change and cancellation, one per stock threshold crossed, in id
//! order, resumable after any id.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, order_body, phone, spawn_app};

impl TestApp {
    /// Every event after `after`, of `kind` when given, following pages.
    pub async fn events_after(&self, after: i64, kind: Option<&str>) -> Vec<Value> {
        let mut events = Vec::new();
        let mut after = after;
        loop {
            let mut path = format!("/api/v1/admin/events?after={after}&limit=50");
            if let Some(kind) = kind {
                path.push_str(&format!("&type={kind}"));
            }
            let response = self.admin_get(&path).await;
            assert_eq!(response.status(), StatusCode::OK);
            let page: Value = response.json().await.expect("a page");
            let found = page["events"].as_array().expect("events").clone();
            if found.is_empty() {
                assert_eq!(page["next_after"], after);
                return events;
            }
            after = page["next_after"].as_i64().expect("next_after");
            assert_eq!(found.last().expect("one")["id"], after);
            events.extend(found);
        }
    }
}

fn types(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["type"].as_str().expect("a type").to_owned())
        .collect()
}

#[tokio::test]
async fn an_order_its_status_and_its_cancellation_are_events() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-outbox", "M", 5).await;
    let (status, order) = app.place(&order_body(&phone(1), &[(&sku, 1)]), None).await;
    assert_eq!(status, StatusCode::CREATED);
    let order_id = order["order"]["id"].as_str().expect("an id").to_owned();
    let number = order["order"]["number"].clone();
    assert_eq!(
        app.set_status(&order_id, "confirmed").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.set_status(&order_id, "cancelled").await.status(),
        StatusCode::OK
    );

    let events = app.events_after(0, Some("order.created")).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["data"]["order_id"], order_id.as_str());
    assert_eq!(events[0]["data"]["number"], number);
    assert_eq!(events[0]["data"]["status"], "pending");

    let all: Vec<Value> = app
        .events_after(0, None)
        .await
        .into_iter()
        .filter(|e| e["data"]["order_id"] == order_id.as_str())
        .collect();
    assert_eq!(
        types(&all),
        ["order.created", "order.status_changed", "order.cancelled"]
    );
    assert_eq!(all[1]["data"]["status"], "confirmed");
    assert_eq!(all[2]["data"]["status"], "cancelled");
    // Ids only grow.
    let ids: Vec<i64> = all
        .iter()
        .map(|e| e["id"].as_i64().expect("an id"))
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
}

#[tokio::test]
async fn stock_crossing_its_thresholds_raises_one_event_each_time() {
    let app = spawn_app().await;
    // The shop's rule: low at 2 units or fewer (the default).
    let sku = app.product_with_stock("robe-seuils", "M", 4).await;
    let buy = |n: usize, quantity: i64| order_body(&phone(n), &[(&sku, quantity)]);
    assert_eq!(app.place(&buy(1, 1), None).await.0, StatusCode::CREATED); // 4 → 3
    assert_eq!(app.place(&buy(2, 1), None).await.0, StatusCode::CREATED); // 3 → 2: low
    assert_eq!(app.place(&buy(3, 1), None).await.0, StatusCode::CREATED); // 2 → 1
    assert_eq!(app.place(&buy(4, 1), None).await.0, StatusCode::CREATED); // 1 → 0: sold out
    assert_eq!(app.restock(&sku, 5).await.status(), StatusCode::OK); // 0 → 5: back

    let stock: Vec<Value> = app
        .events_after(0, None)
        .await
        .into_iter()
        .filter(|e| e["type"].as_str().is_some_and(|t| t.starts_with("stock.")))
        .collect();
    assert_eq!(
        types(&stock),
        ["stock.low", "stock.sold_out", "stock.back_in_stock"]
    );
    let levels: Vec<&Value> = stock.iter().map(|e| &e["data"]["available"]).collect();
    assert_eq!(levels, [&json!(2), &json!(0), &json!(5)]);
    assert!(stock.iter().all(|e| e["data"]["sku"] == sku.as_str()));
}

#[tokio::test]
async fn a_variant_threshold_overrides_the_shop_rule_for_its_events() {
    let app = spawn_app().await;
    let product = app
        .create_product(&json!({
            "slug": "robe-seuil-propre", "title": "Robe", "price": 10000,
            "variants": [{"size": "M", "stock": 10, "low_stock_threshold": 6}]
        }))
        .await;
    let sku = product["variants"][0]["sku"]
        .as_str()
        .expect("a sku")
        .to_owned();
    // 10 → 6: low by its own threshold, far above the shop's 2.
    let body = order_body(&phone(1), &[(&sku, 4)]);
    assert_eq!(app.place(&body, None).await.0, StatusCode::CREATED);
    let low = app.events_after(0, Some("stock.low")).await;
    assert_eq!(low.len(), 1, "{low:?}");
    assert_eq!(low[0]["data"]["available"], 6);
}

#[tokio::test]
async fn a_refused_order_writes_no_event() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-refus", "M", 1).await;
    let before = app.events_after(0, None).await.len();
    let too_many = order_body(&phone(1), &[(&sku, 2)]);
    assert_eq!(app.place(&too_many, None).await.0, StatusCode::CONFLICT);
    assert_eq!(app.events_after(0, None).await.len(), before);
}

#[tokio::test]
async fn bad_queries_are_named() {
    let app = spawn_app().await;
    for (query, field) in [
        ("after=-1", "after"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("type=order.shipped", "type"),
    ] {
        let response = app
            .admin_get(&format!("/api/v1/admin/events?{query}"))
            .await;
        app.validation_problem(response, field).await;
    }
    let anonymous = app.get("/api/v1/admin/events").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_rush_of_orders_gives_one_event_per_order_in_id_order() {
    let app = std::sync::Arc::new(spawn_app().await);
    let sku = app.product_with_stock("robe-rafale", "M", 40).await;
    let placed = app
        .together(60, {
            let sku = sku.clone();
            move |app, n| {
                let body = order_body(&phone(n), &[(&sku, 1)]);
                async move { app.place(&body, None).await }
            }
        })
        .await;
    let mut order_ids: Vec<String> = placed
        .iter()
        .filter(|(status, _)| *status == StatusCode::CREATED)
        .map(|(_, body)| body["order"]["id"].as_str().expect("an id").to_owned())
        .collect();
    assert_eq!(order_ids.len(), 40);
    let created = app.events_after(0, Some("order.created")).await;
    let mut event_orders: Vec<String> = created
        .iter()
        .map(|e| e["data"]["order_id"].as_str().expect("an id").to_owned())
        .collect();
    order_ids.sort();
    event_orders.sort();
    assert_eq!(event_orders, order_ids);
    assert_eq!(app.events_after(0, Some("stock.sold_out")).await.len(), 1);
}

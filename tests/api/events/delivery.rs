//! The outbox delivered: webhooks signed and retried, the owner's e-mail
//! and SMS, a rush while every receiver is down delivered in full once
//! they are up, and "Me prévenir" told exactly once. Real receivers on
//! 127.0.0.1 (`tests/common/receivers`); the server may call them with
//! `--webhook-allow-private`.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, order_body, phone, spawn_app_with, test_config};
use crate::receivers::{Answer, HttpReceiver, SmtpReceiver};

/// A server that may call receivers on this machine.
async fn app_calling_local_receivers() -> TestApp {
    let mut config = test_config();
    config.webhook_allow_private = true;
    spawn_app_with(config).await
}

impl TestApp {
    /// Creates a webhook; answers its id and its secret.
    async fn webhook_to(&self, url: &str, events: &[&str]) -> (String, String) {
        let response = self
            .admin_post(
                "/api/v1/admin/webhooks",
                &json!({"url": url, "events": events, "description": "tests"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let created: Value = response.json().await.expect("a webhook");
        let secret = created["secret"].as_str().expect("a secret").to_owned();
        assert!(secret.starts_with("whsec_"), "{secret}");
        (created["id"].as_str().expect("an id").to_owned(), secret)
    }

    async fn deliveries_of(&self, webhook: &str) -> Vec<Value> {
        let response = self
            .admin_get(&format!("/api/v1/admin/webhooks/{webhook}/deliveries"))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let list: Value = response.json().await.expect("deliveries");
        list["deliveries"].as_array().expect("an array").clone()
    }

    async fn put_notifications(&self, body: &Value) -> reqwest::Response {
        self.admin(Method::PUT, "/api/v1/admin/notifications")
            .json(body)
            .send()
            .await
            .expect("sent")
    }

    async fn order_of(&self, buyer: usize, sku: &str, quantity: i64) -> Value {
        let (status, body) = self
            .place(&order_body(&phone(buyer), &[(sku, quantity)]), None)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["order"].clone()
    }
}

fn sms_channel(url: &str, events: &[&str]) -> Value {
    json!({
        "url": url,
        "method": "POST",
        "headers": {"Authorization": "Bearer jeton-passerelle", "Content-Type": "application/json"},
        "body": "{\"to\": \"{to}\", \"text\": \"{message}\"}",
        "to": ["+2250700000099"],
        "events": events,
    })
}

fn email_channel(port: u16, events: &[&str]) -> Value {
    json!({
        "host": "127.0.0.1", "port": port, "tls": "none",
        "user": "boutique", "password": "mot-de-passe-smtp",
        "from": "boutique@exemple.ci", "to": ["awa@exemple.ci"],
        "events": events,
    })
}

#[tokio::test]
async fn an_order_reaches_a_webhook_signed_and_its_delivery_is_listed() {
    let app = app_calling_local_receivers().await;
    let hooks = HttpReceiver::start().await;
    let (webhook, secret) = app.webhook_to(&hooks.url("/in"), &["order.created"]).await;
    // The secret is shown once: never again.
    let shown = app
        .admin_get(&format!("/api/v1/admin/webhooks/{webhook}"))
        .await;
    let shown: Value = shown.json().await.expect("a webhook");
    assert!(shown.get("secret").is_none(), "{shown}");

    let sku = app.product_with_stock("robe-webhook", "M", 3).await;
    let order = app.order_of(1, &sku, 1).await;
    let got = hooks.wait_for(1, Duration::from_secs(10)).await;
    got[0].verify_webhook(&secret).expect("a valid signature");
    let event = got[0].json();
    assert_eq!(event["type"], "order.created");
    assert_eq!(event["data"]["order_id"], order["id"]);
    assert_eq!(event["data"]["number"], order["number"]);
    assert_eq!(
        got[0].header("webhook-id"),
        Some(event["id"].to_string().as_str())
    );

    // The receiver answered; the worker writes the outcome a moment later.
    let mut delivered = Value::Null;
    for _ in 0..50 {
        let deliveries = app.deliveries_of(&webhook).await;
        let found = deliveries.iter().find(|d| d["event_id"] == event["id"]);
        delivered = found.expect("the delivery is listed").clone();
        if delivered["status"] == "delivered" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(delivered["status"], "delivered", "{delivered}");
    assert_eq!(delivered["response_status"], 200);
    assert_eq!(delivered["attempt"], 1);
}

#[tokio::test]
async fn a_failing_receiver_is_tried_again_until_it_answers() {
    let app = app_calling_local_receivers().await;
    let hooks = HttpReceiver::start_answering(Answer::Status(500)).await;
    let (webhook, secret) = app.webhook_to(&hooks.url("/in"), &["order.created"]).await;
    let sku = app.product_with_stock("robe-echec", "M", 3).await;
    app.order_of(1, &sku, 1).await;
    hooks.wait_for(1, Duration::from_secs(10)).await;
    // The failure is visible: pending, its status and the next attempt.
    let mut failed = Value::Null;
    for _ in 0..50 {
        failed = app.deliveries_of(&webhook).await[0].clone();
        if failed["attempt"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(failed["status"], "pending", "{failed}");
    assert_eq!(failed["response_status"], 500, "{failed}");
    assert!(
        failed["error"].as_str().expect("an error").contains("500"),
        "{failed}"
    );
    assert!(failed["next_attempt_at"].is_string(), "{failed}");
    // The receiver recovers: the retry (2.5 to 5 s later) is delivered.
    hooks.set_answer(Answer::Status(204));
    let got = hooks.wait_for(2, Duration::from_secs(15)).await;
    got[1].verify_webhook(&secret).expect("signed again");
    assert_eq!(got[0].header("webhook-id"), got[1].header("webhook-id"));
    for _ in 0..50 {
        let delivery = app.deliveries_of(&webhook).await[0].clone();
        if delivery["status"] == "delivered" {
            assert_eq!(delivery["attempt"], 2);
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the retry was never marked delivered");
}

#[tokio::test]
async fn webhook_targets_on_this_machine_are_refused_unless_allowed() {
    let app = crate::helpers::spawn_app().await;
    for url in [
        "http://127.0.0.1:9/in",
        "http://10.0.0.8/in",
        "http://[::1]/in",
        "http://169.254.169.254/latest",
        "ftp://exemple.ci/in",
        "https://awa:secret@exemple.ci/in",
    ] {
        let response = app
            .admin_post(
                "/api/v1/admin/webhooks",
                &json!({"url": url, "events": ["order.created"]}),
            )
            .await;
        app.validation_problem(response, "url").await;
    }
    let response = app
        .admin_post(
            "/api/v1/admin/webhooks",
            &json!({"url": "https://exemple.ci/in", "events": ["order.shipped"]}),
        )
        .await;
    app.validation_problem(response, "events").await;
}

/// The rush: 2,000 orders while the receiver is down.
const RUSH_UNITS: usize = 2_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rush_while_the_receiver_is_down_is_delivered_in_full_once_it_is_up() {
    let app = Arc::new(app_calling_local_receivers().await);
    let hooks = HttpReceiver::start().await;
    let address = hooks.address();
    let every_type = [
        "order.created",
        "order.status_changed",
        "order.cancelled",
        "stock.low",
        "stock.sold_out",
        "stock.back_in_stock",
    ];
    let (_, secret) = app.webhook_to(&hooks.url("/in"), &every_type).await;
    hooks.stop().await;
    let sku = app
        .product_with_stock("robe-panne", "M", RUSH_UNITS as i64)
        .await;
    // In waves of 210 buyers at once: 2,100 sockets at once would pass
    // the test process's open-file limit, not test the outbox.
    let mut placed = Vec::new();
    for wave in 0..(RUSH_UNITS + 100) / 210 {
        let answers = app
            .together(210, {
                let sku = sku.clone();
                move |app, n| {
                    let body = order_body(&phone(wave * 1000 + n), &[(&sku, 1)]);
                    async move { app.place(&body, None).await }
                }
            })
            .await;
        placed.extend(answers);
    }
    let orders: BTreeSet<String> = placed
        .iter()
        .filter(|(status, _)| *status == StatusCode::CREATED)
        .map(|(_, body)| body["order"]["id"].as_str().expect("an id").to_owned())
        .collect();
    assert_eq!(orders.len(), RUSH_UNITS);

    let hooks = HttpReceiver::start_on(address, Answer::Status(200))
        .await
        .expect("the same port again");
    let mut by_id = std::collections::BTreeMap::new();
    for _ in 0..240 {
        for request in hooks.received() {
            by_id.insert(request.header("webhook-id").map(str::to_owned), request);
        }
        let created = by_id
            .values()
            .filter(|r| r.json()["type"] == "order.created")
            .count();
        if created >= RUSH_UNITS {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let events: Vec<Value> = by_id
        .values()
        .map(|request| {
            request.verify_webhook(&secret).expect("signed");
            request.json()
        })
        .collect();
    let delivered: BTreeSet<String> = events
        .iter()
        .filter(|e| e["type"] == "order.created")
        .map(|e| e["data"]["order_id"].as_str().expect("an id").to_owned())
        .collect();
    assert_eq!(
        delivered, orders,
        "every order once de-duplicated by id, no other"
    );
    // The stock's own story, as the ledger tells it: one sell-out at 0,
    // and at most one "low" on the way (a batch may go from above the
    // threshold to 0 at once).
    let stock: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"].as_str().is_some_and(|t| t.starts_with("stock.")))
        .collect();
    let sold_out: Vec<&&Value> = stock
        .iter()
        .filter(|e| e["type"] == "stock.sold_out")
        .collect();
    assert_eq!(sold_out.len(), 1, "{stock:?}");
    assert_eq!(sold_out[0]["data"]["available"], 0);
    assert!(
        stock.iter().all(|e| e["type"] != "stock.back_in_stock"),
        "{stock:?}"
    );
    let low: Vec<&&Value> = stock.iter().filter(|e| e["type"] == "stock.low").collect();
    assert!(
        low.len() <= 1
            && low.iter().all(|e| e["data"]["available"]
                .as_i64()
                .is_some_and(|n| (1..=2).contains(&n))),
        "{low:?}"
    );
    assert_eq!(app.available(&sku).await, 0);
    assert!(hooks.overlapping_ids().is_empty());
}

#[tokio::test]
async fn the_owner_gets_an_email_and_an_sms_in_french() {
    let app = app_calling_local_receivers().await;
    let mail = SmtpReceiver::start().await;
    let gateway = HttpReceiver::start().await;
    let response = app
        .put_notifications(&json!({
            "email": email_channel(mail.port(), &["order.created"]),
            "sms": sms_channel(&gateway.url("/sms"), &["stock.sold_out"]),
        }))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let saved: Value = response.json().await.expect("json");
    assert_eq!(saved["email"]["password"], "********");
    assert_eq!(saved["sms"]["headers"]["Authorization"], "********");
    let read: Value = app
        .admin_get("/api/v1/admin/notifications")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(read, saved);
    let text = read.to_string();
    assert!(!text.contains("mot-de-passe-smtp") && !text.contains("jeton-passerelle"));

    let sku = app.product_with_stock("robe-courriel", "M", 1).await;
    let order = app.order_of(1, &sku, 1).await;
    let mails = mail.wait_for(1, Duration::from_secs(10)).await;
    let number = order["number"].as_str().expect("a number");
    assert!(
        mails[0].subject().contains(number),
        "{}",
        mails[0].subject()
    );
    assert!(
        mails[0].subject().contains("commande"),
        "{}",
        mails[0].subject()
    );
    assert!(
        mails[0].text().contains("Produit robe-courriel"),
        "{}",
        mails[0].text()
    );

    let texts = gateway.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(
        texts[0].header("authorization"),
        Some("Bearer jeton-passerelle")
    );
    let sms = texts[0].json();
    assert_eq!(sms["to"], "+2250700000099");
    let message = sms["text"].as_str().expect("a text");
    assert!(
        message.starts_with("Rupture de stock : Produit robe-courriel taille M"),
        "{message}"
    );
    assert!(message.chars().count() <= 160, "{message}");

    // A PUT that sends the masks back keeps the secrets: the next test
    // message still logs in.
    let again = app.put_notifications(&read).await;
    assert_eq!(again.status(), StatusCode::OK);
    let queued = app
        .admin_post(
            "/api/v1/admin/notifications/test",
            &json!({"channel": "email"}),
        )
        .await;
    assert_eq!(queued.status(), StatusCode::ACCEPTED);
    mail.wait_for(2, Duration::from_secs(10)).await;
    let logins = mail.logins();
    assert!(
        logins
            .iter()
            .all(|(_, password)| password == "mot-de-passe-smtp"),
        "{logins:?}"
    );
}

#[tokio::test]
async fn a_waiting_buyer_is_told_once_when_the_size_comes_back() {
    let app = app_calling_local_receivers().await;
    let gateway = HttpReceiver::start().await;
    let response = app
        .put_notifications(&json!({"sms": sms_channel(&gateway.url("/sms"), &[])}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let sku = app.product_with_stock("robe-retour", "M", 1).await;
    app.order_of(1, &sku, 1).await;
    for (client, who) in [(1, "07 00 00 00 21"), (2, "07 00 00 00 22")] {
        let response = app
            .request(Method::POST, "/api/v1/products/robe-retour/waitlist")
            .header("X-Forwarded-For", format!("192.0.2.{client}"))
            .json(&json!({"sku": sku, "phone": who}))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::ACCEPTED);
    }
    assert_eq!(app.restock(&sku, 3).await.status(), StatusCode::OK);
    let texts = gateway.wait_for(2, Duration::from_secs(10)).await;
    let mut told: Vec<String> = texts
        .iter()
        .map(|t| t.json()["to"].as_str().expect("to").to_owned())
        .collect();
    told.sort();
    assert_eq!(told, ["+2250700000021", "+2250700000022"]);
    let message = texts[0].json()["text"].as_str().expect("text").to_owned();
    assert!(message.contains("robe-retour"), "{message}");
    assert!(message.contains("/#/desinscription/"), "{message}");

    // A second restock, and a sell-out and restock again: nobody is told again.
    assert_eq!(app.restock(&sku, 2).await.status(), StatusCode::OK);
    app.order_of(2, &sku, 5).await;
    assert_eq!(app.restock(&sku, 1).await.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(gateway.received().len(), 2);
}

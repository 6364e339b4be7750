//! An order's life after checkout: status moves, cancellation returning the
//! stock exactly once, and a buyer's access with their token only.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::read;
use crate::helpers::{TestApp, order_body, phone, spawn_app};

const ROUNDS: usize = 20;

/// Places an order of `lines` and returns its answer (order and access token).
async fn placed(app: &TestApp, buyer: usize, lines: &[(&str, i64)]) -> Value {
    let (status, body) = app.place(&order_body(&phone(buyer), lines), None).await;
    assert_eq!(status, StatusCode::CREATED, "{body:#}");
    body
}

fn id(placed: &Value) -> &str {
    placed["order"]["id"].as_str().expect("an order id")
}

async fn assert_invalid_transition(app: &TestApp, order_id: &str, to: &str) {
    let (status, problem) = read(app.set_status(order_id, to).await).await;
    assert_eq!(status, StatusCode::CONFLICT, "to {to}: {problem:#}");
    assert_eq!(problem["code"], json!("invalid_transition"));
}

#[tokio::test]
async fn an_order_moves_from_pending_to_delivered_and_no_further() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;
    let order = placed(&app, 1, &[(&sku, 1)]).await;
    assert_eq!(order["order"]["status"], json!("pending"));

    for next in ["confirmed", "processing", "shipped", "delivered"] {
        let (status, moved) = read(app.set_status(id(&order), next).await).await;
        assert_eq!(status, StatusCode::OK, "{moved:#}");
        assert_eq!(moved["status"], json!(next));
    }
    // Delivered is the end of the road, but for a return or a correction:
    // one step back, which needs its reason.
    for to in [
        "pending",
        "confirmed",
        "processing",
        "delivered",
        "cancelled",
    ] {
        assert_invalid_transition(&app, id(&order), to).await;
    }
    let step_back = app.set_status(id(&order), "shipped").await;
    app.validation_problem(step_back, "reason").await;
    assert_eq!(
        app.admin_order(id(&order)).await["status"],
        json!("delivered")
    );
    assert_eq!(app.available(&sku).await, 4);
}

#[tokio::test]
async fn moves_out_of_turn_are_refused_and_unknown_statuses_are_invalid() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;
    let order = placed(&app, 1, &[(&sku, 2)]).await;
    let order_id = id(&order);

    assert_invalid_transition(&app, order_id, "pending").await;
    assert_invalid_transition(&app, order_id, "shipped").await;
    assert_invalid_transition(&app, order_id, "delivered").await;
    for bad in [
        json!({"status": "lost"}),
        json!({"status": "Pending"}),
        json!({}),
        json!({"status": 1}),
    ] {
        let response = app
            .admin_post(&format!("/api/v1/admin/orders/{order_id}/status"), &bad)
            .await;
        let (status, problem) = read(response).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(problem["code"], json!("validation_failed"));
    }
    let (status, problem) = read(app.set_status("no-such-order", "confirmed").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(problem["code"], json!("not_found"));

    for next in ["confirmed", "processing", "shipped"] {
        assert_eq!(
            app.set_status(order_id, next).await.status(),
            StatusCode::OK
        );
    }
    assert_invalid_transition(&app, order_id, "cancelled").await;
    assert_invalid_transition(&app, order_id, "shipped").await;
    assert_eq!(
        app.available(&sku).await,
        3,
        "a shipped order keeps its units"
    );
}

#[tokio::test]
async fn cancelling_returns_every_line_with_a_cancellation_movement_naming_the_admin() {
    let app = spawn_app().await;
    let skus = app
        .product_with_sizes("robe-ete", &[("M", 5), ("L", 5)])
        .await;
    let (m, l) = (skus[0].as_str(), skus[1].as_str());
    for (buyer, before) in [(1, None), (2, Some("confirmed")), (3, Some("processing"))] {
        let order = placed(&app, buyer, &[(m, 2), (l, 1)]).await;
        if let Some(status) = before {
            if status == "processing" {
                app.set_status(id(&order), "confirmed").await;
            }
            assert_eq!(
                app.set_status(id(&order), status).await.status(),
                StatusCode::OK
            );
        }

        let (status, cancelled) = read(app.set_status(id(&order), "cancelled").await).await;

        assert_eq!(status, StatusCode::OK, "{cancelled:#}");
        assert_eq!(cancelled["status"], json!("cancelled"));
        for (sku, quantity) in [(m, 2), (l, 1)] {
            let returns: Vec<Value> = app
                .movements_matching(&format!("sku={sku}&kind=cancellation"))
                .await
                .into_iter()
                .filter(|mv| mv["order_id"] == id(&order))
                .collect();
            assert_eq!(returns.len(), 1, "{returns:#?}");
            assert_eq!(returns[0]["quantity"], json!(quantity));
            assert_eq!(returns[0]["actor"], json!("test-admin"));
            assert_eq!(app.available(sku).await, 5);
            assert_eq!(app.ledger_sum(sku).await, 5);
        }
    }
    let audit = app.audit().await;
    assert_eq!(audit["consistent"], json!(true));
    let row = audit["variants"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["sku"] == m)
        .expect("M");
    assert_eq!(
        (row["sold"].clone(), row["returned"].clone()),
        (json!(6), json!(6))
    );
}

// How it works: each round, one order of 3 units, then 10 tasks released
// together by a barrier all ask to cancel it. The transition is checked in
// the writer's transaction against the status it reads there, so exactly
// one cancel applies and the units come back once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_cancels_at_once_return_the_stock_exactly_once() {
    let app = Arc::new(spawn_app().await);
    for round in 0..ROUNDS {
        let sku = app
            .product_with_stock(&format!("robe-annul-{round}"), "M", 5)
            .await;
        let order = placed(&app, round, &[(&sku, 3)]).await;
        let order_id = id(&order).to_owned();

        let answers = app
            .together(10, |app, _| {
                let order_id = order_id.clone();
                async move { read(app.set_status(&order_id, "cancelled").await).await }
            })
            .await;

        let done = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
        assert_eq!(done, 1, "round {round}: {answers:#?}");
        for (status, problem) in answers.iter().filter(|(s, _)| *s != StatusCode::OK) {
            assert_eq!(*status, StatusCode::CONFLICT);
            assert_eq!(problem["code"], json!("invalid_transition"));
        }
        assert_eq!(app.available(&sku).await, 5);
        assert_eq!(app.ledger_sum(&sku).await, 5);
        let returns = app
            .movements_matching(&format!("sku={sku}&kind=cancellation"))
            .await;
        assert_eq!(returns.len(), 1);
    }
    app.assert_audit_consistent().await;
}

#[tokio::test]
async fn a_buyer_reads_their_order_with_its_token_and_nobody_learns_anything_otherwise() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;
    let mine = placed(&app, 1, &[(&sku, 1)]).await;
    let theirs = placed(&app, 2, &[(&sku, 1)]).await;
    let token = mine["access_token"].as_str().expect("a token");

    let (status, order) = read(app.buyer_order(id(&mine), Some(token)).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(order, mine["order"], "the bare order");

    let wrong = format!("{token}x");
    let attempts = [
        app.buyer_order(id(&mine), Some(&wrong)).await,
        app.buyer_order(id(&mine), theirs["access_token"].as_str())
            .await,
        app.buyer_order(id(&mine), None).await,
        app.buyer_order("00000000-0000-4000-8000-000000000000", Some(token))
            .await,
        app.buyer_order(id(&mine), Some(&app.admin_token)).await,
    ];
    let mut bodies = Vec::new();
    for response in attempts {
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        bodies.push(response.text().await.expect("a body"));
    }
    assert!(bodies.iter().all(|b| b == &bodies[0]), "{bodies:#?}");
    let problem: Value = serde_json::from_str(&bodies[0]).expect("json");
    assert_eq!(problem["code"], json!("not_found"));
}

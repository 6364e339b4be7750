//! Counts (`POST /api/v1/admin/stock/adjustments`): all or nothing, one
//! `adjustment` per line that changes the stock, and a line whose stock
//! moved since it was counted refusing the whole count as `stale_stock`.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{count_body, ok_json};
use crate::helpers::{TestApp, order_body, phone, spawn_app};

/// A dress in S, M and L with 5, 3 and 2 units; its skus.
async fn dress(app: &TestApp) -> Vec<String> {
    app.product_with_sizes("robe-ete", &[("S", 5), ("M", 3), ("L", 2)])
        .await
}

#[tokio::test]
async fn a_count_writes_one_adjustment_per_line_that_changes_the_stock() {
    let app = spawn_app().await;
    let skus = dress(&app).await;
    let body = json!({"reason": "inventaire de décembre", "lines": [
        {"sku": &skus[0], "set": 4, "expected_available": 5},
        {"sku": &skus[1], "set": 3, "expected_available": 3},
        {"sku": skus[2].to_lowercase(), "delta": 1},
    ]});

    let answer = ok_json(app.count(&body).await, StatusCode::OK).await;

    let movements = answer["movements"].as_array().expect("movements");
    let summary: Vec<(&str, i64, i64)> = movements
        .iter()
        .map(|m| {
            let sku = m["sku"].as_str().expect("a sku");
            (
                sku,
                m["quantity"].as_i64().expect("q"),
                m["available_after"].as_i64().expect("a"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [(skus[0].as_str(), -1, 4), (skus[2].as_str(), 1, 3)]
    );
    for movement in movements {
        assert_eq!(movement["kind"], "adjustment");
        assert_eq!(movement["note"], "inventaire de décembre");
        assert_eq!(movement["actor"], "test-admin");
        assert!(movement["receipt_id"].is_null());
    }
    for (sku, stock) in [(&skus[0], 4), (&skus[1], 3), (&skus[2], 3)] {
        assert_eq!(app.available(sku).await, stock);
        assert_eq!(app.ledger_sum(sku).await, stock);
    }
    let adjustments = app.all_movements(&[("kind", "adjustment")]).await;
    assert_eq!(adjustments.len(), 2, "the line that matched wrote nothing");
    app.assert_audit_consistent().await;
}

#[tokio::test]
async fn a_sale_after_the_count_was_typed_refuses_the_whole_count_naming_every_stale_line() {
    let app = spawn_app().await;
    let skus = dress(&app).await;
    // She counts from the page that showed 5, 3 and 2; then two sales.
    let typed = count_body(
        "inventaire",
        &[(&skus[0], 4, 5), (&skus[1], 1, 3), (&skus[2], 2, 2)],
    );
    for (buyer, sku) in [(1, &skus[0]), (2, &skus[1])] {
        let (status, _) = app
            .place(&order_body(&phone(buyer), &[(sku, 1)]), None)
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let before = app.snapshot().await;

    let problem = app
        .problem(app.count(&typed).await, StatusCode::CONFLICT, "stale_stock")
        .await;

    assert_eq!(
        problem["lines"],
        json!([
            {"sku": &skus[0], "expected_available": 5, "available": 4},
            {"sku": &skus[1], "expected_available": 3, "available": 2},
        ])
    );
    let detail = problem["detail"].as_str().expect("a detail");
    assert!(
        detail.contains("a changé depuis votre comptage"),
        "{detail}"
    );
    assert!(
        detail.contains(&format!("{} (5 au comptage, 4 maintenant)", skus[0])),
        "{detail}"
    );
    assert_eq!(app.snapshot().await, before, "nothing applied");

    // She recounts those two lines from the new figures and sends again.
    let recounted = count_body(
        "inventaire",
        &[(&skus[0], 3, 4), (&skus[1], 1, 2), (&skus[2], 2, 2)],
    );
    ok_json(app.count(&recounted).await, StatusCode::OK).await;
    assert_eq!(app.available(&skus[0]).await, 3);
    assert_eq!(app.available(&skus[1]).await, 1);
    let sales = app.all_movements(&[("kind", "sale")]).await;
    assert_eq!(sales.len(), 2, "the sales are still in the ledger");
    app.assert_audit_consistent().await;
}

#[tokio::test]
async fn the_stale_answer_speaks_english_when_asked() {
    let app = spawn_app().await;
    let skus = dress(&app).await;
    let response = app
        .admin(Method::POST, "/api/v1/admin/stock/adjustments")
        .header("Accept-Language", "en")
        .json(&count_body("count", &[(&skus[0], 1, 9)]))
        .send()
        .await
        .expect("sent");
    let problem = app
        .problem(response, StatusCode::CONFLICT, "stale_stock")
        .await;
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("changed since you counted")),
        "{problem}"
    );
}

#[tokio::test]
async fn every_bad_line_of_a_count_is_named_and_nothing_is_applied() {
    let app = spawn_app().await;
    let skus = dress(&app).await;
    let before = app.snapshot().await;

    let bad = json!({"reason": "inventaire", "lines": [
        {"sku": &skus[0], "set": -1},
        {"sku": &skus[1], "set": 1, "delta": 1},
        {"sku": &skus[2], "delta": 0},
        {"sku": &skus[0], "set": 2},
        {"sku": &skus[1]},
        {"sku": "!!", "set": 1},
        {"sku": "ROBE-ETE-XL", "set": 1, "expected_available": -1},
    ]});
    let problem = app
        .problem(
            app.count(&bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    assert_eq!(
        TestApp::error_fields(&problem),
        [
            "lines[0].set",
            "lines[1].delta",
            "lines[2].delta",
            "lines[4].delta",
            "lines[5].sku",
            "lines[6].expected_available"
        ]
    );
    let twice = count_body("inventaire", &[(&skus[0], 1, 5), (&skus[0], 2, 5)]);
    app.validation_problem(app.count(&twice).await, "lines[1].sku")
        .await;

    let unknown = count_body(
        "inventaire",
        &[(&skus[0], 1, 5), ("ROBE-ETE-XL", 1, 0), ("PAGNE-U", 2, 0)],
    );
    let problem = app
        .problem(
            app.count(&unknown).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    assert_eq!(
        TestApp::error_fields(&problem),
        ["lines[1].sku", "lines[2].sku"]
    );

    let no_reason = json!({"lines": [{"sku": &skus[0], "set": 1}]});
    app.validation_problem(app.count(&no_reason).await, "reason")
        .await;
    let no_lines = json!({"reason": "inventaire", "lines": []});
    app.validation_problem(app.count(&no_lines).await, "lines")
        .await;
    let many: Vec<Value> = (0..501)
        .map(|i| json!({"sku": format!("SKU-{i}"), "set": 1}))
        .collect();
    let too_many = json!({"reason": "inventaire", "lines": many});
    app.validation_problem(app.count(&too_many).await, "lines")
        .await;
    let strict = json!({"reason": "inventaire", "lines": [{"sku": &skus[0], "set": 2.0}]});
    app.validation_problem(app.count(&strict).await, "lines[0].set")
        .await;

    // A line below zero refuses the whole count, like a single adjustment.
    let below = json!({"reason": "casse", "lines": [
        {"sku": &skus[0], "set": 1},
        {"sku": &skus[2], "delta": -3},
    ]});
    let problem = app
        .problem(
            app.count(&below).await,
            StatusCode::CONFLICT,
            "insufficient_stock",
        )
        .await;
    assert_eq!(problem["lines"][0]["sku"], skus[2].as_str());

    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn a_count_reaches_retired_variants_and_the_audit_stays_consistent() {
    let app = spawn_app().await;
    let skus = dress(&app).await;
    let emptied = count_body("fin de série", &[(&skus[2], 0, 2)]);
    ok_json(app.count(&emptied).await, StatusCode::OK).await;
    let retired = app
        .admin(
            Method::PATCH,
            &format!("/api/v1/admin/variants/{}", skus[2]),
        )
        .json(&json!({"retired": true}))
        .send()
        .await
        .expect("sent");
    assert_eq!(retired.status(), StatusCode::OK);

    // A unit of the retired size turns up in the back room.
    let found = count_body("inventaire", &[(&skus[0], 5, 5), (&skus[2], 1, 0)]);
    let answer = ok_json(app.count(&found).await, StatusCode::OK).await;

    assert_eq!(answer["movements"].as_array().map(Vec::len), Some(1));
    assert_eq!(app.stock_of(&skus[2]).await, 1);
    assert_eq!(app.ledger_sum(&skus[2]).await, 1);
    app.assert_audit_consistent().await;
}

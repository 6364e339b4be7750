//! The stock ledger through the admin API: restocks, adjustments and refusals
//! that leave stock and ledger exactly as they were.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn restock_with(app: &TestApp, sku: &str, body: &Value) -> reqwest::Response {
    app.admin_post(&format!("/api/v1/admin/stock/{sku}/restock"), body)
        .await
}

#[tokio::test]
async fn a_restock_adds_units_and_records_who_did_it_and_why() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;

    let response = restock_with(&app, &sku, &json!({"quantity": 10, "note": "arrivage"})).await;

    assert_eq!(response.status(), StatusCode::OK);
    let answer: Value = response.json().await.expect("json");
    assert_eq!(answer["sku"], sku);
    assert_eq!(answer["available"], 15);
    let movement = &answer["movement"];
    assert_eq!(movement["kind"], "restock");
    assert_eq!(movement["quantity"], 10);
    assert_eq!(movement["available_after"], 15);
    assert_eq!(movement["actor"], "test-admin");
    assert_eq!(movement["note"], "arrivage");
    assert_eq!(movement["order_id"], Value::Null);
    assert_eq!(movement["sku"], sku);
    assert!(movement["id"].is_string() && movement["created_at"].is_string());
    assert_eq!(app.available(&sku).await, 15);
    assert_eq!(app.all_movements(&[("sku", &sku)]).await[0], *movement);
    assert_eq!(app.ledger_sum(&sku).await, 15);
}

#[tokio::test]
async fn a_restock_accepts_up_to_a_million_units_and_a_lower_case_sku() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 0).await;

    let response = restock_with(&app, "robe-ete-m", &json!({"quantity": 1_000_000})).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.available(&sku).await, 1_000_000);
}

#[tokio::test]
async fn a_restock_quantity_outside_one_to_a_million_is_a_422_and_writes_nothing() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;
    let before = app.snapshot().await;

    for quantity in [0, -3, 1_000_001] {
        let response = restock_with(&app, &sku, &json!({"quantity": quantity})).await;
        app.validation_problem(response, "quantity").await;
    }
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn a_restock_quantity_that_is_not_a_json_integer_is_a_422_and_writes_nothing() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;
    let before = app.snapshot().await;

    for body in [
        json!({"quantity": 2.0}),
        json!({"quantity": "2"}),
        json!({"quantity": true}),
        json!({"quantity": null}),
        json!({"note": "sans quantité"}),
    ] {
        let response = restock_with(&app, &sku, &body).await;
        app.validation_problem(response, "quantity").await;
    }
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn restocking_an_unknown_sku_is_a_404() {
    let app = spawn_app().await;
    app.product_with_stock("robe-ete", "M", 5).await;
    let before = app.snapshot().await;

    let response = app.restock("ROBE-ETE-XXL", 3).await;

    app.problem(response, StatusCode::NOT_FOUND, "not_found")
        .await;
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn an_adjustment_by_delta_records_the_change_and_its_reason() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;

    let response = app
        .adjust(&sku, &json!({"delta": -2, "reason": "abîmés"}))
        .await;

    assert_eq!(response.status(), StatusCode::OK);
    let answer: Value = response.json().await.expect("json");
    assert_eq!(answer["sku"], sku);
    assert_eq!(answer["available"], 3);
    let movement = &answer["movement"];
    assert_eq!(movement["kind"], "adjustment");
    assert_eq!(movement["quantity"], -2);
    assert_eq!(movement["available_after"], 3);
    assert_eq!(movement["note"], "abîmés");
    assert_eq!(movement["actor"], "test-admin");
    assert_eq!(app.available(&sku).await, 3);
    assert_eq!(app.ledger_sum(&sku).await, 3);
}

#[tokio::test]
async fn an_adjustment_by_set_records_the_difference_to_the_new_level() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;

    for (level, change) in [(7, 2), (0, -7)] {
        let response = app
            .adjust(&sku, &json!({"set": level, "reason": "inventaire"}))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let answer: Value = response.json().await.expect("json");
        assert_eq!(answer["available"], level);
        assert_eq!(answer["movement"]["quantity"], change);
        assert_eq!(answer["movement"]["available_after"], level);
        assert_eq!(app.available(&sku).await, level);
    }
    assert_eq!(app.ledger_sum(&sku).await, 0);
}

#[tokio::test]
async fn an_adjustment_without_a_reason_is_a_422_and_writes_nothing() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;
    let before = app.snapshot().await;

    for body in [
        json!({"delta": -1}),
        json!({"delta": -1, "reason": "   "}),
        json!({"set": 2, "reason": null}),
    ] {
        let response = app.adjust(&sku, &body).await;
        app.validation_problem(response, "reason").await;
    }
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn an_adjustment_needs_exactly_one_of_a_non_zero_delta_and_a_set() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;
    let before = app.snapshot().await;

    for (body, field) in [
        (json!({"delta": 1, "set": 3, "reason": "x"}), "delta"),
        (json!({"reason": "x"}), "delta"),
        (json!({"delta": 0, "reason": "x"}), "delta"),
        (json!({"set": -1, "reason": "x"}), "set"),
        (json!({"delta": 1.5, "reason": "x"}), "delta"),
        (json!({"set": "3", "reason": "x"}), "set"),
    ] {
        let response = app.adjust(&sku, &body).await;
        app.validation_problem(response, field).await;
    }
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn an_adjustment_below_zero_is_a_409_and_leaves_stock_and_ledger_unchanged() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;
    let before = app.snapshot().await;

    let response = app
        .adjust(&sku, &json!({"delta": -6, "reason": "perte"}))
        .await;

    let problem = app
        .problem(response, StatusCode::CONFLICT, "insufficient_stock")
        .await;
    assert_eq!(problem["lines"][0]["sku"], sku);
    assert_eq!(problem["lines"][0]["available"], 5);
    assert_eq!(app.snapshot().await, before);
    assert_eq!(app.available(&sku).await, 5);
    assert_eq!(app.ledger_sum(&sku).await, 5);
}

#[tokio::test]
async fn an_adjustment_that_empties_the_stock_exactly_is_allowed() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;

    let response = app
        .adjust(&sku, &json!({"delta": -5, "reason": "vol"}))
        .await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.available(&sku).await, 0);
}

#[tokio::test]
async fn adjusting_an_unknown_sku_is_a_404() {
    let app = spawn_app().await;
    app.product_with_stock("robe-ete", "M", 5).await;
    let before = app.snapshot().await;

    let response = app
        .adjust("ROBE-ETE-XXL", &json!({"delta": 1, "reason": "trouvé"}))
        .await;

    app.problem(response, StatusCode::NOT_FOUND, "not_found")
        .await;
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn restock_and_adjust_answer_405_to_other_methods() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;

    for action in ["restock", "adjust"] {
        let response = app
            .admin(Method::GET, &format!("/api/v1/admin/stock/{sku}/{action}"))
            .send()
            .await
            .expect("sent");
        app.problem(
            response,
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        )
        .await;
    }
}

//! Deliveries: one receipt, one `restock` movement per line carrying its
//! id, in one transaction; every bad line named, nothing written.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use stockroom::domain::staff::Role;

use super::{ok_json, receipt_body};
use crate::helpers::{TestApp, spawn_app};

/// A dress in S, M and L with 1, 2 and 3 units; its skus.
async fn dress(app: &TestApp) -> Vec<String> {
    app.product_with_sizes("robe-ete", &[("S", 1), ("M", 2), ("L", 3)])
        .await
}

#[tokio::test]
async fn a_delivery_is_one_receipt_with_one_restock_per_line_and_lines_of_one_sku_summed() {
    let app = spawn_app().await;
    let skus = dress(&app).await;
    let mut body = receipt_body(
        "BL-114",
        &[(&skus[0], 5), (&skus[1], 4), (&skus[2], 3), (&skus[0], 1)],
    );
    body["note"] = json!("carton abîmé\nmais complet");

    let receipt = ok_json(app.receive(&body).await, StatusCode::CREATED).await;

    let id = receipt["id"].as_str().expect("an id").to_owned();
    assert_eq!(receipt["reference"], "BL-114");
    assert_eq!(receipt["supplier"], "Atelier Adjamé");
    assert_eq!(receipt["note"], "carton abîmé\nmais complet");
    assert_eq!(receipt["total"], 13);
    assert_eq!(receipt["actor"], "test-admin");
    assert!(receipt["created_at"].is_string());
    let lines: Vec<(String, i64, i64)> = receipt["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| {
            let sku = l["sku"].as_str().expect("a sku").to_owned();
            (
                sku,
                l["quantity"].as_i64().expect("q"),
                l["available"].as_i64().expect("a"),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (skus[0].clone(), 6, 7),
            (skus[1].clone(), 4, 6),
            (skus[2].clone(), 3, 6)
        ]
    );
    assert_eq!(receipt["lines"][0]["title"], "Produit robe-ete");
    assert_eq!(receipt["lines"][0]["size"], "S");

    let movements = app.all_movements(&[("receipt", &id)]).await;
    assert_eq!(movements.len(), 3, "{movements:#?}");
    for movement in &movements {
        assert_eq!(movement["kind"], "restock");
        assert_eq!(movement["receipt_id"], id.as_str());
        assert_eq!(movement["receipt_reference"], "BL-114");
        assert_eq!(movement["actor"], "test-admin");
    }
    let initial = app.all_movements(&[("kind", "initial")]).await;
    assert!(initial.iter().all(|m| m["receipt_id"].is_null()));

    let read = ok_json(
        app.admin_get(&format!("/api/v1/admin/receipts/{id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(read, receipt);
    for (sku, stock) in [(&skus[0], 7), (&skus[1], 6), (&skus[2], 6)] {
        assert_eq!(app.available(sku).await, stock);
        assert_eq!(app.ledger_sum(sku).await, stock);
    }
    let audit = app.audit().await;
    let restocked: i64 = audit["variants"]
        .as_array()
        .expect("variants")
        .iter()
        .map(|v| v["restocked"].as_i64().expect("restocked"))
        .sum();
    assert_eq!(restocked, 13);
    app.assert_audit_consistent().await;
}

#[tokio::test]
async fn receipts_are_listed_newest_first_in_pages_with_their_totals() {
    let app = spawn_app().await;
    let skus = dress(&app).await;
    for (n, quantity) in [(1, 2), (2, 3), (3, 4)] {
        let body = receipt_body(&format!("BL-{n}"), &[(&skus[1], quantity), (&skus[2], 1)]);
        ok_json(app.receive(&body).await, StatusCode::CREATED).await;
    }

    let first = ok_json(
        app.admin_get("/api/v1/admin/receipts?limit=2").await,
        StatusCode::OK,
    )
    .await;
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let second = ok_json(
        app.admin_get(&format!("/api/v1/admin/receipts?limit=2&cursor={cursor}"))
            .await,
        StatusCode::OK,
    )
    .await;

    let summary = |page: &Value| -> Vec<(String, i64, i64)> {
        page["receipts"]
            .as_array()
            .expect("receipts")
            .iter()
            .map(|r| {
                let reference = r["reference"].as_str().expect("a reference").to_owned();
                (
                    reference,
                    r["total"].as_i64().expect("t"),
                    r["line_count"].as_i64().expect("n"),
                )
            })
            .collect()
    };
    assert_eq!(
        summary(&first),
        [("BL-3".to_owned(), 5, 2), ("BL-2".to_owned(), 4, 2)]
    );
    assert_eq!(summary(&second), [("BL-1".to_owned(), 3, 2)]);
    assert!(second["next_cursor"].is_null());
    let everything = ok_json(
        app.admin_get("/api/v1/admin/receipts").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(everything["receipts"].as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn every_bad_line_of_a_receipt_is_named_and_nothing_is_written() {
    let app = spawn_app().await;
    let skus = dress(&app).await;
    let before = app.snapshot().await;

    let bad_values = json!({"reference": "BL-9", "lines": [
        {"sku": &skus[0], "quantity": 0},
        {"sku": &skus[1], "quantity": -2},
        {"sku": &skus[2], "quantity": 1_000_001},
        {"sku": "pas une référence", "quantity": 1},
        {"sku": &skus[0]},
    ]});
    let problem = app
        .problem(
            app.receive(&bad_values).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    assert_eq!(
        TestApp::error_fields(&problem),
        [
            "lines[0].quantity",
            "lines[1].quantity",
            "lines[2].quantity",
            "lines[3].sku",
            "lines[4].quantity"
        ]
    );

    let unknown = receipt_body(
        "BL-9",
        &[
            (&skus[0], 1),
            ("INCONNU-M", 2),
            (&skus[1], 1),
            ("ROBE-HIVER-S", 1),
        ],
    );
    let problem = app
        .problem(
            app.receive(&unknown).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    assert_eq!(
        TestApp::error_fields(&problem),
        ["lines[1].sku", "lines[3].sku"]
    );
    assert!(
        problem["errors"][0]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("INCONNU-M")),
        "{problem}"
    );

    let summed_over = receipt_body("BL-9", &[(&skus[0], 600_000), (&skus[0], 400_001)]);
    app.validation_problem(app.receive(&summed_over).await, "lines[1].quantity")
        .await;
    let lines: Vec<(String, i64)> = (0..501).map(|i| (format!("SKU-{i}"), 1)).collect();
    let borrowed: Vec<(&str, i64)> = lines.iter().map(|(s, q)| (s.as_str(), *q)).collect();
    let too_many = receipt_body("BL-9", &borrowed);
    app.validation_problem(app.receive(&too_many).await, "lines")
        .await;
    let no_lines = json!({"reference": "BL-9", "lines": []});
    app.validation_problem(app.receive(&no_lines).await, "lines")
        .await;
    let mut bad_fields = receipt_body("", &[(&skus[0], 1)]);
    bad_fields["supplier"] = json!("x".repeat(101));
    bad_fields["note"] = json!("y".repeat(501));
    let problem = app
        .problem(
            app.receive(&bad_fields).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    assert_eq!(
        TestApp::error_fields(&problem),
        ["reference", "supplier", "note"]
    );
    let strict = json!({"reference": "BL-9", "lines": [{"sku": &skus[0], "quantity": "2"}]});
    app.validation_problem(app.receive(&strict).await, "lines[0].quantity")
        .await;

    assert_eq!(app.snapshot().await, before);
    let list = ok_json(
        app.admin_get("/api/v1/admin/receipts").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["receipts"], json!([]));
}

#[tokio::test]
async fn a_retired_variant_cannot_be_received_and_the_audit_stays_consistent() {
    let app = spawn_app().await;
    let skus = dress(&app).await;
    let adjusted = app
        .adjust(&skus[0], &json!({"set": 0, "reason": "fin de série"}))
        .await;
    assert_eq!(adjusted.status(), StatusCode::OK);
    let retired = app
        .admin(
            Method::PATCH,
            &format!("/api/v1/admin/variants/{}", skus[0]),
        )
        .json(&json!({"retired": true}))
        .send()
        .await
        .expect("sent");
    assert_eq!(retired.status(), StatusCode::OK);
    let before = app.snapshot().await;

    let body = receipt_body("BL-5", &[(&skus[1], 2), (&skus[0], 3)]);
    let problem = app
        .problem(
            app.receive(&body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;

    assert_eq!(TestApp::error_fields(&problem), ["lines[1].sku"]);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("retiré"))
    );
    assert_eq!(app.snapshot().await, before);
    let fine = receipt_body("BL-5", &[(&skus[1], 2)]);
    ok_json(app.receive(&fine).await, StatusCode::CREATED).await;
    assert_eq!(app.stock_of(&skus[0]).await, 0);
    app.assert_audit_consistent().await;
}

#[tokio::test]
async fn an_unknown_receipt_is_a_404_and_a_bad_filter_or_cursor_a_422() {
    let app = spawn_app().await;

    for id in ["0190a8f0-0000-7000-8000-000000000000", "pas%20un%20id"] {
        let response = app.admin_get(&format!("/api/v1/admin/receipts/{id}")).await;
        app.problem(response, StatusCode::NOT_FOUND, "not_found")
            .await;
    }
    let bad_receipt = app.movements(&[("receipt", "pas un id")]).await;
    app.validation_problem(bad_receipt, "receipt").await;
    let bad_cursor = app.admin_get("/api/v1/admin/receipts?cursor=xyz").await;
    app.validation_problem(bad_cursor, "cursor").await;
    let bad_limit = app.admin_get("/api/v1/admin/receipts?limit=0").await;
    app.validation_problem(bad_limit, "limit").await;
    let anonymous = app.get("/api/v1/admin/receipts").await;
    app.problem(anonymous, StatusCode::UNAUTHORIZED, "unauthorized")
        .await;
}

#[tokio::test]
async fn staff_receive_deliveries_under_their_own_name() {
    let app = spawn_app().await;
    let skus = dress(&app).await;
    let clerk = app
        .store
        .create_admin("clerk", Role::Staff)
        .await
        .expect("a staff member");
    let token = clerk.token.expect("a token");

    let response = app
        .request(Method::POST, "/api/v1/admin/receipts")
        .bearer_auth(&token)
        .json(&receipt_body("BL-7", &[(&skus[2], 2)]))
        .send()
        .await
        .expect("sent");

    let receipt = ok_json(response, StatusCode::CREATED).await;
    assert_eq!(receipt["actor"], "clerk");
    let movements = app
        .all_movements(&[("receipt", receipt["id"].as_str().expect("an id"))])
        .await;
    assert_eq!(movements[0]["actor"], "clerk");
}

//! The audit with preorders: expected = initial + restocked + adjusted −
//! sold + returned − allocated; places taken on the stock row = units of
//! preorder lines not allocated in orders not cancelled; allocated units in
//! the ledger = units the lines were given.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

fn row<'a>(audit: &'a Value, sku: &str) -> &'a Value {
    audit["variants"]
        .as_array()
        .expect("variants")
        .iter()
        .find(|v| v["sku"] == sku)
        .expect("the sku is audited")
}

/// A size with 2 units, sold out, three preorders (3, 2 and 1 units), one
/// of them cancelled, and a restock of 4; its sku.
async fn preorders_served(app: &TestApp) -> String {
    let sku = app.product_with_stock("robe-audit", "M", 2).await;
    app.open_preorders(&sku, 10).await;
    let (status, _) = app
        .place(&super::lines_body(9, &[(&sku, 2, false)]), None)
        .await;
    assert_eq!(status, StatusCode::CREATED);
    app.preorder(1, &sku, 3).await;
    let cancelled = app.preorder(2, &sku, 2).await;
    app.preorder(3, &sku, 1).await;
    let id = cancelled["id"].as_str().expect("an id");
    assert_eq!(
        app.set_status(id, "cancelled").await.status(),
        StatusCode::OK
    );
    assert_eq!(app.restock(&sku, 4).await.status(), StatusCode::OK);
    sku
}

#[tokio::test]
async fn the_audit_counts_preorder_allocations_and_places_and_agrees() {
    let app = spawn_app().await;
    let sku = preorders_served(&app).await;

    let audit = app.audit().await;

    assert_eq!(audit["consistent"], true, "{audit:#}");
    let row = row(&audit, &sku);
    let figures: Vec<i64> = [
        "initial",
        "restocked",
        "sold",
        "allocated",
        "expected",
        "available",
        "preorder_waiting",
    ]
    .iter()
    .map(|k| row[*k].as_i64().unwrap_or_else(|| panic!("{k} in {row}")))
    .collect();
    // 2 + 4 − 2 sold − 4 allocated (3 and 1) = 0; nothing waits.
    assert_eq!(figures, [2, 4, 2, 4, 0, 0, 0]);
    assert_eq!(
        audit["preorders"],
        json!({"waiting": 0, "allocated": 4, "mismatches": []})
    );
    let csv = app.admin_get("/api/v1/admin/audit.csv?lang=en").await;
    let text = csv.text().await.expect("csv");
    assert!(
        text.lines()
            .next()
            .expect("a header")
            .contains("returned,allocated,expected")
    );
}

#[tokio::test]
async fn places_taken_that_disagree_with_the_orders_are_an_anomaly_of_their_variant() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-faussee", "M", 0).await;
    let other = app.product_with_stock("jupe-juste", "S", 0).await;
    app.open_preorders(&sku, 10).await;
    app.open_preorders(&other, 10).await;
    app.preorder(1, &sku, 3).await;
    app.preorder(2, &other, 1).await;
    app.assert_audit_consistent().await;

    let changed = app
        .execute_behind_its_back(&format!(
            "update stock set preorder_waiting = preorder_waiting + 2 where sku = '{sku}'"
        ))
        .await;
    assert_eq!(changed, 1);

    let audit = app.audit().await;
    assert_eq!(audit["consistent"], false);
    assert_eq!(row(&audit, &sku)["status"], "anomaly");
    assert_eq!(row(&audit, &other)["status"], "sold_out");
    assert_eq!(
        audit["preorders"]["mismatches"],
        json!([{"sku": sku, "waiting": 5, "waiting_in_orders": 3,
                "allocated_in_ledger": 0, "allocated_in_orders": 0}])
    );
    // A restock still goes through, serving no more than the lines lack.
    let answer: Value = app.restock(&sku, 10).await.json().await.expect("json");
    assert_eq!(answer["available"], 7);
    let audit = app.audit().await;
    assert_eq!(
        audit["preorders"]["mismatches"][0]["waiting"], 2,
        "the two places no line holds are still counted"
    );
}

#[tokio::test]
async fn allocations_the_lines_do_not_hold_are_an_anomaly() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-allouee", "M", 0).await;
    app.open_preorders(&sku, 10).await;
    let order = app.preorder(1, &sku, 2).await;
    assert_eq!(app.restock(&sku, 1).await.status(), StatusCode::OK);
    app.assert_audit_consistent().await;
    let id = order["id"].as_str().expect("an id");

    app.execute_behind_its_back(&format!(
        "update order_lines set allocated = 2 where order_id = '{id}' and sku = '{sku}'"
    ))
    .await;

    let audit = app.audit().await;
    assert_eq!(audit["consistent"], false);
    assert_eq!(row(&audit, &sku)["status"], "anomaly");
    let mismatch = &audit["preorders"]["mismatches"][0];
    assert_eq!(
        (
            mismatch["allocated_in_ledger"].as_i64(),
            mismatch["allocated_in_orders"].as_i64()
        ),
        (Some(1), Some(2))
    );
}

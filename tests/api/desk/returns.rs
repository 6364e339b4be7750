//! Returns and exchanges: units back to the shelf (`return` movements) or
//! not, replacements taken like checkout lines, all or nothing, the order
//! `returned` once every unit came back, and the audit still consistent.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::return_body;
use crate::helpers::spawn_app;

#[tokio::test]
async fn an_exchange_of_m_for_l_moves_one_unit_each_way_and_changes_the_total_by_the_difference() {
    let app = spawn_app().await;
    let skus = app
        .product_with_sizes("robe-awa", &[("M", 3), ("L", 2)])
        .await;
    let (m, l) = (skus[0].as_str(), skus[1].as_str());
    let order = app.order_for("+2250700000001", &[(m, 1)]).await;
    let id = order["id"].as_str().expect("an id");
    app.walk(id, &["confirmed", "processing", "shipped", "delivered"])
        .await;
    // Today L costs more: the replacement is charged at its price of the day.
    let (product, etag) = app.admin_product("robe-awa").await;
    let response = app
        .patch_product(
            product["id"].as_str().expect("an id"),
            Some(&etag),
            &json!({"price": 20000}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    let mut body = return_body(&[(m, 1)], &[(l, 1)]);
    body["note"] = json!("Trop petite");
    let response = app.take_return(id, &body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let after: Value = response.json().await.expect("an order");
    assert_eq!(
        after["status"], "delivered",
        "the L went out: not every unit came back"
    );
    let line = |sku: &str| {
        after["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .find(|line| line["sku"] == sku)
            .cloned()
            .expect("the line")
    };
    assert_eq!(
        (line(m)["quantity"].as_i64(), line(m)["returned"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        (line(l)["quantity"].as_i64(), line(l)["unit_price"].as_i64()),
        (Some(1), Some(20000))
    );
    let old_total = order["total"].as_i64().expect("a total");
    let m_price = line(m)["unit_price"].as_i64().expect("a price");
    assert_eq!(after["total"].as_i64(), Some(old_total - m_price + 20000));

    assert_eq!(app.available(m).await, 3);
    assert_eq!(app.available(l).await, 1);
    let returned = app
        .movements_matching(&format!("sku={m}&kind=return"))
        .await;
    assert_eq!(returned.len(), 1);
    assert_eq!(
        (
            returned[0]["quantity"].as_i64(),
            returned[0]["order_id"].as_str()
        ),
        (Some(1), Some(id))
    );
    let taken = app.movements_matching(&format!("sku={l}&kind=sale")).await;
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0]["quantity"].as_i64(), Some(-1));

    let history = app.history(id).await;
    let back = history.last().expect("the return");
    assert_eq!(back["kind"], "return");
    assert_eq!(back["note"], "Trop petite");
    assert_eq!(back["detail"]["total_before"].as_i64(), Some(old_total));
    assert_eq!(back["detail"]["total_after"], after["total"]);
    assert_eq!(back["detail"]["lines"][0]["sku"], m);
    assert_eq!(back["detail"]["replacements"][0]["sku"], l);
    app.assert_audit_consistent().await;
    let audit = app.audit().await;
    let row = audit["variants"]
        .as_array()
        .expect("variants")
        .iter()
        .find(|v| v["sku"] == m)
        .cloned()
        .expect("the M");
    assert_eq!(
        (row["sold"].as_i64(), row["returned"].as_i64()),
        (Some(1), Some(1))
    );
}

#[tokio::test]
async fn a_short_replacement_refuses_the_whole_return_and_changes_nothing() {
    let app = spawn_app().await;
    let skus = app
        .product_with_sizes("robe-awa", &[("M", 3), ("L", 0)])
        .await;
    let (m, l) = (skus[0].as_str(), skus[1].as_str());
    let order = app.order_for("+2250700000001", &[(m, 2)]).await;
    let id = order["id"].as_str().expect("an id");
    app.walk(id, &["confirmed", "processing", "shipped"]).await;
    let before = (
        app.admin_order(id).await,
        app.snapshot().await,
        app.history(id).await,
    );

    let response = app
        .take_return(id, &return_body(&[(m, 1)], &[(l, 1)]))
        .await;
    let problem = app
        .problem(response, StatusCode::CONFLICT, "insufficient_stock")
        .await;
    assert_eq!(
        problem["lines"],
        json!([{"sku": l, "requested": 1, "available": 0}])
    );
    assert!(
        problem["detail"]
            .as_str()
            .expect("a sentence")
            .contains("taille L"),
        "{problem}"
    );
    let after = (
        app.admin_order(id).await,
        app.snapshot().await,
        app.history(id).await,
    );
    assert_eq!(before, after, "nothing written");
    app.assert_audit_consistent().await;
}

#[tokio::test]
async fn every_unit_back_makes_the_order_returned_and_a_damaged_one_stays_off_the_shelf() {
    let app = spawn_app().await;
    let skus = app
        .product_with_sizes("robe-awa", &[("M", 5), ("L", 5)])
        .await;
    let (m, l) = (skus[0].as_str(), skus[1].as_str());
    let order = app.order_for("+2250700000001", &[(m, 2), (l, 1)]).await;
    let id = order["id"].as_str().expect("an id");
    app.walk(id, &["confirmed", "processing", "shipped"]).await;

    let response = app.take_return(id, &return_body(&[(m, 2)], &[])).await;
    assert_eq!(response.status(), StatusCode::OK);
    let partly: Value = response.json().await.expect("an order");
    assert_eq!(partly["status"], "shipped");
    let mut damaged = return_body(&[(l, 1)], &[]);
    damaged["restock"] = json!(false);
    let response = app.take_return(id, &damaged).await;
    assert_eq!(response.status(), StatusCode::OK);
    let whole: Value = response.json().await.expect("an order");
    assert_eq!(whole["status"], "returned");
    assert_eq!(
        whole["total"], whole["delivery_fee"],
        "nothing kept but the delivery"
    );
    assert_eq!(app.available(m).await, 5, "back on the shelf");
    assert_eq!(app.available(l).await, 4, "the damaged one is not");
    let events: Value = app
        .admin_get("/api/v1/admin/events?type=order.returned")
        .await
        .json()
        .await
        .expect("events");
    assert_eq!(events["events"].as_array().expect("events").len(), 2);
    assert_eq!(events["events"][1]["data"]["status"], "returned");
    app.assert_audit_consistent().await;
    let counts: Value = app
        .admin_get("/api/v1/admin/orders/counts")
        .await
        .json()
        .await
        .expect("counts");
    assert_eq!(counts["returned"], 1);

    // Nothing is left to return.
    let response = app.take_return(id, &return_body(&[(m, 1)], &[])).await;
    app.problem(response, StatusCode::CONFLICT, "invalid_transition")
        .await;
}

#[tokio::test]
async fn a_return_of_what_the_order_does_not_hold_or_before_it_left_is_refused() {
    let app = spawn_app().await;
    let skus = app
        .product_with_sizes("robe-awa", &[("M", 5), ("L", 5)])
        .await;
    let (m, l) = (skus[0].as_str(), skus[1].as_str());
    let order = app.order_for("+2250700000001", &[(m, 1)]).await;
    let id = order["id"].as_str().expect("an id");
    let response = app.take_return(id, &return_body(&[(m, 1)], &[])).await;
    app.problem(response, StatusCode::CONFLICT, "invalid_transition")
        .await;

    app.walk(id, &["confirmed", "processing", "shipped"]).await;
    for (body, field) in [
        (return_body(&[(m, 2)], &[]), "lines[0].quantity"),
        (return_body(&[(l, 1)], &[]), "lines[0].sku"),
        (return_body(&[], &[]), "lines"),
        (
            return_body(&[(m, 1)], &[("NOPE-XL", 1)]),
            "replacements[0].sku",
        ),
        (
            return_body(&[(m, 1)], &[(l, 0)]),
            "replacements[0].quantity",
        ),
        (
            json!({"lines": [{"sku": m, "quantity": 1}], "note": "x".repeat(2001)}),
            "note",
        ),
    ] {
        let response = app.take_return(id, &body).await;
        app.validation_problem(response, field).await;
    }
    let response = app
        .take_return("no-such-order", &return_body(&[(m, 1)], &[]))
        .await;
    app.problem(response, StatusCode::NOT_FOUND, "not_found")
        .await;
    assert_eq!(app.available(m).await, 4);
    app.assert_audit_consistent().await;
}

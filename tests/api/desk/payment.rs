//! Recording what the shop was paid: the admin view's `payment`, the
//! history's line, the outbox's event, and every bad input refused.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_payment_by_wave_is_shown_on_the_order_kept_in_its_history_and_told_to_the_outbox() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-awa", "M", 5).await;
    let order = app.order_for("+2250700000001", &[(&sku, 2)]).await;
    let id = order["id"].as_str().expect("an id");
    let total = order["total"].as_i64().expect("a total");
    let before = app.admin_order(id).await;
    assert_eq!(
        before["payment"],
        json!({"status": "unpaid", "method": null, "amount": 0, "reference": null})
    );
    assert_eq!(before["staff_notes"], 0);
    // The buyer's view keeps the desk's fields to the desk.
    assert!(order.get("payment").is_none() && order.get("staff_notes").is_none());

    let response = app
        .admin_post(
            &format!("/api/v1/admin/orders/{id}/payment"),
            &json!({"status": "paid", "method": "wave", "amount": total, "reference": "WV-123", "currency": "XOF"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let paid: Value = response.json().await.expect("an order");
    assert_eq!(
        paid["payment"],
        json!({"status": "paid", "method": "wave", "amount": total, "reference": "WV-123"})
    );
    assert_eq!(app.admin_order(id).await["payment"], paid["payment"]);

    let history = app.history(id).await;
    let line = history.last().expect("a payment line");
    assert_eq!(line["kind"], "payment");
    assert_eq!(
        (line["from"].as_str(), line["to"].as_str()),
        (Some("unpaid"), Some("paid"))
    );
    assert_eq!(line["actor"], "test-admin");
    assert_eq!(line["detail"]["method"], "wave");

    let events: Value = app
        .admin_get("/api/v1/admin/events?type=payment.recorded")
        .await
        .json()
        .await
        .expect("events");
    let events = events["events"].as_array().expect("events");
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["data"]["order_id"], id);
}

#[tokio::test]
async fn a_payment_without_its_method_or_out_of_bounds_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-awa", "M", 5).await;
    let order = app.order_for("+2250700000001", &[(&sku, 1)]).await;
    let id = order["id"].as_str().expect("an id");
    let total = order["total"].as_i64().expect("a total");
    let path = format!("/api/v1/admin/orders/{id}/payment");
    for (body, field) in [
        (json!({"status": "paye", "method": "cash"}), "status"),
        (json!({"method": "cash"}), "status"),
        (json!({"status": "paid", "method": "bitcoin"}), "method"),
        (json!({"status": "paid"}), "method"),
        (
            json!({"status": "paid", "method": "cash", "amount": -1}),
            "amount",
        ),
        (
            json!({"status": "paid", "method": "cash", "amount": total * 100 + 1}),
            "amount",
        ),
        (
            json!({"status": "paid", "method": "cash", "currency": "EUR"}),
            "currency",
        ),
        (
            json!({"status": "paid", "method": "cash", "reference": "x".repeat(101)}),
            "reference",
        ),
    ] {
        let response = app.admin_post(&path, &body).await;
        app.validation_problem(response, field).await;
    }
    let response = app
        .admin_post(
            &path,
            &json!({"status": "paid", "method": "cash", "amount": total * 100}),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "a hundred times the total is allowed"
    );
    let response = app
        .admin_post(
            "/api/v1/admin/orders/no-such-order/payment",
            &json!({"status": "paid", "method": "cash"}),
        )
        .await;
    app.problem(response, StatusCode::NOT_FOUND, "not_found")
        .await;
    // Nothing refused reached the history.
    assert_eq!(app.history(id).await.len(), 2);
}

//! The pickup number a shop may require: off by default, the owner's
//! setting, read by the storefront from the shop, and decided by the
//! checkout engine (422 naming `delivery.pickup_number`).

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{order_body, spawn_app};

#[tokio::test]
async fn a_shop_that_requires_the_pickup_number_refuses_an_order_without_it() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe", "M", 10).await;
    assert_eq!(
        app.admin_json("/api/v1/admin/settings").await["pickup_number_required"],
        false
    );
    assert_eq!(
        app.admin_json("/api/v1/shop").await["pickup_number_required"],
        false
    );
    let (status, _) = app
        .place(&order_body("+2250700000001", &[(&sku, 1)]), None)
        .await;
    assert_eq!(status, StatusCode::CREATED, "not asked by default");

    let response = app
        .put_settings(&json!({"pickup_number_required": true}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let settings: serde_json::Value = response.json().await.expect("settings");
    assert_eq!(settings["pickup_number_required"], true);
    assert_eq!(
        app.admin_json("/api/v1/shop").await["pickup_number_required"],
        true
    );

    for (key, pickup) in [("key-1", None), ("key-2", Some("   "))] {
        let mut body = order_body("+2250700000002", &[(&sku, 1)]);
        body["delivery"]["pickup_number"] = json!(pickup);
        let response = app.post_order(&body, Some(key)).await;
        let problem = app
            .validation_problem(response, "delivery.pickup_number")
            .await;
        assert!(
            problem["detail"]
                .as_str()
                .expect("a detail")
                .contains("numéro de retrait"),
            "{problem}"
        );
    }
    assert_eq!(app.available(&sku).await, 9, "nothing taken");

    let mut body = order_body("+2250700000002", &[(&sku, 1)]);
    body["delivery"]["pickup_number"] = json!("A-77");
    let (status, placed) = app.place(&body, Some("key-1")).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "a refused 422 is not kept with its key: {placed}"
    );
    assert_eq!(placed["order"]["delivery"]["pickup_number"], "A-77");

    let refused = app
        .put_settings(&json!({"pickup_number_required": "yes"}))
        .await;
    app.validation_problem(refused, "pickup_number_required")
        .await;
    let off = app
        .put_settings(&json!({"pickup_number_required": false}))
        .await;
    assert_eq!(off.status(), StatusCode::OK);
    let (status, _) = app
        .place(&order_body("+2250700000003", &[(&sku, 1)]), None)
        .await;
    assert_eq!(status, StatusCode::CREATED);
}

//! A variant's preorder settings: set by `PATCH /api/v1/admin/variants/{sku}`,
//! judged by the shop's clock, recorded with their actor, shown in full to
//! the back office and to buyers only when open.

use chrono::TimeDelta;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::held_today;
use crate::helpers::{spawn_app, spawn_app_with, test_config};

/// An app whose clock is held at noon on `held_today()`.
async fn app_on_held_day() -> crate::helpers::TestApp {
    let config = test_config();
    let noon = held_today().and_hms_opt(12, 0, 0).expect("noon").and_utc();
    config.store.clock.hold_at(noon);
    spawn_app_with(config).await
}

#[tokio::test]
async fn open_preorders_show_in_full_to_the_back_office_and_to_buyers_without_the_units_waiting() {
    let app = app_on_held_day().await;
    let sku = app.product_with_stock("robe-noel", "M", 0).await;

    let response = app
        .patch_variant(
            &sku,
            &json!({"preorder": {"enabled": true, "cap": 20, "ships_by": "2026-12-24"}}),
        )
        .await;

    assert_eq!(response.status(), StatusCode::OK);
    let variant: Value = response.json().await.expect("a variant");
    let open = json!({"enabled": true, "cap": 20, "ships_by": "2026-12-24", "waiting": 0,
                      "places_left": 20});
    assert_eq!(variant["preorder"], open);
    let public: Value = app.product("robe-noel").await.json().await.expect("json");
    assert_eq!(
        public["variants"][0]["preorder"],
        json!({"enabled": true, "cap": 20, "ships_by": "2026-12-24", "places_left": 20})
    );
    let (admin, _) = app.admin_product("robe-noel").await;
    assert_eq!(admin["variants"][0]["preorder"], open);
    // The change is kept with its actor, before and after.
    let after = app
        .read_behind_its_back(&format!(
            "select after from admin_actions where action = 'variant.update' and subject = '{sku}'"
        ))
        .await
        .expect("the change is recorded");
    let after: Value = serde_json::from_str(&after).expect("json");
    assert_eq!(after["preorder"]["ships_by"], "2026-12-24");
    let actor = app
        .read_behind_its_back(&format!(
            "select actor from admin_actions where action = 'variant.update' and subject = '{sku}'"
        ))
        .await;
    assert_eq!(actor.as_deref(), Some("test-admin"));

    // Closed again: buyers see no preorder, the back office keeps the date.
    let closed = app
        .patch_variant(&sku, &json!({"preorder": {"enabled": false}}))
        .await;
    assert_eq!(closed.status(), StatusCode::OK);
    let public: Value = app.product("robe-noel").await.json().await.expect("json");
    assert_eq!(public["variants"][0]["preorder"], Value::Null);
    let (admin, _) = app.admin_product("robe-noel").await;
    assert_eq!(admin["variants"][0]["preorder"]["ships_by"], "2026-12-24");
    assert_eq!(admin["variants"][0]["preorder"]["enabled"], false);
}

#[tokio::test]
async fn a_bad_cap_or_date_is_refused_by_name_and_changes_nothing() {
    let app = app_on_held_day().await;
    let sku = app.product_with_stock("robe-noel-mal", "M", 0).await;
    let far = (held_today() + TimeDelta::days(367)).to_string();
    for (preorder, field) in [
        (json!({"cap": -1}), "preorder.cap"),
        (json!({"cap": 10_001}), "preorder.cap"),
        (json!({"ships_by": "24/12/2026"}), "preorder.ships_by"),
        (json!({"ships_by": "2026-12-6"}), "preorder.ships_by"),
        // The day before the shop's today, whatever the wall clock says.
        (json!({"ships_by": "2026-12-06"}), "preorder.ships_by"),
        (json!({"ships_by": far}), "preorder.ships_by"),
        (json!({"enabled": true, "cap": 5}), "preorder.ships_by"),
        (
            json!({"enabled": true, "ships_by": null}),
            "preorder.ships_by",
        ),
    ] {
        let response = app
            .patch_variant(&sku, &json!({"preorder": preorder}))
            .await;
        let problem = app.validation_problem(response, field).await;
        assert!(problem["detail"].as_str().is_some(), "{preorder}");
    }
    let unknown = app
        .patch_variant(&sku, &json!({"preorder": {"places": 3}}))
        .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let past = app
        .patch_variant(&sku, &json!({"preorder": {"ships_by": "2026-12-06"}}))
        .await;
    let problem = app.validation_problem(past, "preorder.ships_by").await;
    assert!(
        problem["detail"]
            .as_str()
            .expect("detail")
            .contains("2026-12-07"),
        "{problem}"
    );

    let (admin, _) = app.admin_product("robe-noel-mal").await;
    assert_eq!(
        admin["variants"][0]["preorder"],
        json!({"enabled": false, "cap": 0, "ships_by": null, "waiting": 0, "places_left": 0})
    );
    // Today itself is a date the shop can promise.
    let today = app
        .patch_variant(
            &sku,
            &json!({"preorder": {"enabled": true, "cap": 2, "ships_by": "2026-12-07"}}),
        )
        .await;
    assert_eq!(today.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_open_preorder_whose_date_passed_must_be_given_a_new_one_to_change() {
    let app = app_on_held_day().await;
    let sku = app.product_with_stock("robe-noel-date", "M", 0).await;
    let opened = app
        .patch_variant(
            &sku,
            &json!({"preorder": {"enabled": true, "cap": 2, "ships_by": "2026-12-08"}}),
        )
        .await;
    assert_eq!(opened.status(), StatusCode::OK);
    let noon = (held_today() + TimeDelta::days(3))
        .and_hms_opt(12, 0, 0)
        .expect("noon")
        .and_utc();
    app.store.config().clock.hold_at(noon);

    let cap_only = app
        .patch_variant(&sku, &json!({"preorder": {"cap": 4}}))
        .await;
    app.validation_problem(cap_only, "preorder.ships_by").await;
    let moved = app
        .patch_variant(
            &sku,
            &json!({"preorder": {"cap": 4, "ships_by": "2026-12-31"}}),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    let closed = app
        .patch_variant(&sku, &json!({"preorder": {"enabled": false}}))
        .await;
    assert_eq!(closed.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_preorder_takes_places_only_while_open_and_the_cap_holds() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-places", "M", 0).await;
    app.open_preorders(&sku, 3).await;

    app.preorder(1, &sku, 2).await;
    let (status, body) = app
        .place(&super::lines_body(2, &[(&sku, 2, true)]), None)
        .await;

    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "insufficient_stock");
    let (admin, _) = app.admin_product("robe-places").await;
    assert_eq!(admin["variants"][0]["preorder"]["waiting"], 2);
    assert_eq!(admin["variants"][0]["preorder"]["places_left"], 1);
    let public: Value = app.product("robe-places").await.json().await.expect("json");
    assert_eq!(public["variants"][0]["preorder"]["places_left"], 1);
    // A lower cap takes no place back from those who have one.
    let lower = app
        .patch_variant(&sku, &json!({"preorder": {"cap": 1}}))
        .await;
    assert_eq!(lower.status(), StatusCode::OK);
    let variant: Value = lower.json().await.expect("a variant");
    assert_eq!(variant["preorder"]["waiting"], 2);
    assert_eq!(variant["preorder"]["places_left"], 0);
    app.assert_audit_consistent().await;
}

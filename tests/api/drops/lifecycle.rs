//! A drop through time: its status and its public view before, at and
//! after its window, edits before the start and none after, ending it
//! early, and its live figures.

use chrono::TimeDelta;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{NOW, at, drop_body, hold, now_plus, start};
use crate::helpers::{TestApp, spawn_app};

/// A shop with a 10-unit robe in M and L and the drop `noel` on both.
async fn shop_with_drop(app: &TestApp, hidden: bool) -> (Vec<String>, Value) {
    hold(app, at(NOW));
    let skus = app
        .product_with_sizes("robe", &[("M", 10), ("L", 10)])
        .await;
    let mut body = drop_body("noel", &[(&skus[0], 5, Some(12000)), (&skus[1], 3, None)]);
    body["hidden_until_start"] = json!(hidden);
    let drop = app.create_drop(&body).await;
    (skus, drop)
}

#[tokio::test]
async fn the_public_view_follows_the_servers_clock_across_the_window() {
    let app = spawn_app().await;
    let (skus, _) = shop_with_drop(&app, false).await;

    hold(&app, start() - TimeDelta::milliseconds(1));
    let before = app.public_drop("noel").await;
    hold(&app, start());
    let opening = app.public_drop("noel").await;
    hold(&app, at("2030-06-01T13:00:00Z"));
    let after = app.public_drop("noel").await;

    assert_eq!(before["status"], "upcoming");
    assert_eq!(before["server_time"], "2030-06-01T10:59:59.999000Z");
    assert_eq!(opening["status"], "live");
    assert_eq!(opening["server_time"], "2030-06-01T11:00:00.000000Z");
    assert_eq!(after["status"], "ended");
    assert_eq!(
        opening["lines"],
        json!([
            {"sku": skus[0], "title": "Produit robe", "size": "M", "color": null,
             "price": 12000, "product_price": 15000, "remaining": 5, "product_slug": "robe", "image_url": null},
            {"sku": skus[1], "title": "Produit robe", "size": "L", "color": null,
             "price": 15000, "product_price": 15000, "remaining": 3, "product_slug": "robe", "image_url": null},
        ])
    );
    // A drop that is not hidden shows its lines before it opens.
    assert_eq!(before["lines"], opening["lines"]);
    for field in [
        "name",
        "starts_at",
        "ends_at",
        "status",
        "server_time",
        "lines",
    ] {
        assert!(
            opening.get(field).is_some(),
            "{field} missing from {opening}"
        );
    }
}

#[tokio::test]
async fn a_hidden_drop_shows_no_line_before_its_start() {
    let app = spawn_app().await;
    shop_with_drop(&app, true).await;

    hold(&app, start() - TimeDelta::milliseconds(1));
    let before = app.public_drop("noel").await;
    hold(&app, start());
    let opening = app.public_drop("noel").await;

    assert_eq!(before["status"], "upcoming");
    assert_eq!(before["lines"], json!([]));
    assert_eq!(opening["lines"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn the_public_view_is_never_kept_by_a_cache() {
    let app = spawn_app().await;
    shop_with_drop(&app, false).await;

    let response = app.get("/api/v1/drops/noel").await;

    assert_eq!(response.status(), StatusCode::OK);
    let cache = response.headers().get(reqwest::header::CACHE_CONTROL);
    assert_eq!(cache.and_then(|v| v.to_str().ok()), Some("no-store"));
}

#[tokio::test]
async fn before_its_start_a_drop_is_edited_and_its_lines_replaced() {
    let app = spawn_app().await;
    let (skus, drop) = shop_with_drop(&app, true).await;
    let id = drop["id"].as_str().expect("an id");

    hold(&app, start() - TimeDelta::milliseconds(1));
    let response = app
        .patch_drop(
            id,
            &json!({"name": "Capsule de Noël", "max_units_per_customer": null,
                    "lines": [{"sku": skus[1], "units": 10, "percent_off": 20}]}),
        )
        .await;

    assert_eq!(response.status(), StatusCode::OK);
    let edited: Value = response.json().await.expect("a drop");
    assert_eq!(edited["name"], "Capsule de Noël");
    assert_eq!(edited["slug"], "noel");
    assert_eq!(edited["max_units_per_customer"], Value::Null);
    assert_eq!(edited["starts_at"], drop["starts_at"]);
    let lines = edited["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["sku"], skus[1].as_str());
    assert_eq!(lines[0]["remaining"], 10);
    assert_eq!(lines[0]["unit_price"], 12000);
    assert_eq!(app.admin_drop("noel").await, edited);
}

#[tokio::test]
async fn an_edit_is_checked_like_a_creation() {
    let app = spawn_app().await;
    let (skus, _) = shop_with_drop(&app, true).await;

    let too_many = json!({"lines": [{"sku": skus[0], "units": 11}]});
    let response = app.patch_drop("noel", &too_many).await;
    app.validation_problem(response, "lines[0].units").await;
    let backwards = json!({"ends_at": "2030-06-01T10:30:00Z"});
    let response = app.patch_drop("noel", &backwards).await;
    app.validation_problem(response, "ends_at").await;

    // A stock that fell below a line's units since does not block an edit
    // of something else.
    let fell = app
        .adjust(&skus[0], &json!({"set": 1, "reason": "inventaire"}))
        .await;
    assert_eq!(fell.status(), StatusCode::OK);
    let response = app.patch_drop("noel", &json!({"name": "Capsule"})).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn once_started_a_drop_cannot_be_edited_only_ended() {
    let app = spawn_app().await;
    shop_with_drop(&app, true).await;

    hold(&app, start());
    let response = app.patch_drop("noel", &json!({"name": "Trop tard"})).await;

    let problem = app
        .problem(response, StatusCode::CONFLICT, "invalid_transition")
        .await;
    let detail = problem["detail"].as_str().expect("a detail");
    assert!(detail.contains("a commencé"), "{detail}");
    assert!(detail.contains("arrêtée plus tôt"), "{detail}");
    assert_eq!(app.admin_drop("noel").await["name"], "Vente noel");
}

#[tokio::test]
async fn ending_a_live_drop_closes_it_now_and_an_ended_one_cannot_end_again() {
    let app = spawn_app().await;
    shop_with_drop(&app, false).await;
    let moment = start() + TimeDelta::minutes(30);
    hold(&app, moment);

    let response = app.end_drop("noel").await;

    assert_eq!(response.status(), StatusCode::OK);
    let ended: Value = response.json().await.expect("a drop");
    assert_eq!(ended["status"], "ended");
    assert_eq!(ended["ends_at"], "2030-06-01T11:30:00.000000Z");
    assert_eq!(ended["starts_at"], "2030-06-01T11:00:00.000000Z");
    assert_eq!(app.public_drop("noel").await["status"], "ended");

    let again = app.end_drop("noel").await;
    let problem = app
        .problem(again, StatusCode::CONFLICT, "invalid_transition")
        .await;
    assert!(
        problem["detail"]
            .as_str()
            .expect("a detail")
            .contains("déjà terminée")
    );
    let edit = app.patch_drop("noel", &json!({"name": "Encore"})).await;
    app.problem(edit, StatusCode::CONFLICT, "invalid_transition")
        .await;
}

#[tokio::test]
async fn ending_a_drop_before_its_start_closes_it_before_it_opens() {
    let app = spawn_app().await;
    let (skus, _) = shop_with_drop(&app, true).await;

    let response = app.end_drop("noel").await;

    assert_eq!(response.status(), StatusCode::OK);
    let ended: Value = response.json().await.expect("a drop");
    assert_eq!(ended["status"], "ended");
    assert_eq!(ended["ends_at"], "2030-06-01T10:00:00.000000Z");
    assert_eq!(ended["starts_at"], "2030-06-01T09:59:59.999999Z");
    // Its skus may go into another drop of the same hours.
    let mut next = super::drop_body("noel-bis", &[(&skus[0], 2, None)]);
    next["hidden_until_start"] = json!(false);
    app.create_drop(&next).await;
}

#[tokio::test]
async fn the_live_view_has_the_last_ten_minutes_and_no_refusal_yet() {
    let app = spawn_app().await;
    shop_with_drop(&app, false).await;
    hold(
        &app,
        now_plus(TimeDelta::minutes(65)) + TimeDelta::seconds(30),
    );

    let live: Value = app
        .admin_get("/api/v1/admin/drops/noel/live")
        .await
        .json()
        .await
        .expect("the live view");

    assert_eq!(live["server_time"], "2030-06-01T11:05:30.000000Z");
    assert_eq!(live["drop"]["status"], "live");
    let minutes = live["orders_per_minute"].as_array().expect("minutes");
    assert_eq!(minutes.len(), 10);
    assert_eq!(minutes[0]["minute"], "2030-06-01T10:56:00.000000Z");
    assert_eq!(minutes[9]["minute"], "2030-06-01T11:05:00.000000Z");
    assert!(minutes.iter().all(|m| m["orders"] == 0));
    assert_eq!(live["orders"], 0);
    assert_eq!(live["refusals"], json!([]));
}

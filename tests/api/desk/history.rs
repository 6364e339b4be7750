//! An order's history: its creation, status changes (a step back only
//! with its reason), staff notes and edits, each with its actor and time.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_history_tells_creation_status_changes_a_note_an_edit_and_a_step_back_in_order() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-awa", "M", 5).await;
    let order = app.order_for("+2250700000001", &[(&sku, 1)]).await;
    let id = order["id"].as_str().expect("an id");
    app.walk(id, &["confirmed", "processing"]).await;

    let response = app
        .admin_post(
            &format!("/api/v1/admin/orders/{id}/notes"),
            &json!({"note": "Appelée : livrer après 17 h"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let note: Value = response.json().await.expect("a note");
    assert!(note["id"].is_string(), "{note}");
    assert_eq!(
        (note["actor"].as_str(), note["note"].as_str()),
        (Some("test-admin"), Some("Appelée : livrer après 17 h"))
    );
    assert!(note["at"].is_string());

    let response = app
        .admin_patch(
            &format!("/api/v1/admin/orders/{id}"),
            &json!({"pickup_number": "RET-12", "delivery": {"address": "Yopougon, près du marché"}}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let edited: Value = response.json().await.expect("an order");
    assert_eq!(edited["delivery"]["pickup_number"], "RET-12");
    assert_eq!(edited["delivery"]["address"], "Yopougon, près du marché");

    // One step back needs a reason.
    let path = format!("/api/v1/admin/orders/{id}/status");
    let response = app.admin_post(&path, &json!({"status": "confirmed"})).await;
    app.validation_problem(response, "reason").await;
    let response = app
        .admin_post(
            &path,
            &json!({"status": "confirmed", "reason": "Taille à vérifier avec la cliente"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // Two steps back is not a correction.
    let response = app
        .admin_post(&path, &json!({"status": "pending", "reason": "x"}))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "confirmed → pending is one step"
    );
    let response = app
        .admin_post(&path, &json!({"status": "processing", "reason": "x"}))
        .await;
    app.problem(response, StatusCode::CONFLICT, "invalid_transition")
        .await;

    let history = app.history(id).await;
    let summary: Vec<(String, Option<String>, Option<String>)> = history
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().expect("a kind").to_owned(),
                e["from"].as_str().map(str::to_owned),
                e["to"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let step = |kind: &str, from: Option<&str>, to: Option<&str>| {
        (
            kind.to_owned(),
            from.map(str::to_owned),
            to.map(str::to_owned),
        )
    };
    assert_eq!(
        summary,
        [
            step("created", None, Some("pending")),
            step("status", Some("pending"), Some("confirmed")),
            step("status", Some("confirmed"), Some("processing")),
            step("note", None, None),
            step("edit", None, Some("RET-12")),
            step(
                "edit",
                Some("Cocody, Abidjan"),
                Some("Yopougon, près du marché")
            ),
            step("status", Some("processing"), Some("confirmed")),
            step("status", Some("confirmed"), Some("pending")),
        ]
    );
    assert_eq!(history[0]["actor"], Value::Null, "the buyer placed it");
    assert!(history[1..].iter().all(|e| e["actor"] == "test-admin"));
    assert_eq!(history[3]["note"], "Appelée : livrer après 17 h");
    assert_eq!(history[4]["detail"]["field"], "pickup_number");
    assert_eq!(history[5]["detail"]["field"], "delivery.address");
    assert_eq!(history[6]["note"], "Taille à vérifier avec la cliente");
    let times: Vec<&str> = history
        .iter()
        .map(|e| e["at"].as_str().expect("a time"))
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "oldest first: {times:?}"
    );
    assert_eq!(app.admin_order(id).await["staff_notes"], 1);
}

#[tokio::test]
async fn notes_and_edits_refuse_what_a_person_could_get_wrong() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-awa", "M", 5).await;
    let order = app.order_for("+2250700000001", &[(&sku, 1)]).await;
    let id = order["id"].as_str().expect("an id");
    let notes = format!("/api/v1/admin/orders/{id}/notes");
    let response = app
        .admin_post(&notes, &json!({"note": "x".repeat(2001)}))
        .await;
    app.validation_problem(response, "note").await;
    let response = app.admin_post(&notes, &json!({"note": "   "})).await;
    app.validation_problem(response, "note").await;
    let response = app
        .admin_post(&notes, &json!({"note": "x".repeat(2000)}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = app
        .admin_post("/api/v1/admin/orders/nobody/notes", &json!({"note": "x"}))
        .await;
    app.problem(response, StatusCode::NOT_FOUND, "not_found")
        .await;

    let edit = format!("/api/v1/admin/orders/{id}");
    let response = app
        .admin_patch(&edit, &json!({"pickup_number": "x".repeat(65)}))
        .await;
    app.validation_problem(response, "pickup_number").await;
    let response = app
        .admin_patch(&edit, &json!({"delivery": {"address": "a\u{202e}b"}}))
        .await;
    app.validation_problem(response, "delivery.address").await;
    // Clearing a field is an edit; an unchanged value is none.
    let response = app
        .admin_patch(&edit, &json!({"delivery": {"address": null}}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = app
        .admin_patch(&edit, &json!({"delivery": {"address": ""}}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let edits = app
        .history(id)
        .await
        .iter()
        .filter(|e| e["kind"] == "edit")
        .count();
    assert_eq!(edits, 1);
}

//! The owner's team: who is listed, revoking (never the last owner),
//! resetting a forgotten password, staff kept off the owner's routes, and
//! every change recorded under the signed-in person's name.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use stockroom::domain::staff::Role;

use super::{PASSWORD, Session};
use crate::helpers::{TestApp, spawn_app};

/// `DELETE /api/v1/admin/staff/{name}` as `session`.
async fn revoke(app: &TestApp, session: &Session, name: &str) -> reqwest::Response {
    app.as_session(
        session,
        Method::DELETE,
        &format!("/api/v1/admin/staff/{name}"),
    )
    .send()
    .await
    .expect("sent")
}

#[tokio::test]
async fn the_last_owner_cannot_be_revoked_and_a_second_one_can() {
    let app = spawn_app().await;
    let binta = app.member("binta", "owner").await;
    let aya = app.member("aya", "staff").await;

    // Two owners: binta revokes the first one (the app's `test-admin`).
    assert_eq!(
        revoke(&app, &binta, "test-admin").await.status(),
        StatusCode::NO_CONTENT
    );
    let response = revoke(&app, &binta, "binta").await;
    app.problem(response, StatusCode::CONFLICT, "invalid_transition")
        .await;
    assert_eq!(app.session_status(&binta).await, StatusCode::OK);
    // Staff may be revoked while a single owner is left.
    assert_eq!(
        revoke(&app, &binta, "aya").await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.session_status(&aya).await, StatusCode::UNAUTHORIZED);
    let response = revoke(&app, &binta, "aya").await;
    app.problem(response, StatusCode::NOT_FOUND, "not_found")
        .await;

    let staff: Value = app
        .as_session(&binta, Method::GET, "/api/v1/admin/staff")
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let revoked: Vec<(&str, bool)> = staff["staff"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| (p["name"].as_str().unwrap_or_default(), p["revoked"] == true))
        .collect();
    assert_eq!(
        revoked,
        [("test-admin", true), ("binta", false), ("aya", true)]
    );
    // Binta signed in: when she was last seen is shown.
    assert!(staff["staff"][1]["last_seen_at"].is_string(), "{staff}");
}

#[tokio::test]
async fn a_staff_member_on_an_owner_route_is_forbidden_and_changes_nothing() {
    let app = spawn_app().await;
    let aya = app.member("aya", "staff").await;
    let settings: Value = app
        .admin_get("/api/v1/admin/settings")
        .await
        .json()
        .await
        .expect("json");

    let attempts = [
        (Method::GET, "/api/v1/admin/staff", None),
        (
            Method::POST,
            "/api/v1/admin/staff",
            Some(json!({"name": "eve", "role": "owner"})),
        ),
        (Method::POST, "/api/v1/admin/staff/test-admin/reset", None),
        (Method::DELETE, "/api/v1/admin/staff/test-admin", None),
        (
            Method::PUT,
            "/api/v1/admin/settings",
            Some(json!({"low_stock_percent": 90})),
        ),
    ];
    for (method, path, body) in attempts {
        let mut request = app.as_session(&aya, method, path);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("sent");
        app.problem(response, StatusCode::FORBIDDEN, "forbidden")
            .await;
    }
    // She may read the settings; nothing above was done.
    let read = app
        .as_session(&aya, Method::GET, "/api/v1/admin/settings")
        .send()
        .await
        .expect("sent");
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(read.json::<Value>().await.expect("json"), settings);
    let staff: Value = app
        .admin_get("/api/v1/admin/staff")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(staff["staff"].as_array().map(Vec::len), Some(2), "{staff}");
    assert_eq!(
        app.admin_get("/api/v1/admin/orders").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_reset_ends_the_old_password_the_old_link_and_every_session() {
    let app = spawn_app().await;
    let aya = app.member("aya", "staff").await;
    let first_link = app.invite("binta", "staff").await["setup_token"].clone();

    let reset = app
        .admin_post("/api/v1/admin/staff/aya/reset", &json!({}))
        .await;
    assert_eq!(reset.status(), StatusCode::CREATED);
    let reset: Value = reset.json().await.expect("json");
    let token = reset["setup_token"].as_str().expect("a token");
    assert!(
        reset["setup_url"]
            .as_str()
            .is_some_and(|url| url.ends_with(&format!("#{token}")))
    );
    assert_eq!(app.session_status(&aya).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.sign_in("aya", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let new = "une nouvelle phrase";
    assert_eq!(
        app.set_up(token, new).await.status(),
        StatusCode::NO_CONTENT
    );
    app.signed_in("aya", new).await;

    // A reset of someone invited voids the link of the invitation.
    let second = app
        .admin_post("/api/v1/admin/staff/binta/reset", &json!({}))
        .await;
    let second: Value = second.json().await.expect("json");
    let first = first_link.as_str().expect("a token");
    app.problem(
        app.set_up(first, PASSWORD).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let second = second["setup_token"].as_str().expect("a token");
    assert_eq!(
        app.set_up(second, PASSWORD).await.status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn every_change_is_recorded_under_the_signed_in_persons_name() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;
    let aya = app.member("aya", "staff").await;
    let binta = app.member("binta", "owner").await;
    let clerk = app
        .store
        .create_admin("clerk", Role::Staff)
        .await
        .expect("an admin");

    let restock = |request: reqwest::RequestBuilder, quantity: i64| async move {
        let response = request
            .json(&json!({"quantity": quantity}))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::OK);
    };
    let path = format!("/api/v1/admin/stock/{sku}/restock");
    restock(app.as_session(&aya, Method::POST, &path), 1).await;
    restock(app.as_session(&binta, Method::POST, &path), 2).await;
    let token = clerk.token.as_deref().expect("a token");
    restock(app.request(Method::POST, &path).bearer_auth(token), 3).await;

    let movements = app
        .all_movements(&[("sku", &sku), ("kind", "restock")])
        .await;
    let mut actors: Vec<(i64, &str)> = movements
        .iter()
        .map(|m| {
            (
                m["quantity"].as_i64().unwrap_or_default(),
                m["actor"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    actors.sort_unstable();
    assert_eq!(actors, [(1, "aya"), (2, "binta"), (3, "clerk")]);
}

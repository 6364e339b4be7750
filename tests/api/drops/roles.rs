//! Drops are the owner's to create, edit and end (API.md, part two,
//! details fixed 7); the whole team reads them; nobody signed out does.

use reqwest::{Method, StatusCode};
use serde_json::json;
use stockroom::domain::staff::Role;

use super::{NOW, at, drop_body, hold};
use crate::helpers::spawn_app;

#[tokio::test]
async fn staff_read_drops_but_only_the_owner_creates_edits_and_ends_them() {
    let app = spawn_app().await;
    hold(&app, at(NOW));
    let sku = app.product_with_stock("robe", "M", 10).await;
    app.create_drop(&drop_body("noel", &[(&sku, 5, None)]))
        .await;
    let clerk = app
        .store
        .create_admin("clerk", Role::Staff)
        .await
        .expect("a clerk");
    let token = clerk.token.expect("a token");
    let as_staff = |method: Method, path: &str| app.request(method, path).bearer_auth(&token);

    for path in [
        "/api/v1/admin/drops",
        "/api/v1/admin/drops/noel",
        "/api/v1/admin/drops/noel/live",
    ] {
        let response = as_staff(Method::GET, path).send().await.expect("sent");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    let writes = [
        as_staff(Method::POST, "/api/v1/admin/drops").json(&drop_body("autre", &[(&sku, 1, None)])),
        as_staff(Method::PATCH, "/api/v1/admin/drops/noel").json(&json!({"name": "x"})),
        as_staff(Method::POST, "/api/v1/admin/drops/noel/end"),
    ];
    for request in writes {
        let response = request.send().await.expect("sent");
        app.problem(response, StatusCode::FORBIDDEN, "forbidden")
            .await;
    }
    assert_eq!(app.admin_drop("noel").await["name"], "Vente noel");

    let response = app.get("/api/v1/admin/drops").await;
    app.problem(response, StatusCode::UNAUTHORIZED, "unauthorized")
        .await;
}

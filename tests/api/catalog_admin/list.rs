//! The back office's product list: words, status and stock filters.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn listed(app: &TestApp, query: &str) -> Vec<String> {
    let response = app
        .admin_get(&format!("/api/v1/admin/products{query}"))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    let list: Value = response.json().await.expect("json");
    list["products"]
        .as_array()
        .expect("products")
        .iter()
        .map(|p| p["slug"].as_str().expect("a slug").to_owned())
        .collect()
}

async fn shop(app: &TestApp) {
    app.create_product(&json!({
        "slug": "robe-ete", "title": "Robe d'été", "category": "Robes", "price": 15000,
        "variants": [{"size": "M", "stock": 10}, {"size": "L", "stock": 0}]
    }))
    .await;
    app.create_product(&json!({
        "slug": "boubou", "title": "Grand boubou", "category": "Tenues", "price": 30000,
        "status": "draft", "variants": [{"sku": "BB-BAZIN-XL", "size": "XL", "stock": 1}]
    }))
    .await;
    app.create_product(&json!({
        "slug": "pagne", "title": "Pagne wax", "category": "Tissus", "price": 8000,
        "status": "archived", "variants": [{"size": "U", "stock": 20}]
    }))
    .await;
}

#[tokio::test]
async fn the_list_shows_every_status_and_finds_words_in_any_case_and_accent() {
    let app = spawn_app().await;
    shop(&app).await;

    assert_eq!(listed(&app, "").await, ["pagne", "boubou", "robe-ete"]);
    assert_eq!(listed(&app, "?q=ETE").await, ["robe-ete"]);
    assert_eq!(listed(&app, "?q=%C3%A9t%C3%A9").await, ["robe-ete"], "été");
    assert_eq!(listed(&app, "?q=bazin").await, ["boubou"], "by sku");
    assert_eq!(listed(&app, "?q=tissus").await, ["pagne"], "by category");
    assert_eq!(listed(&app, "?q=robe+m").await, ["robe-ete"], "every word");
    assert!(listed(&app, "?q=chemise").await.is_empty());
}

#[tokio::test]
async fn the_list_filters_by_status_and_by_stock() {
    let app = spawn_app().await;
    shop(&app).await;

    assert_eq!(listed(&app, "?status=draft").await, ["boubou"]);
    assert_eq!(listed(&app, "?status=active").await, ["robe-ete"]);
    assert_eq!(listed(&app, "?stock=sold_out").await, ["robe-ete"]);
    assert_eq!(
        listed(&app, "?stock=low").await,
        ["boubou"],
        "1 unit is low"
    );
    assert!(listed(&app, "?stock=low&status=active").await.is_empty());
}

#[tokio::test]
async fn a_bad_filter_is_refused_by_name() {
    let app = spawn_app().await;

    for query in [
        "?status=hidden",
        "?stock=few",
        &format!("?q={}", "a".repeat(201)),
    ] {
        let response = app
            .admin_get(&format!("/api/v1/admin/products{query}"))
            .await;
        app.problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }
    let unsigned = app.get("/api/v1/admin/products").await;
    app.problem(unsigned, StatusCode::UNAUTHORIZED, "unauthorized")
        .await;
}

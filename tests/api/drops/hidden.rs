//! A drop hidden until its start keeps its products out of the public
//! catalog until then: their pages are not found and lists omit them,
//! one millisecond before the start; at the start they are public.

use chrono::TimeDelta;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{NOW, at, drop_body, hold, start};
use crate::helpers::{TestApp, spawn_app};

async fn public_slugs(app: &TestApp) -> Vec<String> {
    let list: Value = app
        .get("/api/v1/products")
        .await
        .json()
        .await
        .expect("a list");
    list["products"]
        .as_array()
        .expect("products")
        .iter()
        .map(|p| p["slug"].as_str().expect("a slug").to_owned())
        .collect()
}

#[tokio::test]
async fn a_hidden_drops_products_are_public_only_from_its_start() {
    let app = spawn_app().await;
    hold(&app, at(NOW));
    let sku = app.product_with_stock("robe-secrete", "M", 10).await;
    app.product_with_stock("robe-visible", "M", 10).await;
    let drop = app
        .create_drop(&drop_body("noel", &[(&sku, 5, None)]))
        .await;
    let product_id = app.admin_product("robe-secrete").await.0["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    assert_eq!(drop["hidden_until_start"], true);

    hold(&app, start() - TimeDelta::milliseconds(1));
    for key in ["robe-secrete", product_id.as_str()] {
        let response = app.product(key).await;
        app.problem(response, StatusCode::NOT_FOUND, "not_found")
            .await;
    }
    assert_eq!(public_slugs(&app).await, ["robe-visible"]);
    // The back office still sees it.
    let (admin_view, _) = app.admin_product("robe-secrete").await;
    assert_eq!(admin_view["slug"], "robe-secrete");

    hold(&app, start());
    assert_eq!(app.product("robe-secrete").await.status(), StatusCode::OK);
    assert_eq!(public_slugs(&app).await, ["robe-visible", "robe-secrete"]);
}

#[tokio::test]
async fn a_drop_that_is_not_hidden_leaves_its_products_public() {
    let app = spawn_app().await;
    hold(&app, at(NOW));
    let sku = app.product_with_stock("robe", "M", 10).await;
    let mut body = drop_body("soldes", &[(&sku, 5, None)]);
    body["hidden_until_start"] = json!(false);
    app.create_drop(&body).await;

    assert_eq!(app.product("robe").await.status(), StatusCode::OK);
    assert_eq!(public_slugs(&app).await, ["robe"]);
}

#[tokio::test]
async fn a_hidden_drop_ended_before_its_start_no_longer_hides_its_products() {
    let app = spawn_app().await;
    hold(&app, at(NOW));
    let sku = app.product_with_stock("robe", "M", 10).await;
    app.create_drop(&drop_body("noel", &[(&sku, 5, None)]))
        .await;
    assert_eq!(app.product("robe").await.status(), StatusCode::NOT_FOUND);

    assert_eq!(app.end_drop("noel").await.status(), StatusCode::OK);

    assert_eq!(app.product("robe").await.status(), StatusCode::OK);
}

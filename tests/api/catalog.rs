//! The catalog: the public product list and pages, and admins creating products.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, as_buyers_see_it, spawn_app};

/// A variant's preorders as the back office sees them before they are set.
fn closed() -> Value {
    json!({"enabled": false, "cap": 0, "ships_by": null, "waiting": 0, "places_left": 0})
}

/// A dress in M (5 units) and L (sold out), and a shirt sold out in every size.
async fn dress_and_sold_out_shirt(app: &TestApp) -> (Value, Value) {
    let dress = app
        .create_product(&json!({
            "slug": "robe-ete", "title": "Robe d'été", "price": 15000,
            "variants": [{"size": "M", "stock": 5}, {"size": "L", "stock": 0}]
        }))
        .await;
    let shirt = app
        .create_product(&json!({
            "slug": "chemise", "title": "Chemise", "price": 9000, "old_price": 12000,
            "variants": [{"size": "S", "stock": 0}]
        }))
        .await;
    (dress, shirt)
}

async fn listed(app: &TestApp, path: &str) -> Vec<Value> {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    body["products"].as_array().expect("a list").clone()
}

fn by_slug<'a>(products: &'a [Value], slug: &str) -> Option<&'a Value> {
    products.iter().find(|p| p["slug"] == slug)
}

#[tokio::test]
async fn the_product_list_shows_every_product_and_the_stock_of_every_size() {
    let app = spawn_app().await;
    dress_and_sold_out_shirt(&app).await;

    let products = listed(&app, "/api/v1/products").await;

    assert_eq!(products.len(), 2);
    let dress = by_slug(&products, "robe-ete").expect("the dress");
    assert_eq!(dress["in_stock"], json!(true));
    assert_eq!(dress["currency"], "XOF");
    assert_eq!(dress["price"], 15000);
    assert_eq!(dress["old_price"], Value::Null);
    assert_eq!(
        dress["variants"],
        json!([
            {"sku": "ROBE-ETE-M", "size": "M", "color": null, "available": 5, "retired": false, "low_stock_threshold": null, "position": 0, "low": false},
            {"sku": "ROBE-ETE-L", "size": "L", "color": null, "available": 0, "retired": false, "low_stock_threshold": null, "position": 1, "low": false},
        ])
    );
    let shirt = by_slug(&products, "chemise").expect("the shirt");
    assert_eq!(shirt["in_stock"], json!(false));
    assert_eq!(shirt["old_price"], 12000);
}

#[tokio::test]
async fn in_stock_true_hides_sold_out_products_and_sold_out_sizes() {
    let app = spawn_app().await;
    dress_and_sold_out_shirt(&app).await;

    let products = listed(&app, "/api/v1/products?in_stock=true").await;

    assert_eq!(products.len(), 1, "the shirt is hidden: {products:?}");
    let skus: Vec<&Value> = products[0]["variants"]
        .as_array()
        .expect("variants")
        .iter()
        .map(|v| &v["sku"])
        .collect();
    assert_eq!(skus, [&json!("ROBE-ETE-M")]);
    assert_eq!(
        listed(&app, "/api/v1/products?in_stock=false").await.len(),
        2
    );
}

#[tokio::test]
async fn an_in_stock_filter_that_is_not_a_boolean_is_a_422() {
    let app = spawn_app().await;
    dress_and_sold_out_shirt(&app).await;

    let response = app.get("/api/v1/products?in_stock=maybe").await;

    app.validation_problem(response, "in_stock").await;
}

#[tokio::test]
async fn a_product_is_found_by_its_id_and_by_its_slug() {
    let app = spawn_app().await;
    let (dress, _) = dress_and_sold_out_shirt(&app).await;
    let id = dress["id"].as_str().expect("an id");

    for key in [id, "robe-ete"] {
        let response = app.product(key).await;
        assert_eq!(response.status(), StatusCode::OK);
        let found: Value = response.json().await.expect("json");
        assert_eq!(found, as_buyers_see_it(dress.clone()), "looked up by {key}");
    }
}

#[tokio::test]
async fn an_unknown_product_is_a_404_problem() {
    let app = spawn_app().await;
    dress_and_sold_out_shirt(&app).await;

    for key in ["robe-hiver", "00000000-0000-4000-8000-000000000000"] {
        let problem = app
            .problem(app.product(key).await, StatusCode::NOT_FOUND, "not_found")
            .await;
        assert!(problem["detail"].as_str().expect("detail").contains(key));
    }
}

#[tokio::test]
async fn a_new_product_gets_a_slug_from_its_title_and_skus_from_slug_and_size() {
    let app = spawn_app().await;

    let response = app
        .admin_post(
            "/api/v1/admin/products",
            &json!({
                "title": "Robe d'été", "price": 15000, "category": "robes",
                "variants": [{"size": "M", "stock": 3}, {"size": "xl"}, {"sku": "robe-s", "size": "S"}]
            }),
        )
        .await;

    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.expect("json");
    assert_eq!(created["slug"], "robe-d-ete");
    assert_eq!(created["category"], "robes");
    assert_eq!(created["in_stock"], json!(true));
    assert_eq!(
        created["variants"],
        json!([
            {"sku": "ROBE-D-ETE-M", "size": "M", "color": null, "available": 3, "retired": false, "low_stock_threshold": null, "position": 0, "low": false, "preorder": closed()},
            {"sku": "ROBE-D-ETE-XL", "size": "xl", "color": null, "available": 0, "retired": false, "low_stock_threshold": null, "position": 1, "low": false, "preorder": closed()},
            {"sku": "ROBE-S", "size": "S", "color": null, "available": 0, "retired": false, "low_stock_threshold": null, "position": 2, "low": false, "preorder": closed()},
        ])
    );
    let public: Value = app.product("robe-d-ete").await.json().await.expect("json");
    assert_eq!(public, as_buyers_see_it(created));
}

#[tokio::test]
async fn initial_stock_is_recorded_as_initial_movements_even_at_zero() {
    let app = spawn_app().await;
    app.create_product(&json!({
        "slug": "robe-ete", "title": "Robe d'été", "price": 15000,
        "variants": [{"size": "M", "stock": 4}, {"size": "L"}]
    }))
    .await;

    for (sku, units) in [("ROBE-ETE-M", 4), ("ROBE-ETE-L", 0)] {
        let movements = app.all_movements(&[("sku", sku)]).await;
        assert_eq!(movements.len(), 1, "one movement for {sku}: {movements:?}");
        let initial = &movements[0];
        assert_eq!(initial["kind"], "initial");
        assert_eq!(initial["quantity"], units);
        assert_eq!(initial["available_after"], units);
        assert_eq!(initial["actor"], "test-admin");
        assert_eq!(initial["order_id"], Value::Null);
        assert_eq!(app.ledger_sum(sku).await, app.available(sku).await);
    }
}

#[tokio::test]
async fn a_duplicate_slug_is_a_409_and_writes_nothing() {
    let app = spawn_app().await;
    dress_and_sold_out_shirt(&app).await;
    let before = app.snapshot().await;

    let response = app
        .admin_post(
            "/api/v1/admin/products",
            &json!({"slug": "robe-ete", "title": "Autre robe", "price": 1,
                    "variants": [{"sku": "AUTRE-M", "size": "M", "stock": 2}]}),
        )
        .await;

    app.problem(response, StatusCode::CONFLICT, "already_exists")
        .await;
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn a_duplicate_sku_is_a_409_and_writes_nothing() {
    let app = spawn_app().await;
    dress_and_sold_out_shirt(&app).await;
    let before = app.snapshot().await;

    let response = app
        .admin_post(
            "/api/v1/admin/products",
            &json!({"slug": "robe-neuve", "title": "Robe neuve", "price": 1,
                    "variants": [{"size": "S", "stock": 2}, {"sku": "robe-ete-m", "size": "M", "stock": 2}]}),
        )
        .await;

    let problem = app
        .problem(response, StatusCode::CONFLICT, "already_exists")
        .await;
    assert!(
        problem["detail"]
            .as_str()
            .expect("detail")
            .contains("ROBE-ETE-M")
    );
    assert_eq!(app.snapshot().await, before);
    app.problem(
        app.product("robe-neuve").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_product_without_variants_is_a_422_naming_variants() {
    let app = spawn_app().await;

    for body in [
        json!({"title": "Robe", "price": 1, "variants": []}),
        json!({"title": "Robe", "price": 1}),
    ] {
        let response = app.admin_post("/api/v1/admin/products", &body).await;
        app.validation_problem(response, "variants").await;
    }
    assert_eq!(app.snapshot().await["products"], json!([]));
}

#[tokio::test]
async fn a_product_without_a_title_or_with_a_negative_price_is_a_422_naming_both() {
    let app = spawn_app().await;

    let response = app
        .admin_post(
            "/api/v1/admin/products",
            &json!({"slug": "robe", "price": -1, "variants": [{"size": "M", "stock": 1}]}),
        )
        .await;

    let problem = app.validation_problem(response, "title").await;
    assert!(TestApp::error_fields(&problem).contains(&"price".to_owned()));
    assert_eq!(app.snapshot().await["movements"], json!([]));
}

#[tokio::test]
async fn a_sku_with_characters_outside_letters_digits_dash_underscore_dot_is_a_422() {
    let app = spawn_app().await;

    for sku in ["ROBE ETE", "ROBE-ÉTÉ", "ROBE/M"] {
        let response = app
            .admin_post(
                "/api/v1/admin/products",
                &json!({"title": "Robe", "price": 1, "variants": [{"sku": sku, "size": "M"}]}),
            )
            .await;
        app.validation_problem(response, "variants[0].sku").await;
    }
    assert_eq!(app.snapshot().await["products"], json!([]));
}

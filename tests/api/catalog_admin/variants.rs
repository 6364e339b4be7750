//! Variants after a product's creation: a size added with its opening
//! stock, retired (never deleted), moved, given a low-stock threshold.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, order_body, phone, spawn_app};

/// A dress in S (2 units) and M (5 units); its id.
async fn dress(app: &TestApp) -> String {
    let product = app
        .create_product(&json!({
            "slug": "robe-ete", "title": "Robe d'été", "price": 15000,
            "variants": [{"size": "S", "stock": 2}, {"size": "M", "stock": 5}]
        }))
        .await;
    product["id"].as_str().expect("an id").to_owned()
}

async fn add(app: &TestApp, product: &str, body: &Value) -> reqwest::Response {
    app.admin_post(&format!("/api/v1/admin/products/{product}/variants"), body)
        .await
}

async fn patch(app: &TestApp, sku: &str, body: &Value) -> reqwest::Response {
    app.admin(Method::PATCH, &format!("/api/v1/admin/variants/{sku}"))
        .json(body)
        .send()
        .await
        .expect("sent")
}

fn sizes(product: &Value) -> Vec<String> {
    product["variants"]
        .as_array()
        .expect("variants")
        .iter()
        .map(|v| v["size"].as_str().expect("a size").to_owned())
        .collect()
}

#[tokio::test]
async fn a_size_added_after_creation_has_its_opening_stock_in_the_ledger_and_can_be_bought() {
    let app = spawn_app().await;
    let id = dress(&app).await;

    let response = add(&app, "robe-ete", &json!({"size": "L", "stock": 4})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let variant: Value = response.json().await.expect("a variant");
    let (placed, _) = app
        .place(&order_body(&phone(1), &[("ROBE-ETE-L", 3)]), None)
        .await;

    assert_eq!(
        variant,
        json!({"sku": "ROBE-ETE-L", "size": "L", "color": null, "available": 4,
               "retired": false, "low_stock_threshold": null, "position": 2, "low": false,
               "preorder": {"enabled": false, "cap": 0, "ships_by": null, "waiting": 0,
                            "places_left": 0}})
    );
    let initial = app
        .all_movements(&[("sku", "ROBE-ETE-L"), ("kind", "initial")])
        .await;
    assert_eq!(initial.len(), 1);
    assert_eq!(initial[0]["quantity"], 4);
    assert_eq!(placed, StatusCode::CREATED);
    assert_eq!(app.available("ROBE-ETE-L").await, 1);
    assert_eq!(sizes(&app.admin_product(&id).await.0), ["S", "M", "L"]);
    app.assert_audit_consistent().await;
}

#[tokio::test]
async fn a_size_the_product_has_or_a_sku_taken_is_refused_as_already_existing() {
    let app = spawn_app().await;
    dress(&app).await;
    app.product_with_stock("pagne", "U", 1).await;

    let same_size = add(&app, "robe-ete", &json!({"size": "M", "stock": 1})).await;
    let taken_sku = add(&app, "robe-ete", &json!({"sku": "PAGNE-U", "size": "XL"})).await;
    let bad = add(&app, "robe-ete", &json!({"size": "", "stock": -1})).await;
    let unknown = add(&app, "robe-hiver", &json!({"size": "L"})).await;

    let problem = app
        .problem(same_size, StatusCode::CONFLICT, "already_exists")
        .await;
    assert!(
        problem["detail"]
            .as_str()
            .expect("detail")
            .contains("« M »"),
        "{problem}"
    );
    app.problem(taken_sku, StatusCode::CONFLICT, "already_exists")
        .await;
    let invalid = app
        .problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
        .await;
    let fields: Vec<&str> = invalid["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("a field"))
        .collect();
    assert_eq!(fields, ["size", "stock"]);
    app.problem(unknown, StatusCode::NOT_FOUND, "not_found")
        .await;
}

#[tokio::test]
async fn a_variant_holding_stock_is_not_retired_until_adjusted_to_zero_then_it_is_hidden_not_deleted()
 {
    let app = spawn_app().await;
    let id = dress(&app).await;

    let holding = patch(&app, "ROBE-ETE-S", &json!({"retired": true})).await;
    let problem = app
        .problem(holding, StatusCode::CONFLICT, "invalid_transition")
        .await;
    let detail = problem["detail"].as_str().expect("detail");
    assert!(detail.contains("encore 2 articles en stock"), "{detail}");

    let zero = app
        .adjust("ROBE-ETE-S", &json!({"set": 0, "reason": "abîmés"}))
        .await;
    assert_eq!(zero.status(), StatusCode::OK);
    let retired = patch(&app, "ROBE-ETE-S", &json!({"retired": true})).await;
    assert_eq!(retired.status(), StatusCode::OK);
    assert_eq!(
        retired.json::<Value>().await.expect("json")["retired"],
        true
    );

    let public: Value = app.product("robe-ete").await.json().await.expect("json");
    assert_eq!(sizes(&public), ["M"], "the storefront does not show it");
    assert_eq!(sizes(&app.admin_product(&id).await.0), ["S", "M"]);
    let (refused, body) = app
        .place(&order_body(&phone(1), &[("ROBE-ETE-S", 1)]), None)
        .await;
    assert_eq!(
        (refused, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("product_unavailable"))
    );
    assert_eq!(app.all_movements(&[("sku", "ROBE-ETE-S")]).await.len(), 2);
    let audit = app.audit().await;
    let row = audit["variants"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["sku"] == "ROBE-ETE-S")
        .cloned()
        .expect("a retired variant stays in the audit");
    assert_eq!(row["available"], 0);
    app.assert_audit_consistent().await;

    let back = patch(&app, "ROBE-ETE-S", &json!({"retired": false})).await;
    assert_eq!(back.json::<Value>().await.expect("json")["retired"], false);
}

#[tokio::test]
async fn the_last_variant_for_sale_of_an_active_product_is_not_retired_but_a_draft_s_is() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("pagne", "U", 0).await;

    let refused = patch(&app, &sku, &json!({"retired": true})).await;
    let problem = app
        .problem(refused, StatusCode::CONFLICT, "invalid_transition")
        .await;
    assert!(
        problem["detail"]
            .as_str()
            .expect("detail")
            .contains("archivez le produit"),
        "{problem}"
    );

    let (_, etag) = app.admin_product("pagne").await;
    let draft = app
        .patch_product("pagne", Some(&etag), &json!({"status": "draft"}))
        .await;
    assert_eq!(draft.status(), StatusCode::OK);
    let retired = patch(&app, &sku, &json!({"retired": true})).await;
    assert_eq!(retired.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_variant_moved_takes_its_place_and_the_others_follow_in_order() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    add(&app, &id, &json!({"size": "L"})).await;

    let moved = patch(&app, "ROBE-ETE-L", &json!({"position": 0})).await;
    assert_eq!(moved.json::<Value>().await.expect("json")["position"], 0);
    let (product, _) = app.admin_product(&id).await;
    assert_eq!(sizes(&product), ["L", "S", "M"]);
    let positions: Vec<i64> = product["variants"]
        .as_array()
        .expect("variants")
        .iter()
        .map(|v| v["position"].as_i64().expect("a position"))
        .collect();
    assert_eq!(positions, [0, 1, 2]);

    patch(&app, "ROBE-ETE-L", &json!({"position": 99})).await;
    let far = patch(&app, "ROBE-ETE-L", &json!({"position": 2})).await;
    assert_eq!(far.status(), StatusCode::OK);
    assert_eq!(sizes(&app.admin_product(&id).await.0), ["S", "M", "L"]);
    let public: Value = app.product(&id).await.json().await.expect("json");
    assert_eq!(sizes(&public), ["S", "M", "L"], "buyers see the same order");
}

#[tokio::test]
async fn a_threshold_of_its_own_decides_when_a_variant_is_low_everywhere() {
    let app = spawn_app().await;
    dress(&app).await;

    let set = patch(&app, "ROBE-ETE-M", &json!({"low_stock_threshold": 5})).await;
    let variant: Value = set.json().await.expect("json");
    assert_eq!(
        (
            variant["low_stock_threshold"].as_i64(),
            variant["low"].as_bool()
        ),
        (Some(5), Some(true))
    );
    let status = |audit: &Value, sku: &str| {
        audit["variants"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["sku"] == sku)
            .map(|r| r["status"].as_str().expect("a status").to_owned())
    };
    assert_eq!(
        status(&app.audit().await, "ROBE-ETE-M").as_deref(),
        Some("low")
    );
    let low: Value = app
        .admin_get("/api/v1/admin/products?stock=low")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(low["products"].as_array().map(Vec::len), Some(1));

    let cleared = patch(&app, "ROBE-ETE-M", &json!({"low_stock_threshold": null})).await;
    let variant: Value = cleared.json().await.expect("json");
    assert_eq!(
        (
            variant["low_stock_threshold"].is_null(),
            variant["low"].as_bool()
        ),
        (true, Some(false))
    );
    assert_eq!(
        status(&app.audit().await, "ROBE-ETE-M").as_deref(),
        Some("ok")
    );
    assert_eq!(
        status(&app.audit().await, "ROBE-ETE-S").as_deref(),
        Some("low"),
        "2 units is low by the shop's default of 2"
    );

    let bad = patch(
        &app,
        "ROBE-ETE-M",
        &json!({"low_stock_threshold": -1, "position": -2}),
    )
    .await;
    let problem = app
        .problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
        .await;
    assert_eq!(
        problem["errors"].as_array().map(Vec::len),
        Some(2),
        "{problem}"
    );
    let unknown = patch(&app, "ROBE-ETE-XXL", &json!({"retired": true})).await;
    app.problem(unknown, StatusCode::NOT_FOUND, "not_found")
        .await;
}

#[tokio::test]
async fn the_shop_s_rule_in_units_or_by_percent_marks_variants_low() {
    let app = spawn_app().await;
    let skus = app
        .product_with_sizes("pagne", &[("A", 100), ("B", 100)])
        .await;
    app.adjust(&skus[0], &json!({"set": 2, "reason": "inventaire"}))
        .await;
    app.adjust(&skus[1], &json!({"set": 15, "reason": "inventaire"}))
        .await;
    let low = |product: &Value| -> Vec<bool> {
        product["variants"]
            .as_array()
            .expect("variants")
            .iter()
            .map(|v| v["low"].as_bool().expect("low"))
            .collect()
    };

    assert_eq!(low(&app.admin_product("pagne").await.0), [true, false]);
    let by_percent = app
        .put_settings(&json!({"low_stock_units": null, "low_stock_percent": 20}))
        .await;
    assert_eq!(by_percent.status(), StatusCode::OK);
    assert!(by_percent.json::<Value>().await.expect("json")["low_stock_units"].is_null());
    assert_eq!(low(&app.admin_product("pagne").await.0), [true, true]);
    app.put_settings(&json!({"low_stock_units": 20})).await;
    assert_eq!(low(&app.admin_product("pagne").await.0), [true, true]);
    app.put_settings(&json!({"low_stock_units": 1})).await;
    assert_eq!(low(&app.admin_product("pagne").await.0), [false, false]);
}

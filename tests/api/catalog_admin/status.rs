//! A product's status: only active products are public and can be ordered;
//! the engine refuses the others with `product_unavailable`, and that
//! answer, which depends on the moment, is never kept with a key.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, order_body, phone, spawn_app};

/// A dress in M with 5 units, created with `status` (none: the default).
async fn dress(app: &TestApp, status: Option<&str>) -> (String, String) {
    let mut body = json!({
        "slug": "robe-ete", "title": "Robe d'été", "price": 15000,
        "variants": [{"size": "M", "stock": 5}]
    });
    if let Some(status) = status {
        body["status"] = json!(status);
    }
    let product = app.create_product(&body).await;
    let id = product["id"].as_str().expect("an id").to_owned();
    let sku = product["variants"][0]["sku"]
        .as_str()
        .expect("a sku")
        .to_owned();
    (id, sku)
}

async fn set_status(app: &TestApp, id: &str, status: &str) -> Value {
    let (_, etag) = app.admin_product(id).await;
    let response = app
        .patch_product(id, Some(&etag), &json!({"status": status}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("a product")
}

async fn public_slugs(app: &TestApp) -> Vec<String> {
    let list: Value = app
        .get("/api/v1/products")
        .await
        .json()
        .await
        .expect("json");
    list["products"]
        .as_array()
        .expect("products")
        .iter()
        .map(|p| p["slug"].as_str().expect("a slug").to_owned())
        .collect()
}

#[tokio::test]
async fn a_product_created_without_a_status_is_active_and_public() {
    let app = spawn_app().await;
    let (id, _) = dress(&app, None).await;

    let (product, _) = app.admin_product(&id).await;

    assert_eq!(product["status"], "active");
    assert_eq!(app.product("robe-ete").await.status(), StatusCode::OK);
    assert_eq!(public_slugs(&app).await, ["robe-ete"]);
}

#[tokio::test]
async fn a_draft_is_hidden_from_buyers_and_an_order_for_it_is_refused_without_writing() {
    let app = spawn_app().await;
    let (id, sku) = dress(&app, Some("draft")).await;

    assert_eq!(
        app.product("robe-ete").await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(public_slugs(&app).await.is_empty());
    assert_eq!(app.admin_product(&id).await.0["status"], "draft");
    let response = app
        .request(Method::POST, "/api/v1/orders")
        .json(&order_body(&phone(1), &[(&sku, 2)]))
        .send()
        .await
        .expect("sent");
    let problem = app
        .problem(response, StatusCode::CONFLICT, "product_unavailable")
        .await;

    assert_eq!(
        problem["lines"],
        json!([{"sku": sku, "requested": 2, "available": 0}])
    );
    let detail = problem["detail"].as_str().expect("a detail");
    assert!(detail.contains("Robe d'été (taille M)"), "{detail}");
    assert!(detail.contains("plus en vente"), "{detail}");
    assert_eq!(
        app.admin_product(&id).await.0["variants"][0]["available"],
        5
    );
    assert!(app.all_movements(&[("kind", "sale")]).await.is_empty());
    app.assert_audit_consistent().await;
}

#[tokio::test]
async fn an_archived_product_stops_selling_and_a_retry_after_it_is_active_again_is_decided_afresh()
{
    let app = spawn_app().await;
    let (id, sku) = dress(&app, None).await;
    let body = order_body(&phone(1), &[(&sku, 1)]);

    let archived = set_status(&app, &id, "archived").await;
    let (refused, problem) = app.place(&body, Some("key-archived-1")).await;
    set_status(&app, &id, "active").await;
    let (placed, order) = app.place(&body, Some("key-archived-1")).await;

    assert_eq!(archived["status"], "archived");
    assert_eq!(refused, StatusCode::CONFLICT);
    assert_eq!(problem["code"], "product_unavailable");
    assert_eq!(placed, StatusCode::CREATED, "{order}");
    assert_eq!(app.available(&sku).await, 4);
}

#[tokio::test]
async fn a_line_not_for_sale_refuses_the_whole_order_and_is_named_in_english_too() {
    let app = spawn_app().await;
    let (_, draft_sku) = dress(&app, Some("draft")).await;
    let active_sku = app.product_with_stock("pagne", "U", 3).await;

    let response = app
        .request(Method::POST, "/api/v1/orders")
        .header("Accept-Language", "en")
        .json(&order_body(&phone(2), &[(&active_sku, 1), (&draft_sku, 1)]))
        .send()
        .await
        .expect("sent");
    let problem = app
        .problem(response, StatusCode::CONFLICT, "product_unavailable")
        .await;

    assert_eq!(problem["lines"].as_array().map(Vec::len), Some(1));
    assert_eq!(problem["lines"][0]["sku"], draft_sku.as_str());
    let detail = problem["detail"].as_str().expect("a detail");
    assert!(
        detail.starts_with("No longer for sale: Robe d'été (size M)"),
        "{detail}"
    );
    assert_eq!(
        app.available(&active_sku).await,
        3,
        "nothing of the order was taken"
    );
}

#[tokio::test]
async fn an_unknown_status_is_refused_by_name() {
    let app = spawn_app().await;
    let response = app
        .admin_post(
            "/api/v1/admin/products",
            &json!({"title": "Robe", "price": 1000, "status": "hidden",
                    "variants": [{"size": "M"}]}),
        )
        .await;

    let problem = app
        .problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    assert_eq!(problem["errors"][0]["field"], "status", "{problem}");
}

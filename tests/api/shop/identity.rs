//! `GET /api/v1/shop` and `PUT /api/v1/admin/shop`.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn shop(app: &TestApp) -> Value {
    let response = app.get("/api/v1/shop").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("the shop")
}

async fn put_shop(app: &TestApp, body: &Value) -> reqwest::Response {
    app.admin(Method::PUT, "/api/v1/admin/shop")
        .json(body)
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn a_fresh_shop_is_neutral_and_public() {
    let app = spawn_app().await;

    let shop = shop(&app).await;

    assert_eq!(
        shop,
        json!({"name": "", "tagline": "", "welcome": "", "logo_url": null,
               "phone": "", "whatsapp": "", "address": "", "opening_hours": "",
               "pickup_number_required": false, "currency": "XOF", "delivery_zones": []})
    );
}

#[tokio::test]
async fn the_owner_sets_some_fields_and_the_others_are_kept() {
    let app = spawn_app().await;
    let first = put_shop(
        &app,
        &json!({"name": "Chez Mariam", "phone": "+225 07 00 00 00 01",
                "address": "Rue des Jardins\nCocody, Abidjan"}),
    )
    .await;
    assert_eq!(first.status(), StatusCode::OK);

    let second = put_shop(
        &app,
        &json!({"tagline": "La mode d'ici", "logo_url": "/media/logo.png"}),
    )
    .await;
    let answered: Value = second.json().await.expect("the shop");

    let public = shop(&app).await;
    assert_eq!(answered, public, "the PUT answers the shop as GET shows it");
    assert_eq!(public["name"], "Chez Mariam");
    assert_eq!(public["tagline"], "La mode d'ici");
    assert_eq!(public["address"], "Rue des Jardins\nCocody, Abidjan");
    assert_eq!(public["logo_url"], "/media/logo.png");

    put_shop(&app, &json!({"logo_url": null})).await;
    assert_eq!(shop(&app).await["logo_url"], Value::Null);
    assert_eq!(shop(&app).await["name"], "Chez Mariam");
}

#[tokio::test]
async fn zones_are_replaced_as_a_list_in_the_owners_order() {
    let app = spawn_app().await;
    put_shop(
        &app,
        &json!({"delivery_zones": [
            {"id": "cocody", "name": "Cocody", "fee": 1500},
            {"id": "yopougon", "name": "Yopougon", "fee": 2000}]}),
    )
    .await;

    let response = put_shop(
        &app,
        &json!({"delivery_zones": [
            {"id": "retrait", "name": "Retrait en boutique", "fee": 0},
            {"id": "bingerville", "name": "Bingerville", "fee": 3000}]}),
    )
    .await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        shop(&app).await["delivery_zones"],
        json!([{"id": "retrait", "name": "Retrait en boutique", "fee": 0},
               {"id": "bingerville", "name": "Bingerville", "fee": 3000}])
    );
}

#[tokio::test]
async fn bad_fields_are_each_named_and_nothing_changes() {
    let app = spawn_app().await;
    put_shop(&app, &json!({"name": "Chez Mariam"})).await;

    let response = put_shop(
        &app,
        &json!({"name": "x".repeat(121), "logo_url": "javascript:alert(1)",
                "delivery_zones": [
                    {"id": "Cocody!", "name": "Cocody", "fee": 1500},
                    {"id": "b", "name": "", "fee": -1},
                    {"id": "b", "name": "Bis", "fee": 10}]}),
    )
    .await;

    let problem = app.validation_problem(response, "name").await;
    let fields = TestApp::error_fields(&problem);
    for field in [
        "name",
        "logo_url",
        "delivery_zones[0].id",
        "delivery_zones[1].name",
        "delivery_zones[1].fee",
        "delivery_zones[2].id",
    ] {
        assert!(fields.contains(&field.to_owned()), "{field} in {fields:?}");
    }
    assert_eq!(shop(&app).await["name"], "Chez Mariam");
    assert_eq!(shop(&app).await["delivery_zones"], json!([]));
}

#[tokio::test]
async fn the_currency_is_the_servers_and_not_edited() {
    let app = spawn_app().await;

    let response = put_shop(&app, &json!({"currency": "EUR"})).await;

    app.problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(shop(&app).await["currency"], "XOF");
}

#[tokio::test]
async fn only_a_signed_in_owner_writes_the_shop() {
    let app = spawn_app().await;

    let anonymous = app
        .request(Method::PUT, "/api/v1/admin/shop")
        .json(&json!({"name": "Pirate"}))
        .send()
        .await
        .expect("sent");

    app.problem(anonymous, StatusCode::UNAUTHORIZED, "unauthorized")
        .await;
    assert_eq!(shop(&app).await["name"], "");
}

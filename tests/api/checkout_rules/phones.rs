//! Phones are read for the shop's country: `default_country` chooses it,
//! the older `default_country_code` still names one, and a phone the
//! country's numbering plan calls invalid is refused with its sentence.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::read;
use crate::helpers::{TestApp, order_body, spawn_app};

async fn place(app: &TestApp, phone: &str, sku: &str) -> (StatusCode, Value) {
    app.place(&order_body(phone, &[(sku, 1)]), None).await
}

async fn settings(app: &TestApp) -> Value {
    let response = app.admin_get("/api/v1/admin/settings").await;
    response.json().await.expect("settings")
}

#[tokio::test]
async fn the_shop_is_in_cote_d_ivoire_until_its_settings_say_otherwise() {
    let app = spawn_app().await;

    let settings = settings(&app).await;

    assert_eq!(settings["default_country"], json!("CI"));
    assert_eq!(settings["default_country_code"], json!("+225"));
}

#[tokio::test]
async fn a_french_shop_counts_a_number_with_or_without_its_trunk_zero_as_one_customer() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 10).await;

    let (status, saved) = read(app.put_settings(&json!({"default_country": "fr"})).await).await;

    assert_eq!(status, StatusCode::OK, "{saved:#}");
    assert_eq!(saved["default_country"], json!("FR"));
    assert_eq!(saved["default_country_code"], json!("+33"));
    let (first, _) = place(&app, "06 12 34 56 78", &sku).await;
    let (second, _) = place(&app, "+33 6 12 34 56 78", &sku).await;
    let (third, problem) = place(&app, "+33 0 6 12 34 56 78", &sku).await;
    assert_eq!((first, second), (StatusCode::CREATED, StatusCode::CREATED));
    assert_eq!(third, StatusCode::CONFLICT);
    assert_eq!(problem["code"], json!("order_limit_reached"));
}

#[tokio::test]
async fn the_older_country_code_is_read_as_the_country_it_names() {
    let app = spawn_app().await;

    let (status, saved) = read(
        app.put_settings(&json!({"default_country_code": "+221"}))
            .await,
    )
    .await;

    assert_eq!(status, StatusCode::OK, "{saved:#}");
    assert_eq!(saved["default_country"], json!("SN"));
    assert_eq!(settings(&app).await["default_country_code"], json!("+221"));
}

#[tokio::test]
async fn an_unknown_country_is_refused_naming_its_field_and_changes_nothing() {
    let app = spawn_app().await;
    let before = settings(&app).await;
    for (patch, field) in [
        (json!({"default_country": "XX"}), "default_country"),
        (json!({"default_country": "CIV"}), "default_country"),
        (
            json!({"default_country_code": "+999"}),
            "default_country_code",
        ),
        (
            json!({"default_country": "FR", "default_country_code": "+225"}),
            "default_country_code",
        ),
    ] {
        let (status, problem) = read(app.put_settings(&patch).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{patch}");
        assert_eq!(problem["errors"][0]["field"], json!(field), "{problem:#}");
    }
    assert_eq!(settings(&app).await, before);
}

#[tokio::test]
async fn a_number_of_the_eight_digit_ivorian_plan_is_refused_with_the_phone_sentence() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 10).await;
    for phone in ["07 00 00 07", "+225 07 00 00 07", "+0225 07 00 00 00 07"] {
        let (status, problem) = place(&app, phone, &sku).await;

        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{phone}");
        assert_eq!(problem["errors"][0]["field"], json!("customer.phone"));
        let detail = problem["errors"][0]["detail"].as_str().unwrap_or_default();
        assert!(detail.contains("n'est pas valide"), "{detail}");
    }
    assert_eq!(app.available(&sku).await, 10);
}

//! `POST /api/v1/customer/check`: the storefront asks whether a phone and
//! an e-mail will be accepted, and the server answers exactly as the order
//! would, with the same field and the same sentence.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::read;
use crate::helpers::{TestApp, order_body, spawn_app};

async fn check(app: &TestApp, body: &Value) -> (StatusCode, Value) {
    let response = app
        .request(Method::POST, "/api/v1/customer/check")
        .json(body)
        .send()
        .await
        .expect("sent");
    read(response).await
}

/// The one error of a 422, as `(field, detail)`.
fn only_error(problem: &Value) -> (String, String) {
    let errors = problem["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{problem:#}");
    let text = |key: &str| errors[0][key].as_str().expect("a string").to_owned();
    (text("field"), text("detail"))
}

#[tokio::test]
async fn the_check_and_the_order_give_the_same_answer_for_each_phone_and_email() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 50).await;
    let cases = [
        (json!({"phone": "07 00 00 00"}), false),
        (json!({"phone": "00000000"}), false),
        (json!({"phone": "07 00 00 00 42"}), true),
        (json!({"phone": "+225 07-00-00-00-43"}), true),
        (json!({"email": "awa@"}), false),
        (json!({"email": "awa@localhost"}), false),
        (json!({"email": "awa@example.ci"}), true),
    ];
    for (i, (fields, accepted)) in cases.into_iter().enumerate() {
        let (checked, said) = check(&app, &fields).await;
        let mut order = order_body(&format!("+22507{:08}", 100 + i), &[(sku.as_str(), 1)]);
        for (key, value) in fields.as_object().expect("fields") {
            order["customer"][key] = value.clone();
        }
        let (placed, answer) = app.place(&order, None).await;
        if accepted {
            assert_eq!(checked, StatusCode::OK, "{fields}: {said:#}");
            assert_eq!(placed, StatusCode::CREATED, "{fields}: {answer:#}");
        } else {
            assert_eq!(checked, StatusCode::UNPROCESSABLE_ENTITY, "{fields}");
            assert_eq!(placed, StatusCode::UNPROCESSABLE_ENTITY, "{fields}");
            assert_eq!(only_error(&said), only_error(&answer), "{fields}");
        }
    }
}

#[tokio::test]
async fn the_phone_comes_back_as_the_customer_the_shop_counts() {
    let app = spawn_app().await;
    let (status, checked) = check(
        &app,
        &json!({"name": " Awa K. ", "phone": "07 00 00 00 42", "email": " awa@example.ci "}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{checked:#}");
    assert_eq!(
        checked,
        json!({"name": "Awa K.", "phone": "+2250700000042", "email": "awa@example.ci"})
    );
    let (status, checked) = check(&app, &json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        checked,
        json!({"name": null, "phone": null, "email": null}),
        "only the fields given are checked"
    );
}

#[tokio::test]
async fn every_field_refused_is_named_in_french_or_in_english() {
    let app = spawn_app().await;
    let (status, problem) = check(
        &app,
        &json!({"name": "   ", "phone": "00000000", "email": "awa@"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["code"], "validation_failed");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        ["customer.name", "customer.phone", "customer.email"]
    );
    assert_eq!(
        problem["errors"][2]["detail"],
        "L'adresse e-mail « awa@ » n'est pas valide : il manque le domaine après le « @ » (par exemple awa@example.ci)."
    );
    let english = app
        .request(Method::POST, "/api/v1/customer/check")
        .header("Accept-Language", "en")
        .json(&json!({"phone": "07 00 00 00"}))
        .send()
        .await
        .expect("sent");
    let (_, english) = read(english).await;
    let (_, detail) = only_error(&english);
    assert!(
        detail.starts_with("The phone number `07 00 00 00` is not valid"),
        "{detail}"
    );
}

#[tokio::test]
async fn a_shop_in_another_country_reads_its_own_numbers() {
    let app = spawn_app().await;
    let saved = app.put_settings(&json!({"default_country": "FR"})).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let (status, checked) = check(&app, &json!({"phone": "06 12 34 56 78"})).await;
    assert_eq!(status, StatusCode::OK, "{checked:#}");
    assert_eq!(checked["phone"], "+33612345678");
    let (status, _) = check(&app, &json!({"phone": "07 00 00 00 42"})).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not a French number"
    );
}

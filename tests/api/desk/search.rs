//! One search box for numbers, phones, names and pickup numbers; the
//! counts per status; the "to handle" and payment filters.

use serde_json::json;

use crate::helpers::{order_body, spawn_app};

#[tokio::test]
async fn an_order_is_found_by_its_number_its_phone_in_any_spelling_its_name_and_its_pickup_number()
{
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-awa", "M", 50).await;
    let mut body = order_body("+2250700000000", &[(&sku, 1)]);
    body["customer"]["name"] = json!("Aïcha Koné");
    body["delivery"]["pickup_number"] = json!("RET-77");
    let (_, placed) = app.place(&body, None).await;
    let aicha = placed["order"]["number"]
        .as_str()
        .expect("a number")
        .to_owned();
    let other = app.order_for("+2250500000001", &[(&sku, 1)]).await;
    let digits = aicha.trim_start_matches("SR-");

    for q in [
        aicha.as_str(),
        digits,
        "07 00 00 00 00",
        "0700000000",
        "+225 07 00 00 00 00",
        "aicha",
        "AÏCHA k",
        "kone",
        "ret-77",
    ] {
        let query = format!("q={}", urlencoding(q));
        assert_eq!(
            app.numbers_found(&query).await,
            std::slice::from_ref(&aicha),
            "search {q:?}"
        );
    }
    assert_eq!(
        app.numbers_found("q=Awa").await,
        [other["number"].as_str().expect("a number")]
    );
    assert!(app.numbers_found("q=personne").await.is_empty());
    // A wildcard typed is a character, not "anything".
    assert!(app.numbers_found("q=%25").await.is_empty());
    assert!(app.numbers_found("q=_").await.is_empty());
}

fn urlencoding(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn a_search_over_200_characters_or_an_unknown_filter_is_refused_naming_it() {
    let app = spawn_app().await;
    let long = "a".repeat(201);
    let response = app
        .admin_get(&format!("/api/v1/admin/orders?q={long}"))
        .await;
    app.validation_problem(response, "q").await;
    let response = app
        .admin_get(&format!("/api/v1/admin/orders?q={}", "a".repeat(200)))
        .await;
    assert_eq!(response.status(), 200);
    let response = app.admin_get("/api/v1/admin/orders?payment=maybe").await;
    app.validation_problem(response, "payment").await;
    let response = app.admin_get("/api/v1/admin/orders?status=lost").await;
    app.validation_problem(response, "status").await;
}

#[tokio::test]
async fn counts_per_status_and_the_to_handle_view_agree_with_the_orders() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-awa", "M", 50).await;
    let mut ids = Vec::new();
    for buyer in 0..6 {
        let order = app
            .order_for(&format!("+22507000000{buyer:02}"), &[(&sku, 1)])
            .await;
        ids.push(order["id"].as_str().expect("an id").to_owned());
    }
    app.walk(&ids[1], &["confirmed"]).await;
    app.walk(&ids[2], &["confirmed", "processing"]).await;
    app.walk(&ids[3], &["confirmed", "processing", "shipped"])
        .await;
    app.walk(
        &ids[4],
        &["confirmed", "processing", "shipped", "delivered"],
    )
    .await;
    app.walk(&ids[5], &["cancelled"]).await;

    let response = app.admin_get("/api/v1/admin/orders/counts").await;
    assert_eq!(response.status(), 200);
    let counts: serde_json::Value = response.json().await.expect("counts");
    assert_eq!(
        counts,
        json!({"pending": 1, "confirmed": 1, "processing": 1, "shipped": 1, "delivered": 1,
               "cancelled": 1, "returned": 0, "to_handle": 3})
    );
    assert_eq!(app.numbers_found("status=to_handle").await.len(), 3);
    assert_eq!(app.numbers_found("status=returned").await.len(), 0);
}

#[tokio::test]
async fn the_list_filters_by_payment() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-awa", "M", 50).await;
    let paid = app.order_for("+2250700000001", &[(&sku, 1)]).await;
    let unpaid = app.order_for("+2250700000002", &[(&sku, 1)]).await;
    let response = app
        .admin_post(
            &format!(
                "/api/v1/admin/orders/{}/payment",
                paid["id"].as_str().expect("an id")
            ),
            &json!({"status": "paid", "method": "wave"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        app.numbers_found("payment=paid").await,
        [paid["number"].as_str().expect("n")]
    );
    assert_eq!(
        app.numbers_found("payment=unpaid").await,
        [unpaid["number"].as_str().expect("n")]
    );
    assert!(app.numbers_found("payment=refunded").await.is_empty());
}

//! Customers: one per phone in E.164 form whatever its spelling, with
//! what their orders add up to (cancelled ones counted apart), found by
//! the desk's search, and one customer with their orders.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::id_of;
use crate::helpers::spawn_app;

fn phones(list: &Value) -> Vec<&str> {
    list["customers"]
        .as_array()
        .expect("customers")
        .iter()
        .map(|c| c["phone"].as_str().expect("a phone"))
        .collect()
}

#[tokio::test]
async fn a_customer_is_one_phone_in_any_spelling_with_her_names_orders_and_what_she_spent() {
    let app = spawn_app().await;
    app.put_settings(&json!({"order_limit_per_customer": 5}))
        .await;
    let sku = app.product_with_stock("robe", "M", 20).await;
    let first = app.order_by("Awa K.", "07 00 00 00 01", &[(&sku, 2)]).await;
    let cancelled = app
        .order_by("Awa Koné", "+225 07 00 00 00 01", &[(&sku, 1)])
        .await;
    app.walk(id_of(&cancelled), &["cancelled"]).await;
    let returned = app.order_by("Awa K.", "+2250700000001", &[(&sku, 3)]).await;
    app.walk(id_of(&returned), &["confirmed", "processing", "shipped"])
        .await;
    let back = json!({"lines": [{"sku": sku, "quantity": 1}], "restock": true});
    assert_eq!(app.take_return(id_of(&returned), &back).await.status(), 200);
    let other = app.order_by("Aïcha", "+2250700000002", &[(&sku, 1)]).await;

    let list = app.admin_json("/api/v1/admin/customers").await;
    assert_eq!(
        phones(&list),
        ["+2250700000002", "+2250700000001"],
        "newest last order first"
    );
    assert!(list["next_cursor"].is_null());
    let awa = &list["customers"][1];
    assert_eq!(awa["names"], json!(["Awa K.", "Awa Koné"]));
    assert_eq!(
        (awa["orders"].as_i64(), awa["cancelled"].as_i64()),
        (Some(3), Some(1))
    );
    // 2 units, then 3 of which 1 came back; the cancelled order counts for nothing.
    assert_eq!(awa["units"], 4);
    assert_eq!(awa["total_spent"], 2 * 15000 + 2 * 15000);
    assert_eq!(
        awa["counted_toward_limit"], 2,
        "the cancelled order is not counted"
    );
    assert_eq!(awa["last_order_at"], returned["created_at"]);
    let aicha = &list["customers"][0];
    assert_eq!(aicha["total_spent"], other["total"]);

    for spelling in ["%2B2250700000001", "07%2000%2000%2000%2001", "0700000001"] {
        let detail = app
            .admin_json(&format!("/api/v1/admin/customers/{spelling}"))
            .await;
        assert_eq!(detail["phone"], "+2250700000001", "{spelling}");
        for figure in [
            "names",
            "cancelled",
            "units",
            "total_spent",
            "counted_toward_limit",
            "last_order_at",
        ] {
            assert_eq!(detail[figure], awa[figure], "{figure}");
        }
        assert_eq!(detail["orders_count"], 3);
        let numbers: Vec<&Value> = detail["orders"]
            .as_array()
            .expect("orders")
            .iter()
            .map(|o| &o["number"])
            .collect();
        assert_eq!(
            numbers,
            [&returned["number"], &cancelled["number"], &first["number"]]
        );
        assert_eq!(
            detail["orders"][0]["payment"]["status"], "unpaid",
            "the desk's view"
        );
    }
}

#[tokio::test]
async fn the_search_finds_a_customer_by_phone_name_or_order_and_pages_go_on() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe", "M", 20).await;
    let aicha = app
        .order_by("Aïcha Traoré", "+2250700000001", &[(&sku, 1)])
        .await;
    app.order_by("Binta", "+2250700000002", &[(&sku, 1)]).await;
    app.order_by("Chloé", "+2250700000003", &[(&sku, 1)]).await;

    let found = |q: &str| {
        let app = &app;
        let q = q.to_owned();
        async move {
            let list = app
                .admin_json(&format!("/api/v1/admin/customers?q={q}"))
                .await;
            phones(&list)
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(found("AICHA").await, ["+2250700000001"]);
    assert_eq!(found("traore").await, ["+2250700000001"]);
    assert_eq!(found("07%2000%2000%2000%2002").await, ["+2250700000002"]);
    let number = aicha["number"].as_str().expect("a number");
    assert_eq!(found(number).await, ["+2250700000001"]);
    assert!(found("nobody").await.is_empty());

    let first = app.admin_json("/api/v1/admin/customers?limit=2").await;
    assert_eq!(phones(&first), ["+2250700000003", "+2250700000002"]);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let next = app
        .admin_json(&format!("/api/v1/admin/customers?limit=2&cursor={cursor}"))
        .await;
    assert_eq!(phones(&next), ["+2250700000001"]);
    assert!(next["next_cursor"].is_null());
}

#[tokio::test]
async fn an_unknown_customer_is_not_found_and_bad_parameters_are_refused_by_name() {
    let app = spawn_app().await;
    for phone in ["%2B2250700000009", "not-a-phone", "%2B"] {
        let response = app
            .admin_get(&format!("/api/v1/admin/customers/{phone}"))
            .await;
        app.problem(response, StatusCode::NOT_FOUND, "not_found")
            .await;
    }
    let long = "a".repeat(201);
    let refused = app
        .admin_get(&format!("/api/v1/admin/customers?q={long}"))
        .await;
    app.validation_problem(refused, "q").await;
    let refused = app
        .admin_get("/api/v1/admin/customers?limit=0&cursor=xyz")
        .await;
    let problem = app.validation_problem(refused, "limit").await;
    assert!(crate::helpers::TestApp::error_fields(&problem).contains(&"cursor".to_owned()));
}

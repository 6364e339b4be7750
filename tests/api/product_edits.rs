//! Admins editing a product: `ETag` and `If-Match`, so that two people
//! editing at once cannot overwrite each other, while sales go on.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, as_buyers_see_it, order_body, phone, spawn_app};

/// A dress with an old price, in M (5 units); returns its id.
async fn dress(app: &TestApp) -> String {
    let product = app
        .create_product(&json!({
            "slug": "robe-ete", "title": "Robe d'été", "price": 15000, "old_price": 20000,
            "description": "En lin.", "variants": [{"size": "M", "stock": 5}]
        }))
        .await;
    product["id"].as_str().expect("an id").to_owned()
}

fn etag_of(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(reqwest::header::ETAG)
        .and_then(|v| v.to_str().ok())
        .expect("an ETag")
        .to_owned()
}

#[tokio::test]
async fn the_admin_view_of_a_product_is_the_product_with_an_etag() {
    let app = spawn_app().await;
    let id = dress(&app).await;

    let (product, etag) = app.admin_product(&id).await;

    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    let public: Value = app.product(&id).await.json().await.expect("json");
    assert_eq!(product["variants"][0]["preorder"]["enabled"], false);
    assert_eq!(as_buyers_see_it(product), public);
}

#[tokio::test]
async fn an_unknown_product_has_no_admin_view() {
    let app = spawn_app().await;
    dress(&app).await;

    let response = app.admin_get("/api/v1/admin/products/robe-hiver").await;

    app.problem(response, StatusCode::NOT_FOUND, "not_found")
        .await;
}

#[tokio::test]
async fn a_patch_with_the_current_etag_changes_the_product_and_gives_a_new_etag() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let (_, etag) = app.admin_product(&id).await;

    let response = app
        .patch_product(
            &id,
            Some(&etag),
            &json!({"title": "Robe longue", "price": 17000}),
        )
        .await;

    assert_eq!(response.status(), StatusCode::OK);
    let new_etag = etag_of(&response);
    assert_ne!(new_etag, etag);
    let patched: Value = response.json().await.expect("json");
    assert_eq!(patched["title"], "Robe longue");
    assert_eq!(patched["price"], 17000);
    assert_eq!(
        patched["description"], "En lin.",
        "fields not given are kept"
    );
    assert_eq!(
        app.product(&id).await.json::<Value>().await.expect("json"),
        as_buyers_see_it(patched)
    );
    assert_eq!(app.admin_product(&id).await.1, new_etag);
}

#[tokio::test]
async fn a_patch_with_a_stale_etag_is_a_412_and_changes_nothing() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let (_, first_read) = app.admin_product(&id).await;
    let first_edit = app
        .patch_product(&id, Some(&first_read), &json!({"title": "Robe longue"}))
        .await;
    assert_eq!(first_edit.status(), StatusCode::OK);
    let before = app.snapshot().await;

    let second_edit = app
        .patch_product(&id, Some(&first_read), &json!({"title": "Robe courte"}))
        .await;

    app.problem(
        second_edit,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
    )
    .await;
    assert_eq!(app.snapshot().await, before);
    let garbage = app
        .patch_product(&id, Some("\"nonsense\""), &json!({"title": "Robe courte"}))
        .await;
    app.problem(
        garbage,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
    )
    .await;
    assert_eq!(app.snapshot().await, before);
}

/// Two admins send their edits at once from the same read: the store checks
/// the version inside the write transaction, so exactly one edit applies
/// and the other is told to reload.
#[tokio::test]
async fn of_two_patches_from_the_same_etag_exactly_one_applies() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let (_, etag) = app.admin_product(&id).await;

    let (edit_a, edit_b) = (json!({"title": "Robe A"}), json!({"title": "Robe B"}));
    let (first, second) = tokio::join!(
        app.patch_product(&id, Some(&etag), &edit_a),
        app.patch_product(&id, Some(&etag), &edit_b),
    );

    let (winner, loser) = match (first.status(), second.status()) {
        (StatusCode::OK, _) => (first, second),
        _ => (second, first),
    };
    assert_eq!(winner.status(), StatusCode::OK);
    let applied: Value = winner.json().await.expect("json");
    app.problem(
        loser,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
    )
    .await;
    let now: Value = app.product(&id).await.json().await.expect("json");
    assert_eq!(now["title"], applied["title"]);
}

#[tokio::test]
async fn a_patch_without_if_match_is_a_428_and_changes_nothing() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let before = app.snapshot().await;

    let response = app
        .patch_product(&id, None, &json!({"title": "Robe longue"}))
        .await;

    app.problem(
        response,
        StatusCode::PRECONDITION_REQUIRED,
        "precondition_required",
    )
    .await;
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn a_sale_between_reading_and_patching_does_not_make_the_etag_stale() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let (_, etag) = app.admin_product(&id).await;

    let sale = app
        .post_order(&order_body(&phone(1), &[("ROBE-ETE-M", 2)]), None)
        .await;
    assert_eq!(sale.status(), StatusCode::CREATED);
    let restock = app.restock("ROBE-ETE-M", 1).await;
    assert_eq!(restock.status(), StatusCode::OK);

    assert_eq!(app.admin_product(&id).await.1, etag);
    let response = app
        .patch_product(&id, Some(&etag), &json!({"price": 14000}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let patched: Value = response.json().await.expect("json");
    assert_eq!(patched["price"], 14000);
    assert_eq!(patched["variants"][0]["available"], 4);
}

#[tokio::test]
async fn read_only_fields_in_a_patch_body_are_ignored() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let (before, etag) = app.admin_product(&id).await;
    let ledger_before = app.all_movements(&[]).await;

    let response = app
        .patch_product(
            &id,
            Some(&etag),
            &json!({
                "id": "someone-else", "in_stock": false, "stock": 99, "currency": "EUR",
                "variants": [{"sku": "ROBE-ETE-M", "size": "M", "available": 99, "stock": 99}],
                "title": "Robe longue"
            }),
        )
        .await;

    assert_eq!(response.status(), StatusCode::OK);
    let patched: Value = response.json().await.expect("json");
    let mut expected = before;
    expected["title"] = json!("Robe longue");
    assert_eq!(patched, expected);
    // No movement was written; each names the product by its current title.
    let mut ledger_after = app.all_movements(&[]).await;
    for m in &mut ledger_after {
        assert_eq!(m["title"], "Robe longue");
        m["title"] = ledger_before[0]["title"].clone();
    }
    assert_eq!(ledger_after, ledger_before);
}

#[tokio::test]
async fn old_price_null_clears_it_and_a_missing_old_price_keeps_it() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let (_, etag) = app.admin_product(&id).await;

    let kept = app
        .patch_product(&id, Some(&etag), &json!({"price": 16000}))
        .await;
    let etag = etag_of(&kept);
    assert_eq!(
        kept.json::<Value>().await.expect("json")["old_price"],
        20000
    );
    let cleared = app
        .patch_product(&id, Some(&etag), &json!({"old_price": null}))
        .await;

    assert_eq!(cleared.status(), StatusCode::OK);
    assert_eq!(
        cleared.json::<Value>().await.expect("json")["old_price"],
        Value::Null
    );
    let public: Value = app.product(&id).await.json().await.expect("json");
    assert_eq!(public["old_price"], Value::Null);
    assert_eq!(public["price"], 16000);
}

#[tokio::test]
async fn a_patch_with_a_negative_price_is_a_422_and_changes_nothing() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let (_, etag) = app.admin_product(&id).await;
    let before = app.snapshot().await;

    let response = app
        .patch_product(
            &id,
            Some(&etag),
            &json!({"price": -5, "title": "Robe longue"}),
        )
        .await;

    app.validation_problem(response, "price").await;
    assert_eq!(app.snapshot().await, before);
    assert_eq!(
        app.admin_product(&id).await.1,
        etag,
        "the version did not move"
    );
}

#[tokio::test]
async fn a_patch_to_a_slug_another_product_has_is_a_409() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    app.product_with_stock("chemise", "S", 1).await;
    let (_, etag) = app.admin_product(&id).await;
    let before = app.snapshot().await;

    let response = app
        .patch_product(&id, Some(&etag), &json!({"slug": "chemise"}))
        .await;

    app.problem(response, StatusCode::CONFLICT, "already_exists")
        .await;
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn patching_an_unknown_product_is_a_404() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let (_, etag) = app.admin_product(&id).await;

    let response = app
        .patch_product("robe-hiver", Some(&etag), &json!({"title": "Robe"}))
        .await;

    app.problem(response, StatusCode::NOT_FOUND, "not_found")
        .await;
}

#[tokio::test]
async fn a_weak_etag_never_matches_and_a_list_matches_when_it_holds_the_current_tag() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let (_, etag) = app.admin_product(&id).await;

    let weak = app
        .patch_product(&id, Some(&format!("W/{etag}")), &json!({"title": "Robe"}))
        .await;
    app.problem(weak, StatusCode::PRECONDITION_FAILED, "precondition_failed")
        .await;

    let list = format!("\"old-1\", {etag}");
    let response = app
        .patch_product(&id, Some(&list), &json!({"title": "Robe"}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_patch_that_changes_nothing_writes_nothing_and_keeps_the_etag() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let (_, etag) = app.admin_product(&id).await;

    let same_title = app
        .patch_product(&id, Some(&etag), &json!({"title": "Robe d'été"}))
        .await;
    assert_eq!(same_title.status(), StatusCode::OK);
    assert_eq!(etag_of(&same_title), etag);
    let empty = app.patch_product(&id, Some(&etag), &json!({})).await;
    assert_eq!(etag_of(&empty), etag);

    let stale = app
        .patch_product(&id, Some("\"stale-1\""), &json!({}))
        .await;
    app.problem(
        stale,
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
    )
    .await;
}

#[tokio::test]
async fn an_old_price_not_above_the_price_is_refused_on_create_and_on_edit() {
    let app = spawn_app().await;
    for old_price in [15000, 12000] {
        let response = app
            .admin_post(
                "/api/v1/admin/products",
                &json!({"slug": "jupe", "title": "Jupe", "price": 15000, "old_price": old_price,
                        "variants": [{"size": "M", "stock": 1}]}),
            )
            .await;
        let refused = app
            .problem(
                response,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            )
            .await;
        assert_eq!(refused["errors"][0]["field"], "old_price", "{refused}");
        let said = refused["errors"][0]["detail"].as_str().expect("a sentence");
        assert!(
            said.starts_with(&format!(
                "L'ancien prix ({old_price}) doit être plus élevé que le prix (15000)"
            )),
            "{said}"
        );
    }
    assert_eq!(app.get("/api/v1/products/jupe").await.status(), 404);

    let id = dress(&app).await;
    let before = app.snapshot().await;
    let (_, etag) = app.admin_product(&id).await;
    for patch in [
        json!({"price": 20000}),
        json!({"old_price": 9000}),
        json!({"price": 25000, "old_price": 21000}),
    ] {
        let refused = app.patch_product(&id, Some(&etag), &patch).await;
        let refused = app
            .problem(
                refused,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            )
            .await;
        assert_eq!(refused["errors"][0]["field"], "old_price", "{patch}");
    }
    assert_eq!(app.snapshot().await, before, "nothing changed");
    let lowered = app
        .patch_product(&id, Some(&etag), &json!({"price": 12000}))
        .await;
    assert_eq!(lowered.status(), StatusCode::OK, "below the old price");
}

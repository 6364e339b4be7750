//! The ledger's history: `GET /api/v1/admin/stock/movements`, its filters and its pages.

use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, order_body, phone, spawn_app};

/// Two skus with some history each: initial, restocks, an adjustment, a sale.
/// Returns the skus.
async fn shop_with_history(app: &TestApp) -> (String, String) {
    let dress = app.product_with_stock("robe-ete", "M", 5).await;
    let shirt = app.product_with_stock("chemise", "S", 2).await;
    assert_eq!(app.restock(&dress, 3).await.status(), StatusCode::OK);
    assert_eq!(app.restock(&shirt, 1).await.status(), StatusCode::OK);
    let adjust = app
        .adjust(&dress, &json!({"delta": -1, "reason": "abîmée"}))
        .await;
    assert_eq!(adjust.status(), StatusCode::OK);
    let sale = app
        .post_order(&order_body(&phone(1), &[(&dress, 2)]), None)
        .await;
    assert_eq!(sale.status(), StatusCode::CREATED);
    (dress, shirt)
}

fn ids(movements: &[Value]) -> Vec<i64> {
    movements
        .iter()
        .map(|m| m["id"].as_str().expect("an id").parse().expect("a number"))
        .collect()
}

fn field<'a>(movements: &'a [Value], name: &str) -> Vec<&'a Value> {
    movements.iter().map(|m| &m[name]).collect()
}

#[tokio::test]
async fn movements_are_listed_newest_first() {
    let app = spawn_app().await;
    let (dress, _) = shop_with_history(&app).await;

    let response = app.movements(&[]).await;

    assert_eq!(response.status(), StatusCode::OK);
    let page: Value = response.json().await.expect("json");
    assert_eq!(page["next_cursor"], Value::Null);
    let movements = page["movements"].as_array().expect("a list");
    let kinds: Vec<&Value> = field(movements, "kind");
    assert_eq!(
        kinds,
        [
            "sale",
            "adjustment",
            "restock",
            "restock",
            "initial",
            "initial"
        ]
    );
    let mut sorted = ids(movements);
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(ids(movements), sorted);
    let sale = &movements[0];
    assert_eq!(sale["sku"], dress);
    assert_eq!(sale["quantity"], -2);
    assert_eq!(sale["available_after"], 5);
    assert_eq!(sale["actor"], Value::Null);
    assert!(sale["order_id"].is_string());
}

#[tokio::test]
async fn movements_are_filtered_by_sku_and_by_kind() {
    let app = spawn_app().await;
    let (dress, shirt) = shop_with_history(&app).await;

    let of_shirt = app.all_movements(&[("sku", &shirt)]).await;
    assert_eq!(field(&of_shirt, "kind"), ["restock", "initial"]);
    let lower_case = app.all_movements(&[("sku", "chemise-s")]).await;
    assert_eq!(lower_case, of_shirt);

    let restocks = app.all_movements(&[("kind", "restock")]).await;
    assert_eq!(field(&restocks, "sku"), [&json!(shirt), &json!(dress)]);

    let dress_restocks = app
        .all_movements(&[("sku", &dress), ("kind", "restock")])
        .await;
    assert_eq!(dress_restocks.len(), 1);
    assert_eq!(dress_restocks[0]["quantity"], 3);
    assert!(
        app.all_movements(&[("kind", "cancellation")])
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn movements_from_is_inclusive_and_to_is_exclusive() {
    let app = spawn_app().await;
    shop_with_history(&app).await;
    let all = app.all_movements(&[]).await;
    // Newest first: the adjustment is at index 1, the last restock at index 2.
    let restock_at = all[2]["created_at"].as_str().expect("a time");
    let adjust_at = all[1]["created_at"].as_str().expect("a time");
    assert!(restock_at < adjust_at, "{restock_at} then {adjust_at}");

    let from = app.all_movements(&[("from", restock_at)]).await;
    assert_eq!(ids(&from), ids(&all[..3]));

    let to = app.all_movements(&[("to", adjust_at)]).await;
    assert_eq!(ids(&to), ids(&all[2..]));

    let between = app
        .all_movements(&[("from", restock_at), ("to", adjust_at)])
        .await;
    assert_eq!(ids(&between), ids(&all[2..3]));

    let far_past = app.all_movements(&[("to", "2000-01-01")]).await;
    assert!(far_past.is_empty());
}

#[tokio::test]
async fn a_limit_and_next_cursor_walk_every_movement_once() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 1).await;
    for quantity in 1..=9 {
        assert_eq!(app.restock(&sku, quantity).await.status(), StatusCode::OK);
    }
    let all = app.all_movements(&[]).await;
    assert_eq!(all.len(), 10);

    let mut walked = Vec::new();
    let mut sizes = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut query = vec![("limit", "4")];
        if let Some(c) = &cursor {
            query.push(("cursor", c));
        }
        let response = app.movements(&query).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page: Value = response.json().await.expect("json");
        let movements = page["movements"].as_array().expect("a list");
        sizes.push(movements.len());
        walked.extend(movements.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }

    assert_eq!(sizes, [4, 4, 2]);
    assert_eq!(walked, all);
    assert_eq!(ids(&walked).into_iter().collect::<HashSet<_>>().len(), 10);
}

#[tokio::test]
async fn the_default_page_holds_fifty_movements() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 0).await;
    for _ in 0..50 {
        assert_eq!(app.restock(&sku, 1).await.status(), StatusCode::OK);
    }

    let page: Value = app.movements(&[]).await.json().await.expect("json");

    assert_eq!(page["movements"].as_array().expect("a list").len(), 50);
    let cursor = page["next_cursor"].as_str().expect("a next page");
    let rest: Value = app
        .movements(&[("cursor", cursor)])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        field(rest["movements"].as_array().expect("a list"), "kind"),
        ["initial"]
    );
    assert_eq!(rest["next_cursor"], Value::Null);
}

#[tokio::test]
async fn movement_filters_that_make_no_sense_are_a_422_naming_the_parameter() {
    let app = spawn_app().await;
    shop_with_history(&app).await;

    for (query, name) in [
        (vec![("kind", "gift")], "kind"),
        (vec![("kind", "RESTOCK")], "kind"),
        (vec![("from", "yesterday")], "from"),
        (vec![("to", "2026-13-01")], "to"),
        (vec![("limit", "0")], "limit"),
        (vec![("limit", "501")], "limit"),
        (vec![("limit", "-1")], "limit"),
        (vec![("limit", "ten")], "limit"),
        (vec![("cursor", "garbage!")], "cursor"),
        (vec![("cursor", "eDEy")], "cursor"),
        (vec![("sku", "ROBE ETE")], "sku"),
    ] {
        let response = app.movements(&query).await;
        app.validation_problem(response, name).await;
    }
    let largest = app.movements(&[("limit", "500")]).await;
    assert_eq!(largest.status(), StatusCode::OK);
}

#[tokio::test]
async fn every_movement_names_its_variant_and_a_sale_its_order_number() {
    let app = spawn_app().await;
    let (dress, _) = shop_with_history(&app).await;

    let movements = app.all_movements(&[("sku", &dress)]).await;

    for m in &movements {
        assert_eq!(m["title"], "Produit robe-ete", "{m}");
        assert_eq!(m["size"], "M", "{m}");
        assert_eq!(m["color"], Value::Null, "{m}");
    }
    let sale = &movements[0];
    assert_eq!(sale["kind"], "sale");
    let order = app
        .admin_order(sale["order_id"].as_str().expect("an order"))
        .await;
    assert_eq!(sale["order_number"], order["number"]);
    assert!(
        sale["order_number"]
            .as_str()
            .is_some_and(|n| n.starts_with("SR-")),
        "{sale}"
    );
    assert_eq!(movements[1]["order_number"], Value::Null);

    // A restock's and a count's answers name the variant as the ledger does.
    let restocked: Value = app.restock(&dress, 1).await.json().await.expect("json");
    assert_eq!(restocked["movement"]["title"], "Produit robe-ete");
    assert_eq!(restocked["movement"]["size"], "M");
    let counted: Value = app
        .admin_post(
            "/api/v1/admin/stock/adjustments",
            &json!({"reason": "inventaire", "lines": [{"sku": dress, "set": 1}]}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(counted["movements"][0]["title"], "Produit robe-ete");
    assert_eq!(counted["movements"][0]["size"], "M");
}

#[tokio::test]
async fn the_ledger_is_searched_by_product_name_colour_or_size_in_any_case_and_accents() {
    let app = spawn_app().await;
    let dress = app
        .create_product(&json!({
            "title": "Robe d'été", "price": 15000,
            "variants": [{"sku": "RE-1", "size": "M", "stock": 2}, {"sku": "RE-2", "size": "L", "stock": 1}]
        }))
        .await;
    let shirt = app
        .create_product(&json!({
            "title": "Chemise en lin", "price": 12000,
            "variants": [{"size": "M", "color": "Bleu nuit", "stock": 1}]
        }))
        .await;
    let sku = |product: &Value, i: usize| {
        product["variants"][i]["sku"]
            .as_str()
            .expect("a sku")
            .to_owned()
    };
    let skus = |movements: &[Value]| -> Vec<String> {
        movements
            .iter()
            .map(|m| m["sku"].as_str().expect("a sku").to_owned())
            .collect()
    };

    let found = app.all_movements(&[("q", "ÉTÉ robe")]).await;
    assert_eq!(skus(&found), [sku(&dress, 1), sku(&dress, 0)]);
    let found = app.all_movements(&[("q", "  bleu  ")]).await;
    assert_eq!(skus(&found), [sku(&shirt, 0)]);
    // A word is found in a title, a sku or a colour, or is the size.
    let found = app.all_movements(&[("q", "m")]).await;
    assert_eq!(skus(&found), [sku(&shirt, 0), sku(&dress, 0)]);
    let found = app.all_movements(&[("q", "robe L")]).await;
    assert_eq!(skus(&found), [sku(&dress, 1)]);
    assert!(app.all_movements(&[("q", "pagne")]).await.is_empty());

    // `q` narrows what the other filters keep; `sku` stays exact.
    let found = app
        .all_movements(&[("q", "lin"), ("sku", &sku(&dress, 0))])
        .await;
    assert!(found.is_empty());
    let found = app
        .all_movements(&[("q", "robe"), ("kind", "initial"), ("sku", &sku(&dress, 0))])
        .await;
    assert_eq!(skus(&found), [sku(&dress, 0)]);

    let too_long = "é".repeat(201);
    let response = app.movements(&[("q", &too_long)]).await;
    app.validation_problem(response, "q").await;
}

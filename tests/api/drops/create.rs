//! Scheduling a drop: the answer, every bad input refused with its field
//! named, units checked against stock, a sku in two overlapping drops.

use chrono::TimeDelta;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{NOW, drop_body, hold, now_plus};
use crate::helpers::spawn_app;

#[tokio::test]
async fn a_drop_is_answered_as_sent_with_its_id_its_status_and_every_unit_left() {
    let app = spawn_app().await;
    hold(&app, super::at(NOW));
    let skus = app
        .product_with_sizes("robe-noel", &[("M", 10), ("L", 4)])
        .await;
    let mut body = drop_body("noel", &[(&skus[0], 5, Some(12000)), (&skus[1], 4, None)]);
    body["lines"][1]["price"] = Value::Null;
    body["lines"][1]["percent_off"] = json!(15);

    let drop = app.create_drop(&body).await;

    assert!(
        drop["id"].as_str().is_some_and(|id| !id.is_empty()),
        "{drop}"
    );
    assert_eq!(drop["status"], "upcoming");
    assert_eq!(drop["name"], "Vente noel");
    assert_eq!(drop["slug"], "noel");
    assert_eq!(drop["starts_at"], "2030-06-01T11:00:00.000000Z");
    assert_eq!(drop["ends_at"], "2030-06-01T13:00:00.000000Z");
    assert_eq!(drop["hidden_until_start"], true);
    assert_eq!(drop["max_units_per_customer"], 2);
    let lines = drop["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["sku"], skus[0].as_str());
    assert_eq!(lines[0]["units"], 5);
    assert_eq!(lines[0]["price"], 12000);
    assert_eq!(lines[0]["unit_price"], 12000);
    assert_eq!(lines[0]["remaining"], 5);
    assert_eq!(lines[0]["sold"], 0);
    // 15,000 less 15 %.
    assert_eq!(lines[1]["percent_off"], 15);
    assert_eq!(lines[1]["price"], Value::Null);
    assert_eq!(lines[1]["unit_price"], 12750);
    assert_eq!(lines[1]["title"], "Produit robe-noel");
    assert_eq!(lines[1]["size"], "L");

    let id = drop["id"].as_str().expect("an id");
    assert_eq!(app.admin_drop(id).await, drop);
    assert_eq!(app.admin_drop("noel").await, drop);
}

#[tokio::test]
async fn drops_are_listed_newest_first_in_pages() {
    let app = spawn_app().await;
    let skus = app
        .product_with_sizes("robe", &[("S", 9), ("M", 9), ("L", 9)])
        .await;
    for (i, sku) in skus.iter().enumerate() {
        hold(&app, now_plus(TimeDelta::seconds(i as i64)));
        app.create_drop(&drop_body(&format!("vente-{i}"), &[(sku, 1, None)]))
            .await;
    }

    let first: Value = app
        .admin_get("/api/v1/admin/drops?limit=2")
        .await
        .json()
        .await
        .expect("a list");
    let cursor = first["next_cursor"].as_str().expect("a cursor");
    let second: Value = app
        .admin_get(&format!("/api/v1/admin/drops?limit=2&cursor={cursor}"))
        .await
        .json()
        .await
        .expect("a list");

    let slugs = |page: &Value| -> Vec<String> {
        page["drops"]
            .as_array()
            .expect("drops")
            .iter()
            .map(|d| d["slug"].as_str().expect("a slug").to_owned())
            .collect()
    };
    assert_eq!(slugs(&first), ["vente-2", "vente-1"]);
    assert_eq!(slugs(&second), ["vente-0"]);
    assert!(second["next_cursor"].is_null());
}

/// Each body is the good one with one change, and the field it must name.
fn bad_bodies(sku: &str, other: &str) -> Vec<(&'static str, Value, &'static str)> {
    let good = || drop_body("noel", &[(sku, 2, Some(12000)), (other, 1, None)]);
    let with = |path: &[&str], value: Value| {
        let mut body = good();
        let mut target = &mut body;
        for key in path {
            target = match key.parse::<usize>() {
                Ok(i) => &mut target[i],
                Err(_) => &mut target[*key],
            };
        }
        *target = value;
        body
    };
    vec![
        (
            "a window that ends before it starts",
            with(&["ends_at"], json!("2030-06-01T10:30:00Z")),
            "ends_at",
        ),
        (
            "a window that ends as it starts",
            with(&["ends_at"], json!("2030-06-01T11:00:00Z")),
            "ends_at",
        ),
        (
            "a window over 90 days",
            with(&["ends_at"], json!("2030-08-30T11:00:00.001Z")),
            "ends_at",
        ),
        (
            "a window already over",
            {
                let mut body = with(&["starts_at"], json!("2030-05-01T10:00:00Z"));
                body["ends_at"] = json!("2030-06-01T10:00:00Z");
                body
            },
            "ends_at",
        ),
        (
            "a time without its time of day",
            with(&["starts_at"], json!("2030-06-01")),
            "starts_at",
        ),
        (
            "a time that is no time",
            with(&["starts_at"], json!("demain 18h")),
            "starts_at",
        ),
        ("no start", with(&["starts_at"], Value::Null), "starts_at"),
        (
            "units at zero",
            with(&["lines", "0", "units"], json!(0)),
            "lines[0].units",
        ),
        (
            "negative units",
            with(&["lines", "1", "units"], json!(-3)),
            "lines[1].units",
        ),
        (
            "no units",
            with(&["lines", "0", "units"], Value::Null),
            "lines[0].units",
        ),
        (
            "a price of zero",
            with(&["lines", "0", "price"], json!(0)),
            "lines[0].price",
        ),
        (
            "a negative price",
            with(&["lines", "0", "price"], json!(-100)),
            "lines[0].price",
        ),
        (
            "a percentage of 0",
            with(&["lines", "1", "percent_off"], json!(0)),
            "lines[1].percent_off",
        ),
        (
            "a percentage of 91",
            with(&["lines", "1", "percent_off"], json!(91)),
            "lines[1].percent_off",
        ),
        (
            "a price and a percentage",
            with(&["lines", "0", "percent_off"], json!(10)),
            "lines[0]",
        ),
        (
            "a sku twice",
            with(&["lines", "1", "sku"], json!(sku.to_lowercase())),
            "lines[1].sku",
        ),
        (
            "an unknown sku",
            with(&["lines", "1", "sku"], json!("NO-SUCH-SKU")),
            "lines[1].sku",
        ),
        ("no lines", with(&["lines"], json!([])), "lines"),
        (
            "a name over 100 characters",
            with(&["name"], json!("n".repeat(101))),
            "name",
        ),
        ("a blank name", with(&["name"], json!("   ")), "name"),
        (
            "a slug with capitals",
            with(&["slug"], json!("Noel")),
            "slug",
        ),
        (
            "a slug with a slash",
            with(&["slug"], json!("noel/2030")),
            "slug",
        ),
        (
            "a cap of 0",
            with(&["max_units_per_customer"], json!(0)),
            "max_units_per_customer",
        ),
    ]
}

#[tokio::test]
async fn every_bad_input_is_refused_with_its_field_named_and_nothing_written() {
    let app = spawn_app().await;
    hold(&app, super::at(NOW));
    let skus = app
        .product_with_sizes("robe", &[("M", 10), ("L", 10)])
        .await;

    for (what, body, field) in bad_bodies(&skus[0], &skus[1]) {
        let response = app.post_drop(&body).await;
        let problem = app.validation_problem(response, field).await;
        assert!(
            problem["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{what}: {problem}"
        );
    }
    let list: Value = app
        .admin_get("/api/v1/admin/drops")
        .await
        .json()
        .await
        .expect("a list");
    assert_eq!(list["drops"], json!([]), "nothing was written");
}

#[tokio::test]
async fn more_lines_than_a_drop_holds_are_refused() {
    let app = spawn_app().await;
    hold(&app, super::at(NOW));
    let many: Vec<(String, i64, Option<i64>)> =
        (0..=100).map(|i| (format!("SKU-{i}"), 1, None)).collect();
    let lines: Vec<(&str, i64, Option<i64>)> =
        many.iter().map(|(s, u, p)| (s.as_str(), *u, *p)).collect();

    let response = app.post_drop(&drop_body("noel", &lines)).await;

    let problem = app.validation_problem(response, "lines").await;
    assert!(
        problem["detail"]
            .as_str()
            .expect("a detail")
            .contains("100"),
        "{problem}"
    );
}

#[tokio::test]
async fn a_quantity_that_is_not_a_json_integer_is_refused() {
    let app = spawn_app().await;
    hold(&app, super::at(NOW));
    let sku = app.product_with_stock("robe", "M", 10).await;
    for units in [json!("2"), json!(2.0), json!(true)] {
        let mut body = drop_body("noel", &[(&sku, 2, None)]);
        body["lines"][0]["units"] = units;
        let response = app.post_drop(&body).await;
        app.problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }
}

#[tokio::test]
async fn units_above_the_stock_are_refused_saying_how_many_are_available() {
    let app = spawn_app().await;
    hold(&app, super::at(NOW));
    let skus = app
        .product_with_sizes("robe", &[("M", 3), ("L", 1), ("S", 0)])
        .await;

    let body = drop_body(
        "noel",
        &[
            (&skus[0], 4, None),
            (&skus[1], 2, None),
            (&skus[2], 1, None),
        ],
    );
    let response = app.post_drop(&body).await;

    let problem = app.validation_problem(response, "lines[0].units").await;
    let details: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["detail"].as_str().expect("a detail"))
        .collect();
    assert_eq!(
        crate::helpers::TestApp::error_fields(&problem),
        ["lines[0].units", "lines[1].units", "lines[2].units"]
    );
    assert!(
        details[0].contains("n'a que 3 articles en stock"),
        "{details:?}"
    );
    assert!(details[0].contains("au plus 3"), "{details:?}");
    assert!(
        details[1].contains("n'a qu'un article en stock"),
        "{details:?}"
    );
    assert!(details[2].contains("n'a plus de stock"), "{details:?}");
}

#[tokio::test]
async fn units_equal_to_the_stock_are_accepted() {
    let app = spawn_app().await;
    hold(&app, super::at(NOW));
    let sku = app.product_with_stock("robe", "M", 3).await;

    app.create_drop(&drop_body("noel", &[(&sku, 3, None)]))
        .await;
}

#[tokio::test]
async fn a_sku_in_an_overlapping_drop_is_refused_naming_the_sku_and_the_other_drop() {
    let app = spawn_app().await;
    hold(&app, super::at(NOW));
    let skus = app
        .product_with_sizes("robe", &[("M", 10), ("L", 10)])
        .await;
    app.create_drop(&drop_body("noel", &[(&skus[0], 2, None)]))
        .await;

    // Its window starts inside the first one's.
    let mut overlapping = drop_body("nouvel-an", &[(&skus[1], 2, None), (&skus[0], 2, None)]);
    overlapping["starts_at"] = json!("2030-06-01T12:59:59.999Z");
    overlapping["ends_at"] = json!("2030-06-01T15:00:00Z");
    let response = app.post_drop(&overlapping).await;

    let problem = app
        .problem(response, StatusCode::CONFLICT, "already_exists")
        .await;
    let detail = problem["detail"].as_str().expect("a detail");
    assert!(detail.contains(skus[0].as_str()), "{detail}");
    assert!(detail.contains("noel"), "{detail}");
    assert!(detail.contains("Vente noel"), "{detail}");

    // Starting as the first one ends, it does not overlap.
    overlapping["starts_at"] = json!("2030-06-01T13:00:00Z");
    app.create_drop(&overlapping).await;
}

#[tokio::test]
async fn a_slug_taken_by_another_drop_is_refused() {
    let app = spawn_app().await;
    hold(&app, super::at(NOW));
    let skus = app
        .product_with_sizes("robe", &[("M", 10), ("L", 10)])
        .await;
    app.create_drop(&drop_body("noel", &[(&skus[0], 2, None)]))
        .await;

    let response = app
        .post_drop(&drop_body("noel", &[(&skus[1], 2, None)]))
        .await;

    let problem = app
        .problem(response, StatusCode::CONFLICT, "already_exists")
        .await;
    assert!(
        problem["detail"]
            .as_str()
            .expect("a detail")
            .contains("noel")
    );
}

#[tokio::test]
async fn an_unknown_drop_is_not_found() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/admin/drops/nothing-here",
        "/api/v1/admin/drops/no%20such",
        "/api/v1/admin/drops/nothing-here/live",
    ] {
        let response = app.admin_get(path).await;
        app.problem(response, StatusCode::NOT_FOUND, "not_found")
            .await;
    }
    let response = app.get("/api/v1/drops/nothing-here").await;
    app.problem(response, StatusCode::NOT_FOUND, "not_found")
        .await;
}

//! The picking list: each variant of the chosen orders once, its units
//! summed with the orders they go to, in the order a person picks them.

use serde_json::{Value, json};

use super::id_of;
use crate::helpers::spawn_app;

/// A picking line as `(sku, quantity, orders)`.
fn lines(list: &Value) -> Vec<(String, i64, Vec<String>)> {
    list["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| {
            let orders = l["orders"].as_array().expect("orders");
            (
                l["sku"].as_str().expect("a sku").to_owned(),
                l["quantity"].as_i64().expect("a quantity"),
                orders
                    .iter()
                    .map(|o| o.as_str().expect("a number").to_owned())
                    .collect(),
            )
        })
        .collect()
}

fn number(order: &Value) -> String {
    order["number"].as_str().expect("a number").to_owned()
}

#[tokio::test]
async fn the_confirmed_orders_units_are_summed_per_variant_with_their_numbers_in_picking_order() {
    let app = spawn_app().await;
    // Sizes in the product's own order, and a colour, and a second product
    // whose title comes first.
    app.create_product(&json!({
        "slug": "robe", "title": "Robe d'été", "price": 15000,
        "variants": [
            {"size": "S", "color": "Rouge", "stock": 10},
            {"size": "M", "color": "Bleu", "stock": 10},
            {"size": "M", "color": "Rouge", "stock": 10},
            {"size": "XL", "color": "Rouge", "stock": 10}
        ]
    }))
    .await;
    let shirt = app.product_with_stock("chemise", "L", 10).await;
    let (s, m_blue, m_red, xl) = (
        "ROBE-ROUGE-S",
        "ROBE-BLEU-M",
        "ROBE-ROUGE-M",
        "ROBE-ROUGE-XL",
    );
    let first = app
        .order_by("Awa", "+2250700000001", &[(xl, 1), (m_red, 2)])
        .await;
    let second = app
        .order_by(
            "Aïcha",
            "+2250700000002",
            &[(m_red, 1), (s, 1), (&shirt, 3), (m_blue, 1)],
        )
        .await;
    let pending = app.order_by("Binta", "+2250700000003", &[(s, 5)]).await;
    for order in [&first, &second] {
        app.walk(id_of(order), &["confirmed"]).await;
    }

    let list = app
        .admin_json("/api/v1/admin/picking?status=confirmed")
        .await;
    let (one, two) = (number(&first), number(&second));
    assert_eq!(
        lines(&list),
        [
            (shirt.clone(), 3, vec![two.clone()]),
            (s.to_owned(), 1, vec![two.clone()]),
            (m_blue.to_owned(), 1, vec![two.clone()]),
            (m_red.to_owned(), 3, vec![one.clone(), two.clone()]),
            (xl.to_owned(), 1, vec![one.clone()]),
        ]
    );
    assert_eq!(
        (list["order_count"].as_i64(), list["units"].as_i64()),
        (Some(2), Some(9))
    );
    let dress = &list["lines"][3];
    assert_eq!(
        (&dress["title"], &dress["size"], &dress["color"]),
        (&json!("Robe d'été"), &json!("M"), &json!("Rouge"))
    );

    // Every confirmed order's lines, and only theirs, are on the list.
    let orders = app
        .admin_json("/api/v1/admin/orders?status=confirmed")
        .await;
    let ordered: i64 = orders["orders"]
        .as_array()
        .expect("orders")
        .iter()
        .flat_map(|o| o["lines"].as_array().expect("lines").clone())
        .map(|l| l["quantity"].as_i64().expect("a quantity"))
        .sum();
    assert_eq!(list["units"].as_i64(), Some(ordered));

    let to_handle = app
        .admin_json("/api/v1/admin/picking?status=to_handle")
        .await;
    let s_line = lines(&to_handle).into_iter().find(|l| l.0 == s).expect("S");
    assert_eq!(
        (s_line.1, s_line.2.len()),
        (6, 2),
        "the pending order's units join"
    );
    assert!(s_line.2.contains(&number(&pending)));
    let none = app.admin_json("/api/v1/admin/picking?status=shipped").await;
    assert_eq!(none, json!({"lines": [], "order_count": 0, "units": 0}));
}

#[tokio::test]
async fn units_that_came_back_are_not_picked_and_a_bad_filter_is_refused() {
    let app = spawn_app().await;
    let skus = app.product_with_sizes("robe", &[("M", 5), ("L", 5)]).await;
    let order = app
        .order_by("Awa", "+2250700000001", &[(&skus[0], 2), (&skus[1], 1)])
        .await;
    app.walk(id_of(&order), &["confirmed", "processing", "shipped"])
        .await;
    let body = json!({"lines": [{"sku": skus[1], "quantity": 1}], "restock": true});
    assert_eq!(app.take_return(id_of(&order), &body).await.status(), 200);

    let list = app.admin_json("/api/v1/admin/picking?status=shipped").await;
    assert_eq!(lines(&list), [(skus[0].clone(), 2, vec![number(&order)])]);

    let refused = app.admin_get("/api/v1/admin/picking?status=packed").await;
    app.validation_problem(refused, "status").await;
    let refused = app.admin_get("/api/v1/admin/picking?from=yesterday").await;
    app.validation_problem(refused, "from").await;
}

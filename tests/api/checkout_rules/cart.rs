//! The cart check: what the stock could serve now, capped, reserving nothing.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::read;
use crate::helpers::spawn_app;

fn line<'a>(check: &'a Value, sku: &str) -> &'a Value {
    check["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l["sku"] == sku)
        .expect("the sku is answered")
}

#[tokio::test]
async fn a_line_over_the_stock_is_capped_with_the_shop_toast_and_nothing_is_reserved() {
    let app = spawn_app().await;
    let skus = app
        .product_with_sizes("robe-ete", &[("M", 2), ("L", 10)])
        .await;
    let (m, l) = (&skus[0], &skus[1]);

    let (status, check) = read(
        app.check_cart(&json!({"lines": [{"sku": m, "quantity": 3}, {"sku": l, "quantity": 1}]}))
            .await,
    )
    .await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(check["ok"], json!(false));
    assert_eq!(
        line(&check, m),
        &json!({"sku": m, "requested": 3, "available": 2, "accepted": 2,
                "unit_price": 15000, "for_sale": true,
                "detail": "Stock insuffisant : il ne reste plus que 2 articles en taille M."})
    );
    assert_eq!(
        line(&check, l),
        &json!({"sku": l, "requested": 1, "available": 10, "accepted": 1,
                "unit_price": 15000, "for_sale": true})
    );
    assert_eq!(app.available(m).await, 2);
    assert_eq!(app.available(l).await, 10);
    assert_eq!(
        app.movements_matching(&format!("sku={m}")).await.len(),
        1,
        "only the initial movement"
    );
}

#[tokio::test]
async fn a_cart_the_stock_can_serve_is_ok_and_a_sold_out_line_is_capped_at_zero() {
    let app = spawn_app().await;
    let skus = app
        .product_with_sizes("robe-ete", &[("M", 2), ("XL", 0)])
        .await;

    let (_, fine) = read(
        app.check_cart(&json!({"lines": [{"sku": skus[0], "quantity": 2}]}))
            .await,
    )
    .await;
    assert_eq!(fine["ok"], json!(true));
    assert_eq!(fine["lines"][0]["accepted"], json!(2));
    assert!(fine["lines"][0].get("detail").is_none());

    let (_, sold_out) = read(
        app.check_cart(&json!({"lines": [{"sku": skus[1], "quantity": 1}]}))
            .await,
    )
    .await;
    assert_eq!(sold_out["ok"], json!(false));
    assert_eq!(sold_out["lines"][0]["accepted"], json!(0));
    assert_eq!(
        sold_out["lines"][0]["detail"],
        json!("Cet article n'est plus disponible en taille XL.")
    );
}

#[tokio::test]
async fn a_cart_with_an_unknown_sku_or_a_bad_quantity_is_refused() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 2).await;
    for body in [
        json!({"lines": [{"sku": "NOPE-M", "quantity": 1}]}),
        json!({"lines": [{"sku": sku, "quantity": 0}]}),
        json!({"lines": [{"sku": sku, "quantity": "2"}]}),
        json!({"lines": []}),
    ] {
        let (status, problem) = read(app.check_cart(&body).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(problem["code"], json!("validation_failed"));
    }
}

#[tokio::test]
async fn the_cart_check_answers_lines_in_the_order_the_cart_holds_them() {
    let app = spawn_app().await;
    let skus = app
        .product_with_sizes("robe-ete", &[("L", 2), ("M", 2), ("S", 2)])
        .await;
    let cart = json!({"lines": [
        {"sku": skus[1], "quantity": 1}, {"sku": skus[2], "quantity": 1},
        {"sku": skus[0], "quantity": 1}, {"sku": skus[1], "quantity": 1}
    ]});

    let (status, check) = read(app.check_cart(&cart).await).await;

    assert_eq!(status, StatusCode::OK);
    let order: Vec<&str> = check["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| l["sku"].as_str().expect("a sku"))
        .collect();
    assert_eq!(order, [&skus[1], &skus[2], &skus[0]]);
    assert_eq!(line(&check, &skus[1])["requested"], json!(2));
}

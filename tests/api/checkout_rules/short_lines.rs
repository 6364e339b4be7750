//! What a refused order says, and that the server's prices are the only prices.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{order_body, phone, spawn_app};

#[tokio::test]
async fn an_order_short_on_several_lines_names_every_short_line_in_one_sentence_each() {
    let app = spawn_app().await;
    let skus = app
        .product_with_sizes("robe-ete", &[("L", 5), ("M", 2), ("S", 1), ("XL", 0)])
        .await;
    let (l, m, s, xl) = (
        skus[0].as_str(),
        skus[1].as_str(),
        skus[2].as_str(),
        skus[3].as_str(),
    );
    let body = order_body(&phone(1), &[(s, 2), (l, 1), (xl, 1), (m, 5)]);

    let response = app.post_order(&body, None).await;

    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(
        response.headers()["content-type"].as_bytes(),
        b"application/problem+json"
    );
    let refusal: serde_json::Value = response.json().await.expect("a problem");
    assert_eq!(
        refusal["type"],
        json!("https://stockroom.dev/problems/insufficient-stock")
    );
    assert_eq!(refusal["title"], json!("Insufficient stock"));
    assert_eq!(refusal["status"], json!(409));
    assert_eq!(refusal["code"], json!("insufficient_stock"));
    assert_eq!(
        refusal["lines"],
        json!([
            {"sku": m, "requested": 5, "available": 2},
            {"sku": s, "requested": 2, "available": 1},
            {"sku": xl, "requested": 1, "available": 0},
        ])
    );
    assert_eq!(
        refusal["detail"],
        json!(
            "Il ne reste plus que 2 articles de Produit robe-ete (taille M), pour 5 demandés : ajustez votre panier. \
             Il ne reste plus qu'un article de Produit robe-ete (taille S), pour 2 demandés : ajustez votre panier. \
             Produit robe-ete (taille XL) n'est plus disponible."
        )
    );
    // Nothing moved, not even the line that could be served.
    for (sku, units) in [(l, 5), (m, 2), (s, 1), (xl, 0)] {
        assert_eq!(app.available(sku).await, units);
        assert_eq!(app.ledger_sum(sku).await, units);
    }
    let orders: serde_json::Value = app
        .admin_get("/api/v1/admin/orders")
        .await
        .json()
        .await
        .expect("orders");
    assert_eq!(orders["orders"], json!([]));
}

#[tokio::test]
async fn a_refusal_speaks_english_when_asked() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 2).await;
    let refusal: serde_json::Value = app
        .request(reqwest::Method::POST, "/api/v1/orders")
        .header("Accept-Language", "en;q=0.9, fr;q=0.5")
        .json(&order_body(&phone(1), &[(&sku, 5)]))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(
        refusal["detail"],
        json!(
            "Only 2 of Produit robe-ete (size M) are left, for 5 asked: please adjust your cart."
        )
    );
}

#[tokio::test]
async fn prices_and_totals_sent_by_the_buyer_are_ignored() {
    let app = spawn_app().await;
    let skus = app
        .product_with_sizes("robe-ete", &[("M", 5), ("L", 5)])
        .await;
    let body = json!({
        "customer": {"name": "Awa K.", "phone": phone(1)},
        "delivery": {"address": "Cocody, Abidjan"},
        "total": 1, "price": 1, "currency": "EUR",
        "lines": [
            {"sku": skus[0], "quantity": 3, "price": 1, "unit_price": 1, "line_total": 3, "total": 3},
            {"sku": skus[1], "quantity": 1, "price": 0, "unit_price": 0, "total": 0},
        ],
    });

    let (status, placed) = app.place(&body, None).await;

    assert_eq!(status, StatusCode::CREATED, "{placed:#}");
    let order = &placed["order"];
    assert_eq!(order["total"], json!(15000 * 4));
    assert_eq!(order["currency"], json!("XOF"));
    for line in order["lines"].as_array().expect("lines") {
        assert_eq!(line["unit_price"], json!(15000));
        assert_eq!(
            line["line_total"],
            json!(15000 * line["quantity"].as_i64().expect("q"))
        );
    }
    let mut stored = app.admin_order(order["id"].as_str().expect("an id")).await;
    // The desk's own fields are the admin view's.
    let desk = stored.as_object_mut().expect("an order");
    assert!(desk.remove("payment").is_some() && desk.remove("staff_notes").is_some());
    assert_eq!(&stored, order);
}

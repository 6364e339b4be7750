//! Text fields: a required one needs a visible letter or digit, and no
//! field takes control or direction-control characters (U+202A–U+202E,
//! U+2066–U+2069); each refusal names its field, in French first and in
//! English, and writes nothing.

use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::helpers::{TestApp, order_body, phone, spawn_app};

/// Reverses what follows it on screen: `Awa`, U+202E, `gpj.exe` shows as `Awaexe.jpg`.
const RIGHT_TO_LEFT_OVERRIDE: &str = "\u{202e}";

/// The `detail` of the error about `field`, in the answer's language.
fn field_detail(problem: &Value, field: &str) -> String {
    problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["field"] == field)
        .and_then(|e| e["detail"].as_str())
        .unwrap_or_else(|| panic!("no error for `{field}` in {problem}"))
        .to_owned()
}

async fn in_english(app: &TestApp, method: Method, path: &str, body: &Value) -> Response {
    app.admin(method, path)
        .header("accept-language", "en")
        .json(body)
        .send()
        .await
        .expect("the request is sent")
}

#[tokio::test]
async fn a_name_of_zero_width_characters_only_is_refused_and_writes_nothing() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe", "M", 3).await;
    let before = app.snapshot().await;
    for invisible in [
        "\u{200b}\u{200b}\u{200b}",
        "\u{200c}\u{200d}",
        "\u{feff}",
        " \u{2060} ",
    ] {
        let mut body = order_body(&phone(1), &[(&sku, 1)]);
        body["customer"]["name"] = json!(invisible);
        let problem = app
            .validation_problem(app.post_order(&body, None).await, "customer.name")
            .await;
        let detail = field_detail(&problem, "customer.name");
        assert!(
            detail.contains("« customer.name »") && detail.contains("lettre"),
            "{detail}"
        );
    }
    assert_eq!(app.snapshot().await, before, "nothing written");
}

#[tokio::test]
async fn a_direction_control_is_refused_in_every_text_field_of_an_order_naming_it() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe", "M", 3).await;
    let before = app.snapshot().await;
    let fields: [(&str, &[&str]); 5] = [
        ("customer.name", &["customer", "name"]),
        ("customer.email", &["customer", "email"]),
        ("delivery.address", &["delivery", "address"]),
        ("delivery.pickup_number", &["delivery", "pickup_number"]),
        ("notes", &["notes"]),
    ];
    for (field, path) in fields {
        for control in [RIGHT_TO_LEFT_OVERRIDE, "\u{202a}", "\u{2067}", "\u{2069}"] {
            let mut body = order_body(&phone(1), &[(&sku, 1)]);
            let text = match *path.last().expect("a key") {
                "email" => format!("awa{control}@example.ci"),
                _ => format!("Awa{control}gpj.exe"),
            };
            let mut slot = &mut body;
            for key in path {
                slot = &mut slot[*key];
            }
            *slot = json!(text);
            let problem = app
                .validation_problem(app.post_order(&body, None).await, field)
                .await;
            let detail = field_detail(&problem, field);
            assert!(detail.contains("sens d'écriture"), "{field}: {detail}");
        }
    }
    let mut body = order_body(&phone(1), &[(&sku, 1)]);
    body["notes"] = json!(format!("Livrer{RIGHT_TO_LEFT_OVERRIDE} le soir"));
    let english = app
        .request(Method::POST, "/api/v1/orders")
        .header("accept-language", "en")
        .json(&body)
        .send()
        .await
        .expect("sent");
    let problem = app.validation_problem(english, "notes").await;
    let detail = field_detail(&problem, "notes");
    assert!(
        detail.contains("`notes`") && detail.contains("direction"),
        "{detail}"
    );
    assert_eq!(app.snapshot().await, before, "nothing written");
}

#[tokio::test]
async fn the_admins_text_fields_refuse_direction_controls_and_invisible_required_text() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe", "M", 3).await;
    let product = json!({"title": "Pagne", "price": 9000, "description": "Wax",
        "category": "pagnes", "variants": [{"size": "TU", "color": "Bleu"}]});
    let with = |pointer: &str, value: &str| {
        let mut body = product.clone();
        *body.pointer_mut(pointer).expect("a field") = json!(value);
        body
    };
    let bidi = format!("Bleu{RIGHT_TO_LEFT_OVERRIDE}Rouge");
    for (pointer, field, value) in [
        ("/title", "title", bidi.as_str()),
        ("/title", "title", "\u{200b}"),
        ("/description", "description", bidi.as_str()),
        ("/category", "category", bidi.as_str()),
        ("/variants/0/size", "variants[0].size", "\u{200d}"),
        ("/variants/0/color", "variants[0].color", bidi.as_str()),
    ] {
        let response = in_english(
            &app,
            Method::POST,
            "/api/v1/admin/products",
            &with(pointer, value),
        )
        .await;
        let problem = app.validation_problem(response, field).await;
        let detail = field_detail(&problem, field);
        assert!(detail.contains(&format!("`{field}`")), "{detail}");
    }
    for reason in [
        "\u{200b}\u{200b}",
        &format!("casse{RIGHT_TO_LEFT_OVERRIDE}"),
    ] {
        let response = app
            .adjust(&sku, &json!({"delta": -1, "reason": reason}))
            .await;
        app.validation_problem(response, "reason").await;
    }
    let restock = format!("/api/v1/admin/stock/{sku}/restock");
    let response = app
        .admin_post(&restock, &json!({"quantity": 1, "note": bidi}))
        .await;
    app.validation_problem(response, "note").await;
}

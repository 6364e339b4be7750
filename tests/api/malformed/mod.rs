//! Malformed input, as one table: every public and admin endpoint of docs/API.md
//! gets broken, truncated, mistyped, oversized and out-of-range requests, and
//! each must answer its documented 4xx problem+json with a `code` and a
//! `detail`, never a 5xx, and write nothing.
//!
//! `errors.rs` checks the order of the checks and the wording once; this
//! table checks the same promises across every endpoint and field.
//! `headers.rs` adds the rows of bad and oversized headers.

use reqwest::header::{CONTENT_TYPE, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

mod headers;

const BODY_LIMIT: usize = 64 * 1024;
const SKU: &str = "ROBE-ETE-M";

/// One bad request and the problem it must get.
struct Row {
    label: String,
    method: Method,
    path: String,
    headers: Vec<(&'static str, Vec<u8>)>,
    body: Option<Vec<u8>>,
    status: u16,
    code: &'static str,
    /// Answered by hyper before stockroom sees it: a bare status, no problem.
    from_hyper: bool,
}

impl Row {
    fn new(
        label: impl Into<String>,
        method: Method,
        path: &str,
        status: u16,
        code: &'static str,
    ) -> Row {
        Row {
            label: label.into(),
            method,
            path: path.to_owned(),
            headers: Vec::new(),
            body: None,
            status,
            code,
            from_hyper: false,
        }
    }

    fn answered_by_hyper(mut self) -> Row {
        self.from_hyper = true;
        self
    }

    /// A body sent as `application/json`.
    fn json(self, body: impl Into<Vec<u8>>) -> Row {
        self.header("content-type", b"application/json").raw(body)
    }

    /// A body with whatever content type the headers say.
    fn raw(mut self, body: impl Into<Vec<u8>>) -> Row {
        self.body = Some(body.into());
        self
    }

    fn header(mut self, name: &'static str, value: &[u8]) -> Row {
        self.headers.push((name, value.to_vec()));
        self
    }
}

/// A JSON-bodied endpoint: where it is, the headers a valid request needs,
/// and a body template whose `$slot`s take valid values unless a row says otherwise.
struct Endpoint {
    name: &'static str,
    method: Method,
    path: String,
    headers: Vec<(&'static str, Vec<u8>)>,
    template: &'static str,
    defaults: Vec<(&'static str, String)>,
}

impl Endpoint {
    fn row(&self, label: &str, status: u16, code: &'static str) -> Row {
        let mut row = Row::new(
            format!("{} {}: {label}", self.method, self.name),
            self.method.clone(),
            &self.path,
            status,
            code,
        );
        row.headers = self.headers.clone();
        row
    }

    /// The template with every slot valid, except `slot` set to `value` (raw bytes).
    fn body_with(&self, slot: &str, value: &[u8]) -> Vec<u8> {
        let mut text = self.template.to_owned();
        for (name, default) in &self.defaults {
            if *name != slot {
                text = text.replace(&format!("${name}"), default);
            }
        }
        let marker = format!("${slot}");
        assert!(text.contains(&marker), "{}: no slot `{slot}`", self.name);
        let mut body = Vec::new();
        for (i, part) in text.split(&marker).enumerate() {
            if i > 0 {
                body.extend_from_slice(value);
            }
            body.extend_from_slice(part.as_bytes());
        }
        body
    }

    fn valid_body(&self) -> Vec<u8> {
        let (slot, value) = &self.defaults[0];
        self.body_with(slot, value.as_bytes())
    }

    /// One row per bad value of one slot, all with the same expected problem.
    fn bad_values(
        &self,
        rows: &mut Vec<Row>,
        slot: &str,
        values: &[Vec<u8>],
        status: u16,
        code: &'static str,
    ) {
        for value in values {
            let shown = String::from_utf8_lossy(value);
            let shown: String = shown.chars().take(40).collect();
            rows.push(
                self.row(&format!("{slot} = {}", shown.escape_debug()), status, code)
                    .json(self.body_with(slot, value)),
            );
        }
    }

    /// What every JSON endpoint must refuse whatever its fields.
    fn body_rows(&self, rows: &mut Vec<Row>) {
        let valid = self.valid_body();
        let truncated = valid[..valid.len() / 2].to_vec();
        let mut broken = valid.clone();
        broken.retain(|b| *b != b':');
        let mut trailing = valid.clone();
        trailing.extend_from_slice(b" x");
        let deep_array = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let deep_field = format!(r#"{{"x": {}{}}}"#, "[".repeat(10_000), "]".repeat(10_000));
        let deep_object = format!("{}1{}", r#"{"a":"#.repeat(10_000), "}".repeat(10_000));
        let mut too_large = valid.clone();
        too_large.resize(BODY_LIMIT + 1, b' ');
        let unprocessable: [(&str, Vec<u8>); 12] = [
            ("broken JSON", broken),
            ("truncated JSON", truncated),
            ("trailing garbage", trailing),
            ("empty body", Vec::new()),
            ("whitespace body", b"  \n ".to_vec()),
            ("null body", b"null".to_vec()),
            ("array body", b"[{}]".to_vec()),
            ("string body", br#""{}""#.to_vec()),
            ("single quotes", b"{'a': 1}".to_vec()),
            ("10,000 nested arrays", deep_array.into_bytes()),
            ("10,000 nested arrays in a field", deep_field.into_bytes()),
            ("10,000 nested objects", deep_object.into_bytes()),
        ];
        for (label, body) in unprocessable {
            rows.push(self.row(label, 422, "validation_failed").json(body));
        }
        rows.push(
            self.row("body of 64 KiB + 1", 413, "payload_too_large")
                .json(too_large.clone()),
        );
        rows.push(
            self.row("body of 1 MiB as text/plain", 413, "payload_too_large")
                .header("content-type", b"text/plain")
                .raw(vec![b' '; 1024 * 1024]),
        );
        for content_type in [
            &b"text/plain"[..],
            b"application/x-www-form-urlencoded",
            b"multipart/form-data; boundary=x",
            b"application/xml",
            b"application/jsonp",
            b"",
        ] {
            rows.push(
                self.row(
                    &format!("content type `{}`", String::from_utf8_lossy(content_type)),
                    415,
                    "unsupported_media_type",
                )
                .header("content-type", content_type)
                .raw(valid.clone()),
            );
        }
        rows.push(
            self.row("no content type", 415, "unsupported_media_type")
                .raw(valid.clone()),
        );
    }
}

fn strings(values: &[&str]) -> Vec<Vec<u8>> {
    values.iter().map(|v| v.as_bytes().to_vec()).collect()
}

/// Integers a strict parser refuses: strings, floats, booleans, exponents,
/// past i64, containers.
fn not_integers() -> Vec<Vec<u8>> {
    strings(&[
        r#""2""#,
        "2.0",
        "2.5",
        "true",
        "1e3",
        "99999999999999999999",
        "-99999999999999999999",
        "[]",
        "{}",
        r#""""#,
    ])
}

/// Texts no name, phone, title, sku or reason may be: blank, invisible
/// (zero-width characters only), 10,000 characters, control characters,
/// direction controls, invalid UTF-8, not a string.
fn bad_texts() -> Vec<Vec<u8>> {
    let mut values = strings(&[
        r#""""#,
        r#""   ""#,
        r#""\u200b\u200c\u200d""#,
        r#""a\u0000b""#,
        r#""a\u0007b""#,
        r#""a\u001bb""#,
        r#""a\u202eb""#,
        r#""a\u2066b""#,
        "123",
        "true",
        "[]",
        "{}",
    ]);
    values.push(format!(r#""{}""#, "a".repeat(10_000)).into_bytes());
    values.push(b"\"a\xff\xfeb\"".to_vec());
    values.push(b"\"a\xc3\"".to_vec());
    values
}

/// What a shop in a known state must refuse.
fn table(product_id: &str, etag: &str, order_id: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    let long = format!(r#""{}""#, "a".repeat(10_000));

    // POST /api/v1/orders
    let orders = Endpoint {
        name: "orders",
        method: Method::POST,
        path: "/api/v1/orders".into(),
        headers: Vec::new(),
        template: r#"{"customer": {"name": $name, "phone": $phone, "email": $email},
            "delivery": {"address": $address, "pickup_number": $pickup},
            "notes": $notes, "lines": [{"sku": $sku, "quantity": $quantity}]}"#,
        defaults: vec![
            ("name", r#""Awa K.""#.into()),
            ("phone", r#""+2250700000001""#.into()),
            ("email", "null".into()),
            ("address", r#""Cocody, Abidjan""#.into()),
            ("pickup", "null".into()),
            ("notes", "null".into()),
            ("sku", format!(r#""{SKU}""#)),
            ("quantity", "1".into()),
        ],
    };
    orders.body_rows(&mut rows);
    let mut quantities = not_integers();
    quantities.extend(strings(&[
        "0",
        "-1",
        "101",
        "9223372036854775807",
        "-9223372036854775808",
        "null",
    ]));
    orders.bad_values(&mut rows, "quantity", &quantities, 422, "validation_failed");
    for slot in ["name", "phone"] {
        orders.bad_values(&mut rows, slot, &bad_texts(), 422, "validation_failed");
    }
    orders.bad_values(
        &mut rows,
        "phone",
        &strings(&[r#""abc""#, r#""+12""#, r#""+1234567890123456789""#]),
        422,
        "validation_failed",
    );
    let mut skus = bad_texts();
    skus.extend(strings(&[
        r#""NOPE-X""#,
        r#""robe ete m""#,
        r#""ROBE-ETE-M'; DROP TABLE orders;--""#,
    ]));
    orders.bad_values(&mut rows, "sku", &skus, 422, "validation_failed");
    let optional_texts = vec![
        long.clone().into_bytes(),
        br#""a\u0000b""#.to_vec(),
        b"\"a\xff\"".to_vec(),
        b"123".to_vec(),
    ];
    for slot in ["email", "address", "pickup", "notes"] {
        orders.bad_values(&mut rows, slot, &optional_texts, 422, "validation_failed");
    }
    orders.bad_values(
        &mut rows,
        "email",
        &strings(&[
            r#""awa@""#,
            r#""awa@localhost""#,
            r#""awa kone@example.ci""#,
        ]),
        422,
        "validation_failed",
    );
    let whole_bodies: Vec<(&str, String)> = vec![
        ("empty object", "{}".into()),
        ("no lines", r#"{"customer": {"name": "Awa", "phone": "+2250700000001"}, "delivery": {"address": "Cocody"}}"#.into()),
        ("empty lines", r#"{"customer": {"name": "Awa", "phone": "+2250700000001"}, "delivery": {"address": "Cocody"}, "lines": []}"#.into()),
        ("lines as an object", format!(r#"{{"customer": {{"name": "Awa", "phone": "+2250700000001"}}, "delivery": {{"address": "Cocody"}}, "lines": {{"sku": "{SKU}", "quantity": 1}}}}"#)),
        ("a null line", r#"{"customer": {"name": "Awa", "phone": "+2250700000001"}, "delivery": {"address": "Cocody"}, "lines": [null]}"#.into()),
        ("customer as a string", format!(r#"{{"customer": "Awa", "delivery": {{"address": "Cocody"}}, "lines": [{{"sku": "{SKU}", "quantity": 1}}]}}"#)),
        ("no customer", format!(r#"{{"delivery": {{"address": "Cocody"}}, "lines": [{{"sku": "{SKU}", "quantity": 1}}]}}"#)),
        ("line without quantity", format!(r#"{{"customer": {{"name": "Awa", "phone": "+2250700000001"}}, "delivery": {{"address": "Cocody"}}, "lines": [{{"sku": "{SKU}"}}]}}"#)),
        ("line without sku", r#"{"customer": {"name": "Awa", "phone": "+2250700000001"}, "delivery": {"address": "Cocody"}, "lines": [{"quantity": 1}]}"#.into()),
        ("duplicated lines past 100 once merged", format!(r#"{{"customer": {{"name": "Awa", "phone": "+2250700000001"}}, "delivery": {{"address": "Cocody"}}, "lines": [{{"sku": "{SKU}", "quantity": 60}}, {{"sku": "{SKU}", "quantity": 60}}]}}"#)),
        ("extra fields with a missing phone", format!(r#"{{"customer": {{"name": "Awa", "vip": true}}, "delivery": {{"address": "Cocody"}}, "total": 1, "price": 1, "status": "delivered", "lines": [{{"sku": "{SKU}", "quantity": 1, "unit_price": 1}}]}}"#)),
        ("duplicate keys", format!(r#"{{"customer": {{"name": "Awa", "phone": "+2250700000001"}}, "customer": {{"name": "Awa", "phone": "+2250700000001"}}, "delivery": {{"address": "Cocody"}}, "lines": [{{"sku": "{SKU}", "quantity": 1}}]}}"#)),
    ];
    for (label, body) in whole_bodies {
        rows.push(orders.row(label, 422, "validation_failed").json(body));
    }
    for (label, sku) in [
        ("51 lines of one known sku", SKU),
        ("51 lines of unknown skus", "NOPE"),
    ] {
        let lines: Vec<Value> = (0..51)
            .map(|i| json!({"sku": if sku == SKU { SKU.to_owned() } else { format!("{sku}-{i}") }, "quantity": 1}))
            .collect();
        let body = json!({"customer": {"name": "Awa", "phone": "+2250700000001"}, "delivery": {"address": "Cocody"}, "lines": lines});
        rows.push(
            orders
                .row(label, 422, "validation_failed")
                .json(body.to_string()),
        );
    }
    let valid_order = orders.valid_body();
    for (label, key) in [
        ("empty Idempotency-Key", Vec::new()),
        ("256-character Idempotency-Key", vec![b'k'; 256]),
        ("non-ASCII Idempotency-Key", "clé-é".as_bytes().to_vec()),
        ("Idempotency-Key with a space", b"a b".to_vec()),
        ("Idempotency-Key with a tab", b"a\tb".to_vec()),
    ] {
        rows.push(
            orders
                .row(label, 422, "validation_failed")
                .header("idempotency-key", &key)
                .json(valid_order.clone()),
        );
    }

    // POST /api/v1/cart/check
    let cart = Endpoint {
        name: "cart/check",
        method: Method::POST,
        path: "/api/v1/cart/check".into(),
        headers: Vec::new(),
        template: r#"{"lines": [{"sku": $sku, "quantity": $quantity}]}"#,
        defaults: vec![("sku", format!(r#""{SKU}""#)), ("quantity", "1".into())],
    };
    cart.body_rows(&mut rows);
    cart.bad_values(&mut rows, "quantity", &quantities, 422, "validation_failed");
    cart.bad_values(&mut rows, "sku", &bad_texts(), 422, "validation_failed");
    for (label, body) in [
        ("empty object", "{}".to_owned()),
        ("empty lines", r#"{"lines": []}"#.to_owned()),
        ("a null line", r#"{"lines": [null]}"#.to_owned()),
        ("extra fields with no lines", r#"{"items": [{"sku": "ROBE-ETE-M", "quantity": 1}]}"#.to_owned()),
        ("51 lines", json!({"lines": (0..51).map(|_| json!({"sku": SKU, "quantity": 1})).collect::<Vec<_>>()}).to_string()),
    ] {
        rows.push(cart.row(label, 422, "validation_failed").json(body));
    }

    // POST /api/v1/admin/products
    let create = Endpoint {
        name: "admin/products",
        method: Method::POST,
        path: "/api/v1/admin/products".into(),
        headers: Vec::new(),
        template: r#"{"slug": $slug, "title": $title, "price": $price, "old_price": $old_price,
            "variants": [{"sku": $sku, "size": $size, "stock": $stock}]}"#,
        defaults: vec![
            ("slug", r#""nouveau""#.into()),
            ("title", r#""Nouveau""#.into()),
            ("price", "1000".into()),
            ("old_price", "null".into()),
            ("sku", r#""NOUVEAU-M""#.into()),
            ("size", r#""M""#.into()),
            ("stock", "3".into()),
        ],
    };
    create.body_rows(&mut rows);
    create.bad_values(&mut rows, "title", &bad_texts(), 422, "validation_failed");
    let mut product_skus = bad_texts();
    product_skus.retain(|v| !matches!(v.as_slice(), br#""""# | br#""   ""#));
    product_skus.push(br#""a b""#.to_vec());
    create.bad_values(&mut rows, "sku", &product_skus, 422, "validation_failed");
    create.bad_values(
        &mut rows,
        "size",
        &[
            long.clone().into_bytes(),
            br#""\u0007""#.to_vec(),
            b"1".to_vec(),
        ],
        422,
        "validation_failed",
    );
    create.bad_values(
        &mut rows,
        "slug",
        &[
            long.clone().into_bytes(),
            br#""a\u0000b""#.to_vec(),
            br#""a b""#.to_vec(),
            b"1".to_vec(),
        ],
        422,
        "validation_failed",
    );
    let mut prices = not_integers();
    prices.extend(strings(&["-1", "9223372036854775807"]));
    for slot in ["price", "stock"] {
        create.bad_values(&mut rows, slot, &prices, 422, "validation_failed");
    }
    create.bad_values(
        &mut rows,
        "old_price",
        // Not above the price (1000): no discount to strike through.
        &strings(&[r#""2""#, "2.0", "-1", "1000", "500"]),
        422,
        "validation_failed",
    );
    create.bad_values(
        &mut rows,
        "slug",
        &strings(&[r#""robe-ete""#]),
        409,
        "already_exists",
    );
    create.bad_values(
        &mut rows,
        "sku",
        &strings(&[&format!(r#""{SKU}""#)]),
        409,
        "already_exists",
    );
    for (label, body) in [
        ("empty object", "{}".to_owned()),
        ("no variants", r#"{"title": "Nouveau", "price": 1000}"#.to_owned()),
        ("empty variants", r#"{"title": "Nouveau", "price": 1000, "variants": []}"#.to_owned()),
        ("no title", r#"{"price": 1000, "variants": [{"size": "M"}]}"#.to_owned()),
        ("extra fields with no price", r#"{"title": "Nouveau", "id": "x", "version": 9, "in_stock": false, "variants": [{"size": "M", "available": 99}]}"#.to_owned()),
        ("101 variants", json!({"title": "Nouveau", "price": 1000, "variants": (0..101).map(|i| json!({"size": format!("S{i}")})).collect::<Vec<_>>()}).to_string()),
    ] {
        rows.push(create.row(label, 422, "validation_failed").json(body));
    }

    // PATCH /api/v1/admin/products/{id}, with a valid If-Match
    let patch = Endpoint {
        name: "admin/products/{id}",
        method: Method::PATCH,
        path: format!("/api/v1/admin/products/{product_id}"),
        headers: vec![("if-match", etag.as_bytes().to_vec())],
        template: r#"{"title": $title, "price": $price}"#,
        defaults: vec![
            ("title", r#""Robe d'été""#.into()),
            ("price", "15000".into()),
        ],
    };
    patch.body_rows(&mut rows);
    let mut titles = bad_texts();
    titles.retain(|v| !matches!(v.as_slice(), br#""""# | br#""   ""#));
    patch.bad_values(&mut rows, "title", &titles, 422, "validation_failed");
    patch.bad_values(&mut rows, "price", &prices, 422, "validation_failed");
    rows.push(
        patch
            .row("extra fields with a bad price", 422, "validation_failed")
            .json(r#"{"stock": 99, "version": 1, "price": -5}"#),
    );
    let mut unknown_product = Row::new(
        "PATCH admin/products/{unknown id}",
        Method::PATCH,
        "/api/v1/admin/products/nope",
        404,
        "not_found",
    )
    .json(r#"{"title": "Robe"}"#);
    unknown_product.headers.push(("if-match", b"*".to_vec()));
    rows.push(unknown_product);

    // POST /api/v1/admin/stock/{sku}/restock
    let restock = Endpoint {
        name: "restock",
        method: Method::POST,
        path: format!("/api/v1/admin/stock/{SKU}/restock"),
        headers: Vec::new(),
        template: r#"{"quantity": $quantity, "note": $note}"#,
        defaults: vec![("quantity", "1".into()), ("note", "null".into())],
    };
    restock.body_rows(&mut rows);
    let mut restock_quantities = not_integers();
    restock_quantities.extend(strings(&[
        "0",
        "-1",
        "1000001",
        "9223372036854775807",
        "null",
    ]));
    restock.bad_values(
        &mut rows,
        "quantity",
        &restock_quantities,
        422,
        "validation_failed",
    );
    restock.bad_values(
        &mut rows,
        "note",
        &[
            long.clone().into_bytes(),
            br#""a\u0000b""#.to_vec(),
            b"\"\xff\"".to_vec(),
            b"1".to_vec(),
        ],
        422,
        "validation_failed",
    );
    rows.push(
        restock
            .row("extra fields without quantity", 422, "validation_failed")
            .json(r#"{"qty": 1, "available": 5}"#),
    );
    rows.push(
        Row::new(
            "POST restock of an unknown sku",
            Method::POST,
            "/api/v1/admin/stock/NOPE-X/restock",
            404,
            "not_found",
        )
        .json(r#"{"quantity": 1}"#),
    );
    for bad_sku in ["%07", "%00", "a%20b", "%C3%A9"] {
        rows.push(
            Row::new(
                format!("POST restock of sku `{bad_sku}`"),
                Method::POST,
                &format!("/api/v1/admin/stock/{bad_sku}/restock"),
                422,
                "validation_failed",
            )
            .json(r#"{"quantity": 1}"#),
        );
    }
    rows.push(
        Row::new(
            "POST restock of a 10,000-character sku",
            Method::POST,
            &format!("/api/v1/admin/stock/{}/restock", "A".repeat(10_000)),
            422,
            "validation_failed",
        )
        .json(r#"{"quantity": 1}"#),
    );

    // POST /api/v1/admin/stock/{sku}/adjust
    let adjust = Endpoint {
        name: "adjust",
        method: Method::POST,
        path: format!("/api/v1/admin/stock/{SKU}/adjust"),
        headers: Vec::new(),
        template: r#"{"delta": $delta, "reason": $reason}"#,
        defaults: vec![("delta", "1".into()), ("reason", r#""inventaire""#.into())],
    };
    adjust.body_rows(&mut rows);
    let mut deltas = not_integers();
    deltas.extend(strings(&[
        "0",
        "9223372036854775807",
        "-9223372036854775808",
    ]));
    adjust.bad_values(&mut rows, "delta", &deltas, 422, "validation_failed");
    let mut reasons = bad_texts();
    reasons.push(b"null".to_vec());
    adjust.bad_values(&mut rows, "reason", &reasons, 422, "validation_failed");
    adjust.bad_values(
        &mut rows,
        "delta",
        &strings(&["-6"]),
        409,
        "insufficient_stock",
    );
    for (label, body) in [
        (
            "both delta and set",
            r#"{"delta": 1, "set": 2, "reason": "x"}"#,
        ),
        ("neither delta nor set", r#"{"reason": "x"}"#),
        ("negative set", r#"{"set": -1, "reason": "x"}"#),
        ("set as a string", r#"{"set": "7", "reason": "x"}"#),
        (
            "set past i64",
            r#"{"set": 99999999999999999999, "reason": "x"}"#,
        ),
        (
            "extra fields without reason",
            r#"{"delta": 1, "why": "x", "actor": "root"}"#,
        ),
    ] {
        rows.push(adjust.row(label, 422, "validation_failed").json(body));
    }
    rows.push(
        Row::new(
            "POST adjust of an unknown sku",
            Method::POST,
            "/api/v1/admin/stock/NOPE-X/adjust",
            404,
            "not_found",
        )
        .json(r#"{"delta": 1, "reason": "x"}"#),
    );

    // POST /api/v1/admin/orders/{id}/status
    let status = Endpoint {
        name: "admin/orders/{id}/status",
        method: Method::POST,
        path: format!("/api/v1/admin/orders/{order_id}/status"),
        headers: Vec::new(),
        template: r#"{"status": $status}"#,
        defaults: vec![("status", r#""confirmed""#.into())],
    };
    status.body_rows(&mut rows);
    let mut statuses = bad_texts();
    statuses.extend(strings(&[
        "null",
        r#""nope""#,
        r#""CONFIRMED ""#,
        r#""Cancelled""#,
    ]));
    statuses.retain(|v| v.as_slice() != br#""   ""#);
    status.bad_values(&mut rows, "status", &statuses, 422, "validation_failed");
    status.bad_values(
        &mut rows,
        "status",
        &strings(&[r#""pending""#, r#""delivered""#]),
        409,
        "invalid_transition",
    );
    rows.push(
        status
            .row("extra fields without status", 422, "validation_failed")
            .json(r#"{"state": "confirmed", "actor": "x"}"#),
    );
    rows.push(
        Row::new(
            "POST status of an unknown order",
            Method::POST,
            "/api/v1/admin/orders/nope/status",
            404,
            "not_found",
        )
        .json(r#"{"status": "confirmed"}"#),
    );

    // PUT /api/v1/admin/settings
    let settings = Endpoint {
        name: "admin/settings",
        method: Method::PUT,
        path: "/api/v1/admin/settings".into(),
        headers: Vec::new(),
        template: r#"{"order_limit_per_customer": $limit, "low_stock_percent": $percent, "default_country_code": $country}"#,
        defaults: vec![
            ("limit", "null".into()),
            ("percent", "20".into()),
            ("country", r#""+225""#.into()),
        ],
    };
    settings.body_rows(&mut rows);
    let mut percents = not_integers();
    percents.extend(strings(&["-1", "101"]));
    settings.bad_values(&mut rows, "percent", &percents, 422, "validation_failed");
    let mut limits = not_integers();
    limits.extend(strings(&["0", "-1"]));
    settings.bad_values(&mut rows, "limit", &limits, 422, "validation_failed");
    let mut countries = bad_texts();
    countries.extend(strings(&[r#""225""#, r#""+""#, r#""+abc""#]));
    settings.bad_values(&mut rows, "country", &countries, 422, "validation_failed");
    let country = Endpoint {
        name: "admin/settings default_country",
        method: Method::PUT,
        path: "/api/v1/admin/settings".into(),
        headers: Vec::new(),
        template: r#"{"default_country": $country}"#,
        defaults: vec![("country", r#""CI""#.into())],
    };
    let mut countries = bad_texts();
    countries.extend(strings(&[r#""XX""#, r#""CIV""#, r#""+225""#, r#""001""#]));
    country.bad_values(&mut rows, "country", &countries, 422, "validation_failed");
    for date in [
        r#""yesterday""#,
        r#""2026-13-45T00:00:00Z""#,
        r#""a\u0000b""#,
        "123",
        "[]",
    ] {
        rows.push(
            settings
                .row(
                    &format!("reference_date = {date}"),
                    422,
                    "validation_failed",
                )
                .json(format!(r#"{{"reference_date": {date}}}"#)),
        );
    }
    rows.push(
        settings
            .row("extra fields with a bad percent", 422, "validation_failed")
            .json(r#"{"currency": "EUR", "low_stock_percent": 200}"#),
    );

    // Query parameters of the lists.
    for path in [
        "/api/v1/admin/stock/movements?limit=0",
        "/api/v1/admin/stock/movements?limit=501",
        "/api/v1/admin/stock/movements?limit=abc",
        "/api/v1/admin/stock/movements?limit=-1",
        "/api/v1/admin/stock/movements?limit=99999999999999999999999",
        "/api/v1/admin/stock/movements?from=yesterday",
        "/api/v1/admin/stock/movements?to=2026-13-45",
        "/api/v1/admin/stock/movements?kind=nope",
        "/api/v1/admin/stock/movements?cursor=%%%",
        "/api/v1/admin/stock/movements?cursor=cA",
        "/api/v1/admin/stock/movements?sku=a%00b",
        "/api/v1/admin/orders?limit=0",
        "/api/v1/admin/orders?limit=abc",
        "/api/v1/admin/orders?from=yesterday",
        "/api/v1/admin/orders?to=%FF",
        "/api/v1/admin/orders?status=nope",
        "/api/v1/admin/orders?cursor=%%%",
        "/api/v1/products?in_stock=maybe",
    ] {
        rows.push(Row::new(
            format!("GET {path}"),
            Method::GET,
            path,
            422,
            "validation_failed",
        ));
    }
    for path in [
        "/api/v1/products/nope",
        "/api/v1/products/%FF",
        "/api/v1/admin/products/nope",
        "/api/v1/admin/orders/nope",
        &format!("/api/v1/orders/{order_id}"),
        "/api/v1/orders/nope",
    ] {
        rows.push(Row::new(
            format!("GET {path}"),
            Method::GET,
            path,
            404,
            "not_found",
        ));
    }
    rows
}

/// Everything a refused request must leave as it was.
async fn state(app: &TestApp) -> Value {
    let settings: Value = app
        .admin_get("/api/v1/admin/settings")
        .await
        .json()
        .await
        .expect("settings");
    json!({"snapshot": app.snapshot().await, "settings": settings})
}

/// What is wrong with the answer to `row`, if anything; and whether it was a 5xx.
async fn check(app: &TestApp, row: &Row) -> (Option<String>, bool) {
    // A row that brings its own credentials is sent with those alone.
    let own_credentials = row.headers.iter().any(|(name, _)| *name == "authorization");
    let mut request = if row.path.starts_with("/api/v1/admin") && !own_credentials {
        app.admin(row.method.clone(), &row.path)
    } else {
        app.request(row.method.clone(), &row.path)
    };
    for (name, value) in &row.headers {
        let value = HeaderValue::from_bytes(value).expect("a header value");
        request = request.header(*name, value);
    }
    if let Some(body) = &row.body {
        request = request.body(body.clone());
    }
    let response = match request.send().await {
        Ok(response) => response,
        // hyper may close the connection on a head past its limits while
        // the client is still writing it: no answer, and no 5xx either.
        Err(error) if row.from_hyper && !error.is_timeout() => return (None, false),
        Err(error) => return (Some(format!("no answer: {error}")), false),
    };
    let status = response.status();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = response.text().await.unwrap_or_default();
    let server_error = status.is_server_error();
    let shown: String = text.chars().take(300).collect();
    if status != StatusCode::from_u16(row.status).expect("a status") {
        return (Some(format!("status {status}, body {shown}")), server_error);
    }
    if row.from_hyper {
        return (None, server_error);
    }
    if content_type.as_deref() != Some("application/problem+json") {
        return (Some(format!("content type {content_type:?}")), server_error);
    }
    let Ok(body) = serde_json::from_str::<Value>(&text) else {
        return (Some(format!("not JSON: {shown}")), server_error);
    };
    let problem = if body["code"] != row.code {
        Some(format!("code {}, body {shown}", body["code"]))
    } else if body["status"] != row.status {
        Some(format!("status field {}", body["status"]))
    } else if body["detail"].as_str().is_none_or(|d| d.trim().is_empty()) {
        Some(format!("no detail in {shown}"))
    } else {
        None
    };
    (problem, server_error)
}

#[tokio::test]
async fn every_endpoint_answers_malformed_input_with_its_problem_and_writes_nothing() {
    let app = spawn_app().await;
    let product = app
        .create_product(&json!({
            "slug": "robe-ete", "title": "Robe d'été", "price": 15000,
            "variants": [{"size": "M", "stock": 5}]
        }))
        .await;
    let product_id = product["id"].as_str().expect("an id").to_owned();
    let (_, etag) = app.admin_product(&product_id).await;
    let (placed, order) = app
        .place(
            &crate::helpers::order_body("+2250700000009", &[(SKU, 1)]),
            None,
        )
        .await;
    assert_eq!(placed, StatusCode::CREATED, "{order}");
    let order_id = order["order"]["id"]
        .as_str()
        .expect("an order id")
        .to_owned();

    let mut rows = table(&product_id, &etag, &order_id);
    rows.extend(headers::rows(&product_id, &etag, &app.admin_token));
    let before = state(&app).await;
    let mut failures = Vec::new();
    let mut server_errors = 0;
    for row in &rows {
        let (problem, server_error) = check(&app, row).await;
        server_errors += usize::from(server_error);
        if let Some(problem) = problem {
            failures.push(format!(
                "{} (expected {} {}): {problem}",
                row.label, row.status, row.code
            ));
        }
    }
    let after = state(&app).await;

    assert!(
        failures.is_empty(),
        "{} of {} bad requests were not answered as documented:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
    assert_eq!(server_errors, 0);
    assert_eq!(after, before, "a refused request wrote something");
    println!(
        "malformed input: {} requests, {server_errors} 5xx, nothing written",
        rows.len()
    );
}

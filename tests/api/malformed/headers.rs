//! The malformed table's bad and oversized headers, beyond `Idempotency-Key`:
//! content types, languages, admin credentials, `If-Match`, non-UTF-8 bytes,
//! and requests past the server's limits on a head.
//!
//! Where a header alone would not make a request bad (a strange
//! `Accept-Language`, a JSON content type with parameters) the body is bad
//! too, so every row is refused; where the body is good (a wrong token, a
//! stale `If-Match`) the row proves the header alone stops the write.

use reqwest::Method;
use stockroom::config::ConnectionLimits;

use super::{Endpoint, Row, SKU};

/// A header value past the server's cap on a request head
/// (`--http-header-bytes-max`, 16 KiB): hyper answers 431 itself, with no
/// body, before axum sees the request.
const PAST_HEAD_CAP_BYTES: usize = ConnectionLimits::DEFAULT.header_bytes_max + 1024;

/// A large header value the server still accepts, for stockroom to deal with.
const LARGE_HEADER_BYTES: usize = 12 * 1024;

/// The rows; `etag` is the product's current one and `admin_token` a valid token.
pub(super) fn rows(product_id: &str, etag: &str, admin_token: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    content_types(&mut rows);
    languages(&mut rows);
    credentials(&mut rows, product_id, admin_token);
    if_match(&mut rows, product_id, etag);
    past_head_limits(&mut rows);
    rows
}

/// An order whose phone is refused: a 422 whatever the headers say.
fn bad_order() -> Endpoint {
    Endpoint {
        name: "orders",
        method: Method::POST,
        path: "/api/v1/orders".into(),
        headers: Vec::new(),
        template: r#"{"customer": {"name": "Awa", "phone": $phone},
            "delivery": {"address": "Cocody"}, "lines": [{"sku": "ROBE-ETE-M", "quantity": 1}]}"#,
        defaults: vec![("phone", r#""abc""#.into())],
    }
}

fn content_types(rows: &mut Vec<Row>) {
    let orders = bad_order();
    let body = orders.valid_body();
    // Read as JSON (parameters and case do not matter), so the body's 422 it is.
    for json in [
        &b"application/json; charset=utf-8"[..],
        b"application/json;charset=UTF-8",
        b"application/json; charset=iso-8859-1",
        b"application/json; charset=\"utf-8\"; boundary=x",
        b"APPLICATION/JSON",
        b"  application/json  ",
        b"application/problem+json",
        b"application/merge-patch+json",
    ] {
        let shown = String::from_utf8_lossy(json);
        rows.push(
            orders
                .row(&format!("content type `{shown}`"), 422, "validation_failed")
                .header("content-type", json)
                .raw(body.clone()),
        );
    }
    let long_parameter = format!("application/json; x={}", "a".repeat(LARGE_HEADER_BYTES));
    rows.push(
        orders
            .row(
                "content type with a 12 KB parameter",
                422,
                "validation_failed",
            )
            .header("content-type", long_parameter.as_bytes())
            .raw(body.clone()),
    );
    // Not JSON: refused before the body is read as anything.
    let huge = "a".repeat(LARGE_HEADER_BYTES);
    let not_json: Vec<(&str, Vec<u8>)> = vec![
        ("text/json", b"text/json".to_vec()),
        ("json", b"json".to_vec()),
        ("application/", b"application/".to_vec()),
        ("application/json5", b"application/json5".to_vec()),
        ("application/json-seq", b"application/json-seq".to_vec()),
        ("a list", b"application/json, text/plain".to_vec()),
        ("+json alone", b"+json".to_vec()),
        ("semicolons", b";;;".to_vec()),
        ("charset only", b"; charset=utf-8".to_vec()),
        ("garbage", b"garbage/garbage; ;=".to_vec()),
        ("non-UTF-8 bytes", b"application/\xff\xfejson".to_vec()),
        (
            "non-UTF-8 parameter",
            b"application/json; charset=\xe9".to_vec(),
        ),
        ("12 KB of letters", huge.into_bytes()),
    ];
    for (label, value) in not_json {
        rows.push(
            orders
                .row(
                    &format!("content type: {label}"),
                    415,
                    "unsupported_media_type",
                )
                .header("content-type", &value)
                .raw(body.clone()),
        );
    }
}

fn languages(rows: &mut Vec<Row>) {
    let orders = bad_order();
    let many_ranges = (0..1_000)
        .map(|i| format!("x{i};q=0.{}", i % 10))
        .collect::<Vec<_>>()
        .join(",");
    let values: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("garbage", b"!!!;;;,,,===".to_vec()),
        ("q without a tag", b";q=1".to_vec()),
        ("weights that are not numbers", b"en;q=abc, fr;q=".to_vec()),
        ("NaN and infinite weights", b"en;q=NaN, fr;q=inf".to_vec()),
        ("a negative weight", b"en;q=-1".to_vec()),
        ("non-UTF-8 bytes", b"en\xff\xfe".to_vec()),
        ("non-ASCII text", "français;q=1".as_bytes().to_vec()),
        ("1,000 ranges", many_ranges.into_bytes()),
        (
            "12 KB of one tag",
            format!("en-{}", "a".repeat(LARGE_HEADER_BYTES)).into_bytes(),
        ),
    ];
    for (label, value) in values {
        rows.push(
            orders
                .row(
                    &format!("Accept-Language: {label}"),
                    422,
                    "validation_failed",
                )
                .header("accept-language", &value)
                .json(orders.valid_body()),
        );
    }
}

/// Admin requests that would succeed with a good token, sent with bad ones.
fn credentials(rows: &mut Vec<Row>, product_id: &str, admin_token: &str) {
    let secret = admin_token.rsplit('_').next().unwrap_or_default();
    let huge = format!("Bearer {}", "a".repeat(LARGE_HEADER_BYTES));
    let values: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("Bearer alone", b"Bearer".to_vec()),
        ("Bearer and spaces", b"Bearer    ".to_vec()),
        ("the token without Bearer", admin_token.as_bytes().to_vec()),
        (
            "the token as Basic",
            format!("Basic {admin_token}").into_bytes(),
        ),
        ("Basic credentials", b"Basic YWRtaW46YWRtaW4=".to_vec()),
        ("Token scheme", format!("Token {admin_token}").into_bytes()),
        (
            "Bearer with a tab",
            format!("Bearer\t{admin_token}").into_bytes(),
        ),
        (
            "two tokens",
            format!("Bearer {admin_token}x, Bearer x").into_bytes(),
        ),
        ("the secret alone", format!("Bearer {secret}").into_bytes()),
        ("no id", b"Bearer sra__abc".to_vec()),
        ("a letter id", format!("Bearer sra_x_{secret}").into_bytes()),
        (
            "an id past i64",
            format!("Bearer sra_99999999999999999999_{secret}").into_bytes(),
        ),
        (
            "a negative id",
            format!("Bearer sra_-1_{secret}").into_bytes(),
        ),
        (
            "a wrong secret",
            format!("Bearer {admin_token}x").into_bytes(),
        ),
        (
            "a truncated token",
            format!("Bearer {}", &admin_token[..admin_token.len() - 1]).into_bytes(),
        ),
        (
            "another prefix",
            format!("Bearer srb{}", &admin_token[3..]).into_bytes(),
        ),
        ("non-ASCII text", "Bearer clé-é".as_bytes().to_vec()),
        ("non-UTF-8 bytes", b"Bearer \xff\xfe\xfd".to_vec()),
        (
            "10,000 characters",
            format!("Bearer {}", "a".repeat(10_000)).into_bytes(),
        ),
        ("12 KB", huge.into_bytes()),
    ];
    let restock = format!("/api/v1/admin/stock/{SKU}/restock");
    let product = format!("/api/v1/admin/products/{product_id}");
    let requests: [(Method, &str, Option<&str>); 4] = [
        (Method::GET, "/api/v1/admin/settings", None),
        (
            Method::PUT,
            "/api/v1/admin/settings",
            Some(r#"{"low_stock_percent": 50}"#),
        ),
        (Method::POST, &restock, Some(r#"{"quantity": 5}"#)),
        (Method::PATCH, &product, Some(r#"{"title": "Volée"}"#)),
    ];
    for (method, path, body) in &requests {
        for (label, value) in &values {
            let mut row = Row::new(
                format!("{method} {path}: Authorization {label}"),
                method.clone(),
                path,
                401,
                "unauthorized",
            )
            .header("authorization", value)
            .header("if-match", b"*");
            if let Some(body) = body {
                row = row.json(*body);
            }
            rows.push(row);
        }
    }
}

/// A valid edit with an `If-Match` that names no current version: 412, unchanged.
fn if_match(rows: &mut Vec<Row>, product_id: &str, etag: &str) {
    let path = format!("/api/v1/admin/products/{product_id}");
    let unquoted = etag.trim_matches('"');
    // A version this product has not reached.
    let stale = match etag.rsplit_once('-') {
        Some((id, _)) => format!("{id}-999\""),
        None => "\"x-999\"".to_owned(),
    };
    let values: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("garbage", b"garbage".to_vec()),
        ("the ETag unquoted", unquoted.as_bytes().to_vec()),
        ("the ETag weak", format!("W/{etag}").into_bytes()),
        ("the ETag lower-case weak", format!("w/{etag}").into_bytes()),
        ("a stale version", stale.into_bytes()),
        ("a list of others", br#""a", "b", "c""#.to_vec()),
        (
            "a list with the ETag weak",
            format!(r#""a", W/{etag}"#).into_bytes(),
        ),
        ("commas only", b",,,".to_vec()),
        ("a quoted star", br#""*""#.to_vec()),
        ("non-UTF-8 bytes", b"\"\xff\xfe\"".to_vec()),
        ("2,500 tags", b"\"x\",".repeat(2_500)),
        (
            "12 KB",
            format!("\"{}\"", "a".repeat(LARGE_HEADER_BYTES)).into_bytes(),
        ),
    ];
    for (label, value) in values {
        rows.push(
            Row::new(
                format!("PATCH admin/products/{{id}}: If-Match {label}"),
                Method::PATCH,
                &path,
                412,
                "precondition_failed",
            )
            .header("if-match", &value)
            .json(r#"{"title": "Robe modifiée", "price": 1}"#),
        );
    }
    rows.push(
        Row::new(
            "PATCH admin/products/{id}: no If-Match",
            Method::PATCH,
            &path,
            428,
            "precondition_required",
        )
        .json(r#"{"title": "Robe modifiée"}"#),
    );
}

/// Heads refused before stockroom sees them: 431 with no body.
fn past_head_limits(rows: &mut Vec<Row>) {
    let big = vec![b'a'; PAST_HEAD_CAP_BYTES];
    for (method, path) in [
        (Method::GET, "/api/v1/products"),
        (Method::POST, "/api/v1/orders"),
        (Method::GET, "/api/v1/admin/settings"),
    ] {
        rows.push(
            Row::new(
                format!("{method} {path}: a 17 KB header"),
                method.clone(),
                path,
                431,
                "",
            )
            .header("x-padding", &big)
            .json("{}")
            .answered_by_hyper(),
        );
        let mut many = Row::new(
            format!("{method} {path}: 200 headers"),
            method.clone(),
            path,
            431,
            "",
        )
        .json("{}")
        .answered_by_hyper();
        // Past hyper's 100 headers. Rows name their headers with `&'static
        // str`; these 200 names live as long as the test anyway.
        for i in 0..200 {
            let name: &'static str = Box::leak(format!("x-h{i}").into_boxed_str());
            many = many.header(name, b"1");
        }
        rows.push(many);
    }
}

//! `GET /metrics`: Prometheus text whose counters match the orders made;
//! without a metrics token, only for programs on the shop's machine.

use std::collections::HashMap;

use reqwest::StatusCode;
use serde_json::json;
use stockroom::config::{Config, Secret};

use crate::helpers::{
    behind_proxies, order_body, phone, spawn_app, spawn_app_seen_from, spawn_app_with, test_config,
};

/// Samples by series (`name{labels}` as written), after checking that every
/// line is a comment, a `# HELP`/`# TYPE` line or a sample of the text format.
fn parse_prometheus(text: &str) -> HashMap<String, f64> {
    let mut samples = HashMap::new();
    let mut types = HashMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').expect("# TYPE name kind");
            assert!(
                ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                "{line}"
            );
            types.insert(name.to_owned(), kind.to_owned());
            continue;
        }
        if line.starts_with('#') {
            assert!(
                line.starts_with("# HELP ") || line.starts_with("# "),
                "{line}"
            );
            continue;
        }
        let (series, value) = line.rsplit_once(' ').expect("a sample: series value");
        let name_end = series.find('{').unwrap_or(series.len());
        let name = &series[..name_end];
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "bad metric name in {line}"
        );
        if name_end < series.len() {
            let labels = &series[name_end..];
            assert!(labels.ends_with('}'), "{line}");
            for pair in labels[1..labels.len() - 1]
                .split("\",")
                .filter(|p| !p.is_empty())
            {
                let (key, value) = pair.split_once('=').expect("label=value");
                assert!(value.starts_with('"'), "{line}");
                assert!(
                    key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                    "{line}"
                );
            }
        }
        let value: f64 = value.parse().expect("a number");
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|suffix| name.strip_suffix(suffix))
            .filter(|base| types.contains_key(*base))
            .unwrap_or(name);
        assert!(types.contains_key(family), "no # TYPE before {line}");
        samples.insert(series.to_owned(), value);
    }
    samples
}

fn sample(samples: &HashMap<String, f64>, series: &str) -> f64 {
    *samples
        .get(series)
        .unwrap_or_else(|| panic!("no {series} in {samples:#?}"))
}

#[tokio::test]
async fn the_order_counters_match_the_orders_made() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 3).await;
    for buyer in 0..2 {
        let (status, _) = app
            .place(
                &order_body(&phone(buyer), &[(&sku, 1)]),
                Some(&format!("key-{buyer}")),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, _) = app
        .place(&order_body(&phone(0), &[(&sku, 1)]), Some("key-0"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "a replay");
    let (status, _) = app.place(&order_body(&phone(5), &[(&sku, 5)]), None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = app
        .place(&json!({"customer": {"name": "A"}, "lines": []}), None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    app.get("/api/v1/products/no-such-product").await;

    let response = app.get("/metrics").await;
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"]
        .to_str()
        .expect("text")
        .to_owned();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let samples = parse_prometheus(&response.text().await.expect("a body"));

    let orders = |outcome: &str| {
        sample(
            &samples,
            &format!("stockroom_orders_total{{outcome=\"{outcome}\"}}"),
        )
    };
    assert_eq!(orders("created"), 2.0);
    assert_eq!(orders("replayed"), 1.0);
    assert_eq!(orders("insufficient_stock"), 1.0);
    assert_eq!(orders("invalid"), 1.0);
    assert_eq!(orders("order_limit_reached"), 0.0);
    assert_eq!(sample(&samples, "stockroom_checkout_seconds_count"), 4.0);
    assert!(samples.contains_key("stockroom_checkout_seconds_bucket{le=\"+Inf\"}"));
    assert_eq!(
        sample(
            &samples,
            &format!("stockroom_stock_available{{sku=\"{sku}\"}}")
        ),
        1.0
    );
    assert_eq!(
        sample(
            &samples,
            "stockroom_http_requests_total{method=\"POST\",route=\"/api/v1/orders\",status=\"201\"}"
        ),
        3.0
    );
    assert_eq!(
        sample(
            &samples,
            "stockroom_http_requests_total{method=\"GET\",route=\"/api/v1/products/{id_or_slug}\",status=\"404\"}"
        ),
        1.0,
        "counted under the route template, not the raw path"
    );
    // Every checkout that reached the engine (two orders, the replay, the
    // refusal) went through a batch, on either database; SQLite's pool
    // has 4 readers, PostgreSQL's 16 connections.
    assert!(sample(&samples, "stockroom_checkout_batch_size_count") >= 1.0);
    assert_eq!(sample(&samples, "stockroom_checkout_batch_size_sum"), 4.0);
    if matches!(app.database, stockroom::config::DatabaseUrl::Sqlite(_)) {
        assert_eq!(sample(&samples, "stockroom_db_pool_connections_max"), 4.0);
    }
    assert!(samples.contains_key("stockroom_db_pool_connections{state=\"idle\"}"));
    assert!(samples.contains_key("stockroom_db_write_queue"));
}

#[tokio::test]
async fn with_a_metrics_token_the_metrics_ask_for_it() {
    let app = spawn_app_with(Config {
        metrics_token: Some(Secret::new("scrape-me")),
        ..test_config()
    })
    .await;
    let refused = app.get("/metrics").await;
    app.problem(refused, StatusCode::UNAUTHORIZED, "unauthorized")
        .await;
    let wrong = app
        .request(reqwest::Method::GET, "/metrics")
        .bearer_auth("scrape-you")
        .send()
        .await
        .expect("sent");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let allowed = app
        .request(reqwest::Method::GET, "/metrics")
        .bearer_auth("scrape-me")
        .send()
        .await
        .expect("sent");
    assert_eq!(allowed.status(), StatusCode::OK);
}

#[tokio::test]
async fn without_a_token_the_metrics_are_refused_to_a_client_off_the_shops_machine() {
    let app = spawn_app_seen_from(([203, 0, 113, 9], 40_000).into(), test_config()).await;
    let refused = app.get("/metrics").await;
    let problem = app
        .problem(refused, StatusCode::FORBIDDEN, "forbidden")
        .await;
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("--metrics-token")),
        "{problem}"
    );
    let english = app
        .request(reqwest::Method::GET, "/metrics")
        .header("accept-language", "en")
        .send()
        .await
        .expect("sent");
    let problem = app
        .problem(english, StatusCode::FORBIDDEN, "forbidden")
        .await;
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("Metrics are served only")),
        "{problem}"
    );
    assert_eq!(
        app.get("/api/v1/products").await.status(),
        StatusCode::OK,
        "the rest of the shop is served"
    );
}

#[tokio::test]
async fn with_a_token_a_client_off_the_shops_machine_reads_the_metrics() {
    let config = Config {
        metrics_token: Some(Secret::new("scrape-me")),
        ..test_config()
    };
    let app = spawn_app_seen_from(([203, 0, 113, 9], 40_000).into(), config).await;
    let allowed = app
        .request(reqwest::Method::GET, "/metrics")
        .bearer_auth("scrape-me")
        .send()
        .await
        .expect("sent");
    assert_eq!(allowed.status(), StatusCode::OK);
}

// An nginx on the shop's machine connects from 127.0.0.1 for the whole
// internet: what came through a trusted proxy is not local, whatever
// `X-Forwarded-For` says.
#[tokio::test]
async fn a_request_through_a_trusted_proxy_on_the_shops_machine_is_not_local() {
    let app = spawn_app_with(behind_proxies(&["127.0.0.1"])).await;
    for forwarded in [None, Some("127.0.0.1"), Some("203.0.113.9")] {
        let mut request = app.request(reqwest::Method::GET, "/metrics");
        if let Some(client) = forwarded {
            request = request.header("x-forwarded-for", client);
        }
        let refused = request.send().await.expect("sent");
        app.problem(refused, StatusCode::FORBIDDEN, "forbidden")
            .await;
    }
}

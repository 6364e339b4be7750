//! `GET /api/v1/admin/events/stream`: new events arrive live, and a
//! reconnection with `Last-Event-ID` resumes without a gap.

use std::time::Duration;

use reqwest::StatusCode;

use crate::helpers::{TestApp, order_body, phone, spawn_app};

/// Reads a stream's chunks until `count` events (`id:` lines) arrived or
/// 10 s passed; answers the ids and types seen.
async fn read_events(response: &mut reqwest::Response, count: usize) -> Vec<(i64, String)> {
    let mut text = String::new();
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while seen.len() < count {
        let chunk = tokio::time::timeout_at(deadline, response.chunk())
            .await
            .expect("the events arrive within 10 s")
            .expect("the stream reads")
            .expect("the stream stays open");
        text.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = text.find("\n\n") {
            let block: String = text.drain(..end + 2).collect();
            let field = |name: &str| {
                block
                    .lines()
                    .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_owned()))
            };
            if let (Some(id), Some(kind)) = (field("id:"), field("event:")) {
                seen.push((id.parse().expect("a numeric id"), kind));
            }
        }
    }
    seen
}

impl TestApp {
    async fn open_stream(&self, last_event_id: Option<i64>) -> reqwest::Response {
        let mut request = self.admin(reqwest::Method::GET, "/api/v1/admin/events/stream");
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        let response = request.send().await.expect("the stream opens");
        assert_eq!(response.status(), StatusCode::OK);
        let content_type = response.headers()["content-type"].to_str().expect("ascii");
        assert!(
            content_type.starts_with("text/event-stream"),
            "{content_type}"
        );
        response
    }
}

#[tokio::test]
async fn an_order_arrives_on_an_open_stream_and_a_reconnection_resumes() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe-direct", "M", 10).await;
    let mut stream = app.open_stream(None).await;
    let body = order_body(&phone(1), &[(&sku, 1)]);
    assert_eq!(app.place(&body, None).await.0, StatusCode::CREATED);
    let first = read_events(&mut stream, 1).await;
    assert_eq!(first[0].1, "order.created");
    drop(stream);

    // Two more orders while nobody listens: a reconnection after the first
    // event gets both, in order.
    for buyer in 2..4 {
        let body = order_body(&phone(buyer), &[(&sku, 1)]);
        assert_eq!(app.place(&body, None).await.0, StatusCode::CREATED);
    }
    let mut resumed = app.open_stream(Some(first[0].0)).await;
    let next = read_events(&mut resumed, 2).await;
    assert_eq!(next[0].1, "order.created");
    assert_eq!(next[1].1, "order.created");
    assert!(
        first[0].0 < next[0].0 && next[0].0 < next[1].0,
        "{first:?} {next:?}"
    );
}

#[tokio::test]
async fn the_stream_is_for_signed_in_staff() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/admin/events/stream").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

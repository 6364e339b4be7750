//! `X-Request-Id`: kept from a trusted proxy when short and visible, made
//! afresh otherwise, so that a client writes nothing into the log lines.
//! The id of the answer is the id every log line of the request carries.

use reqwest::{Method, Response};

use crate::helpers::{TestApp, behind_proxies, spawn_app, spawn_app_with};

async fn with_id(app: &TestApp, id: &str) -> Response {
    app.request(Method::GET, "/api/v1/products")
        .header("x-request-id", id)
        .send()
        .await
        .expect("the request is sent")
}

fn answered_id(response: &Response) -> String {
    response.headers()["x-request-id"]
        .to_str()
        .expect("an id")
        .to_owned()
}

fn is_uuid(id: &str) -> bool {
    uuid::Uuid::parse_str(id).is_ok()
}

#[tokio::test]
async fn a_clients_own_request_id_is_replaced_by_a_new_one() {
    let app = spawn_app().await;
    for sent in [
        "my-id-1",
        "abc status=500 msg=\"order placed\" order_id=forged",
    ] {
        let response = with_id(&app, sent).await;
        assert!(response.status().is_success());
        let id = answered_id(&response);
        assert_ne!(id, sent);
        assert!(is_uuid(&id), "{id}");
    }
}

#[tokio::test]
async fn a_trusted_proxys_short_visible_id_is_kept() {
    let app = spawn_app_with(behind_proxies(&["127.0.0.1"])).await;
    let sent = "5f0c6e1a2b7d4c1e9a7b0d3c2e1f4a5b";
    assert_eq!(answered_id(&with_id(&app, sent).await), sent);
}

// 350 KB of id used to be written on each of the request's log lines; a
// head that large is now refused whole (`--http-header-bytes-max`), so
// the long id here fits in a head the server reads.
#[tokio::test]
async fn even_from_a_trusted_proxy_a_long_or_spaced_id_is_replaced() {
    let app = spawn_app_with(behind_proxies(&["127.0.0.1"])).await;
    let long = "a".repeat(8 * 1024);
    for sent in [long.as_str(), &"b".repeat(129), "abc status=500 fake=line"] {
        let response = with_id(&app, sent).await;
        assert!(response.status().is_success());
        let id = answered_id(&response);
        assert!(is_uuid(&id), "{} bytes sent, {id} answered", sent.len());
    }
    let twice = app
        .request(Method::GET, "/api/v1/products")
        .header("x-request-id", "one")
        .header("x-request-id", "two")
        .send()
        .await
        .expect("sent");
    assert!(is_uuid(&answered_id(&twice)));
}

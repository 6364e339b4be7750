//! Drops outside the checkout: scheduled, checked, edited before their
//! start, ended early, read by the back office and by buyers, their
//! hidden products kept out of the catalog until the start, and who may
//! do what. Time is the store's clock, held by each test at instants of
//! its choosing (`hold`), never slept on.

mod checkout;
mod clock;
mod create;
mod hidden;
mod lifecycle;
mod roles;
mod selling;

use chrono::{DateTime, TimeDelta, Utc};
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// The instant every test starts at: a drop of `drop_body` opens an hour
/// later and closes two hours after that.
pub const NOW: &str = "2030-06-01T10:00:00Z";

pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("a time")
        .with_timezone(&Utc)
}

/// `NOW` moved by `delta`.
pub fn now_plus(delta: TimeDelta) -> DateTime<Utc> {
    at(NOW) + delta
}

/// The start of `drop_body`'s window.
pub fn start() -> DateTime<Utc> {
    now_plus(TimeDelta::hours(1))
}

/// Holds the shop's clock at `instant`.
pub fn hold(app: &TestApp, instant: DateTime<Utc>) {
    app.store.config().clock.hold_at(instant);
}

/// A drop of `lines` (`(sku, units, price)`) opening an hour after `NOW`
/// for two hours, hidden until then, two units per customer.
pub fn drop_body(slug: &str, lines: &[(&str, i64, Option<i64>)]) -> Value {
    let lines: Vec<Value> = lines
        .iter()
        .map(|(sku, units, price)| json!({"sku": sku, "units": units, "price": price}))
        .collect();
    json!({
        "name": format!("Vente {slug}"),
        "slug": slug,
        "starts_at": "2030-06-01T11:00:00.000Z",
        "ends_at": "2030-06-01T13:00:00.000Z",
        "hidden_until_start": true,
        "max_units_per_customer": 2,
        "lines": lines,
    })
}

impl TestApp {
    pub async fn post_drop(&self, body: &Value) -> Response {
        self.admin_post("/api/v1/admin/drops", body).await
    }

    /// Schedules a drop that must be accepted; returns it.
    pub async fn create_drop(&self, body: &Value) -> Value {
        let response = self.post_drop(body).await;
        let status = response.status();
        let drop: Value = response.json().await.expect("a drop");
        assert_eq!(status, StatusCode::CREATED, "{drop}");
        drop
    }

    pub async fn patch_drop(&self, key: &str, body: &Value) -> Response {
        self.admin(Method::PATCH, &format!("/api/v1/admin/drops/{key}"))
            .json(body)
            .send()
            .await
            .expect("the request is sent")
    }

    pub async fn end_drop(&self, key: &str) -> Response {
        self.admin(Method::POST, &format!("/api/v1/admin/drops/{key}/end"))
            .send()
            .await
            .expect("the request is sent")
    }

    /// The public view of a drop, which must be found.
    pub async fn public_drop(&self, slug: &str) -> Value {
        let response = self.get(&format!("/api/v1/drops/{slug}")).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("a drop")
    }

    /// The back office's view of a drop, which must be found.
    pub async fn admin_drop(&self, key: &str) -> Value {
        let response = self.admin_get(&format!("/api/v1/admin/drops/{key}")).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("a drop")
    }
}

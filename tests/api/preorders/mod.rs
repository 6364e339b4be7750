//! Preorders outside the checkout: a variant's settings, the waiting lines a
//! restock or a receipt serves oldest first in its own transaction, the
//! back office's list, the buyer told, and the audit's two counts.

mod allocation;
mod audit;
mod settings;

use chrono::{NaiveDate, TimeDelta, Utc};
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, phone};

/// A ships-by date a month after today, by the wall clock these apps run on.
pub fn next_month() -> String {
    (Utc::now().date_naive() + TimeDelta::days(30)).to_string()
}

/// An order body of one buyer's lines, each `(sku, quantity, preorder)`.
pub fn lines_body(buyer: usize, lines: &[(&str, i64, bool)]) -> Value {
    json!({
        "customer": {"name": format!("Cliente {buyer}"), "phone": phone(buyer)},
        "delivery": {"address": "Cocody, Abidjan"},
        "lines": lines.iter()
            .map(|(sku, quantity, preorder)| json!({"sku": sku, "quantity": quantity, "preorder": preorder}))
            .collect::<Vec<_>>(),
    })
}

impl TestApp {
    pub async fn patch_variant(&self, sku: &str, body: &Value) -> Response {
        self.admin(Method::PATCH, &format!("/api/v1/admin/variants/{sku}"))
            .json(body)
            .send()
            .await
            .expect("the request is sent")
    }

    /// Opens the preorders of `sku` with `cap` places, shipped next month.
    pub async fn open_preorders(&self, sku: &str, cap: i64) -> Value {
        let body = json!({"preorder": {"enabled": true, "cap": cap, "ships_by": next_month()}});
        let response = self.patch_variant(sku, &body).await;
        assert_eq!(response.status(), StatusCode::OK, "preorders of {sku}");
        response.json().await.expect("a variant")
    }

    /// `buyer` preorders `quantity` units of `sku`; answers the order.
    pub async fn preorder(&self, buyer: usize, sku: &str, quantity: i64) -> Value {
        let (status, body) = self
            .place(&lines_body(buyer, &[(sku, quantity, true)]), None)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["order"].clone()
    }

    pub async fn preorders(&self) -> Value {
        let response = self.admin_get("/api/v1/admin/preorders").await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("preorders")
    }

    /// The line of `sku` in the order `id`, as the back office sees it.
    pub async fn order_line(&self, id: &str, sku: &str) -> Value {
        let order = self.admin_order(id).await;
        order["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .find(|l| l["sku"] == sku)
            .cloned()
            .expect("the line")
    }

    /// Runs `sql` behind stockroom's back, as a stray script would.
    pub async fn execute_behind_its_back(&self, sql: &str) -> u64 {
        match &self.database {
            stockroom::config::DatabaseUrl::Sqlite(path) => {
                let conn = rusqlite::Connection::open(path).expect("the database opens");
                conn.busy_timeout(std::time::Duration::from_secs(5))
                    .expect("a busy timeout");
                conn.execute(sql, []).expect("the statement runs") as u64
            }
            stockroom::config::DatabaseUrl::Postgres(url) => {
                let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                    .await
                    .expect("a connection");
                let driver = tokio::spawn(connection);
                let changed = client.execute(sql, &[]).await.expect("the statement runs");
                drop(client);
                let _ = driver.await;
                changed
            }
        }
    }

    /// The first column of the first row `sql` answers, as text.
    pub async fn read_behind_its_back(&self, sql: &str) -> Option<String> {
        match &self.database {
            stockroom::config::DatabaseUrl::Sqlite(path) => {
                let conn = rusqlite::Connection::open(path).expect("the database opens");
                conn.query_row(sql, [], |row| row.get::<_, Option<String>>(0))
                    .expect("a row")
            }
            stockroom::config::DatabaseUrl::Postgres(url) => {
                let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                    .await
                    .expect("a connection");
                let driver = tokio::spawn(connection);
                let row = client.query_one(sql, &[]).await.expect("a row");
                let text: Option<String> = row.get(0);
                drop(client);
                let _ = driver.await;
                text
            }
        }
    }
}

/// Today as the shop's held clock says it in the settings tests.
pub fn held_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 7).expect("a date")
}

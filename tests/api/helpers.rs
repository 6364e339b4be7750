//! `spawn_app` and `TestApp`: a real stockroom server on a random port, a
//! fresh database, an admin, and one method per endpoint.
//!
//! The database is a SQLite file in a temporary folder, or, with
//! `STOCKROOM_TEST_API_DATABASE=postgres`, a PostgreSQL schema of its own in
//! `STOCKROOM_TEST_DATABASE_URL` (`.ci/run` runs the suite both ways).

#![allow(dead_code)]

use std::sync::Arc;

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use stockroom::config::{Config, RateLimitConfig};
use stockroom::http::{AppState, serve};
use stockroom::metrics::Metrics;
use stockroom::store::{DatabaseUrl, Store};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::pg_schema::{TestSchema, URL_VARIABLE, base_url};

/// `postgres` runs the API tests on PostgreSQL; anything else on SQLite.
pub const API_DATABASE_VARIABLE: &str = "STOCKROOM_TEST_API_DATABASE";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub admin_token: String,
    pub store: Store,
    pub database: DatabaseUrl,
    /// The SQLite file, when the app runs on SQLite.
    pub db_path: std::path::PathBuf,
    shutdown: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
    _schema: Option<TestSchema>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// The default configuration without the per-address rate limit: every
/// test client is 127.0.0.1, and many tests send hundreds of checkouts.
/// `rate_limit.rs` turns it back on to test it.
pub fn test_config() -> Config {
    Config {
        rate_limit: RateLimitConfig::OFF,
        ..Config::default()
    }
}

/// A server with the test configuration.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(test_config()).await
}

/// A server on SQLite whatever the suite runs on, for tests of what only
/// SQLite has (its file, `VACUUM INTO` backups, the CSV import).
pub async fn spawn_sqlite_app() -> TestApp {
    spawn_sqlite_app_with(test_config()).await
}

/// Like [`spawn_sqlite_app`], with a configuration of the test's choosing.
pub async fn spawn_sqlite_app_with(config: Config) -> TestApp {
    spawn_app_on(config, false).await
}

/// A server with a configuration of the test's choosing.
pub async fn spawn_app_with(config: Config) -> TestApp {
    let on_postgres = std::env::var(API_DATABASE_VARIABLE).as_deref() == Ok("postgres");
    spawn_app_on(config, on_postgres).await
}

async fn spawn_app_on(mut config: Config, on_postgres: bool) -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db_path = dir.path().join("test.db");
    let schema = if on_postgres {
        let base = base_url()
            .unwrap_or_else(|| panic!("{API_DATABASE_VARIABLE}=postgres needs {URL_VARIABLE}"));
        Some(TestSchema::create(&base).await)
    } else {
        None
    };
    let database = match &schema {
        Some(schema) => DatabaseUrl::Postgres(schema.url.clone()),
        None => DatabaseUrl::Sqlite(db_path.clone()),
    };
    // Each app has metrics of its own, so a test reads only its own counts.
    let metrics = Metrics::new();
    config.store.metrics = metrics.store_metrics();
    let store = Store::open(&database, config.store.clone())
        .await
        .expect("the store opens");
    let admin = store.create_admin("test-admin").await.expect("an admin");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let address = format!("http://{}", listener.local_addr().expect("an address"));
    let (shutdown, stop) = oneshot::channel::<()>();
    let state = AppState {
        store: store.clone(),
        config: Arc::new(config),
        metrics,
    };
    tokio::spawn(async move {
        let _ = serve(listener, state, async {
            let _ = stop.await;
        })
        .await;
    });
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .expect("a client");
    TestApp {
        address,
        client,
        admin_token: admin.token,
        store,
        database,
        db_path,
        shutdown: Some(shutdown),
        _dir: dir,
        _schema: schema,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A request without credentials.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// A request with the admin's bearer token.
    pub fn admin(&self, method: Method, path: &str) -> RequestBuilder {
        self.request(method, path).bearer_auth(&self.admin_token)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path)
            .send()
            .await
            .expect("the request is sent")
    }

    pub async fn admin_get(&self, path: &str) -> Response {
        self.admin(Method::GET, path)
            .send()
            .await
            .expect("the request is sent")
    }

    pub async fn admin_post(&self, path: &str, body: &Value) -> Response {
        self.admin(Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("the request is sent")
    }

    /// Creates a product through the admin API and returns it.
    pub async fn create_product(&self, body: &Value) -> Value {
        let response = self.admin_post("/api/v1/admin/products", body).await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "product creation failed"
        );
        response.json().await.expect("a product")
    }

    /// A one-size product with `stock` units; returns its sku.
    pub async fn product_with_stock(&self, slug: &str, size: &str, stock: i64) -> String {
        let product = self
            .create_product(&json!({
                "slug": slug, "title": format!("Produit {slug}"), "price": 15000,
                "variants": [{"size": size, "stock": stock}]
            }))
            .await;
        product["variants"][0]["sku"]
            .as_str()
            .expect("a sku")
            .to_owned()
    }

    pub async fn post_order(&self, body: &Value, idempotency_key: Option<&str>) -> Response {
        let mut request = self.request(Method::POST, "/api/v1/orders").json(body);
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        request.send().await.expect("the request is sent")
    }

    pub async fn restock(&self, sku: &str, quantity: i64) -> Response {
        self.admin_post(
            &format!("/api/v1/admin/stock/{sku}/restock"),
            &json!({"quantity": quantity}),
        )
        .await
    }

    pub async fn adjust(&self, sku: &str, body: &Value) -> Response {
        self.admin_post(&format!("/api/v1/admin/stock/{sku}/adjust"), body)
            .await
    }

    pub async fn set_status(&self, order_id: &str, status: &str) -> Response {
        self.admin_post(
            &format!("/api/v1/admin/orders/{order_id}/status"),
            &json!({"status": status}),
        )
        .await
    }

    pub async fn audit(&self) -> Value {
        let response = self.admin_get("/api/v1/admin/audit").await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("an audit")
    }

    /// Units on hand of one sku, as the public catalog shows them.
    pub async fn available(&self, sku: &str) -> i64 {
        let products: Value = self
            .get("/api/v1/products")
            .await
            .json()
            .await
            .expect("products");
        products["products"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|p| p["variants"].as_array().cloned().unwrap_or_default())
            .find(|v| v["sku"] == sku)
            .and_then(|v| v["available"].as_i64())
            .expect("the sku is in the catalog")
    }

    /// Sum of a sku's ledger movements, read through the admin API.
    pub async fn ledger_sum(&self, sku: &str) -> i64 {
        let mut sum = 0;
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/api/v1/admin/stock/movements?sku={sku}&limit=500");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let page: Value = self.admin_get(&path).await.json().await.expect("movements");
            sum += page["movements"]
                .as_array()
                .expect("a list")
                .iter()
                .map(|m| m["quantity"].as_i64().expect("a quantity"))
                .sum::<i64>();
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return sum,
            }
        }
    }

    /// Checks that `response` is an RFC 9457 problem with this status and
    /// `code`, with every field of API.md, and returns its body.
    pub async fn problem(&self, response: Response, status: StatusCode, code: &str) -> Value {
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let got = response.status();
        let text = response.text().await.expect("a body");
        assert_eq!(got, status, "unexpected status, body: {text}");
        assert_eq!(
            content_type.as_deref(),
            Some("application/problem+json"),
            "not a problem document: {text}"
        );
        let body: Value = serde_json::from_str(&text).expect("a JSON problem");
        assert_eq!(body["code"], code, "unexpected code in {body}");
        assert_eq!(body["status"], status.as_u16(), "status field of {body}");
        assert_eq!(
            body["type"],
            format!("https://stockroom.dev/problems/{}", code.replace('_', "-")),
            "type field of {body}"
        );
        for field in ["title", "detail"] {
            assert!(
                body[field].as_str().is_some_and(|s| !s.is_empty()),
                "`{field}` missing from {body}"
            );
        }
        body
    }

    /// Checks a 422 `validation_failed` naming `field` among its errors.
    pub async fn validation_problem(&self, response: Response, field: &str) -> Value {
        let body = self
            .problem(
                response,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            )
            .await;
        assert!(
            Self::error_fields(&body).iter().any(|f| f == field),
            "no error for `{field}` in {body}"
        );
        body
    }

    /// The public view of one product, by id or slug.
    pub async fn product(&self, id_or_slug: &str) -> Response {
        self.get(&format!("/api/v1/products/{id_or_slug}")).await
    }

    /// The admin view of a product and its `ETag`.
    pub async fn admin_product(&self, id: &str) -> (Value, String) {
        let response = self
            .admin_get(&format!("/api/v1/admin/products/{id}"))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let etag = response
            .headers()
            .get(reqwest::header::ETAG)
            .and_then(|v| v.to_str().ok())
            .expect("an ETag")
            .to_owned();
        (response.json().await.expect("a product"), etag)
    }

    pub async fn patch_product(&self, id: &str, if_match: Option<&str>, body: &Value) -> Response {
        let mut request = self
            .admin(Method::PATCH, &format!("/api/v1/admin/products/{id}"))
            .json(body);
        if let Some(etag) = if_match {
            request = request.header(reqwest::header::IF_MATCH, etag);
        }
        request.send().await.expect("the request is sent")
    }

    /// `GET /api/v1/admin/stock/movements` with these query parameters.
    pub async fn movements(&self, query: &[(&str, &str)]) -> Response {
        self.admin(Method::GET, "/api/v1/admin/stock/movements")
            .query(query)
            .send()
            .await
            .expect("the request is sent")
    }

    /// Every movement matching `query`, newest first, walking all the pages.
    pub async fn all_movements(&self, query: &[(&str, &str)]) -> Vec<Value> {
        let mut movements = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut params = query.to_vec();
            params.push(("limit", "500"));
            if let Some(c) = &cursor {
                params.push(("cursor", c));
            }
            let response = self.movements(&params).await;
            assert_eq!(response.status(), StatusCode::OK);
            let page: Value = response.json().await.expect("movements");
            movements.extend(
                page["movements"]
                    .as_array()
                    .expect("a list")
                    .iter()
                    .cloned(),
            );
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return movements,
            }
        }
    }

    /// What a refused request must leave as it was: the catalog with its
    /// stock, the whole ledger and the orders.
    pub async fn snapshot(&self) -> Value {
        let products: Value = self
            .get("/api/v1/products")
            .await
            .json()
            .await
            .expect("products");
        let orders: Value = self
            .admin_get("/api/v1/admin/orders?limit=500")
            .await
            .json()
            .await
            .expect("orders");
        json!({
            "products": products["products"],
            "movements": self.all_movements(&[]).await,
            "orders": orders["orders"],
        })
    }

    /// The fields a validation problem names, in order.
    pub fn error_fields(problem: &Value) -> Vec<String> {
        problem["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["field"].as_str().map(str::to_owned))
            .collect()
    }

    /// Runs `n` copies of `task` as tasks of their own, held at a barrier
    /// until all of them exist and then released together; answers in index order.
    pub async fn together<F, Fut, T>(self: &Arc<Self>, n: usize, task: F) -> Vec<T>
    where
        F: Fn(Arc<TestApp>, usize) -> Fut,
        Fut: std::future::Future<Output = T> + Send + 'static,
        T: Send + 'static,
    {
        let barrier = Arc::new(tokio::sync::Barrier::new(n));
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let (barrier, work) = (barrier.clone(), task(self.clone(), i));
                tokio::spawn(async move {
                    barrier.wait().await;
                    work.await
                })
            })
            .collect();
        let mut answers = Vec::with_capacity(n);
        for handle in handles {
            answers.push(handle.await.expect("a task of the rush"));
        }
        answers
    }

    /// Posts an order and reads the answer: status and JSON body.
    pub async fn place(&self, body: &Value, idempotency_key: Option<&str>) -> (StatusCode, Value) {
        let response = self.post_order(body, idempotency_key).await;
        let status = response.status();
        (status, response.json().await.expect("a JSON answer"))
    }

    /// A product with one variant per `(size, stock)`; returns the skus in that order.
    pub async fn product_with_sizes(&self, slug: &str, sizes: &[(&str, i64)]) -> Vec<String> {
        let variants: Vec<Value> = sizes
            .iter()
            .map(|(size, stock)| json!({"size": size, "stock": stock}))
            .collect();
        let product = self
            .create_product(&json!({
                "slug": slug, "title": format!("Produit {slug}"), "price": 15000,
                "variants": variants
            }))
            .await;
        product["variants"]
            .as_array()
            .expect("variants")
            .iter()
            .map(|v| v["sku"].as_str().expect("a sku").to_owned())
            .collect()
    }

    /// Every movement matching `query` (e.g. `sku=X&kind=sale`), oldest first.
    pub async fn movements_matching(&self, query: &str) -> Vec<Value> {
        let mut all = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/api/v1/admin/stock/movements?{query}&limit=500");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let response = self.admin_get(&path).await;
            assert_eq!(response.status(), StatusCode::OK, "movements of {query}");
            let page: Value = response.json().await.expect("movements");
            all.extend(
                page["movements"]
                    .as_array()
                    .expect("a list")
                    .iter()
                    .cloned(),
            );
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        all.reverse();
        all
    }

    /// One order as the back office sees it.
    pub async fn admin_order(&self, id: &str) -> Value {
        let response = self.admin_get(&format!("/api/v1/admin/orders/{id}")).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "admin read of order {id}"
        );
        response.json().await.expect("an order")
    }

    /// `PUT /api/v1/admin/settings` with the fields given.
    pub async fn put_settings(&self, body: &Value) -> Response {
        self.admin(Method::PUT, "/api/v1/admin/settings")
            .json(body)
            .send()
            .await
            .expect("the request is sent")
    }

    /// `POST /api/v1/cart/check`.
    pub async fn check_cart(&self, body: &Value) -> Response {
        self.request(Method::POST, "/api/v1/cart/check")
            .json(body)
            .send()
            .await
            .expect("the request is sent")
    }

    /// A buyer reading an order, with the access token given (if any).
    pub async fn buyer_order(&self, id: &str, access_token: Option<&str>) -> Response {
        let mut request = self.request(Method::GET, &format!("/api/v1/orders/{id}"));
        if let Some(token) = access_token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("the request is sent")
    }

    /// Asserts that the audit finds ledger, stock and orders in agreement.
    pub async fn assert_audit_consistent(&self) {
        let audit = self.audit().await;
        assert_eq!(audit["consistent"], json!(true), "audit: {audit:#}");
        assert_eq!(audit["negative_stock"], json!([]), "audit: {audit:#}");
    }
}

/// An order body for one buyer.
pub fn order_body(phone: &str, lines: &[(&str, i64)]) -> Value {
    json!({
        "customer": {"name": "Awa K.", "phone": phone},
        "delivery": {"address": "Cocody, Abidjan"},
        "lines": lines.iter().map(|(sku, quantity)| json!({"sku": sku, "quantity": quantity})).collect::<Vec<_>>(),
    })
}

/// A distinct valid phone number per buyer index.
pub fn phone(buyer: usize) -> String {
    format!("+22507{:08}", buyer)
}

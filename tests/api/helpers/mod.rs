//! `spawn_app` and `TestApp`: a real stockroom server on a random port, a
//! fresh database, an admin, and one method per endpoint.
//!
//! The database is a SQLite file in a temporary folder, or, with
//! `STOCKROOM_TEST_API_DATABASE=postgres`, a PostgreSQL schema of its own in
//! `STOCKROOM_TEST_DATABASE_URL` (`.ci/run` runs the suite both ways).

#![allow(dead_code)]

use axum::extract::connect_info::MockConnectInfo;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use stockroom::config::DatabaseUrl;
use stockroom::config::{Config, RateLimitConfig};
use stockroom::http::{AppState, router, serve};
use stockroom::metrics::Metrics;
use stockroom::store::Store;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::pg_schema::{TestSchema, URL_VARIABLE, base_url};

mod ledger;
mod orders;
mod problems;

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

/// The test configuration with `proxies` as `--trusted-proxies`. Every
/// test client is 127.0.0.1: trusting it makes each request one that came
/// through a reverse proxy on the shop's machine.
pub fn behind_proxies(proxies: &[&str]) -> Config {
    let mut config = test_config();
    config.rate_limit.trusted_proxies = proxies
        .iter()
        .map(|p| p.parse().expect("an address block"))
        .collect();
    config
}

/// A server with the test configuration.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(test_config()).await
}

/// A server on SQLite whatever the suite runs on, for tests of what only
/// SQLite has (its file, `VACUUM INTO` backups).
pub async fn spawn_sqlite_app() -> TestApp {
    spawn_sqlite_app_with(test_config()).await
}

/// Like [`spawn_sqlite_app`], with a configuration of the test's choosing.
pub async fn spawn_sqlite_app_with(config: Config) -> TestApp {
    spawn_app_on(config, false, None).await
}

/// A server with a configuration of the test's choosing.
pub async fn spawn_app_with(config: Config) -> TestApp {
    spawn_app_on(config, on_postgres(), None).await
}

/// A server that sees every request as coming from `peer`, for rules that
/// depend on where a client is (`/metrics` off the shop's machine). The
/// router is served as `serve` serves it, but with axum's
/// `MockConnectInfo` in place of the real TCP peer, and without the rate
/// limit.
pub async fn spawn_app_seen_from(peer: std::net::SocketAddr, config: Config) -> TestApp {
    spawn_app_on(config, on_postgres(), Some(peer)).await
}

fn on_postgres() -> bool {
    std::env::var(API_DATABASE_VARIABLE).as_deref() == Ok("postgres")
}

async fn spawn_app_on(
    config: Config,
    on_postgres: bool,
    peer: Option<std::net::SocketAddr>,
) -> TestApp {
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
    let store = Store::open(&database, config.store.clone())
        .await
        .expect("the store opens");
    let admin = store
        .create_admin("test-admin", stockroom::domain::staff::Role::Owner)
        .await
        .expect("an admin");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let address = format!("http://{}", listener.local_addr().expect("an address"));
    let (shutdown, stop) = oneshot::channel::<()>();
    let state = AppState::new(store.clone(), config, metrics);
    let stopped = async {
        let _ = stop.await;
    };
    match peer {
        None => {
            tokio::spawn(serve(listener, state, stopped));
        }
        Some(peer) => {
            let app = router(state, None).layer(MockConnectInfo(peer));
            tokio::spawn(async move {
                axum::serve(listener, app)
                    .with_graceful_shutdown(stopped)
                    .await
            });
        }
    }
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .expect("a client");
    TestApp {
        address,
        client,
        admin_token: admin.token.expect("a token"),
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

    /// `PUT /api/v1/admin/settings` with the fields given.
    pub async fn put_settings(&self, body: &Value) -> Response {
        self.admin(Method::PUT, "/api/v1/admin/settings")
            .json(body)
            .send()
            .await
            .expect("the request is sent")
    }
}

/// A product as buyers see it, from its admin view: each variant's
/// preorders only when they are enabled, without the units waiting.
pub fn as_buyers_see_it(mut product: Value) -> Value {
    for variant in product["variants"].as_array_mut().expect("variants") {
        let variant = variant.as_object_mut().expect("a variant");
        let enabled = variant
            .get("preorder")
            .is_some_and(|p| p["enabled"] == true);
        if enabled {
            if let Some(preorder) = variant.get_mut("preorder").and_then(Value::as_object_mut) {
                preorder.remove("waiting");
            }
        } else {
            variant.remove("preorder");
        }
    }
    product
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

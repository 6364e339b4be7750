//! The server side of the browser tests: a real stockroom with the demo
//! catalog on a random port, a fresh database, and a few API calls for
//! setting the scene and checking what the pages did.

use serde_json::Value;
use stockroom::cli::{Cli, Command};
use stockroom::config::{Config, DatabaseUrl, PublicUrl};
use stockroom::domain::clock::Clock;
use stockroom::demo::OWNER;
use stockroom::http::{AppState, serve};
use stockroom::store::Store;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// A stockroom server with the demo catalog, on a random port, with a fresh database.
pub struct Shop {
    pub address: String,
    pub admin_token: String,
    pub client: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    /// The database's folder, removed with the shop.
    dir: tempfile::TempDir,
}

impl Drop for Shop {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// A stockroom server with the demo catalog, on a random port.
pub async fn spawn_shop() -> Shop {
    spawn(true, Clock::default()).await
}

/// A shop as its owner finds it on the first start without `--demo`: no
/// name, no products, one owner (the demo's name and password).
pub async fn spawn_fresh_shop() -> Shop {
    spawn(false, Clock::default()).await
}

/// The demo shop as `serve --demo --clock-offset {secs}` starts it: the
/// shop's clock `secs` seconds ahead of the machine's, so of the browser's.
pub async fn spawn_shop_ahead(secs: i64) -> Shop {
    let offset = secs.to_string();
    let flags = ["stockroom", "serve", "--demo", "--clock-offset", &offset];
    let cli = <Cli as clap::Parser>::try_parse_from(flags).expect("valid flags");
    let Command::Serve(args) = cli.command else {
        unreachable!("serve parses as serve")
    };
    spawn(true, args.clock()).await
}

async fn spawn(demo: bool, clock: Clock) -> Shop {
    let dir = tempfile::tempdir().expect("a temporary folder");
    // The browser tests click quickly from 127.0.0.1: no per-address limit.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let bound = listener.local_addr().expect("an address");
    let config = Config {
        rate_limit: stockroom::config::RateLimitConfig::OFF,
        // The pages' writes must come from the shop's own origin.
        public_url: PublicUrl::for_listen(bound),
        // Webhooks and the SMS gateway reach receivers on 127.0.0.1.
        webhook_allow_private: true,
        store: stockroom::config::StoreConfig {
            clock,
            ..Default::default()
        },
        ..Config::default()
    };
    let metrics = stockroom::metrics::Metrics::new();
    let store = Store::open(
        &DatabaseUrl::Sqlite(dir.path().join("shop.db")),
        config.store.clone(),
    )
    .await
    .expect("the store opens");
    let admin_token = if demo {
        stockroom::demo::seed(&store).await.expect("the demo seeds")
    } else {
        store
            .create_admin(OWNER, stockroom::domain::staff::Role::Owner)
            .await
            .expect("the owner")
            .token
            .expect("an API token")
    };
    set_password(&store, OWNER, OWNER_PASSWORD).await;
    let address = format!("http://{bound}");
    let (shutdown, stop) = oneshot::channel::<()>();
    let state = AppState::new(store.clone(), config, metrics);
    tokio::spawn(async move {
        let _ = serve(listener, state, async {
            let _ = stop.await;
        })
        .await;
    });
    Shop {
        address,
        admin_token,
        client: reqwest::Client::new(),
        shutdown: Some(shutdown),
        dir,
    }
}

/// The demo owner's password in the browser tests.
pub const OWNER_PASSWORD: &str = "une phrase de passe";

/// Gives `name` the password `password`, as a setup link would.
pub async fn set_password(store: &Store, name: &str, password: &str) {
    let link = store
        .reset_password(name, "browser tests", chrono::Duration::hours(1))
        .await
        .expect("a setup link");
    let hash = stockroom::domain::password::hash_password(password);
    store
        .use_setup(&link.token, hash)
        .await
        .expect("the link is used");
}

/// Signs `admin` in on the back office's form, and waits for the products.
pub async fn sign_in(admin: &crate::chrome::Session, name: &str, password: &str) {
    admin.open("/admin", "signin").await;
    admin.fill("#signin-name", name).await;
    admin.fill("#signin-password", password).await;
    admin.click("#sign-in").await;
    admin.wait_ready("produits").await;
}

impl Shop {
    /// The shop's SQLite file, for what no API shows (a waiting buyer's
    /// unsubscribe token) or for a day of failures made in an instant.
    pub fn database(&self) -> rusqlite::Connection {
        let connection = rusqlite::Connection::open(self.dir.path().join("shop.db"))
            .expect("the shop's database opens");
        connection
            .busy_timeout(std::time::Duration::from_secs(5))
            .expect("a busy timeout");
        connection
    }

    /// A GET of the API, as JSON.
    pub async fn get(&self, path: &str) -> Value {
        self.client
            .get(format!("{}{path}", self.address))
            .bearer_auth(&self.admin_token)
            .send()
            .await
            .expect("the request is sent")
            .json()
            .await
            .expect("JSON")
    }

    /// A POST or PATCH of the API with the admin token, as (status, JSON).
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
        if_match: Option<&str>,
    ) -> (u16, Value) {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.address))
            .bearer_auth(&self.admin_token)
            .json(body);
        if let Some(tag) = if_match {
            request = request.header("If-Match", tag);
        }
        let response = request.send().await.expect("the request is sent");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Uploads the JPEG `bytes` as a photo of `product` with `alt`.
    pub async fn upload_photo(&self, product: &str, bytes: &[u8], alt: &str) {
        let (content_type, body) = crate::photos::form(&[
            crate::photos::Part::File("photo.jpg", "image/jpeg", bytes),
            crate::photos::Part::Text("alt", alt),
        ]);
        let response = self
            .client
            .post(format!(
                "{}/api/v1/admin/products/{product}/images",
                self.address
            ))
            .bearer_auth(&self.admin_token)
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .expect("the request is sent");
        assert_eq!(response.status(), 201, "{:?}", response.text().await);
    }

    /// Units left of one sku, as the public catalog says.
    pub async fn available(&self, sku: &str) -> i64 {
        let catalog = self.get("/api/v1/products").await;
        catalog["products"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|p| p["variants"].as_array().cloned().unwrap_or_default())
            .find(|v| v["sku"] == sku)
            .and_then(|v| v["available"].as_i64())
            .expect("the sku is in the catalog")
    }

    pub async fn order_count(&self) -> usize {
        self.get("/api/v1/admin/orders").await["orders"]
            .as_array()
            .map_or(0, Vec::len)
    }
}

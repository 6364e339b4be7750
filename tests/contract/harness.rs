//! A fresh store per test, on either backend, with an admin and helpers
//! that speak the store's verbs the way the HTTP layer does.

use std::sync::Arc;

use stockroom::checkout::{Checkout, CheckoutRequest, IdempotencyKey, Outcome, PlacedOrder};
use stockroom::config::{DatabaseUrl, StoreConfig};
use stockroom::domain::admin::Admin;
use stockroom::domain::order::{CheckoutRefusal, CustomerInput, LineInput, OrderInput};
use stockroom::domain::product::{ProductInput, VariantInput};
use stockroom::domain::settings::SettingsPatch;
use stockroom::domain::{Lang, Limits};
use stockroom::store::{Store, StoreError};

use crate::pg_schema::{TestSchema, base_url_for};

/// Writes one test per backend for each scenario named: the scenario is an
/// `async fn(TestStore)` in the same module.
#[macro_export]
macro_rules! on_both_databases {
    ($($scenario:ident),+ $(,)?) => {$(
        mod $scenario {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                super::$scenario($crate::harness::TestStore::sqlite().await).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                if let Some(store) = $crate::harness::TestStore::postgres(stringify!($scenario)).await {
                    super::$scenario(store).await
                }
            }
        }
    )+};
}

/// What a checkout decided, as the tests compare it.
pub type CheckoutOutcome = Result<PlacedOrder, CheckoutRefusal>;

/// An answer kept with a key, reduced to what the tests compare: the
/// status it is sent with, and the order's id or the refusal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
}

/// The checkout's answer, decided now or replayed, as the tests compare it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckoutAnswer {
    Decided(Box<CheckoutOutcome>),
    Replayed(StoredResponse),
}

/// A store with its checkout engine in front, as a serving app holds
/// them; it derefs to the store for every other verb.
#[derive(Clone)]
pub struct ShopStore {
    store: Store,
    checkout: Checkout,
}

impl ShopStore {
    pub fn start(store: Store) -> ShopStore {
        let checkout = Checkout::start(store.clone(), metrics::Histogram::noop());
        ShopStore { store, checkout }
    }

    pub async fn place_order(
        &self,
        request: CheckoutRequest,
    ) -> Result<CheckoutAnswer, StoreError> {
        let outcome = |outcome| match outcome {
            Outcome::Placed(placed) => Ok(placed),
            Outcome::Refused(refusal) => Err(refusal),
        };
        Ok(match self.checkout.place_order(request).await? {
            stockroom::checkout::CheckoutAnswer::Decided(decided) => {
                CheckoutAnswer::Decided(Box::new(outcome(decided)))
            }
            stockroom::checkout::CheckoutAnswer::Replayed { outcome: kept, .. } => {
                CheckoutAnswer::Replayed(match outcome(kept) {
                    Ok(placed) => StoredResponse {
                        status: 201,
                        body: placed.order.id,
                    },
                    Err(refusal) => StoredResponse {
                        status: 409,
                        body: refusal.to_string(),
                    },
                })
            }
        })
    }

    pub fn checkout(&self) -> &Checkout {
        &self.checkout
    }

    /// Checkouts waiting for their batch.
    pub fn checkouts_queued(&self) -> usize {
        self.checkout.queued().0
    }
}

impl std::ops::Deref for ShopStore {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.store
    }
}

/// A store of its own (a temporary SQLite file or a PostgreSQL schema), and an admin.
pub struct TestStore {
    pub store: ShopStore,
    pub admin: Admin,
    pub url: DatabaseUrl,
    // Dropped after the store: the file or schema outlives every connection to it.
    _sqlite_dir: Option<tempfile::TempDir>,
    _schema: Option<TestSchema>,
}

impl TestStore {
    pub async fn sqlite() -> TestStore {
        TestStore::sqlite_with(StoreConfig::default()).await
    }

    pub async fn sqlite_with(config: StoreConfig) -> TestStore {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = DatabaseUrl::Sqlite(dir.path().join("contract.db"));
        TestStore::open(url, config, Some(dir), None).await
    }

    /// `None` (after saying so) when no test database is configured; in CI
    /// the test fails instead.
    pub async fn postgres(test: &str) -> Option<TestStore> {
        TestStore::postgres_with(test, StoreConfig::default()).await
    }

    pub async fn postgres_with(test: &str, config: StoreConfig) -> Option<TestStore> {
        let base = base_url_for(test)?;
        let schema = TestSchema::create(&base).await;
        let url = DatabaseUrl::Postgres(schema.url.clone());
        Some(TestStore::open(url, config, None, Some(schema)).await)
    }

    /// The PostgreSQL schema (also the connections' application name).
    pub fn schema_name(&self) -> &str {
        self._schema.as_ref().map_or("", |s| s.name.as_str())
    }

    /// A store on a database made beforehand (`sqlite_dir` or `schema`
    /// holds it), as a newer stockroom opens an older one's.
    pub async fn open(
        url: DatabaseUrl,
        config: StoreConfig,
        sqlite_dir: Option<tempfile::TempDir>,
        schema: Option<TestSchema>,
    ) -> TestStore {
        let store = Store::open(&url, config).await.expect("the store opens");
        let admin = store
            .create_admin("contract", stockroom::domain::staff::Role::Owner)
            .await
            .expect("an admin")
            .admin;
        TestStore {
            store: ShopStore::start(store),
            admin,
            url,
            _sqlite_dir: sqlite_dir,
            _schema: schema,
        }
    }

    /// A second store on the same database, with other settings.
    pub async fn reopen_with(&self, config: StoreConfig) -> ShopStore {
        let store = Store::open(&self.url, config)
            .await
            .expect("the store opens again");
        ShopStore::start(store)
    }

    /// Runs SQL straight on the database, past the store: what the schema
    /// itself refuses comes back as `Err` with the database's message.
    pub async fn raw_sql(&self, sql: &str) -> Result<(), String> {
        match &self.url {
            DatabaseUrl::Sqlite(path) => {
                let (path, sql) = (path.clone(), sql.to_owned());
                tokio::task::spawn_blocking(move || {
                    let conn = rusqlite::Connection::open(path).map_err(|e| e.to_string())?;
                    conn.execute_batch(&sql).map_err(|e| e.to_string())
                })
                .await
                .expect("the SQL ran")
            }
            DatabaseUrl::Postgres(url) => {
                let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                    .await
                    .expect("a connection");
                let driver = tokio::spawn(connection);
                let result = client
                    .batch_execute(sql)
                    .await
                    .map_err(|e| stockroom::store::describe_pg_error(&e));
                drop(client);
                let _ = driver.await;
                result
            }
        }
    }

    /// A one-product catalog: one variant per `(size, stock)`; returns the skus.
    pub async fn product(&self, slug: &str, sizes: &[(&str, i64)]) -> Vec<String> {
        let input = ProductInput {
            slug: Some(slug.to_owned()),
            title: Some(format!("Robe {slug}")),
            price: Some(15000),
            variants: Some(
                sizes
                    .iter()
                    .map(|(size, stock)| VariantInput {
                        size: Some((*size).to_owned()),
                        stock: Some(*stock),
                        ..Default::default()
                    })
                    .collect(),
            ),
            ..Default::default()
        };
        let product = self
            .store
            .create_product(input.validate().expect("a valid product"), &self.admin)
            .await
            .expect("the product is created");
        product.variants.into_iter().map(|v| v.sku).collect()
    }

    pub async fn set_order_limit(&self, limit: Option<i64>) {
        let patch: SettingsPatch =
            serde_json::from_value(serde_json::json!({ "order_limit_per_customer": limit }))
                .expect("a settings patch");
        self.store
            .update_settings(patch, &self.admin)
            .await
            .expect("settings saved");
    }

    pub async fn available(&self, sku: &str) -> i64 {
        self.store
            .check_cart(vec![order(phone(0), &[(sku, 1)]).lines.remove(0)])
            .await
            .expect("the cart is checked")[0]
            .available
    }

    /// Places an order, without an idempotency key.
    pub async fn buy(&self, phone: String, lines: &[(&str, i64)]) -> CheckoutOutcome {
        match self
            .store
            .place_order(request(order(phone, lines), None))
            .await
        {
            Ok(CheckoutAnswer::Decided(outcome)) => *outcome,
            other => panic!("a checkout without a key is decided, got {other:?}"),
        }
    }

    /// Whether the audit finds ledger, stock and orders consistent.
    pub async fn assert_consistent(&self) {
        let audit = self.store.audit().await.expect("an audit");
        assert!(audit.consistent, "inconsistent audit: {audit:#?}");
        assert!(audit.negative_stock.is_empty());
    }
}

/// An order for one buyer, validated as the HTTP layer would.
pub fn order(phone: String, lines: &[(&str, i64)]) -> stockroom::domain::order::NewOrder {
    OrderInput {
        customer: Some(CustomerInput {
            name: Some("Awa K.".into()),
            phone: Some(phone),
            email: None,
        }),
        lines: Some(
            lines
                .iter()
                .map(|(sku, quantity)| LineInput {
                    preorder: None,
                    sku: Some((*sku).to_owned()),
                    quantity: Some(*quantity),
                })
                .collect(),
        ),
        ..Default::default()
    }
    .validate(&Limits::default())
    .expect("a valid order")
}

pub fn request(
    order: stockroom::domain::order::NewOrder,
    key: Option<IdempotencyKey>,
) -> CheckoutRequest {
    CheckoutRequest {
        order,
        idempotency: key,
        lang: Lang::default(),
    }
}

/// A distinct valid phone number per buyer.
pub fn phone(buyer: usize) -> String {
    format!("+22507{buyer:08}")
}

/// Runs `buyers` checkouts at once, each released by one barrier, and
/// returns their outcomes in buyer order.
pub async fn rush(
    t: &TestStore,
    buyers: Vec<(String, Vec<(String, i64)>)>,
) -> Vec<CheckoutOutcome> {
    let barrier = Arc::new(tokio::sync::Barrier::new(buyers.len()));
    let tasks: Vec<_> = buyers
        .into_iter()
        .map(|(phone, lines)| {
            let (store, barrier) = (t.store.clone(), barrier.clone());
            tokio::spawn(async move {
                let lines: Vec<(&str, i64)> = lines.iter().map(|(s, q)| (s.as_str(), *q)).collect();
                let order = order(phone, &lines);
                barrier.wait().await;
                match store.place_order(request(order, None)).await {
                    Ok(CheckoutAnswer::Decided(outcome)) => *outcome,
                    other => panic!("a checkout without a key is decided, got {other:?}"),
                }
            })
        })
        .collect();
    let mut outcomes = Vec::with_capacity(tasks.len());
    for task in tasks {
        outcomes.push(task.await.expect("a buyer finished"));
    }
    outcomes
}

pub fn placed(outcomes: &[CheckoutOutcome]) -> Vec<&PlacedOrder> {
    outcomes.iter().filter_map(|o| o.as_ref().ok()).collect()
}

pub fn short_refusals(outcomes: &[CheckoutOutcome]) -> usize {
    outcomes
        .iter()
        .filter(|o| matches!(o, Err(CheckoutRefusal::InsufficientStock(_))))
        .count()
}

pub fn is_transition_refusal(result: &Result<stockroom::domain::order::Order, StoreError>) -> bool {
    matches!(result, Err(StoreError::InvalidTransition(_)))
}

/// A database as stockroom left it at migration `version`, with `sql` run on it,
/// opened by this stockroom (which migrates it); `None` where PostgreSQL
/// is not configured.
pub async fn older_database(
    postgres: bool,
    test: &str,
    version: i32,
    sql: &str,
) -> Option<TestStore> {
    let config = StoreConfig::default();
    if postgres {
        let schema = TestSchema::create(&base_url_for(test)?).await;
        stockroom::store::postgres::migrate_up_to(&schema.url, &config, version)
            .await
            .expect("migrated to the older version");
        let (client, connection) = tokio_postgres::connect(&schema.url, tokio_postgres::NoTls)
            .await
            .expect("a connection");
        let driver = tokio::spawn(connection);
        client.batch_execute(sql).await.expect("the old rows");
        drop(client);
        let _ = driver.await;
        let url = DatabaseUrl::Postgres(schema.url.clone());
        Some(TestStore::open(url, config, None, Some(schema)).await)
    } else {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("older.db");
        stockroom::store::sqlite::migrate_up_to(&path, version)
            .expect("migrated to the older version");
        rusqlite::Connection::open(&path)
            .and_then(|conn| conn.execute_batch(sql))
            .expect("the old rows");
        let url = DatabaseUrl::Sqlite(path);
        Some(TestStore::open(url, config, Some(dir), None).await)
    }
}

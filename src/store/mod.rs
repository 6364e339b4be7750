//! The store: the only place with SQL. It reads, locks and writes; it
//! decides nothing about a checkout (the engine, `checkout/`, does). It
//! speaks the shop's business verbs (`restock`, `set_order_status`,
//! `audit`…), each one database transaction, and applies batches of
//! checkouts as the engine decided them (`batch.rs`).
//!
//! `Store` is an enum over the backends so callers never see which one
//! runs: SQLite by default (`store/sqlite/`), PostgreSQL for several
//! instances sharing one database (`store/postgres/`), with the same verbs,
//! answers and errors; the verbs are listed once, in `store_verbs!` below.

pub mod backoff;
mod batch;
mod error;
mod ops;
pub mod postgres;
pub mod sqlite;
pub mod tokens;
mod types;
mod url;

use std::sync::Arc;
use std::time::Duration;

pub use batch::*;
pub use error::{Resource, StoreError, describe_pg_error};
pub use types::*;
pub use url::{DatabaseUrl, redact_url};

use crate::domain::audit::AuditReport;
use crate::domain::order::{Order, OrderStatus, RequestedLine};
use crate::domain::product::{NewProduct, Product, ProductPatch};
use crate::domain::settings::{Settings, SettingsPatch};
use crate::domain::stock::{Adjustment, Movement, Restock};

/// The settings a store needs from the service's configuration.
#[derive(Clone, Debug)]
pub struct StoreConfig {
    /// ISO 4217 code of the shop's prices, e.g. `XOF`.
    pub currency: String,
    /// How long a write may wait for its turn before it is refused with 503.
    pub checkout_timeout: Duration,
    /// Orders per transaction at most (1: one transaction per order).
    pub checkout_batch_max: usize,
    /// Checkouts waiting for their batch at most, and on SQLite writes
    /// waiting for the writer; past it, 503 at once.
    pub write_queue_max: usize,
    /// How long an idempotency key's answer is kept.
    pub idempotency_ttl: Duration,
    /// Read-only SQLite connections beside the writer.
    pub sqlite_readers_max: u32,
    /// PostgreSQL connections per instance at most (each checkout holds one
    /// for its transaction).
    pub pg_pool_max: usize,
    /// PostgreSQL cancels any one statement that runs longer (0: never).
    pub pg_statement_timeout: Duration,
    /// How long opening a PostgreSQL connection may take.
    pub pg_connect_timeout: Duration,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            currency: "XOF".into(),
            checkout_timeout: Duration::from_secs(5),
            checkout_batch_max: 256,
            write_queue_max: 8192,
            idempotency_ttl: Duration::from_secs(24 * 3600),
            sqlite_readers_max: 4,
            pg_pool_max: 16,
            pg_statement_timeout: Duration::from_secs(5),
            pg_connect_timeout: Duration::from_secs(5),
        }
    }
}

/// Writes `impl Store` with one method per verb, each forwarded to the
/// backend that runs: the store's contract, stated once.
macro_rules! store_verbs {
    ($(
        $(#[$meta:meta])*
        async fn $name:ident(&self $(, $arg:ident: $ty:ty)* $(,)?) -> $ret:ty;
    )*) => {
        impl Store {
            $(
                $(#[$meta])*
                pub async fn $name(&self $(, $arg: $ty)*) -> Result<$ret, StoreError> {
                    match self {
                        Store::Sqlite(s) => s.$name($($arg),*).await,
                        Store::Postgres(s) => s.$name($($arg),*).await,
                    }
                }
            )*
        }
    };
}

#[derive(Clone)]
pub enum Store {
    Sqlite(Arc<sqlite::SqliteStore>),
    Postgres(Arc<postgres::PgStore>),
}

impl Store {
    /// Opens the database named by `url`, applying migrations.
    pub async fn open(url: &DatabaseUrl, config: StoreConfig) -> Result<Store, StoreError> {
        match url {
            DatabaseUrl::Sqlite(path) => Ok(Store::Sqlite(Arc::new(sqlite::SqliteStore::open(
                path, config,
            )?))),
            DatabaseUrl::Postgres(url) => Ok(Store::Postgres(Arc::new(
                postgres::PgStore::open(url, config).await?,
            ))),
        }
    }

    pub fn config(&self) -> &StoreConfig {
        match self {
            Store::Sqlite(s) => s.config(),
            Store::Postgres(s) => s.config(),
        }
    }

    /// The shop's secret, made on the database's first start: order access
    /// tokens are derived from it.
    pub fn shop_secret(&self) -> &str {
        match self {
            Store::Sqlite(s) => s.shop_secret(),
            Store::Postgres(s) => s.shop_secret(),
        }
    }

    /// How many batches of checkouts may be applied at once.
    pub fn concurrent_checkout_batches(&self) -> usize {
        match self {
            Store::Sqlite(s) => s.concurrent_checkout_batches(),
            Store::Postgres(s) => s.concurrent_checkout_batches(),
        }
    }

    /// One batch of checkouts in one transaction: the rows it names read
    /// (and locked, on PostgreSQL), decided by `decider`, written,
    /// committed. Answers once the commit is durable.
    pub async fn apply_checkout_batch<D: BatchDecider>(
        &self,
        decider: Arc<D>,
    ) -> Result<(D::Decided, WrittenBatch), BatchError> {
        match self {
            Store::Sqlite(s) => s.apply_checkout_batch(decider).await,
            Store::Postgres(s) => s.apply_checkout_batch(decider).await,
        }
    }
}

store_verbs! {
    async fn ping(&self) -> ();

    // Admins.
    async fn create_admin(&self, name: &str) -> NewAdmin;
    async fn revoke_admin(&self, name: &str) -> ();
    async fn list_admins(&self) -> Vec<AdminInfo>;
    /// The admin holding this bearer token, if it is valid and not revoked.
    async fn authenticate_admin(&self, token: &str) -> Option<Admin>;

    // Catalog.
    async fn list_products(&self, in_stock_only: bool) -> Vec<Product>;
    async fn product(&self, id_or_slug: &str) -> Product;
    async fn create_product(&self, product: NewProduct, actor: &Admin) -> Product;
    /// Applies `patch` if the product is still at `expected_version`.
    async fn patch_product(
        &self,
        id: &str,
        expected_version: i64,
        patch: ProductPatch,
        actor: &Admin,
    ) -> Product;

    // Stock.
    async fn restock(&self, sku: &str, restock: Restock, actor: &Admin) -> StockChange;
    async fn adjust_stock(&self, sku: &str, adjustment: Adjustment, actor: &Admin) -> StockChange;
    async fn movements(&self, filter: MovementFilter) -> Page<Movement>;

    // Orders.
    /// What the stock could serve of each line right now; reserves nothing.
    async fn check_cart(&self, lines: Vec<RequestedLine>) -> Vec<CartLineStock>;
    /// The order, if `access_token` is its token.
    async fn order_for_buyer(&self, id: &str, access_token: &str) -> Order;
    async fn order(&self, id: &str) -> Order;
    async fn orders(&self, filter: OrderFilter) -> Page<Order>;
    /// Moves an order on; cancelling returns its units to stock, once.
    async fn set_order_status(&self, id: &str, status: OrderStatus, actor: &Admin) -> Order;

    // Settings and audit.
    async fn settings(&self) -> Settings;
    async fn update_settings(&self, patch: SettingsPatch, actor: &Admin) -> Settings;
    async fn audit(&self) -> AuditReport;
    /// Deletes idempotency answers older than their keep time; returns how many.
    async fn purge_idempotency_keys(&self) -> usize;
}

//! The store: the only place with SQL. It speaks the shop's business verbs
//! (`place_order`, `restock`, `cancel`…), each one database transaction.
//!
//! `Store` is an enum over the backends so handlers never see which one runs:
//! SQLite by default (`store/sqlite/`), PostgreSQL for several instances
//! sharing one database (`store/postgres/`), with the same verbs, answers
//! and errors.
//!
//! What the two share is written once here, above them, one file per verb
//! group (`admins`, `audit`, `catalog`, `orders`, `settings`, `stock`): the
//! SQL both run as it is, reading rows into values (`row`), pages
//! (`paging`), what a verb decides and writes. A backend file keeps its
//! dialect's SQL, its transactions and running its statements.

mod admins;
mod audit;
mod catalog;
mod error;
mod ops;
mod orders;
mod paging;
pub mod postgres;
mod row;
mod settings;
pub mod sqlite;
mod stock;
pub mod tokens;
mod types;
mod url;

use std::sync::Arc;
use std::time::Duration;

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
    /// Writes waiting for the writer at most; past it, 503 at once.
    pub write_queue_max: usize,
    /// How long an idempotency key's answer is kept.
    pub idempotency_ttl: Duration,
    /// Read-only SQLite connections beside the writer.
    pub sqlite_readers_max: u32,
    /// Where the store records its own metrics (the writer's batch sizes).
    pub metrics: crate::metrics::StoreMetrics,
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
            metrics: crate::metrics::StoreMetrics::default(),
            pg_pool_max: 16,
            pg_statement_timeout: Duration::from_secs(5),
            pg_connect_timeout: Duration::from_secs(5),
        }
    }
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

    pub async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.ping().await,
            Store::Postgres(s) => s.ping().await,
        }
    }

    // Admins.

    pub async fn create_admin(&self, name: &str) -> Result<NewAdmin, StoreError> {
        match self {
            Store::Sqlite(s) => s.create_admin(name).await,
            Store::Postgres(s) => s.create_admin(name).await,
        }
    }

    pub async fn revoke_admin(&self, name: &str) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.revoke_admin(name).await,
            Store::Postgres(s) => s.revoke_admin(name).await,
        }
    }

    pub async fn list_admins(&self) -> Result<Vec<AdminInfo>, StoreError> {
        match self {
            Store::Sqlite(s) => s.list_admins().await,
            Store::Postgres(s) => s.list_admins().await,
        }
    }

    /// The admin holding this bearer token, if it is valid and not revoked.
    pub async fn authenticate_admin(&self, token: &str) -> Result<Option<Admin>, StoreError> {
        match self {
            Store::Sqlite(s) => s.authenticate_admin(token).await,
            Store::Postgres(s) => s.authenticate_admin(token).await,
        }
    }

    // Catalog.

    pub async fn list_products(&self, in_stock_only: bool) -> Result<Vec<Product>, StoreError> {
        match self {
            Store::Sqlite(s) => s.list_products(in_stock_only).await,
            Store::Postgres(s) => s.list_products(in_stock_only).await,
        }
    }

    pub async fn product(&self, id_or_slug: &str) -> Result<Product, StoreError> {
        match self {
            Store::Sqlite(s) => s.product(id_or_slug).await,
            Store::Postgres(s) => s.product(id_or_slug).await,
        }
    }

    pub async fn create_product(
        &self,
        product: NewProduct,
        actor: &Admin,
    ) -> Result<Product, StoreError> {
        match self {
            Store::Sqlite(s) => s.create_product(product, actor).await,
            Store::Postgres(s) => s.create_product(product, actor).await,
        }
    }

    /// Applies `patch` if the product is still at `expected_version`.
    pub async fn patch_product(
        &self,
        id: &str,
        expected_version: i64,
        patch: ProductPatch,
        actor: &Admin,
    ) -> Result<Product, StoreError> {
        match self {
            Store::Sqlite(s) => s.patch_product(id, expected_version, patch, actor).await,
            Store::Postgres(s) => s.patch_product(id, expected_version, patch, actor).await,
        }
    }

    // Stock.

    pub async fn restock(
        &self,
        sku: &str,
        restock: Restock,
        actor: &Admin,
    ) -> Result<StockChange, StoreError> {
        match self {
            Store::Sqlite(s) => s.restock(sku, restock, actor).await,
            Store::Postgres(s) => s.restock(sku, restock, actor).await,
        }
    }

    pub async fn adjust_stock(
        &self,
        sku: &str,
        adjustment: Adjustment,
        actor: &Admin,
    ) -> Result<StockChange, StoreError> {
        match self {
            Store::Sqlite(s) => s.adjust_stock(sku, adjustment, actor).await,
            Store::Postgres(s) => s.adjust_stock(sku, adjustment, actor).await,
        }
    }

    pub async fn movements(&self, filter: MovementFilter) -> Result<Page<Movement>, StoreError> {
        match self {
            Store::Sqlite(s) => s.movements(filter).await,
            Store::Postgres(s) => s.movements(filter).await,
        }
    }

    // Checkout and orders.

    /// What the stock could serve of each line right now; reserves nothing.
    pub async fn check_cart(
        &self,
        lines: Vec<RequestedLine>,
    ) -> Result<Vec<CartLineStock>, StoreError> {
        match self {
            Store::Sqlite(s) => s.check_cart(lines).await,
            Store::Postgres(s) => s.check_cart(lines).await,
        }
    }

    /// The checkout: all of the order or nothing, in one transaction.
    pub async fn place_order(
        &self,
        request: CheckoutRequest,
    ) -> Result<CheckoutAnswer, StoreError> {
        match self {
            Store::Sqlite(s) => s.place_order(request).await,
            Store::Postgres(s) => s.place_order(request).await,
        }
    }

    /// The order, if `access_token` is its token.
    pub async fn order_for_buyer(&self, id: &str, access_token: &str) -> Result<Order, StoreError> {
        match self {
            Store::Sqlite(s) => s.order_for_buyer(id, access_token).await,
            Store::Postgres(s) => s.order_for_buyer(id, access_token).await,
        }
    }

    pub async fn order(&self, id: &str) -> Result<Order, StoreError> {
        match self {
            Store::Sqlite(s) => s.order(id).await,
            Store::Postgres(s) => s.order(id).await,
        }
    }

    pub async fn orders(&self, filter: OrderFilter) -> Result<Page<Order>, StoreError> {
        match self {
            Store::Sqlite(s) => s.orders(filter).await,
            Store::Postgres(s) => s.orders(filter).await,
        }
    }

    /// Moves an order on; cancelling returns its units to stock, once.
    pub async fn set_order_status(
        &self,
        id: &str,
        status: OrderStatus,
        actor: &Admin,
    ) -> Result<Order, StoreError> {
        match self {
            Store::Sqlite(s) => s.set_order_status(id, status, actor).await,
            Store::Postgres(s) => s.set_order_status(id, status, actor).await,
        }
    }

    // Settings and audit.

    pub async fn settings(&self) -> Result<Settings, StoreError> {
        match self {
            Store::Sqlite(s) => s.settings().await,
            Store::Postgres(s) => s.settings().await,
        }
    }

    pub async fn update_settings(
        &self,
        patch: SettingsPatch,
        actor: &Admin,
    ) -> Result<Settings, StoreError> {
        match self {
            Store::Sqlite(s) => s.update_settings(patch, actor).await,
            Store::Postgres(s) => s.update_settings(patch, actor).await,
        }
    }

    pub async fn audit(&self) -> Result<AuditReport, StoreError> {
        match self {
            Store::Sqlite(s) => s.audit().await,
            Store::Postgres(s) => s.audit().await,
        }
    }

    /// Deletes idempotency answers older than their keep time; returns how many.
    pub async fn purge_idempotency_keys(&self) -> Result<usize, StoreError> {
        match self {
            Store::Sqlite(s) => s.purge_idempotency_keys().await,
            Store::Postgres(s) => s.purge_idempotency_keys().await,
        }
    }
}

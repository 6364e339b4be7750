//! The store: the only place with SQL. It reads, locks and writes; it
//! decides nothing about a checkout (the engine, `checkout/`, does). It
//! speaks the shop's business verbs (`restock`, `set_order_status`,
//! `audit`…), each one database transaction, and applies batches of
//! checkouts as the engine decided them (`batch.rs` states that contract).
//!
//! `Store` holds one backend, so callers never see which one runs: SQLite
//! by default (`store/sqlite/`), PostgreSQL for several instances sharing
//! one database (`store/postgres/`), with the same verbs, answers and
//! errors; beside it, the shop's secret and the disk's state, alike on both.
//!
//! Every verb but the checkout is written once here, above them, one file
//! per verb group (`admins`, `audit`, `catalog`, `customers`, `import`,
//! `orders`, `settings`, `stock`): its SQL, what it writes, its rows read
//! into values (`row`) and its pages (`domain/page.rs`), over the few
//! primitives of `db` that each backend supplies; `on_either!` runs it in
//! the backend's transaction, and `on_backend!` calls what both backends
//! supply. A backend keeps its dialect's SQL, its transactions, its locks
//! and its row reading.

mod admins;
mod audit;
mod batch;
mod catalog;
mod counts;
mod customers;
mod db;
mod deliveries;
mod desk;
mod drops;
mod error;
mod events;
mod give_back;
mod images;
mod import;
mod ops;
mod order_desk;
mod orders;
mod outbox;
mod phones;
pub mod postgres;
mod preorders;
mod receipts;
mod reports;
mod returns;
mod row;
mod sessions;
mod settings;
mod shop;
pub mod sqlite;
mod staff;
mod stock;
mod variants;
mod waitlist;
mod webhooks;

use std::sync::Arc;

pub use batch::*;
pub use deliveries::{Claimed, Target};
pub use error::{Resource, StoreError, describe_pg_error};
pub use images::Media;
pub use ops::{ImportProgress, PoolStatus};
pub use outbox::{SignupRefused, VariantForMessage};
pub use sessions::{OpenSession, Person};
pub use staff::{SetupLink, session_stale_since};
pub use waitlist::SIGNUP_WINDOW_SECS;

use crate::config::{DatabaseUrl, StoreConfig, redact_url};
use crate::disk::DiskSpace;
use crate::domain::admin::Admin;
use crate::domain::audit::AuditReport;
use crate::domain::batch::WrittenBatch;
use crate::domain::image::Photo;
use crate::domain::order::{CartLineStock, Order, OrderStatus, RequestedLine};
use crate::domain::page::{MovementFilter, OrderFilter, Page, ReceiptFilter};
use crate::domain::preorder::PreorderList;
use crate::domain::product::{
    ImageChange, NewProduct, NewVariant, Product, ProductFilter, ProductImage, ProductPatch,
    Variant, VariantPatch,
};
use crate::domain::receiving::{Count, NewReceipt, Receipt, ReceiptSummary};
use crate::domain::settings::{Settings, SettingsPatch};
use crate::domain::shop::{Shop, ShopPatch};
use crate::domain::sku::Sku;
use crate::domain::stock::{Adjustment, Movement, Restock, StockChange, StockEdit};
use db::{Db, on_backend, on_either};

/// The store: the database opened, whichever it is, and what the store
/// keeps beside it the same way on both.
#[derive(Clone)]
pub struct Store(Arc<Opened>);

struct Opened {
    backend: Backend,
    /// The shop's secret, made on the database's first start: order access
    /// tokens are derived from it.
    shop_secret: String,
    /// What the writes found of the disk under the database.
    disk: DiskSpace,
}

/// The database a store runs on; callers never see which.
enum Backend {
    Sqlite(sqlite::SqliteStore),
    Postgres(postgres::PgStore),
}

impl Store {
    /// Opens the database named by `url`, applying migrations, makes the
    /// shop's secret if it has none, and at the first start after migration
    /// V4 brings customers' phones to E.164 form (`phones.rs`).
    pub async fn open(url: &DatabaseUrl, config: StoreConfig) -> Result<Store, StoreError> {
        let (backend, disk) = match url {
            DatabaseUrl::Sqlite(path) => (
                Backend::Sqlite(sqlite::SqliteStore::open(path, config)?),
                DiskSpace::new(path.display().to_string()),
            ),
            DatabaseUrl::Postgres(url) => (
                Backend::Postgres(postgres::PgStore::open(url, config).await?),
                DiskSpace::new(redact_url(url)),
            ),
        };
        let shop_secret = on_either!(@run write, &backend, (), |db, ()| settings::shop_secret(db))?;
        let store = Store(Arc::new(Opened {
            backend,
            shop_secret,
            disk,
        }));
        let migrated = on_either!(write, &store, (), |db, ()| phones::bring_to_e164(db))?;
        let folded = on_either!(write, &store, (), |db, ()| order_desk::fold_names(db))?;
        if folded > 0 {
            tracing::info!(
                orders = folded,
                "orders' names folded for the desk's search"
            );
        }
        if migrated != phones::PhonesMigrated::default() {
            tracing::info!(
                order_phones = migrated.order_phones,
                customers = migrated.customers,
                "customers' phones brought to E.164 form"
            );
        }
        Ok(store)
    }

    pub fn config(&self) -> &StoreConfig {
        on_backend!(self, |s| s.config())
    }

    /// The shop's secret, made on the database's first start: order access
    /// tokens are derived from it.
    pub fn shop_secret(&self) -> &str {
        &self.0.shop_secret
    }

    /// How many batches of checkouts may be applied at once.
    pub fn concurrent_checkout_batches(&self) -> usize {
        on_backend!(self, |s| s.concurrent_checkout_batches())
    }

    /// One batch of checkouts in one transaction: the rows it names read
    /// (and locked, on PostgreSQL), decided by `decider`, written,
    /// committed. Answers once the commit is durable.
    pub async fn apply_checkout_batch<D: BatchDecider>(
        &self,
        decider: Arc<D>,
    ) -> Result<(D::Decided, WrittenBatch), BatchError> {
        let applied = on_backend!(self, |s| s.apply_checkout_batch(decider).await);
        match &applied {
            Ok(_) => _ = self.disk_still_full().await,
            Err(error) => self.note_failure(error.store_error()),
        }
        applied
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_either!(read, self, (), |db, ()| async {
            // A bigint, as every integer the primitives read.
            db.rows("select cast(1 as bigint)", &[]).await?;
            Ok(())
        })
    }

    /// What the writes found of the disk under the database.
    pub fn disk(&self) -> &DiskSpace {
        &self.0.disk
    }

    /// A write's outcome noted for the disk (`crate::disk`), then returned:
    /// a failure for a full disk marks it full, and a write that went
    /// through while it is marked full may mean space was freed, which
    /// `disk_still_full` probes.
    async fn noted<T>(&self, written: Result<T, StoreError>) -> Result<T, StoreError> {
        match &written {
            Ok(_) => _ = self.disk_still_full().await,
            Err(error) => self.note_failure(error),
        }
        written
    }

    /// A failed write noted for the disk, if it failed for a full one.
    fn note_failure(&self, error: &StoreError) {
        if let Some(detail) = error.disk_full() {
            self.disk().note_refused(detail);
        }
    }

    /// Whether writes still fail for a full disk: while the disk is known
    /// to be full, a small write of the store's own (at most one a second)
    /// tells whether space was freed.
    pub async fn disk_still_full(&self) -> bool {
        let disk = self.disk();
        if !disk.is_full() || !disk.probe_due() {
            return disk.is_full();
        }
        let probed = on_backend!(self, |s| s.probe_disk().await);
        match probed {
            Ok(()) => disk.note_room(),
            Err(error) => tracing::debug!(%error, "the disk is still full"),
        }
        disk.is_full()
    }

    // Catalog.

    /// The products buyers see now: active, not hidden by a drop that has
    /// not started.
    pub async fn list_products(&self, in_stock_only: bool) -> Result<Vec<Product>, StoreError> {
        let currency = self.config().currency.clone();
        let now = crate::domain::time::format(self.config().clock.now());
        on_either!(read, self, (currency, now), |db, (currency, now)| {
            catalog::list(db, currency, in_stock_only, now)
        })
    }

    /// A product as the back office sees it, whatever its status, with
    /// its retired variants.
    pub async fn product(&self, id_or_slug: &str) -> Result<Product, StoreError> {
        let data = (id_or_slug.to_owned(), self.config().currency.clone());
        on_either!(read, self, data, |db, (key, currency)| {
            catalog::load(db, key, currency)
        })
    }

    /// A product as buyers see it: not found unless active and not hidden
    /// by a drop that has not started, without its retired variants.
    pub async fn public_product(&self, id_or_slug: &str) -> Result<Product, StoreError> {
        let now = crate::domain::time::format(self.config().clock.now());
        let data = (id_or_slug.to_owned(), self.config().currency.clone(), now);
        on_either!(read, self, data, |db, (key, currency, now)| {
            catalog::load_public(db, key, currency, now)
        })
    }

    /// The back office's product list.
    pub async fn admin_products(&self, filter: ProductFilter) -> Result<Vec<Product>, StoreError> {
        let data = (filter, self.config().currency.clone());
        on_either!(read, self, data, |db, (filter, currency)| {
            catalog::list_for_admin(db, currency, filter)
        })
    }

    /// Adds a variant to the product `product_id`, with its opening stock.
    pub async fn add_variant(
        &self,
        product_id: &str,
        variant: NewVariant,
        actor: &Admin,
    ) -> Result<Variant, StoreError> {
        let currency = self.config().currency.clone();
        let data = (product_id.to_owned(), variant, actor.name.clone(), currency);
        on_either!(write, self, data, |db, (id, variant, actor, currency)| {
            variants::add(db, id, variant, actor, currency)
        })
    }

    /// Retires a variant, sets its threshold, moves it or sets its
    /// preorders (their date judged by the shop's clock).
    pub async fn patch_variant(
        &self,
        sku: &Sku,
        patch: VariantPatch,
        actor: &Admin,
    ) -> Result<Variant, StoreError> {
        let currency = self.config().currency.clone();
        let today = self.config().clock.now().date_naive();
        let data = (sku.to_string(), patch, actor.name.clone(), currency);
        on_either!(write, self, data, |db, (sku, patch, actor, currency)| {
            variants::patch(db, sku, patch, actor, (currency, today))
        })
    }

    pub async fn create_product(
        &self,
        product: NewProduct,
        actor: &Admin,
    ) -> Result<Product, StoreError> {
        let data = (product, actor.name.clone(), self.config().currency.clone());
        on_either!(write, self, data, |db, (product, actor, currency)| {
            catalog::create(db, product, actor, currency)
        })
    }

    /// Applies `patch` if the product is still at `expected_version`.
    pub async fn patch_product(
        &self,
        id: &str,
        expected_version: i64,
        patch: ProductPatch,
        actor: &Admin,
    ) -> Result<Product, StoreError> {
        let currency = self.config().currency.clone();
        let data = (id.to_owned(), patch, actor.name.clone(), currency);
        on_either!(write, self, data, |db, (id, patch, actor, currency)| {
            catalog::patch(db, id, expected_version, patch, actor, currency)
        })
    }

    // Photos.

    /// Adds a processed photo after the product's others.
    pub async fn add_image(
        &self,
        product: &str,
        photo: Photo,
        alt: String,
        actor: &Admin,
    ) -> Result<ProductImage, StoreError> {
        let data = (product.to_owned(), photo, alt, actor.name.clone());
        on_either!(write, self, data, |db, (product, photo, alt, actor)| {
            images::add(db, product, photo, alt, actor)
        })
    }

    /// Changes a photo's alt text or place; answers its place and the photo.
    pub async fn edit_image(
        &self,
        product: &str,
        position: usize,
        change: ImageChange,
        actor: &Admin,
    ) -> Result<(usize, ProductImage), StoreError> {
        let data = (product.to_owned(), change, actor.name.clone());
        on_either!(write, self, data, |db, (product, change, actor)| {
            images::edit(db, product, position, change, actor)
        })
    }

    /// Removes a photo; the others close up.
    pub async fn remove_image(
        &self,
        product: &str,
        position: usize,
        actor: &Admin,
    ) -> Result<(), StoreError> {
        let data = (product.to_owned(), actor.name.clone());
        on_either!(write, self, data, |db, (product, actor)| {
            images::remove(db, product, position, actor)
        })
    }

    /// A stored image by its name, for `/media/{name}`.
    pub async fn media(&self, name: &str) -> Result<Option<Media>, StoreError> {
        let name = name.to_owned();
        on_either!(read, self, name, |db, name| images::media(db, name))
    }

    // Stock.

    pub async fn restock(
        &self,
        sku: &Sku,
        restock: Restock,
        actor: &Admin,
    ) -> Result<StockChange, StoreError> {
        self.edit_stock(sku, StockEdit::Restock(restock), actor)
            .await
    }

    pub async fn adjust_stock(
        &self,
        sku: &Sku,
        adjustment: Adjustment,
        actor: &Admin,
    ) -> Result<StockChange, StoreError> {
        self.edit_stock(sku, StockEdit::Adjust(adjustment), actor)
            .await
    }

    async fn edit_stock(
        &self,
        sku: &Sku,
        edit: StockEdit,
        actor: &Admin,
    ) -> Result<StockChange, StoreError> {
        let data = (sku.to_string(), edit, actor.name.clone());
        on_either!(write, self, data, |db, (sku, edit, actor)| {
            stock::edit(db, sku, edit, actor)
        })
    }

    pub async fn movements(&self, filter: MovementFilter) -> Result<Page<Movement>, StoreError> {
        on_either!(read, self, filter, |db, filter| {
            stock::movements(db, filter)
        })
    }

    /// Applies a count (or any set of adjustments) all or nothing; stale
    /// lines refuse it together.
    pub async fn apply_count(
        &self,
        count: Count,
        actor: &Admin,
    ) -> Result<Vec<Movement>, StoreError> {
        let data = (count, actor.name.clone());
        on_either!(write, self, data, |db, (count, actor)| {
            counts::apply(db, count, actor)
        })
    }

    /// The preorders waiting for stock, per variant, for the back office.
    pub async fn preorders(&self) -> Result<PreorderList, StoreError> {
        on_either!(read, self, (), |db, ()| preorders::list(db))
    }

    // Receipts.

    /// Receives a delivery: the receipt and one `restock` per line, in one transaction.
    pub async fn receive(&self, receipt: NewReceipt, actor: &Admin) -> Result<Receipt, StoreError> {
        let data = (receipt, actor.name.clone());
        on_either!(write, self, data, |db, (receipt, actor)| {
            receipts::receive(db, receipt, actor)
        })
    }

    pub async fn receipt(&self, id: &str) -> Result<Receipt, StoreError> {
        on_either!(read, self, id.to_owned(), |db, id| receipts::load(db, id))
    }

    pub async fn receipts(
        &self,
        filter: ReceiptFilter,
    ) -> Result<Page<ReceiptSummary>, StoreError> {
        on_either!(read, self, filter, |db, filter| receipts::list(db, filter))
    }

    // Orders.

    /// What the stock could serve of each line right now; reserves nothing.
    pub async fn check_cart(
        &self,
        lines: Vec<RequestedLine>,
    ) -> Result<Vec<CartLineStock>, StoreError> {
        on_either!(read, self, lines, |db, lines| catalog::check_cart(
            db, lines
        ))
    }

    /// The order, if `access_token` is its token.
    pub async fn order_for_buyer(&self, id: &str, access_token: &str) -> Result<Order, StoreError> {
        let found = on_either!(read, self, id.to_owned(), |db, id| {
            orders::load(db, id, false)
        });
        orders::for_buyer(found, id, access_token).map(Order::for_buyer)
    }

    /// The order numbered by `seq` if `phone` (normalised) is its buyer's.
    pub async fn order_for_number_and_phone(
        &self,
        seq: i64,
        phone: String,
    ) -> Result<Option<Order>, StoreError> {
        let found = on_either!(read, self, phone, |db, phone| {
            orders::for_number_and_phone(db, seq, phone)
        });
        Ok(found?.map(Order::for_buyer))
    }

    /// The order as its buyer sees it (without the desk's payment and notes).
    pub async fn order(&self, id: &str) -> Result<Order, StoreError> {
        Ok(self.desk_order(id).await?.for_buyer())
    }

    pub async fn orders(&self, filter: OrderFilter) -> Result<Page<Order>, StoreError> {
        on_either!(read, self, filter, |db, filter| {
            orders::list(db, filter)
        })
    }

    /// Moves an order on; cancelling returns its units to stock, once.
    pub async fn set_order_status(
        &self,
        id: &str,
        status: OrderStatus,
        reason: Option<String>,
        actor: &Admin,
    ) -> Result<Order, StoreError> {
        let now = crate::domain::time::format(self.config().clock.now());
        let data = (id.to_owned(), reason, actor.name.clone(), now);
        on_either!(write, self, data, |db, (id, reason, actor, now)| {
            orders::set_status(db, id, status, reason.as_deref(), actor, now.as_str())
        })
    }

    // Settings and audit.

    pub async fn settings(&self) -> Result<Settings, StoreError> {
        on_either!(read, self, (), |db, ()| settings::load(db, false))
    }

    pub async fn update_settings(
        &self,
        patch: SettingsPatch,
        actor: &Admin,
    ) -> Result<Settings, StoreError> {
        let data = (patch, actor.name.clone());
        on_either!(write, self, data, |db, (patch, actor)| {
            settings::update(db, patch, actor)
        })
    }

    /// The shop's identity and delivery zones.
    pub async fn shop(&self) -> Result<Shop, StoreError> {
        let currency = self.config().currency.clone();
        on_either!(read, self, currency, |db, currency| shop::load(
            db, currency, false
        ))
    }

    pub async fn update_shop(&self, patch: ShopPatch, actor: &Admin) -> Result<Shop, StoreError> {
        let data = (patch, actor.name.clone(), self.config().currency.clone());
        on_either!(write, self, data, |db, (patch, actor, currency)| {
            shop::update(db, patch, actor, currency)
        })
    }

    /// Ledger, stock and orders compared in one snapshot of the database.
    /// The audit; when it finds an anomaly the owner was not told of yet,
    /// an `audit.anomaly` event tells her.
    pub async fn audit(&self) -> Result<AuditReport, StoreError> {
        let report = on_backend!(self, |s| s.audit().await)?;
        if let Err(error) = self.note_audit(&report).await {
            // The report stands; the event is told at the next audit.
            tracing::warn!(%error, "an audit's anomaly could not be written to the outbox");
        }
        Ok(report)
    }

    /// Deletes idempotency answers older than their keep time; returns how many.
    pub async fn purge_idempotency_keys(&self) -> Result<usize, StoreError> {
        let ttl = self.config().idempotency_ttl;
        on_either!(write, self, (), |db, ()| settings::purge(db, ttl))
    }
}

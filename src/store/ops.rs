//! The store's operations verbs: what metrics, backups and the CSV import
//! ask of the database, on whichever backend runs (backups on SQLite only).

use super::db::{on_backend, on_either};
use super::{Backend, Store, StoreError, import, stock};
use crate::domain::catalog_csv::ImportProduct;
use crate::domain::catalog_import::ImportSummary;
use crate::domain::product::{Product, ProductFilter};

/// How busy the database connections are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolStatus {
    pub readers_max: u32,
    pub readers_open: u32,
    pub readers_idle: u32,
}

/// Called with the number of products applied so far (a progress bar).
pub type ImportProgress = Box<dyn Fn(u64) + Send + Sync>;

impl Store {
    /// Units on hand of every sku, for the metrics.
    pub async fn stock_levels(&self) -> Result<Vec<(String, i64)>, StoreError> {
        on_either!(read, self, (), |db, ()| stock::levels(db))
    }

    /// How busy the database connections are, for the metrics.
    pub fn pool_status(&self) -> PoolStatus {
        on_backend!(self, |s| s.pool_status())
    }

    /// A consistent copy of the whole SQLite database, taken while the
    /// service runs, written through `file`, new at `target`. PostgreSQL is
    /// copied with its own tool, `pg_dump`: `stockroom backup` says so
    /// before it opens a store.
    pub async fn backup(
        &self,
        file: std::fs::File,
        target: &std::path::Path,
    ) -> Result<(), StoreError> {
        match &self.0.backend {
            Backend::Sqlite(s) => s.backup(file, target).await,
            Backend::Postgres(_) => Err(StoreError::Internal(
                "a PostgreSQL database is backed up with pg_dump, not by stockroom".into(),
            )),
        }
    }

    /// Every product whatever its status, oldest first, without its retired
    /// variants: the catalog an export writes and an import reads back.
    pub async fn catalog_for_export(&self) -> Result<Vec<Product>, StoreError> {
        let mut products = self.admin_products(ProductFilter::default()).await?;
        // Newest first in the back office; a file reads better in creation order.
        products.reverse();
        let kept = products.into_iter().map(Product::without_retired_variants);
        Ok(kept.collect())
    }

    /// Creates or updates products and variants and sets their stock, all in
    /// one transaction; returns what changed, or with `dry_run` what would
    /// change, leaving the database as it was. Refused lines are
    /// `StoreError::ImportRefused`. `progress` is told how many products
    /// are written so far.
    pub async fn import_catalog(
        &self,
        products: Vec<ImportProduct>,
        actor: &str,
        dry_run: bool,
        progress: ImportProgress,
    ) -> Result<ImportSummary, StoreError> {
        let data = (products, actor.to_owned(), progress);
        on_either!(write, self, data, |db, (products, actor, progress)| {
            import::run(db, products, actor, dry_run, progress)
        })
    }
}

//! The store's operations verbs: what metrics, backups and the CSV import
//! ask of the database, on whichever backend runs (backups on SQLite only).

use super::{ImportProduct, ImportProgress, ImportSummary, PoolStatus, Store, StoreError};

impl Store {
    /// Units on hand of every sku, for the metrics.
    pub async fn stock_levels(&self) -> Result<Vec<(String, i64)>, StoreError> {
        match self {
            Store::Sqlite(s) => s.stock_levels().await,
            Store::Postgres(s) => s.stock_levels().await,
        }
    }

    /// How busy the database connections are, for the metrics.
    pub fn pool_status(&self) -> PoolStatus {
        match self {
            Store::Sqlite(s) => s.pool_status(),
            Store::Postgres(s) => s.pool_status(),
        }
    }

    /// A consistent copy of the whole SQLite database in a new file, taken
    /// while the service runs. PostgreSQL is copied with its own tool,
    /// `pg_dump`: `stockroom backup` says so before it opens a store.
    pub async fn backup(&self, target: &std::path::Path) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.backup(target).await,
            Store::Postgres(_) => Err(StoreError::Internal(
                "a PostgreSQL database is backed up with pg_dump, not by stockroom".into(),
            )),
        }
    }

    /// Creates or updates products and variants and sets their stock, all in
    /// one transaction; returns what changed.
    pub async fn import_catalog(
        &self,
        products: Vec<ImportProduct>,
        actor: &str,
        progress: ImportProgress,
    ) -> Result<ImportSummary, StoreError> {
        let imported = match self {
            Store::Sqlite(s) => s.import_catalog(products, actor, progress).await,
            Store::Postgres(s) => s.import_catalog(products, actor, progress).await,
        };
        self.noted(imported).await
    }
}

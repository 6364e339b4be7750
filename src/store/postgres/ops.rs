//! Operations on PostgreSQL: the numbers `/metrics` reads. Backups and the
//! CSV import are SQLite's for now: PostgreSQL has its own tools for the
//! first (`pg_dump`, docs/OPERATIONS.md), and the second says so plainly.

use std::path::Path;

use super::PgStore;
use super::sql::query;
use crate::domain::{FieldError, ValidationError};
use crate::store::{ImportProduct, ImportProgress, ImportSummary, PoolStatus, StoreError};

impl PgStore {
    pub async fn stock_levels(&self) -> Result<Vec<(String, i64)>, StoreError> {
        self.read(&(), |client, ()| {
            Box::pin(async move {
                let rows =
                    query(client, "select sku, available from stock order by sku", &[]).await?;
                Ok(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
            })
        })
        .await
    }

    /// The connection pool seen as the metrics see SQLite's: open and idle
    /// connections.
    pub fn pool_status(&self) -> PoolStatus {
        let status = self.pool.status();
        PoolStatus {
            readers_max: u32::try_from(status.max_size).unwrap_or(u32::MAX),
            readers_open: u32::try_from(status.size).unwrap_or(u32::MAX),
            readers_idle: u32::try_from(status.available).unwrap_or(u32::MAX),
        }
    }

    pub async fn backup(&self, _target: &Path) -> Result<(), StoreError> {
        Err(unsupported(
            "Sur PostgreSQL, sauvegardez avec pg_dump -Fc (voir docs/OPERATIONS.md).",
            "On PostgreSQL, back up with pg_dump -Fc (see docs/OPERATIONS.md).",
        ))
    }

    pub async fn import_catalog(
        &self,
        _products: Vec<ImportProduct>,
        _actor: &str,
        _progress: ImportProgress,
    ) -> Result<ImportSummary, StoreError> {
        Err(unsupported(
            "L'import CSV n'existe encore que sur SQLite : importez dans une base SQLite, ou créez les produits par l'API.",
            "The CSV import exists on SQLite only for now: import into an SQLite database, or create the products through the API.",
        ))
    }
}

fn unsupported(fr: &str, en: &str) -> StoreError {
    StoreError::Invalid(ValidationError::one(FieldError::new(
        "database_url",
        fr,
        en,
    )))
}

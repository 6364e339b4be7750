//! Operations on PostgreSQL: the numbers `/metrics` reads. Backups are
//! `pg_dump`'s (docs/OPERATIONS.md).

use super::PgStore;
use super::sql::query;
use crate::store::{PoolStatus, StoreError};

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
}

//! Operations on PostgreSQL: the numbers `/metrics` reads and the probe of
//! a full disk. Backups are `pg_dump`'s (docs/OPERATIONS.md); the CSV
//! import is in `import.rs`.

use super::PgStore;
use crate::store::{PoolStatus, StoreError};

/// A probe of the disk: 128 rows of a kilobyte (too short to be compressed)
/// in a temporary table, which grows its file page by page on the disk of
/// the temporary tablespace (the database's own unless `temp_tablespaces`
/// says otherwise); rolled back, it leaves nothing.
const DISK_PROBE: &str = "create temporary table stockroom_disk_probe (filler text) on commit drop;
     insert into stockroom_disk_probe select repeat('x', 1000) from generate_series(1, 128)";

impl PgStore {
    /// Whether the server can grow a table again: `DISK_PROBE`, rolled back.
    pub async fn probe_disk(&self) -> Result<(), StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let probed = tx.batch_execute(DISK_PROBE).await;
        // Rolling back an aborted transaction works too; if even that
        // fails, dropping it rolls back.
        let _ = tx.rollback().await;
        probed.map_err(StoreError::from)
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

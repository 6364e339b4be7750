//! Operations on PostgreSQL: the numbers `/metrics` reads. Backups are
//! `pg_dump`'s (docs/OPERATIONS.md).

use super::PgStore;
use crate::store::PoolStatus;

impl PgStore {
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

//! Operations on SQLite: the numbers `/metrics` reads and online backups.

use std::path::Path;

use super::SqliteStore;
use crate::store::{PoolStatus, StoreError};

impl SqliteStore {
    pub fn pool_status(&self) -> PoolStatus {
        let state = self.readers.state();
        PoolStatus {
            readers_max: self.readers.max_size(),
            readers_open: state.connections,
            readers_idle: state.idle_connections,
        }
    }

    /// `VACUUM INTO` on a read-only connection: SQLite copies one read
    /// snapshot of the database (WAL lets the writer go on meanwhile), so the
    /// copy is consistent without stopping the service, and compact.
    pub async fn backup(&self, target: &Path) -> Result<(), StoreError> {
        if target.exists() {
            return Err(StoreError::Invalid(crate::domain::ValidationError::one(
                crate::domain::FieldError::new(
                    "file",
                    format!("{} existe déjà.", target.display()),
                    format!(
                        "{} already exists; a backup never overwrites a file.",
                        target.display()
                    ),
                ),
            )));
        }
        let target = target.to_string_lossy().into_owned();
        self.read(move |conn| {
            conn.execute("vacuum into ?1", [&target])?;
            Ok(())
        })
        .await
    }
}

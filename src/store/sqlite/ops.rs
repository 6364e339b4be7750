//! Operations on SQLite: the numbers `/metrics` reads and online backups.

use std::fs::File;
use std::path::Path;

use super::SqliteStore;
use crate::files::private_folder;
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
    ///
    /// The backup holds what the database holds, so it is made like the
    /// database: readable by its owner only. SQLite writes the copy in a
    /// private folder (0700) beside `target`, and the copy is then written
    /// through `file`, which the caller claimed at `target`
    /// (`files::claim_new`), never through a name.
    pub async fn backup(&self, mut file: File, target: &Path) -> Result<(), StoreError> {
        let folder = target
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_owned();
        self.read(move |conn| {
            let private = private_folder(&folder, ".stockroom-backup-").map_err(io_error)?;
            let copy = private.path().join("copy.db");
            conn.execute("vacuum into ?1", [copy.to_string_lossy().as_ref()])?;
            let mut source = File::open(&copy).map_err(io_error)?;
            std::io::copy(&mut source, &mut file).map_err(io_error)?;
            file.sync_all().map_err(io_error)
        })
        .await
    }
}

fn io_error(error: std::io::Error) -> StoreError {
    StoreError::Unavailable(error.to_string())
}

//! Operations on SQLite: the numbers `/metrics` reads and online backups.

use std::path::Path;

use super::SqliteStore;
use crate::files::{claim_new, private_folder};
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
    /// database: readable by its owner only. Its name is claimed first,
    /// exclusively (`O_CREAT | O_EXCL`: any existing entry, a dangling
    /// symbolic link included, is refused and never followed). SQLite writes
    /// the copy in a private folder beside it (0700), and the copy is then
    /// written through the file claimed, never through its name again.
    pub async fn backup(&self, target: &Path) -> Result<(), StoreError> {
        let mut file = claim_new(target).map_err(|e| claim_refused(target, &e))?;
        let folder = target
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_owned();
        let written = self
            .read(move |conn| {
                let private = private_folder(&folder, ".stockroom-backup-").map_err(io_error)?;
                let copy = private.path().join("copy.db");
                conn.execute("vacuum into ?1", [copy.to_string_lossy().as_ref()])?;
                let mut source = std::fs::File::open(&copy).map_err(io_error)?;
                std::io::copy(&mut source, &mut file).map_err(io_error)?;
                file.sync_all().map_err(io_error)
            })
            .await;
        if written.is_err() {
            // The name was ours: nothing half-written is left behind.
            let _ = std::fs::remove_file(target);
        }
        written
    }
}

/// Why the backup's file could not be claimed: a name already taken is the
/// caller's mistake, told in both languages; anything else, the disk's.
fn claim_refused(target: &Path, error: &std::io::Error) -> StoreError {
    if error.kind() == std::io::ErrorKind::AlreadyExists {
        StoreError::Invalid(crate::domain::ValidationError::one(
            crate::domain::FieldError::new(
                "file",
                format!("{} existe déjà.", target.display()),
                format!(
                    "{} already exists; a backup never overwrites a file.",
                    target.display()
                ),
            ),
        ))
    } else {
        StoreError::Unavailable(format!("cannot create {}: {error}", target.display()))
    }
}

fn io_error(error: std::io::Error) -> StoreError {
    StoreError::Unavailable(error.to_string())
}

//! SQLite side of the store: one writer thread, the only connection that
//! writes, one transaction per write, and a few read-only connections
//! beside it, which WAL lets run while it writes.
//! Every verb but the checkout is written once above it (`store/*.rs`)
//! over the primitives of `db.rs`.

mod audit;
mod checkout;
mod checkpointer;
mod db;
mod ops;
mod writer;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, OpenFlags};

use super::StoreError;
use crate::config::StoreConfig;
use checkpointer::{Checkpointer, WRITER_AUTOCHECKPOINT_PAGES};
pub(in crate::store) use db::ready;
use writer::Writer;
pub use writer::WriterLimits;

mod embedded {
    refinery::embed_migrations!("migrations/sqlite");
}

/// How long a connection waits for another process's lock before `SQLITE_BUSY`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The writer's page cache, 16 MiB (SQLite's default is 2 MiB): the pages a
/// checkout touches stay in memory instead of costing a `pread` each.
/// Readers keep the default; the budget is RSS ≤ 150 MB under a rush.
const WRITER_CACHE_PRAGMA: &str = "pragma cache_size = -16384;";

pub struct SqliteStore {
    writer: Writer,
    readers: r2d2::Pool<SqliteConnectionManager>,
    config: StoreConfig,
    path: PathBuf,
}

/// What a probe of the disk writes beside the database, and removes: room
/// for a batch of checkouts' pages in the WAL.
const DISK_PROBE_BYTES: usize = 256 * 1024;

impl SqliteStore {
    /// Opens (creating if missing) the database at `path`, applies pending
    /// migrations and starts the writer thread.
    pub fn open(path: &Path, config: StoreConfig) -> Result<SqliteStore, StoreError> {
        let mut conn = open_writer_connection(path)?;
        migrate(&mut conn)?;
        conn.execute_batch(&format!(
            "pragma wal_autocheckpoint = {WRITER_AUTOCHECKPOINT_PAGES};"
        ))?;
        let checkpointer = Checkpointer::start(path)?;
        let limits = WriterLimits {
            queue_max: config.write_queue_max,
            begin_deadline: config.checkout_timeout,
        };
        let writer = Writer::start(conn, limits, checkpointer)
            .map_err(|e| StoreError::Internal(e.to_string()))?;
        let manager = SqliteConnectionManager::file(path)
            .with_flags(OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .with_init(|c| c.busy_timeout(BUSY_TIMEOUT));
        let readers = r2d2::Pool::builder()
            .max_size(config.sqlite_readers_max)
            .min_idle(Some(1))
            .connection_timeout(config.checkout_timeout)
            .build(manager)?;
        Ok(SqliteStore {
            writer,
            readers,
            config,
            path: path.to_owned(),
        })
    }

    pub fn config(&self) -> &StoreConfig {
        &self.config
    }

    /// Runs a read on a read-only connection, off the async runtime.
    pub(in crate::store) async fn read<T, F>(&self, read: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let readers = self.readers.clone();
        tokio::task::spawn_blocking(move || {
            let conn = readers.get()?;
            read(&conn)
        })
        .await
        .map_err(|e| StoreError::Internal(format!("a read task failed: {e}")))?
    }

    /// Runs a write in a transaction of its own on the writer's thread (see
    /// `writer`).
    pub(in crate::store) async fn write<T, F>(&self, write: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.writer
            .write(Instant::now() + self.config.checkout_timeout, write)
            .await
    }

    /// Whether the database's folder has room for a batch of writes: a
    /// file of `DISK_PROBE_BYTES` written there, synced and removed.
    pub async fn probe_disk(&self) -> Result<(), StoreError> {
        let mut probe = self.path.clone().into_os_string();
        probe.push("-space-probe");
        let probe = PathBuf::from(probe);
        tokio::task::spawn_blocking(move || {
            let written = crate::disk::write_probe(&probe, DISK_PROBE_BYTES);
            written.map_err(|e| StoreError::from_io(&format!("writing {}", probe.display()), &e))
        })
        .await
        .map_err(|e| StoreError::Internal(format!("the disk probe failed: {e}")))?
    }
}

/// The writer's connection: WAL so readers never block it, `synchronous=FULL`
/// so a commit is on disk before anyone is told about it.
fn open_writer_connection(path: &Path) -> Result<Connection, StoreError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Unavailable(format!("cannot create {}: {e}", dir.display()))
        })?;
    }
    // The file holds customers' names, phones and addresses.
    crate::files::create_private_database(path)
        .map_err(|e| StoreError::Unavailable(format!("cannot create {}: {e}", path.display())))?;
    let conn = Connection::open(path)
        .map_err(|e| StoreError::Unavailable(format!("cannot open {}: {e}", path.display())))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("pragma journal_mode = wal", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Internal(format!(
            "SQLite refused WAL mode (got {mode})"
        )));
    }
    // Savepoint journals in memory: on disk, every order of a batch would
    // write its savepoint journal to a temporary file.
    conn.execute_batch(
        "pragma synchronous = full; pragma foreign_keys = on; pragma temp_store = memory;",
    )?;
    conn.execute_batch(WRITER_CACHE_PRAGMA)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    migrate_to(conn, refinery::Target::Latest)
}

fn migrate_to(conn: &mut Connection, target: refinery::Target) -> Result<(), StoreError> {
    embedded::migrations::runner()
        .set_target(target)
        .run(conn)
        .map(|_| ())
        .map_err(|e| StoreError::Internal(format!("migration failed: {e}")))
}

/// Applies pending migrations to the database at `path` and returns.
pub fn migrate_only(path: &Path) -> Result<(), StoreError> {
    let mut conn = open_writer_connection(path)?;
    migrate(&mut conn)
}

/// Applies the migrations up to `version` only, to the database at `path`:
/// a database as an older stockroom left it, for the tests of a migration.
pub fn migrate_up_to(path: &Path, version: refinery::SchemaVersion) -> Result<(), StoreError> {
    let mut conn = open_writer_connection(path)?;
    migrate_to(&mut conn, refinery::Target::Version(version))
}

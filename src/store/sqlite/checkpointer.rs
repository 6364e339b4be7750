//! WAL checkpoints on a thread of their own, so the writer does not pay for
//! them.
//!
//! Every commit appends pages to the WAL; a checkpoint copies them back
//! into the database file and syncs it. SQLite runs checkpoints on the
//! committing connection by default, every 1,000 pages: on the writer's
//! thread, between two batches, 12 % of its time under a rush (measured
//! with `perf`, docs/BENCHMARKS.md). Here the writer nudges this thread
//! after each commit, and it runs a `PASSIVE` checkpoint (which never
//! blocks the writer or a reader) at most once per `PAUSE`.
//!
//! The writer keeps an automatic checkpoint of its own at a much higher
//! threshold (`WRITER_AUTOCHECKPOINT_PAGES`), as a bound: a `PASSIVE`
//! checkpoint running beside a writer that never stops can lag behind, and
//! SQLite only starts the WAL over once a checkpoint has caught up.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use rusqlite::Connection;

use super::BUSY_TIMEOUT;
use crate::store::StoreError;

/// At most one checkpoint per this long: a page written again and again
/// (a hot item's stock, the tail of an index) is copied once per pause.
const PAUSE: Duration = Duration::from_millis(50);

/// The writer's own automatic checkpoint, in pages of WAL (32 MiB).
pub const WRITER_AUTOCHECKPOINT_PAGES: u32 = 8192;

/// The writer's handle on the checkpoint thread; the thread stops once it
/// is dropped.
pub struct Checkpointer {
    nudge: mpsc::SyncSender<()>,
}

impl Checkpointer {
    /// Opens a connection of its own to the database at `path` and starts
    /// the thread.
    pub fn start(path: &Path) -> Result<Checkpointer, StoreError> {
        let conn = Connection::open(path)
            .map_err(|e| StoreError::Unavailable(format!("cannot open {}: {e}", path.display())))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // The syncs of a checkpoint follow this connection's setting: the
        // WAL is on disk before its pages are copied, and the database file
        // after.
        conn.execute_batch("pragma synchronous = full;")?;
        let (nudge, nudged) = mpsc::sync_channel(1);
        std::thread::Builder::new()
            .name("stockroom-checkpoint".into())
            .spawn(move || run(&conn, &nudged))
            .map_err(|e| StoreError::Internal(format!("cannot start the checkpointer: {e}")))?;
        Ok(Checkpointer { nudge })
    }

    /// Tells the thread that the WAL has grown; never waits.
    pub fn nudge(&self) {
        let _ = self.nudge.try_send(());
    }
}

fn run(conn: &Connection, nudged: &mpsc::Receiver<()>) {
    while nudged.recv().is_ok() {
        match checkpoint(conn) {
            Ok(()) => {}
            // The writes that fail say so, once (`crate::disk`).
            Err(error) if error.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) => {
                tracing::debug!(%error, "a WAL checkpoint failed: the disk is full");
            }
            Err(error) => {
                tracing::warn!(%error, "a WAL checkpoint failed; the next commit will try again");
            }
        }
        std::thread::sleep(PAUSE);
    }
    tracing::debug!("checkpointer stopped: the writer is gone");
}

/// Copies what it can of the WAL into the database file, without waiting
/// on anyone.
fn checkpoint(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("pragma wal_checkpoint(passive)", [], |_| Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_committed_by_another_connection_reach_the_database_file() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("wal.db");
        let writer = Connection::open(&path).expect("a connection");
        writer
            .execute_batch(
                "pragma journal_mode = wal; pragma wal_autocheckpoint = 0;
                 create table t (x text);",
            )
            .expect("a WAL database that never checkpoints by itself");
        let before = std::fs::metadata(&path).expect("the file").len();
        let checkpointer = Checkpointer::start(&path).expect("started");
        for _ in 0..20 {
            writer
                .execute_batch(
                    "with recursive n(i) as (select 1 union all select i + 1 from n where i < 50)
                     insert into t select hex(randomblob(1000)) from n",
                )
                .expect("rows committed");
            checkpointer.nudge();
        }
        let waited = std::time::Instant::now();
        while std::fs::metadata(&path).expect("the file").len() <= before {
            assert!(
                waited.elapsed() < Duration::from_secs(5),
                "nothing was checkpointed into the database file"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

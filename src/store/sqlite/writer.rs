//! The SQLite writer: one connection on its own thread applies every write,
//! each in a transaction of its own, and answers its caller only after the
//! commit that holds its write is on disk.
//!
//! Callers queue writes on a bounded channel (full: `Unavailable` at once).
//! The thread takes them in turn: it opens a `BEGIN IMMEDIATE` transaction,
//! runs the write, commits (one fsync), or rolls back if the write failed,
//! then answers. Grouping writes into one commit is the checkout engine's
//! job (`checkout/sequencer.rs`): it hands the writer a whole batch of
//! checkouts as one write, one batch at a time, and the other writes are
//! an admin's. WAL checkpoints run on a thread of their own
//! (`checkpointer.rs`).

use std::time::{Duration, Instant};

use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

use super::checkpointer::Checkpointer;
use crate::backoff::Backoff;
use crate::store::StoreError;

/// A write in the queue: run on the writer's connection in a transaction of
/// its own, given how long `BEGIN IMMEDIATE` may wait, it answers its caller.
type Job = Box<dyn FnOnce(&Connection, Duration) + Send>;

/// How the writer queues writes.
#[derive(Clone, Copy, Debug)]
pub struct WriterLimits {
    /// Writes waiting at most; past it callers get `Unavailable` at once.
    pub queue_max: usize,
    /// How long to keep retrying `BEGIN IMMEDIATE` while another process
    /// (a CLI command, a backup) holds the write lock.
    pub begin_deadline: Duration,
}

/// The handle callers use; cheap to clone.
#[derive(Clone)]
pub struct Writer {
    queue: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer thread, which owns `conn` until the last handle is dropped.
    /// The thread nudges `checkpointer` after each write.
    pub fn start(
        conn: Connection,
        limits: WriterLimits,
        checkpointer: Checkpointer,
    ) -> std::io::Result<Writer> {
        let (queue, jobs) = mpsc::channel(limits.queue_max.max(1));
        std::thread::Builder::new()
            .name("stockroom-writer".into())
            .spawn(move || run_writer(conn, jobs, limits.begin_deadline, checkpointer))?;
        Ok(Writer { queue })
    }

    /// Runs `write` in a transaction of its own and answers after its
    /// commit. The write is skipped (and `Unavailable` answered) if it is
    /// still queued at `deadline`; an error from `write` rolls back its work.
    pub async fn write<T, F>(&self, deadline: Instant, write: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |conn, begin_deadline| {
            let result = if Instant::now() > deadline {
                Err(StoreError::Unavailable(
                    "the write waited past its deadline".into(),
                ))
            } else {
                in_transaction(conn, begin_deadline, write)
            };
            let _ = answer.send(result);
        });
        self.queue.try_send(job).map_err(|error| match error {
            mpsc::error::TrySendError::Full(_) => {
                StoreError::Unavailable("the write queue is full".into())
            }
            mpsc::error::TrySendError::Closed(_) => {
                StoreError::Unavailable("the writer has stopped".into())
            }
        })?;
        answered
            .await
            .unwrap_or_else(|_| Err(StoreError::Internal("the writer dropped a job".into())))
    }
}

fn run_writer(
    conn: Connection,
    mut jobs: mpsc::Receiver<Job>,
    begin_deadline: Duration,
    checkpointer: Checkpointer,
) {
    while let Some(job) = jobs.blocking_recv() {
        job(&conn, begin_deadline);
        checkpointer.nudge();
    }
    tracing::debug!("writer stopped: every handle was dropped");
}

/// Runs `write` in one transaction: committed if it succeeds; rolled back
/// if it fails, or if its commit does.
fn in_transaction<T>(
    conn: &Connection,
    begin_deadline: Duration,
    write: impl FnOnce(&Connection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    begin_immediate(conn, begin_deadline)
        .inspect_err(|error| log_failure(error, "could not open a write transaction"))?;
    let written = write(conn).and_then(|value| {
        conn.execute_batch("commit")
            .map_err(StoreError::from)
            .inspect_err(|error| log_failure(error, "a commit failed; its write is rolled back"))
            .map(|()| value)
    });
    if !conn.is_autocommit() {
        let _ = conn.execute_batch("rollback");
    }
    written
}

/// Logs a transaction that could not open or commit, but not one that failed
/// for a full disk: the store says that once (`crate::disk`), not once per
/// write.
fn log_failure(error: &StoreError, what: &str) {
    match error {
        StoreError::DiskFull(_) => tracing::debug!(%error, "{what}"),
        StoreError::Unavailable(_) => tracing::warn!(%error, "{what}"),
        _ => tracing::error!(%error, "{what}"),
    }
}

/// `BEGIN IMMEDIATE`, retried with capped exponential backoff and jitter
/// while another process holds the write lock, until the deadline.
fn begin_immediate(conn: &Connection, deadline: Duration) -> Result<(), StoreError> {
    let mut backoff = Backoff::with_pauses(
        Instant::now() + deadline,
        Duration::from_millis(1),
        Duration::from_millis(100),
    );
    loop {
        match conn.execute_batch("begin immediate") {
            Ok(()) => return Ok(()),
            Err(error) => {
                let error = StoreError::from(error);
                let transient = matches!(error, StoreError::Unavailable(_));
                match backoff.next_pause() {
                    Some(pause) if transient => std::thread::sleep(pause),
                    _ => return Err(error),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn limits() -> WriterLimits {
        WriterLimits {
            queue_max: 16,
            begin_deadline: Duration::from_secs(1),
        }
    }

    #[tokio::test]
    async fn a_failing_write_undoes_only_its_own_work_and_each_write_runs_once() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("writer.db");
        let conn = Connection::open(&path).expect("a connection");
        conn.execute_batch("pragma journal_mode = wal; create table t (x integer);")
            .expect("a table");
        let checkpointer = Checkpointer::start(&path).expect("a checkpointer");
        let writer = Writer::start(conn, limits(), checkpointer).expect("the writer");
        let deadline = Instant::now() + Duration::from_secs(5);
        // Holds the writer's thread while the others queue up behind it, so
        // that the failing write runs between two others.
        let first = writer.write(deadline, |_| {
            std::thread::sleep(Duration::from_millis(200));
            Ok(())
        });
        let runs = Arc::new(AtomicUsize::new(0));
        let insert = |x: i64| {
            let runs = runs.clone();
            move |conn: &Connection| {
                runs.fetch_add(1, Ordering::Relaxed);
                conn.execute("insert into t (x) values (?1)", [x])?;
                Ok(x)
            }
        };
        let failing = |conn: &Connection| -> Result<i64, StoreError> {
            conn.execute("insert into t (x) values (2)", [])?;
            Err(StoreError::Internal(
                "this write fails after writing".into(),
            ))
        };
        let (first, one, two, three) = tokio::join!(
            first,
            async {
                tokio::time::sleep(Duration::from_millis(50)).await;
                writer.write(deadline, insert(1)).await
            },
            async {
                tokio::time::sleep(Duration::from_millis(60)).await;
                writer.write(deadline, failing).await
            },
            async {
                tokio::time::sleep(Duration::from_millis(70)).await;
                writer.write(deadline, insert(3)).await
            },
        );
        first.expect("the first write");
        assert_eq!(one.expect("the write before the failing one"), 1);
        assert!(matches!(two, Err(StoreError::Internal(_))), "{two:?}");
        assert_eq!(three.expect("the write after the failing one"), 3);
        // Each good write ran once, in a transaction of its own: one row
        // each, and none of the failing one's.
        assert_eq!(runs.load(Ordering::Relaxed), 2);
        let reader = Connection::open(&path).expect("a reader");
        let rows: Vec<i64> = reader
            .prepare("select x from t order by x")
            .expect("a query")
            .query_map([], |row| row.get(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(rows, vec![1, 3]);
    }
}

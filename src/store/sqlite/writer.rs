//! The SQLite writer: one connection on its own thread applies every write,
//! many per transaction (group commit), and answers each caller only after
//! the commit that holds its write is on disk.
//!
//! Callers queue jobs on a bounded channel. The thread takes what has queued
//! up (at most `batch_max`), opens one `BEGIN IMMEDIATE` transaction, runs
//! the jobs under one savepoint — if one fails, the savepoint is rolled back
//! and each job runs again in its own, so a job that fails touches no
//! other — commits once (one fsync), then sends every answer. With `batch_max = 1` this is one transaction per write.
//! WAL checkpoints run on a thread of their own (`checkpointer.rs`).

use std::time::{Duration, Instant};

use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

use super::checkpointer::Checkpointer;
use crate::backoff::Backoff;
use crate::store::StoreError;

/// A write waiting in the queue, with the answer it owes its caller.
trait PendingWrite: Send {
    /// Runs the write on the writer's connection and keeps its result;
    /// `false` if it failed. Runs again if its work was rolled back.
    fn attempt(&mut self, conn: &Connection) -> bool;
    /// Answers the caller with the write's result once `commit` tells
    /// whether it is on disk; a write never attempted (its deadline
    /// passed first) was never applied, and says so.
    fn answer(self: Box<Self>, commit: Result<(), StoreError>);
}

struct Pending<T, F> {
    write: F,
    result: Option<Result<T, StoreError>>,
    answer: oneshot::Sender<Result<T, StoreError>>,
}

impl<T, F> PendingWrite for Pending<T, F>
where
    T: Send,
    F: FnMut(&Connection) -> Result<T, StoreError> + Send,
{
    fn attempt(&mut self, conn: &Connection) -> bool {
        let result = (self.write)(conn);
        let succeeded = result.is_ok();
        self.result = Some(result);
        succeeded
    }

    fn answer(self: Box<Self>, commit: Result<(), StoreError>) {
        let answer = match self.result {
            Some(result) => commit.and(result),
            None => Err(StoreError::Unavailable(
                "the write waited past its deadline".into(),
            )),
        };
        let _ = self.answer.send(answer);
    }
}

/// A write in the queue; it is never applied once `deadline` has passed.
struct Job {
    deadline: Instant,
    write: Box<dyn PendingWrite>,
}

/// How the writer groups writes into transactions.
#[derive(Clone, Copy, Debug)]
pub struct WriterLimits {
    /// Writes per transaction at most; 1 means one transaction per write.
    pub batch_max: usize,
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
    /// The thread nudges `checkpointer` after each commit.
    pub fn start(
        conn: Connection,
        limits: WriterLimits,
        checkpointer: Checkpointer,
    ) -> std::io::Result<Writer> {
        let (queue, jobs) = mpsc::channel(limits.queue_max.max(1));
        std::thread::Builder::new()
            .name("stockroom-writer".into())
            .spawn(move || run_writer(conn, jobs, limits, checkpointer))?;
        Ok(Writer { queue })
    }

    /// Runs `write` in the next transaction and answers after its commit.
    /// The write is skipped (and `Unavailable` answered) if it is still
    /// queued at `deadline`; an error from `write` undoes only its own work.
    ///
    /// `write` may run more than once: when another write of its batch
    /// fails, the work of the whole batch is rolled back and each write runs
    /// again on its own (`apply_writes`). Only its last run's work is kept,
    /// and only that run's result is answered.
    pub async fn write<T, F>(&self, deadline: Instant, write: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnMut(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let write = Box::new(Pending {
            write,
            result: None,
            answer,
        });
        self.queue
            .try_send(Job { deadline, write })
            .map_err(|error| match error {
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
    limits: WriterLimits,
    checkpointer: Checkpointer,
) {
    let mut batch = Vec::with_capacity(limits.batch_max);
    while let Some(first) = jobs.blocking_recv() {
        batch.push(first);
        while batch.len() < limits.batch_max {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        apply_batch(&conn, &mut batch, limits.begin_deadline);
        checkpointer.nudge();
    }
    tracing::debug!("writer stopped: every handle was dropped");
}

fn apply_batch(conn: &Connection, batch: &mut Vec<Job>, begin_deadline: Duration) {
    if let Err(error) = begin_immediate(conn, begin_deadline) {
        log_failure(&error, batch.len(), "could not open a write transaction");
        for job in batch.drain(..) {
            job.write.answer(Err(error.clone()));
        }
        return;
    }
    let now = Instant::now();
    let mut live: Vec<&mut Job> = batch.iter_mut().filter(|job| job.deadline >= now).collect();
    let commit = apply_writes(conn, &mut live)
        .and_then(|()| conn.execute_batch("commit").map_err(StoreError::from));
    if let Err(error) = &commit {
        log_failure(error, batch.len(), "the batch failed; it is rolled back");
        let _ = conn.execute_batch("rollback");
    }
    for job in batch.drain(..) {
        job.write.answer(commit.clone());
    }
}

/// Logs a failed transaction, but not one that failed for a full disk: the
/// store says that once (`crate::disk`), not once per batch.
fn log_failure(error: &StoreError, jobs: usize, what: &str) {
    match error {
        StoreError::DiskFull(_) => tracing::debug!(%error, jobs, "{what}"),
        StoreError::Unavailable(_) => tracing::warn!(%error, jobs, "{what}"),
        _ => tracing::error!(%error, jobs, "{what}"),
    }
}

/// Runs the writes of a batch, all under one savepoint: SQLite copies each
/// page a savepoint changes once, so one savepoint per write cost every
/// order a copy of the hot pages (the stock row's, the tails of the
/// indexes), 15 % of the writer's time. If one write fails, that savepoint
/// is rolled back and each write runs again in a savepoint of its own, so
/// that the failure undoes only its own work. `Err`: the transaction is in
/// a state nothing of it may be committed from.
fn apply_writes(conn: &Connection, writes: &mut [&mut Job]) -> Result<(), StoreError> {
    conn.prepare_cached("savepoint batch")?.execute([])?;
    if writes.iter_mut().all(|job| job.write.attempt(conn)) {
        conn.prepare_cached("release batch")?.execute([])?;
        return Ok(());
    }
    conn.execute_batch("rollback to batch; release batch")?;
    if writes.len() > 1 {
        tracing::debug!(
            writes = writes.len(),
            "a write failed; its batch runs again one write at a time"
        );
    }
    for job in writes.iter_mut() {
        conn.prepare_cached("savepoint job")?.execute([])?;
        if !job.write.attempt(conn) {
            conn.prepare_cached("rollback to job")?.execute([])?;
        }
        conn.prepare_cached("release job")?.execute([])?;
    }
    Ok(())
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
            batch_max: 16,
            queue_max: 16,
            begin_deadline: Duration::from_secs(1),
        }
    }

    #[tokio::test]
    async fn a_failing_write_undoes_only_its_own_work_and_the_others_keep_their_last_run() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("writer.db");
        let conn = Connection::open(&path).expect("a connection");
        conn.execute_batch("pragma journal_mode = wal; create table t (x integer);")
            .expect("a table");
        let checkpointer = Checkpointer::start(&path).expect("a checkpointer");
        let writer = Writer::start(conn, limits(), checkpointer).expect("the writer");
        let deadline = Instant::now() + Duration::from_secs(5);
        // Holds the writer's thread while the others queue up behind it, so
        // that they share the next batch.
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
        // The two good writes ran together, were rolled back with the
        // failing one, and ran again on their own: one row each.
        assert_eq!(runs.load(Ordering::Relaxed), 2 + 1);
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

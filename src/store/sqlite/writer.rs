//! The SQLite writer: one connection on its own thread applies every write,
//! many per transaction (group commit), and answers each caller only after
//! the commit that holds its write is on disk.
//!
//! Callers queue jobs on a bounded channel. The thread takes what has queued
//! up (at most `batch_max`), opens one `BEGIN IMMEDIATE` transaction, runs
//! each job in its own savepoint — a job that fails rolls back to its
//! savepoint and touches no other — commits once (one fsync), then sends
//! every answer. With `batch_max = 1` this is one transaction per write.
//! WAL checkpoints run on a thread of their own (`checkpointer.rs`).

use std::time::{Duration, Instant};

use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

use super::checkpointer::Checkpointer;
use crate::store::StoreError;
use metrics::Histogram;

/// Sends one job's answer once its batch's commit is known.
type Completion = Box<dyn FnOnce(Result<(), StoreError>) + Send>;

/// Applies one job on the connection, or answers "too late" given `None`.
type RunJob = Box<dyn FnOnce(Option<&Connection>) -> Completion + Send>;

/// A write waiting in the queue. `run` gets the connection, or `None` when the
/// job's deadline passed before its turn came (it is then never applied).
struct Job {
    deadline: Instant,
    run: RunJob,
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
        batch_sizes: Histogram,
        checkpointer: Checkpointer,
    ) -> std::io::Result<Writer> {
        let (queue, jobs) = mpsc::channel(limits.queue_max.max(1));
        std::thread::Builder::new()
            .name("stockroom-writer".into())
            .spawn(move || run_writer(conn, jobs, limits, batch_sizes, checkpointer))?;
        Ok(Writer { queue })
    }

    /// Writes waiting for their turn, and how many may wait at most.
    pub fn queued(&self) -> (usize, usize) {
        let max = self.queue.max_capacity();
        (max - self.queue.capacity(), max)
    }

    /// Runs `write` in the next transaction and answers after its commit.
    /// The write is skipped (and `Unavailable` answered) if it is still
    /// queued at `deadline`; an error from `write` undoes only its own work.
    pub async fn write<T, F>(&self, deadline: Instant, write: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let run = Box::new(move |conn: Option<&Connection>| -> Completion {
            let Some(conn) = conn else {
                let _ = answer.send(Err(StoreError::Unavailable(
                    "the write waited past its deadline".into(),
                )));
                return Box::new(|_| {});
            };
            let result = in_savepoint(conn, write);
            Box::new(move |commit: Result<(), StoreError>| {
                let _ = answer.send(commit.and(result));
            })
        });
        self.queue
            .try_send(Job { deadline, run })
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

/// Runs `write` between `savepoint job` and its release, rolling back to the
/// savepoint when it fails so the rest of the batch is untouched.
fn in_savepoint<T>(
    conn: &Connection,
    write: impl FnOnce(&Connection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    conn.prepare_cached("savepoint job")?.execute([])?;
    let result = write(conn);
    if result.is_err() {
        conn.prepare_cached("rollback to job")?.execute([])?;
    }
    conn.prepare_cached("release job")?.execute([])?;
    result
}

fn run_writer(
    conn: Connection,
    mut jobs: mpsc::Receiver<Job>,
    limits: WriterLimits,
    batch_sizes: Histogram,
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
        // One sample per transaction: a lock-free push, no lookup.
        batch_sizes.record(batch.len() as f64);
        apply_batch(&conn, &mut batch, limits.begin_deadline);
        checkpointer.nudge();
    }
    tracing::debug!("writer stopped: every handle was dropped");
}

fn apply_batch(conn: &Connection, batch: &mut Vec<Job>, begin_deadline: Duration) {
    if let Err(error) = begin_immediate(conn, begin_deadline) {
        tracing::warn!(%error, jobs = batch.len(), "could not open a write transaction");
        for job in batch.drain(..) {
            let complete = (job.run)(None);
            complete(Err(error.clone()));
        }
        return;
    }
    let now = Instant::now();
    let completions: Vec<Completion> = batch
        .drain(..)
        .map(|job| {
            if job.deadline < now {
                (job.run)(None)
            } else {
                (job.run)(Some(conn))
            }
        })
        .collect();
    let commit = conn.execute_batch("commit").map_err(StoreError::from);
    if let Err(error) = &commit {
        tracing::error!(%error, jobs = completions.len(), "commit failed; the batch is rolled back");
        let _ = conn.execute_batch("rollback");
    }
    for complete in completions {
        complete(commit.clone());
    }
}

/// `BEGIN IMMEDIATE`, retried with capped exponential backoff and jitter
/// while another process holds the write lock, until the deadline.
fn begin_immediate(conn: &Connection, deadline: Duration) -> Result<(), StoreError> {
    let started = Instant::now();
    let mut pause = Duration::from_millis(1);
    loop {
        match conn.execute_batch("begin immediate") {
            Ok(()) => return Ok(()),
            Err(error) => {
                let error = StoreError::from(error);
                let transient = matches!(error, StoreError::Unavailable(_));
                if !transient || started.elapsed() + pause > deadline {
                    return Err(error);
                }
                let jitter =
                    Duration::from_micros(rand::random_range(0..=pause.as_micros() as u64));
                std::thread::sleep(pause / 2 + jitter / 2);
                pause = (pause * 2).min(Duration::from_millis(100));
            }
        }
    }
}

//! The checkout sequencer on PostgreSQL (group commit): the checkouts that
//! arrive while a batch commits share the next transaction and its one
//! durable commit, and every buyer is answered only after that commit.
//!
//! Checkouts wait in a bounded queue (full: `Unavailable` at once, a 503).
//! One task takes what has queued up (at most `batch_max`), takes one pooled
//! connection and runs the batch (`batch.rs`). One batch at a time per
//! instance: a hot item's stock row is held from a batch's first order to
//! its commit anyway, so a second batch could only wait on it, while the
//! next batch collects during the commit. A batch is written all at once
//! (`bulk.rs`); if a statement fails there, it runs again one order at a
//! time, each in its own savepoint, so the failure stays with its order. A
//! retryable error (serialization failure, deadlock, connection lost before
//! `COMMIT`) runs the batch again from its requests, kept as data for that
//! (nothing of it was written); a checkout still queued past its deadline
//! is never applied.

use std::time::Instant;

use deadpool_postgres::Pool;
use metrics::Histogram;
use tokio::sync::{mpsc, oneshot};

use super::batch::{BatchRules, Path, run_batch};
use super::transaction::{Backoff, TxError};
use crate::store::{CheckoutAnswer, CheckoutRequest, StoreError};

type Answer = Result<CheckoutAnswer, StoreError>;

/// A checkout waiting for its batch.
struct Job {
    request: CheckoutRequest,
    deadline: Instant,
    answer: oneshot::Sender<Answer>,
}

/// How the sequencer groups checkouts, and what it decides them with.
#[derive(Clone, Debug)]
pub struct BatcherSettings {
    /// Checkouts per transaction at most.
    pub batch_max: usize,
    /// Checkouts waiting at most; past it callers get `Unavailable` at once.
    pub queue_max: usize,
    pub currency: String,
    /// How long an idempotency key's answer is kept.
    pub idempotency_ttl: chrono::Duration,
}

/// The handle checkouts are queued through; the task stops with the last one.
pub struct Batcher {
    queue: mpsc::Sender<Job>,
}

impl Batcher {
    /// Starts the sequencer task on the current runtime.
    pub fn start(pool: Pool, settings: BatcherSettings, batch_sizes: Histogram) -> Batcher {
        let (queue, jobs) = mpsc::channel(settings.queue_max.max(1));
        tokio::spawn(run_batcher(pool, jobs, settings, batch_sizes));
        Batcher { queue }
    }

    /// Checkouts waiting for their batch, and how many may wait at most.
    pub fn queued(&self) -> (usize, usize) {
        let max = self.queue.max_capacity();
        (max - self.queue.capacity(), max)
    }

    /// Places the order in the next batch and answers after its commit; it
    /// is skipped (and `Unavailable` answered) if still queued at `deadline`.
    pub async fn place(&self, request: CheckoutRequest, deadline: Instant) -> Answer {
        let (answer, answered) = oneshot::channel();
        let job = Job {
            request,
            deadline,
            answer,
        };
        self.queue.try_send(job).map_err(|error| match error {
            mpsc::error::TrySendError::Full(_) => {
                StoreError::Unavailable("the checkout queue is full".into())
            }
            mpsc::error::TrySendError::Closed(_) => {
                StoreError::Unavailable("the checkout sequencer has stopped".into())
            }
        })?;
        answered.await.unwrap_or_else(|_| {
            Err(StoreError::Internal(
                "the checkout sequencer dropped a checkout".into(),
            ))
        })
    }
}

async fn run_batcher(
    pool: Pool,
    mut jobs: mpsc::Receiver<Job>,
    settings: BatcherSettings,
    batch_sizes: Histogram,
) {
    let mut batch = Vec::with_capacity(settings.batch_max);
    // Orders per transaction for now: halved by each retryable failure,
    // doubled by each commit, within 1..=batch_max.
    let mut allowance = settings.batch_max;
    while let Some(first) = jobs.recv().await {
        batch.push(first);
        while batch.len() < settings.batch_max {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        batch_sizes.record(batch.len() as f64);
        apply_batch(&pool, &mut batch, &settings, &mut allowance).await;
    }
    tracing::debug!("checkout sequencer stopped: every handle was dropped");
}

/// Runs the batch until it commits or fails for good, then answers every
/// buyer; between attempts, checkouts past their deadline leave the batch.
///
/// Each retryable failure also halves `allowance`, the part of the batch
/// tried next (the rest follows once it commits), and each commit doubles
/// it back: a long transaction is the likeliest to lose its connection or
/// meet a deadlock, and a sequencer whose batches keep failing whole must
/// still make progress, down to one order per transaction.
async fn apply_batch(
    pool: &Pool,
    batch: &mut Vec<Job>,
    settings: &BatcherSettings,
    allowance: &mut usize,
) {
    let latest = batch.iter().map(|job| job.deadline).max();
    let mut backoff = Backoff::until(latest.unwrap_or_else(Instant::now));
    let rules = BatchRules {
        currency: &settings.currency,
        ttl: settings.idempotency_ttl,
    };
    let mut path = Path::Bulk;
    loop {
        let now = Instant::now();
        for late in batch.extract_if(.., |job| job.deadline < now) {
            let _ = late.answer.send(Err(StoreError::Unavailable(
                "the checkout waited past its deadline".into(),
            )));
        }
        if batch.is_empty() {
            return;
        }
        let size = (*allowance).clamp(1, batch.len());
        let requests: Vec<&CheckoutRequest> =
            batch[..size].iter().map(|job| &job.request).collect();
        match attempt(pool, &requests, &rules, path).await {
            Ok(answers) => {
                for (job, answer) in batch.drain(..size).zip(answers) {
                    let _ = job.answer.send(answer);
                }
                *allowance = (*allowance * 2).min(settings.batch_max);
            }
            Err(error @ TxError::Db(_)) if path == Path::Bulk && !error.is_transient() => {
                tracing::warn!(%error, orders = size, "a statement of a batch failed; running it again one order at a time");
                path = Path::OneByOne;
            }
            Err(error) if error.is_transient() && backoff.wait().await => {
                tracing::debug!(%error, orders = size, "transient database error; running the batch again");
                *allowance = (size / 2).max(1);
            }
            Err(error) => {
                tracing::warn!(%error, orders = batch.len(), "a batch of checkouts failed as a whole");
                let error = error.into_store();
                for job in batch.drain(..) {
                    let _ = job.answer.send(Err(error.clone()));
                }
                return;
            }
        }
    }
}

/// One run of the batch: one connection, one transaction, one commit.
async fn attempt(
    pool: &Pool,
    requests: &[&CheckoutRequest],
    rules: &BatchRules<'_>,
    path: Path,
) -> Result<Vec<Answer>, TxError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let answers = run_batch(&tx, requests, rules, path).await?;
    tx.commit().await.map_err(TxError::Commit)?;
    Ok(answers)
}

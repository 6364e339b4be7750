//! The checkout sequencer (group commit): checkouts that arrive while a
//! batch commits share the next transaction and its one durable commit,
//! and every buyer is answered only after that commit.
//!
//! Checkouts wait in a bounded queue (full: `Unavailable` at once, a 503).
//! The sequencer takes what has queued up, at most `batch_max`, and hands
//! it to the runner, which applies it in one transaction on whichever
//! database. By default one batch runs at a time: a hot item's stock row is
//! held from a batch's start to its commit anyway, so a second batch could
//! only wait on it, while the next batch collects during the commit.
//!
//! A checkout still queued past its deadline is never applied (503). A
//! batch that may succeed if run again (a deadlock, a lost connection
//! before commit) runs again after a backoff, halved: a long transaction is
//! the likeliest to fail, and a sequencer whose batches keep failing whole
//! must still make progress, down to one checkout per transaction; each
//! commit doubles the size back. A batch one of whose statements failed
//! runs again one checkout per transaction, so that the failure stays with
//! its own checkout.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use metrics::Histogram;
use tokio::sync::{Semaphore, mpsc, oneshot};

use crate::backoff::Backoff;
use crate::store::{BatchError, StoreError};

/// One checkout's answer, or why it has none.
pub type Answered<A> = Result<A, StoreError>;

/// What applies a batch: the checkout engine on a database.
pub trait BatchRunner: Send + Sync + 'static {
    type Request: Send + Sync + 'static;
    type Answer: Send + 'static;
    /// Applies the batch in one transaction and answers each request, in
    /// order, once the commit is durable.
    fn run(
        &self,
        requests: Vec<Arc<Self::Request>>,
    ) -> impl Future<Output = Result<Vec<Answered<Self::Answer>>, BatchError>> + Send;
}

/// How the sequencer groups checkouts.
#[derive(Clone, Copy, Debug)]
pub struct SequencerLimits {
    /// Checkouts per transaction at most (1: one transaction per checkout).
    pub batch_max: usize,
    /// Checkouts waiting at most; past it, `Unavailable` at once.
    pub queue_max: usize,
    /// Batches applied at once.
    pub concurrent_batches: usize,
}

/// A checkout waiting for its batch.
struct Job<R: BatchRunner> {
    request: Arc<R::Request>,
    deadline: Instant,
    answer: oneshot::Sender<Answered<R::Answer>>,
}

/// The handle checkouts are queued through; the task stops with the last one.
pub struct Sequencer<R: BatchRunner> {
    queue: mpsc::Sender<Job<R>>,
}

impl<R: BatchRunner> Clone for Sequencer<R> {
    fn clone(&self) -> Self {
        Sequencer {
            queue: self.queue.clone(),
        }
    }
}

impl<R: BatchRunner> Sequencer<R> {
    /// Starts the sequencer's task on the current runtime.
    pub fn start(runner: Arc<R>, limits: SequencerLimits, batch_sizes: Histogram) -> Self {
        let (queue, jobs) = mpsc::channel(limits.queue_max.max(1));
        tokio::spawn(run_sequencer(runner, jobs, limits, batch_sizes));
        Sequencer { queue }
    }

    /// Checkouts waiting for their batch, and how many may wait at most.
    pub fn queued(&self) -> (usize, usize) {
        let max = self.queue.max_capacity();
        (max - self.queue.capacity(), max)
    }

    /// Queues the request for the next batch and answers after its commit;
    /// it is never applied (and `Unavailable` answered) if still queued at
    /// `deadline`.
    pub async fn submit(&self, request: R::Request, deadline: Instant) -> Answered<R::Answer> {
        let (answer, answered) = oneshot::channel();
        let job = Job {
            request: Arc::new(request),
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

async fn run_sequencer<R: BatchRunner>(
    runner: Arc<R>,
    mut jobs: mpsc::Receiver<Job<R>>,
    limits: SequencerLimits,
    batch_sizes: Histogram,
) {
    let permits = Arc::new(Semaphore::new(limits.concurrent_batches.max(1)));
    // Checkouts per transaction for now: halved by each retried failure,
    // doubled by each commit, within 1..=batch_max.
    let allowance = Arc::new(AtomicUsize::new(limits.batch_max));
    loop {
        // Collected only once a batch may start, so that a batch takes
        // everything that queued while the previous one committed.
        let Ok(permit) = permits.clone().acquire_owned().await else {
            break;
        };
        let Some(first) = jobs.recv().await else {
            break;
        };
        let mut batch = Vec::with_capacity(limits.batch_max);
        batch.push(first);
        while batch.len() < limits.batch_max {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        batch_sizes.record(batch.len() as f64);
        let (runner, allowance) = (runner.clone(), allowance.clone());
        let apply = async move {
            apply_batch(&*runner, batch, limits.batch_max, &allowance).await;
            drop(permit);
        };
        if limits.concurrent_batches <= 1 {
            apply.await;
        } else {
            tokio::spawn(apply);
        }
    }
    tracing::debug!("checkout sequencer stopped: every handle was dropped");
}

/// Runs the batch until every checkout of it is answered.
async fn apply_batch<R: BatchRunner>(
    runner: &R,
    mut batch: Vec<Job<R>>,
    batch_max: usize,
    allowance: &AtomicUsize,
) {
    let latest = batch.iter().map(|job| job.deadline).max();
    let mut backoff = Backoff::until(latest.unwrap_or_else(Instant::now));
    let mut one_by_one = false;
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
        let size = if one_by_one {
            1
        } else {
            allowance.load(Ordering::Relaxed).clamp(1, batch.len())
        };
        let requests = batch[..size].iter().map(|j| j.request.clone()).collect();
        match runner.run(requests).await {
            Ok(answers) => {
                for (job, answer) in batch.drain(..size).zip(answers) {
                    let _ = job.answer.send(answer);
                }
                let doubled = (size * 2).min(batch_max);
                allowance.fetch_max(doubled, Ordering::Relaxed);
            }
            Err(BatchError::Failed(error)) if size > 1 => {
                tracing::warn!(%error, checkouts = size, "a statement of a batch failed; running it again one checkout at a time");
                one_by_one = true;
            }
            Err(BatchError::Failed(error)) => {
                tracing::warn!(%error, "a checkout failed in the database; the others of its batch go on");
                let job = batch.remove(0);
                let _ = job.answer.send(Err(error));
            }
            Err(BatchError::Retry(error)) if backoff.wait().await => {
                tracing::debug!(%error, checkouts = size, "transient database error; running the batch again");
                allowance.store((size / 2).max(1), Ordering::Relaxed);
            }
            Err(error) => {
                let error = error.into_store();
                if matches!(error, StoreError::DiskFull(_)) {
                    // The store says that once (`crate::disk`).
                    tracing::debug!(%error, checkouts = batch.len(), "a batch of checkouts failed: the disk is full");
                } else {
                    tracing::warn!(%error, checkouts = batch.len(), "a batch of checkouts failed as a whole");
                }
                for job in batch.drain(..) {
                    let _ = job.answer.send(Err(error.clone()));
                }
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::time::Duration;

    use super::*;

    /// Doubles numbers, but 13, whose statement fails; fails whole as told
    /// first; records each batch it was given.
    #[derive(Default)]
    struct Doubler {
        batches: Mutex<Vec<Vec<i64>>>,
        failures: Mutex<Vec<BatchError>>,
    }

    impl BatchRunner for Doubler {
        type Request = i64;
        type Answer = i64;

        async fn run(&self, requests: Vec<Arc<i64>>) -> Result<Vec<Answered<i64>>, BatchError> {
            let numbers: Vec<i64> = requests.iter().map(|n| **n).collect();
            self.batches.lock().expect("lock").push(numbers.clone());
            tokio::time::sleep(Duration::from_millis(20)).await;
            if let Some(failure) = self.failures.lock().expect("lock").pop() {
                return Err(failure);
            }
            if numbers.contains(&13) {
                return Err(BatchError::Failed(StoreError::Internal("13".into())));
            }
            Ok(numbers.into_iter().map(|n| Ok(n * 2)).collect())
        }
    }

    fn start(runner: &Arc<Doubler>, queue_max: usize) -> Sequencer<Doubler> {
        let limits = SequencerLimits {
            batch_max: 8,
            queue_max,
            concurrent_batches: 1,
        };
        Sequencer::start(runner.clone(), limits, Histogram::noop())
    }

    /// Submits each number from a task of its own, in order, a moment apart.
    async fn submit_all(sequencer: &Sequencer<Doubler>, numbers: &[i64]) -> Vec<Answered<i64>> {
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut handles = Vec::new();
        for n in numbers {
            let (sequencer, n) = (sequencer.clone(), *n);
            handles.push(tokio::spawn(
                async move { sequencer.submit(n, deadline).await },
            ));
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let mut answers = Vec::new();
        for handle in handles {
            answers.push(handle.await.expect("the task ends"));
        }
        answers
    }

    #[tokio::test]
    async fn checkouts_that_queue_during_a_commit_share_the_next_batch() {
        let runner = Arc::new(Doubler::default());
        let sequencer = start(&runner, 64);
        let answers = submit_all(&sequencer, &[1, 2, 3, 4]).await;
        let answers: Vec<i64> = answers.into_iter().map(|a| a.expect("answered")).collect();
        assert_eq!(answers, [2, 4, 6, 8]);
        let batches = runner.batches.lock().expect("lock").clone();
        assert_eq!(batches, [vec![1], vec![2, 3, 4]]);
    }

    #[tokio::test]
    async fn a_failed_statement_stays_with_its_own_checkout() {
        let runner = Arc::new(Doubler::default());
        let sequencer = start(&runner, 64);
        let answers = submit_all(&sequencer, &[1, 5, 13, 7]).await;
        assert_eq!(answers[1].as_ref().ok(), Some(&10));
        assert!(matches!(answers[2], Err(StoreError::Internal(_))));
        assert_eq!(answers[3].as_ref().ok(), Some(&14));
        let batches = runner.batches.lock().expect("lock").clone();
        assert_eq!(
            batches,
            [vec![1], vec![5, 13, 7], vec![5], vec![13], vec![7]]
        );
    }

    #[tokio::test]
    async fn a_retryable_failure_runs_the_batch_again_and_a_final_one_answers_all() {
        let runner = Arc::new(Doubler::default());
        let retry = BatchError::Retry(StoreError::Unavailable("deadlock".into()));
        runner.failures.lock().expect("lock").push(retry);
        let sequencer = start(&runner, 64);
        assert_eq!(
            submit_all(&sequencer, &[21]).await[0].as_ref().ok(),
            Some(&42)
        );
        let gone = BatchError::Final(StoreError::Unavailable("gone".into()));
        runner.failures.lock().expect("lock").push(gone);
        let answer = submit_all(&sequencer, &[1]).await;
        assert!(matches!(answer[0], Err(StoreError::Unavailable(_))));
    }

    #[tokio::test]
    async fn a_checkout_past_its_deadline_is_never_applied() {
        let runner = Arc::new(Doubler::default());
        let sequencer = start(&runner, 64);
        let answer = sequencer.submit(1, Instant::now()).await;
        assert!(matches!(answer, Err(StoreError::Unavailable(_))));
        assert!(runner.batches.lock().expect("lock").is_empty());
    }

    #[tokio::test]
    async fn a_full_queue_answers_unavailable_at_once() {
        let runner = Arc::new(Doubler::default());
        let sequencer = start(&runner, 1);
        let answers = submit_all(&sequencer, &[1, 2, 3, 4]).await;
        let refused = answers
            .iter()
            .filter(|a| matches!(a, Err(StoreError::Unavailable(_))))
            .count();
        assert!(refused >= 1, "{answers:?}");
    }
}

//! One business verb, one PostgreSQL transaction: taken from the pool,
//! committed, and retried as a whole on transient errors under the
//! checkout deadline. The PostgreSQL counterpart of the SQLite writer.
//!
//! Transactions run at PostgreSQL's default, READ COMMITTED: every rule that
//! needs more is a row lock or a conditional update (`available >= n`,
//! `version = expected`), which READ COMMITTED re-checks on the newest row
//! after waiting for a lock. So nobody is refused because of a race they
//! should have won, and no instance keeps anything in memory that another
//! one would need. On an engine that runs SERIALIZABLE (CockroachDB) the
//! same transactions may fail with 40001 instead, and are retried here.

use std::future::Future;
use std::pin::Pin;
use std::time::Instant;

use deadpool_postgres::{Client, Transaction};

use super::PgStore;
use super::db::Pg;
use crate::backoff::Backoff;
use crate::store::error::{is_lost_connection, is_retryable_answer};
use crate::store::{StoreError, describe_pg_error};

/// What one attempt of a verb runs on its transaction (or, for reads, its
/// connection), given as the primitives of `store/db.rs` (`Pg`).
pub type Work<'t, T> = Pin<Box<dyn Future<Output = Result<T, TxError>> + Send + 't>>;

/// Why an attempt failed: a decided answer, or the database.
#[derive(Debug)]
pub enum TxError {
    /// A business answer (not found, refused…): final, never retried.
    Store(StoreError),
    /// The database failed before `COMMIT` was sent: nothing was written.
    Db(tokio_postgres::Error),
    /// `COMMIT` was sent and no answer came back, or it failed.
    Commit(tokio_postgres::Error),
    /// A check of our own failed inside a batch of checkouts: the whole
    /// transaction must roll back, and is not run again.
    Abort(String),
    /// A row the transaction read changed in a way that its decisions
    /// depend on: rolled back, and run again.
    Conflict(String),
}

impl From<StoreError> for TxError {
    fn from(error: StoreError) -> Self {
        TxError::Store(error)
    }
}

impl From<tokio_postgres::Error> for TxError {
    fn from(error: tokio_postgres::Error) -> Self {
        TxError::Db(error)
    }
}

impl From<deadpool_postgres::PoolError> for TxError {
    fn from(error: deadpool_postgres::PoolError) -> Self {
        TxError::Store(error.into())
    }
}

impl TxError {
    /// Whether running the whole transaction again is safe and may succeed.
    ///
    /// Serialization failures and deadlocks are answers of the server: the
    /// transaction was rolled back, even when they come from `COMMIT`. A lost
    /// connection before `COMMIT` was sent also means nothing was written. A
    /// connection lost after it is ambiguous — the commit may have happened —
    /// so it is never retried here: the buyer gets 503 and retries with
    /// the same idempotency key, which replays the order if it was written
    /// (docs/OPERATIONS.md).
    pub(super) fn is_transient(&self) -> bool {
        match self {
            TxError::Store(_) | TxError::Abort(_) => false,
            TxError::Conflict(_) => true,
            TxError::Db(error) => is_retryable_answer(error) || is_lost_connection(error),
            TxError::Commit(error) => is_retryable_answer(error),
        }
    }

    pub(super) fn into_store(self) -> StoreError {
        match self {
            TxError::Store(error) => error,
            TxError::Abort(reason) => StoreError::Internal(reason),
            TxError::Conflict(reason) => StoreError::Unavailable(reason),
            TxError::Db(error) => error.into(),
            TxError::Commit(error) if is_retryable_answer(&error) => error.into(),
            TxError::Commit(error) => StoreError::Unavailable(format!(
                "the commit's outcome is unknown ({}); retry with the same Idempotency-Key",
                describe_pg_error(&error)
            )),
        }
    }
}

impl PgStore {
    /// Runs `work` in one transaction and commits it; the whole transaction
    /// is run again on a transient error until the checkout deadline.
    /// `data` is what `work` reads, lent to each attempt.
    pub(in crate::store) async fn write<D, T, F>(&self, data: &D, work: F) -> Result<T, StoreError>
    where
        D: Sync + ?Sized,
        F: for<'t> Fn(Pg<'t, Transaction<'t>>, &'t D) -> Work<'t, T>,
    {
        let mut backoff = Backoff::until(Instant::now() + self.config().checkout_timeout);
        loop {
            match self.write_once(data, &work).await {
                Err(error) if error.is_transient() && backoff.wait().await => {
                    tracing::debug!(%error, "transient database error; running the transaction again");
                }
                result => return result.map_err(TxError::into_store),
            }
        }
    }

    async fn write_once<D, T, F>(&self, data: &D, work: &F) -> Result<T, TxError>
    where
        D: Sync + ?Sized,
        F: for<'t> Fn(Pg<'t, Transaction<'t>>, &'t D) -> Work<'t, T>,
    {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let value = work(Pg(&tx), data).await?;
        tx.commit().await.map_err(TxError::Commit)?;
        Ok(value)
    }

    /// Runs `work` on a pooled connection, outside any explicit transaction;
    /// run again when the connection was lost.
    pub(in crate::store) async fn read<D, T, F>(&self, data: &D, work: F) -> Result<T, StoreError>
    where
        D: Sync + ?Sized,
        F: for<'t> Fn(Pg<'t, Client>, &'t D) -> Work<'t, T>,
    {
        let mut backoff = Backoff::until(Instant::now() + self.config().checkout_timeout);
        loop {
            let attempt = async {
                let client = self.pool.get().await?;
                work(Pg(&client), data).await
            };
            match attempt.await {
                Err(error) if error.is_transient() && backoff.wait().await => {}
                result => return result.map_err(TxError::into_store),
            }
        }
    }
}

impl std::fmt::Display for TxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TxError::Store(error) => error.fmt(f),
            TxError::Db(error) => f.write_str(&describe_pg_error(error)),
            TxError::Commit(error) => write!(f, "at commit: {}", describe_pg_error(error)),
            TxError::Abort(reason) | TxError::Conflict(reason) => f.write_str(reason),
        }
    }
}

//! Idempotency keys on PostgreSQL: one key, one decision, across every
//! instance sharing the database.
//!
//! A checkout inserts its key's row first thing in its transaction. A second
//! request with the same key, on whatever instance, blocks on that primary
//! key until the first transaction ends: if it committed, the second reads
//! the stored answer and replays it; if it rolled back (a 422, a failure),
//! the second claims the key itself. The answer is written in the order's
//! own transaction, so a key never points at an order that does not exist.

use deadpool_postgres::Transaction;

use super::sql::{execute, query_opt};
use super::transaction::TxError;
use crate::store::{IdempotencyKey, StoreError, StoredResponse};

/// Claims `key` for this transaction (`None`: go on and decide), or answers
/// with what an earlier request with this key got. An answer older than
/// `oldest` has expired: the key is taken over as if new.
pub async fn claim_key(
    tx: &Transaction<'_>,
    key: &IdempotencyKey,
    now: &str,
    oldest: &str,
) -> Result<Option<StoredResponse>, TxError> {
    // Twice at most: the purge may delete an expired row between the insert
    // that found it and the read that locks it.
    for _ in 0..2 {
        // Status 0 and no response: a placeholder that only this transaction
        // sees; `keep_answer` fills it in before the commit.
        let claimed = execute(
            tx,
            "insert into idempotency_keys (key, request_hash, status, response, created_at)
             values ($1, $2, 0, '', $3) on conflict (key) do nothing",
            &[&key.key, &key.request_hash, &now],
        )
        .await?;
        if claimed == 1 {
            return Ok(None);
        }
        // Locked, so that of two requests finding an expired answer only
        // one takes the key over; the other then replays its answer.
        let Some(row) = query_opt(
            tx,
            "select request_hash, status, response, created_at from idempotency_keys
             where key = $1 for update",
            &[&key.key],
        )
        .await?
        else {
            continue;
        };
        let created_at: &str = row.try_get(3)?;
        if created_at < oldest {
            execute(
                tx,
                "update idempotency_keys set request_hash = $2, status = 0, response = '', created_at = $3
                 where key = $1",
                &[&key.key, &key.request_hash, &now],
            )
            .await?;
            return Ok(None);
        }
        let hash: &str = row.try_get(0)?;
        if hash != key.request_hash {
            return Err(StoreError::IdempotencyKeyReused.into());
        }
        let status: i64 = row.try_get(1)?;
        return Ok(Some(StoredResponse {
            status: u16::try_from(status).map_err(|_| {
                StoreError::Internal(format!("stored idempotency status {status} is not HTTP"))
            })?,
            body: row.try_get(2)?,
        }));
    }
    Err(StoreError::Unavailable("the idempotency key kept changing; retry".into()).into())
}

/// Stores the answer of the request that claimed `key`.
pub async fn keep_answer(
    tx: &Transaction<'_>,
    key: &IdempotencyKey,
    response: &StoredResponse,
) -> Result<(), TxError> {
    execute(
        tx,
        "update idempotency_keys set status = $2, response = $3 where key = $1",
        &[&key.key, &i64::from(response.status), &response.body],
    )
    .await?;
    Ok(())
}

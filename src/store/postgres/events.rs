//! Events numbered after commit. Transactions on several instances append
//! to `event_inbox` and commit in any order; here one transaction at a
//! time (under an advisory lock) moves every committed row of the inbox to
//! `events`, numbered after the last id in `seq` order, and commits. Ids
//! so become visible in order: a reader resuming after an id never skips
//! an event (the contract's "details fixed", event ids).

use super::PgStore;
use crate::store::StoreError;
use crate::store::db::Db;

/// The key of the advisory lock the numbering holds ("EVENTSNU").
const NUMBERING_LOCK_KEY: i64 = 0x4556_454e_5453_4e55;

/// Moves the inbox's committed rows to `events`, numbered in order.
const NUMBER: &str =
    "with moved as (delete from event_inbox returning seq, type, data, created_at),
    last as (select coalesce(max(id), 0) as id from events)
    insert into events (id, type, data, created_at)
    select last.id + row_number() over (order by moved.seq), moved.type, moved.data,
        moved.created_at
    from moved, last";

impl PgStore {
    /// Numbers the events committed since the last call; answers how many.
    /// Another instance numbering at the same moment makes this one a
    /// no-op: its events are numbered by that one or the next call.
    pub async fn number_events(&self) -> Result<u64, StoreError> {
        // Most calls find nothing to number: a read says so without a
        // write transaction.
        let waiting: i64 = self
            .read(&(), |db, ()| {
                Box::pin(async move {
                    db.one(
                        "select cast(count(*) as bigint) from (select 1 from event_inbox limit 1) i",
                        &[],
                        |row| row.value(0),
                    )
                    .await
                })
            })
            .await?;
        if waiting == 0 {
            return Ok(0);
        }
        self.write(&(), |db, ()| {
            Box::pin(async move {
                let locked: i64 = db
                    .one(
                        "select cast(case when pg_try_advisory_xact_lock($1) then 1 else 0 end
                         as bigint)",
                        &[&NUMBERING_LOCK_KEY],
                        |row| row.value(0),
                    )
                    .await?;
                if locked == 0 {
                    return Ok(0);
                }
                db.write(NUMBER, &[]).await
            })
        })
        .await
    }
}

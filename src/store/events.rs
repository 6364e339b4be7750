//! The outbox's events: appended in the transaction of the change they
//! report, read back in id order, and the stock crossings every stock
//! change outside a checkout raises (a checkout's are decided by the
//! engine and written with its batch).
//!
//! Ids only grow and a reader resuming after one never skips an event. On
//! SQLite the one writer commits in id order. On PostgreSQL instances
//! commit side by side, so a transaction appends to `event_inbox`, and the
//! committed rows are moved to `events` and numbered afterwards, by one
//! transaction at a time (`postgres/events.rs`).

use super::db::{Db, Param};
use super::row::{Row, unknown_value};
use super::{StoreError, settings, waitlist};
use crate::domain::events::{Event, EventData, EventType, NewEvent, stock_crossing};

/// Events after the id `$1`, of the type `$2` when given, oldest first, at most `$3`.
const EVENTS_AFTER: &str = "select id, type, data, created_at from events
    where id > $1 and (cast($2 as text) is null or type = $2) order by id limit $3";

/// The last event's id, 0 before the first.
const LAST_EVENT: &str = "select cast(coalesce(max(id), 0) as bigint) from events";

/// The sku `$1`'s own low-stock threshold, if it has one.
const OWN_THRESHOLD: &str = "select low_stock_threshold from variants where sku = $1";

/// The units the sku `$1` received as the audit counts them since the
/// reference date `$2` (initial plus restocked), which the low-stock
/// rule's percent reads.
const RECEIVED: &str = "select cast(coalesce(sum(m.quantity), 0) as bigint) from stock_movements m
    where m.sku = $1 and (m.kind = 'initial' or m.created_at < $2
      or (m.kind = 'restock' and m.created_at >= $2))";

/// Appends `events` to the outbox, in the caller's transaction.
pub async fn append<D: Db>(db: &D, events: &[NewEvent], at: &str) -> Result<(), D::Error> {
    for event in events {
        let (kind, data) = (event.kind.as_str(), event.data_json());
        db.write(D::APPEND_EVENT, &[&kind, &data, &at]).await?;
    }
    Ok(())
}

/// Events after the id `after`, of `kind` when given, oldest first.
pub async fn after<D: Db>(
    db: &D,
    after: i64,
    kind: Option<EventType>,
    limit: i64,
) -> Result<Vec<Event>, D::Error> {
    let kind = kind.map(EventType::as_str);
    let params: [&dyn Param; 3] = [&after, &kind, &limit];
    db.all(EVENTS_AFTER, &params, event_row).await
}

/// The last event's id, 0 before the first.
pub async fn last_id<D: Db>(db: &D) -> Result<i64, D::Error> {
    db.one(LAST_EVENT, &[], |row| row.value(0)).await
}

/// A row of `EVENTS_AFTER`.
pub fn event_row(row: &Row) -> Result<Event, StoreError> {
    let kind: String = row.value(1)?;
    let data: String = row.value(2)?;
    Ok(Event {
        id: row.value(0)?,
        kind: EventType::parse(&kind).ok_or_else(|| unknown_value("type", &kind))?,
        data: serde_json::from_str(&data)
            .map_err(|e| StoreError::Internal(format!("an event's data cannot be read: {e}")))?,
        created_at: row.value(3)?,
    })
}

/// What a change of `sku` from `before` to `after` units tells, appended
/// in the caller's transaction: `stock.low`, `stock.sold_out` or
/// `stock.back_in_stock` by the shop's one low-stock rule, and on the way
/// back in stock, a message queued for each person waiting for it.
pub async fn stock_moved<D: Db>(
    db: &D,
    sku: &str,
    before: i64,
    after: i64,
    at: &str,
) -> Result<(), D::Error> {
    if before == after {
        return Ok(());
    }
    let settings = settings::load(db, false).await?;
    let rule = settings.low_stock_rule();
    let own: Option<i64> = db
        .first(OWN_THRESHOLD, &[&sku], |row| row.value(0))
        .await?
        .flatten();
    let received = if own.or(rule.units).is_none() {
        let params: [&dyn Param; 2] = [&sku, &settings.reference_date];
        db.one(RECEIVED, &params, |row| row.value(0)).await?
    } else {
        0
    };
    let Some(kind) = stock_crossing(before, after, |n| rule.is_low(n, own, received)) else {
        return Ok(());
    };
    append(db, &[NewEvent::stock(kind, sku, after)], at).await?;
    if kind == EventType::StockBackInStock {
        waitlist::queue_back_in_stock(db, sku, at).await?;
    }
    Ok(())
}

/// The skus of the last `audit.anomaly` event, if there was one.
const LAST_ANOMALY: &str = "select data from events where type = 'audit.anomaly'
    order by id desc limit 1";

/// Appends `audit.anomaly` with `skus`, unless the last such event named
/// the same skus: an owner told of an anomaly is not told again at each
/// look at the audit, only when what is wrong changes.
pub async fn note_anomalies<D: Db>(db: &D, skus: &[String]) -> Result<bool, D::Error> {
    if skus.is_empty() {
        return Ok(false);
    }
    let last: Option<String> = db.first(LAST_ANOMALY, &[], |row| row.value(0)).await?;
    let told = last
        .and_then(|data| serde_json::from_str::<EventData>(&data).ok())
        .is_some_and(|data| {
            data == EventData::Anomaly {
                skus: skus.to_vec(),
            }
        });
    if told {
        return Ok(false);
    }
    let event = NewEvent {
        kind: EventType::AuditAnomaly,
        data: EventData::Anomaly {
            skus: skus.to_vec(),
        },
    };
    append(db, &[event], &crate::domain::time::now()).await?;
    Ok(true)
}

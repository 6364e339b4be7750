//! Deliveries of the outbox: the fan-out of each event to its targets,
//! claimed by a worker for a lease (on PostgreSQL, `for update skip
//! locked`: instances claim different rows and never hold one at once),
//! and each attempt's outcome written back. A delivery is sent at least
//! once; the event id is the receiver's de-duplication key.

use chrono::Utc;

use super::db::{Db, Param, Writes};
use super::events;
use super::row::{Row, unknown_value};
use super::{Resource, StoreError};
use crate::domain::delivery::{
    Attempt, CLAIM_BATCH, Channel, Delivery, DeliveryStatus, FAN_OUT_BATCH, GIVE_UP_AFTER, LEASE,
};
use crate::domain::events::{Event, EventType};
use crate::domain::time;
use crate::domain::waitlist::WaitlistMessage;

const INSERT: &str = "insert into deliveries (channel, webhook_id, event_id, recipient, message,
    next_attempt_at, give_up_at, created_at) values ($1, $2, $3, $4, $5, $6, $7, $6)";

const CURSOR: &str = "select fanned_out from outbox_cursor where id = 1";
const MOVE_CURSOR: &str = "update outbox_cursor set fanned_out = $1 where id = 1";
const WEBHOOKS: &str = "select id, events, created_at from webhooks order by created_at, id";
const CHANNELS: &str = "select email, sms from notification_channels where id = 1";

/// Deliveries due at `$1` and not held by a worker, oldest first, at most `$2`.
/// Holds until `$1` the deliveries due at `$2` and not held by a worker,
/// oldest first, at most `$3` (the rows to pick are locked with
/// `Db::SKIP_LOCKED` where instances claim side by side); answers their ids.
macro_rules! claim_due {
    ($skip_locked:expr) => {
        format!(
            "update deliveries set lease_until = $1 where id in (select id from deliveries
             where status = 'pending' and next_attempt_at <= $2
               and (lease_until is null or lease_until <= $2)
             order by id limit $3{}) returning id",
            $skip_locked
        )
    };
}

/// A claimed delivery with what it sends: its webhook, its event.
const CLAIMED: &str = "select d.id, d.channel, d.webhook_id, w.url, w.secret, d.event_id, e.type,
      e.data, e.created_at, d.recipient, d.message, d.attempt, d.give_up_at
    from deliveries d left join webhooks w on w.id = d.webhook_id
      left join events e on e.id = d.event_id
    where d.id = $1";

/// The outcome of an attempt: its status `$1`, HTTP status `$2`, error
/// `$3`, at `$4`, next try `$5`, on the delivery `$6` held until `$7`.
const FINISH: &str = "update deliveries set status = $1, attempt = attempt + 1,
    response_status = $2, error = $3, at = $4, next_attempt_at = $5, lease_until = null
    where id = $6 and lease_until = $7";

/// The columns `delivery_row` reads.
macro_rules! delivery_columns {
    () => {
        "select id, event_id, channel, attempt, status, response_status, error,
         coalesce(at, created_at), next_attempt_at from deliveries"
    };
}

const OF_WEBHOOK: &str = concat!(
    delivery_columns!(),
    " where webhook_id = $1 order by id desc limit $2"
);
const OF_CHANNEL: &str = concat!(
    delivery_columns!(),
    " where channel = $1 and webhook_id is null order by id desc limit $2"
);
const ONE: &str = concat!(delivery_columns!(), " where id = $1");

/// Hands back without an attempt the delivery `$2`, held until `$3`, due
/// again at `$1` (or as it was, when `$1` is empty).
const RELEASE: &str = "update deliveries set lease_until = null,
    next_attempt_at = case when $1 = '' then next_attempt_at else $1 end
    where id = $2 and lease_until = $3";

/// Puts a failed delivery back in line, for another day of retries.
const RETRY: &str = "update deliveries set status = 'pending', next_attempt_at = $1,
    give_up_at = $2, lease_until = null where id = $3 and status = 'failed'";

/// Whether the fan-out is behind the events, and whether a delivery is due
/// at `$1`: the worker's cheap look before a write transaction.
const WORK_WAITING: &str = "select
    cast(case when (select coalesce(max(id), 0) from events)
      > (select fanned_out from outbox_cursor where id = 1) then 1 else 0 end as bigint),
    cast(case when exists (select 1 from deliveries where status = 'pending'
      and next_attempt_at <= $1 and (lease_until is null or lease_until <= $1)) then 1 else 0 end
      as bigint)";

const BACKLOG: &str = "select cast(count(*) as bigint) from deliveries where status = 'pending'";

/// A delivery to queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDelivery {
    pub channel: Channel,
    pub webhook_id: Option<String>,
    pub event_id: Option<i64>,
    pub recipient: Option<String>,
    /// What to send instead of an event: a waiting person's message, a
    /// webhook's test (JSON).
    pub message: Option<String>,
}

impl NewDelivery {
    /// A message to one person (a waitlist's).
    pub fn to_person(channel: Channel, recipient: &str, message: &WaitlistMessage) -> Self {
        NewDelivery {
            channel,
            webhook_id: None,
            event_id: None,
            recipient: Some(recipient.to_owned()),
            message: serde_json::to_string(message).ok(),
        }
    }

    fn for_event(channel: Channel, webhook_id: Option<&str>, event_id: i64) -> Self {
        NewDelivery {
            channel,
            webhook_id: webhook_id.map(str::to_owned),
            event_id: Some(event_id),
            recipient: None,
            message: None,
        }
    }
}

/// Queues `delivery`, due at once; answers its id.
pub async fn insert<D: Db>(db: &D, delivery: &NewDelivery, at: &str) -> Result<i64, D::Error> {
    let give_up = time::format(Utc::now() + GIVE_UP_AFTER);
    let channel = delivery.channel.as_str();
    let params: [&dyn Param; 7] = [
        &channel,
        &delivery.webhook_id,
        &delivery.event_id,
        &delivery.recipient,
        &delivery.message,
        &at,
        &give_up,
    ];
    db.insert(INSERT, &params).await
}

/// The event types a target subscribed to, from their stored JSON array.
fn subscribed(stored: Option<&str>) -> Vec<EventType> {
    let types: Vec<String> = stored
        .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
        .and_then(|value| {
            // A webhook stores its array; a channel, an object with `events`.
            let array = value.get("events").cloned().unwrap_or(value);
            serde_json::from_value(array).ok()
        })
        .unwrap_or_default();
    types.iter().filter_map(|t| EventType::parse(t)).collect()
}

/// Queues the deliveries of the events not fanned out yet (at most
/// `FAN_OUT_BATCH`): one per webhook subscribed to its type and created
/// before it, and one per owner's channel that sends its type. Answers how
/// many events it fanned out. The cursor's row is locked, so instances
/// fan out one after the other and each event once.
pub async fn fan_out<D: Writes>(db: &D) -> Result<usize, D::Error> {
    let cursor: i64 = db
        .one(&D::locking(CURSOR, true), &[], |row| row.value(0))
        .await?;
    let events = events::after(db, cursor, None, FAN_OUT_BATCH).await?;
    let Some(last) = events.last().map(|e| e.id) else {
        return Ok(0);
    };
    let webhooks = db
        .all(WEBHOOKS, &[], |row| {
            let stored: String = row.value(1)?;
            Ok((
                row.value::<String>(0)?,
                subscribed(Some(&stored)),
                row.value::<String>(2)?,
            ))
        })
        .await?;
    let (email, sms) = db
        .one(CHANNELS, &[], |row| {
            let (email, sms): (Option<String>, Option<String>) = (row.value(0)?, row.value(1)?);
            Ok((subscribed(email.as_deref()), subscribed(sms.as_deref())))
        })
        .await?;
    let now = time::now();
    for event in &events {
        for (id, types, created_at) in &webhooks {
            if types.contains(&event.kind) && *created_at <= event.created_at {
                let delivery = NewDelivery::for_event(Channel::Webhook, Some(id), event.id);
                insert(db, &delivery, &now).await?;
            }
        }
        for (channel, types) in [(Channel::Email, &email), (Channel::Sms, &sms)] {
            if types.contains(&event.kind) {
                insert(db, &NewDelivery::for_event(channel, None, event.id), &now).await?;
            }
        }
    }
    db.write(MOVE_CURSOR, &[&last]).await?;
    Ok(events.len())
}

/// Where a claimed delivery goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Webhook {
        id: String,
        url: String,
        secret: String,
    },
    /// The owner's e-mail or SMS channel, as set when it is sent.
    Owner(Channel),
    /// One person, by the channel and address of their signup.
    Person { channel: Channel, recipient: String },
}

/// A delivery a worker holds until `lease_until`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claimed {
    pub id: i64,
    pub target: Target,
    pub event: Option<Event>,
    pub message: Option<String>,
    /// Attempts made before this one.
    pub attempts: i64,
    pub give_up_at: String,
    pub lease_until: String,
}

/// Claims the deliveries due now (at most `CLAIM_BATCH`), each held for
/// `LEASE`: another worker skips them until then.
pub async fn claim<D: Writes>(db: &D) -> Result<Vec<Claimed>, D::Error> {
    let now = Utc::now();
    let (at, lease_until) = (time::format(now), time::format(now + LEASE));
    let params: [&dyn Param; 3] = [&lease_until, &at, &CLAIM_BATCH];
    let mut ids: Vec<i64> = db
        .all(&claim_due!(D::SKIP_LOCKED), &params, |row| row.value(0))
        .await?;
    ids.sort_unstable();
    let mut claimed = Vec::with_capacity(ids.len());
    for id in ids {
        let found = db
            .first(CLAIMED, &[&id], |row| claimed_row(row, &lease_until))
            .await?;
        claimed.extend(found.flatten());
    }
    Ok(claimed)
}

/// A row of `CLAIMED`; `None` for a delivery whose event or webhook went.
fn claimed_row(row: &Row, lease_until: &str) -> Result<Option<Claimed>, StoreError> {
    let channel: String = row.value(1)?;
    let channel = Channel::parse(&channel).ok_or_else(|| unknown_value("channel", &channel))?;
    let webhook: (Option<String>, Option<String>, Option<String>) =
        (row.value(2)?, row.value(3)?, row.value(4)?);
    let recipient: Option<String> = row.value(9)?;
    let target = match (channel, webhook, recipient) {
        (Channel::Webhook, (Some(id), Some(url), Some(secret)), _) => {
            Target::Webhook { id, url, secret }
        }
        (Channel::Webhook, _, _) => return Ok(None),
        (channel, _, Some(recipient)) => Target::Person { channel, recipient },
        (channel, _, None) => Target::Owner(channel),
    };
    let event = match (
        row.value::<Option<i64>>(5)?,
        row.value::<Option<String>>(6)?,
    ) {
        (Some(id), Some(kind)) => {
            let data: String = row.value(7)?;
            Some(Event {
                id,
                kind: EventType::parse(&kind).ok_or_else(|| unknown_value("type", &kind))?,
                created_at: row.value(8)?,
                data: serde_json::from_str(&data).map_err(|e| {
                    StoreError::Internal(format!("an event's data cannot be read: {e}"))
                })?,
            })
        }
        (Some(_), None) => return Ok(None),
        (None, _) => None,
    };
    Ok(Some(Claimed {
        id: row.value(0)?,
        target,
        event,
        message: row.value(10)?,
        attempts: row.value(11)?,
        give_up_at: row.value(12)?,
        lease_until: lease_until.to_owned(),
    }))
}

/// Writes how the attempt on `claimed` went: delivered, or failed and
/// tried again at `retry_at`, or failed for good when `retry_at` is past
/// its day of retries. A worker that lost its lease writes nothing.
pub async fn finish<D: Db>(
    db: &D,
    claimed: &Claimed,
    attempt: &Attempt,
    retry_at: &str,
) -> Result<(), D::Error> {
    let now = time::now();
    let (status, response_status, error, next) = match attempt {
        Attempt::NotTried => {
            let params: [&dyn Param; 3] = [&retry_at, &claimed.id, &claimed.lease_until];
            db.write(RELEASE, &params).await?;
            return Ok(());
        }
        Attempt::Delivered { response_status } => (
            DeliveryStatus::Delivered,
            *response_status,
            None,
            now.clone(),
        ),
        Attempt::Failed {
            response_status,
            error,
        } => {
            let status = if retry_at > claimed.give_up_at.as_str() {
                DeliveryStatus::Failed
            } else {
                DeliveryStatus::Pending
            };
            (
                status,
                *response_status,
                Some(error.as_str()),
                retry_at.to_owned(),
            )
        }
        Attempt::GaveUp { error } => (
            DeliveryStatus::Failed,
            None,
            Some(error.as_str()),
            now.clone(),
        ),
    };
    let status = status.as_str();
    let params: [&dyn Param; 7] = [
        &status,
        &response_status,
        &error,
        &now,
        &next,
        &claimed.id,
        &claimed.lease_until,
    ];
    db.write(FINISH, &params).await?;
    Ok(())
}

/// Writes the outcomes of a worker's round, in one transaction.
pub async fn finish_all<D: Db>(
    db: &D,
    outcomes: &[(Claimed, Attempt, String)],
) -> Result<(), D::Error> {
    for (claimed, attempt, retry_at) in outcomes {
        finish(db, claimed, attempt, retry_at).await?;
    }
    Ok(())
}

/// The newest deliveries to the webhook `id`, at most `limit`.
pub async fn of_webhook<D: Db>(db: &D, id: &str, limit: i64) -> Result<Vec<Delivery>, D::Error> {
    let params: [&dyn Param; 2] = [&id, &limit];
    db.all(OF_WEBHOOK, &params, delivery_row).await
}

/// The newest deliveries through the owner's `channel` and to waiting
/// people by it, at most `limit`.
pub async fn of_channel<D: Db>(
    db: &D,
    channel: Channel,
    limit: i64,
) -> Result<Vec<Delivery>, D::Error> {
    let channel = channel.as_str();
    let params: [&dyn Param; 2] = [&channel, &limit];
    db.all(OF_CHANNEL, &params, delivery_row).await
}

/// The delivery `id`.
pub async fn one<D: Db>(db: &D, id: i64) -> Result<Delivery, D::Error> {
    let found = db.first(ONE, &[&id], delivery_row).await?;
    Ok(found.ok_or_else(|| StoreError::not_found(Resource::Delivery, id.to_string()))?)
}

/// Puts the failed delivery `id` back in line now; `NotFound` for an
/// unknown id, and nothing for one that is not failed.
pub async fn retry<D: Db>(db: &D, id: i64) -> Result<Delivery, D::Error> {
    one(db, id).await?;
    let now = Utc::now();
    let (at, give_up) = (time::format(now), time::format(now + GIVE_UP_AFTER));
    let params: [&dyn Param; 3] = [&at, &give_up, &id];
    db.write(RETRY, &params).await?;
    one(db, id).await
}

/// What the worker has to do now: events to fan out, deliveries due.
pub async fn work_waiting<D: Db>(db: &D) -> Result<(bool, bool), D::Error> {
    let now = time::now();
    db.one(WORK_WAITING, &[&now], |row| {
        Ok((row.value::<i64>(0)? == 1, row.value::<i64>(1)? == 1))
    })
    .await
}

/// Deliveries waiting to be sent, for the metrics.
pub async fn backlog<D: Db>(db: &D) -> Result<i64, D::Error> {
    db.one(BACKLOG, &[], |row| row.value(0)).await
}

/// A row of `delivery_columns!`.
fn delivery_row(row: &Row) -> Result<Delivery, StoreError> {
    let (channel, status): (String, String) = (row.value(2)?, row.value(4)?);
    let status = DeliveryStatus::parse(&status).ok_or_else(|| unknown_value("status", &status))?;
    Ok(Delivery {
        id: row.value::<i64>(0)?.to_string(),
        event_id: row.value(1)?,
        channel: Channel::parse(&channel).ok_or_else(|| unknown_value("channel", &channel))?,
        attempt: row.value(3)?,
        status,
        response_status: row.value(5)?,
        error: row.value(6)?,
        at: row.value(7)?,
        next_attempt_at: match status {
            DeliveryStatus::Pending => row.value(8)?,
            _ => None,
        },
    })
}

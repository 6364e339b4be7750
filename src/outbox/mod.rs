//! The outbox's worker, one per instance: it makes the events committed
//! readable (numbering them, on PostgreSQL), fans each out to its targets
//! (a delivery per webhook and owner's channel that wants its type), then
//! claims the deliveries due, sends them (`send.rs`) and writes how each
//! went: delivered, tried again later with backoff and jitter, or failed
//! after a day. Nothing of this runs inside a checkout; a receiver that
//! is down slows nobody but this worker.
//!
//! Instances share the work through the store: the fan-out's cursor is
//! locked while it moves, and a claimed delivery is held for a lease
//! (`for update skip locked` on PostgreSQL), longer than any channel's
//! timeout, so that two instances never send one delivery at once. A
//! delivery cut off by a crash is claimed again once its lease is over.

mod send;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;

use crate::config::Config;
use crate::domain::delivery::{Attempt, Channel, FAN_OUT_BATCH, retry_wait};
use crate::domain::time;
use crate::metrics::Metrics;
use crate::store::{Claimed, Store, StoreError, Target};

pub use send::Sender;

/// How long the worker sleeps when it found nothing to do.
pub const IDLE_WAIT: Duration = Duration::from_millis(250);
/// How long it waits after the store failed, before trying again.
pub const FAILURE_WAIT: Duration = Duration::from_secs(2);
/// How often the backlog gauge is read again.
pub const BACKLOG_EVERY: Duration = Duration::from_secs(5);

/// Starts this instance's worker on the current runtime.
pub fn start(store: Store, config: Arc<Config>, metrics: Metrics) -> tokio::task::JoinHandle<()> {
    let sender = Sender::new(store.clone(), config);
    tokio::spawn(run(store, sender, metrics))
}

async fn run(store: Store, sender: Sender, metrics: Metrics) {
    let mut backlog_read = Instant::now() - BACKLOG_EVERY;
    loop {
        if backlog_read.elapsed() >= BACKLOG_EVERY {
            if let Ok(pending) = store.delivery_backlog().await {
                metrics.outbox_backlog(pending);
            }
            backlog_read = Instant::now();
        }
        match step(&store, &sender, &metrics).await {
            Ok(true) => {}
            Ok(false) => tokio::time::sleep(IDLE_WAIT).await,
            Err(error) => {
                tracing::warn!(%error, "the outbox's worker cannot reach the store; trying again");
                tokio::time::sleep(FAILURE_WAIT).await;
            }
        }
    }
}

/// One round: publish, fan out, send what is due. Answers whether it sent
/// anything (then the next round starts at once).
pub async fn step(store: &Store, sender: &Sender, metrics: &Metrics) -> Result<bool, StoreError> {
    store.publish_events().await?;
    let (to_fan_out, due) = store.outbox_work_waiting().await?;
    if to_fan_out {
        while store.fan_out_events().await? as i64 >= FAN_OUT_BATCH {}
    }
    if !(to_fan_out || due) {
        return Ok(false);
    }
    let claimed = store.claim_deliveries().await?;
    if claimed.is_empty() {
        return Ok(false);
    }
    // One target's deliveries one after the other, in id order; targets
    // side by side.
    let mut by_target: BTreeMap<String, Vec<Claimed>> = BTreeMap::new();
    for delivery in claimed {
        by_target
            .entry(target_key(&delivery.target))
            .or_default()
            .push(delivery);
    }
    let rounds = by_target.into_values().map(|deliveries| async move {
        for delivery in deliveries {
            let attempt = sender.send(&delivery).await;
            finish(store, metrics, &delivery, attempt).await?;
        }
        Ok::<(), StoreError>(())
    });
    for outcome in futures_util::future::join_all(rounds).await {
        outcome?;
    }
    Ok(true)
}

/// Writes how an attempt went, logs it and counts it.
async fn finish(
    store: &Store,
    metrics: &Metrics,
    delivery: &Claimed,
    attempt: Attempt,
) -> Result<(), StoreError> {
    let attempts = delivery.attempts + 1;
    let wait = retry_wait(attempts, rand::random::<f64>());
    let retry_at = time::format(Utc::now() + wait);
    let channel = channel_of(&delivery.target).as_str();
    let outcome = match &attempt {
        Attempt::Delivered { response_status } => {
            tracing::info!(delivery_id = delivery.id, channel, attempt = attempts,
                response_status = ?response_status, "delivery sent");
            "delivered"
        }
        Attempt::Failed {
            response_status,
            error,
        } => {
            let gave_up = retry_at.as_str() > delivery.give_up_at.as_str();
            tracing::warn!(delivery_id = delivery.id, channel, attempt = attempts,
                response_status = ?response_status, %error, gave_up,
                "delivery failed");
            if gave_up { "failed" } else { "retry" }
        }
        Attempt::GaveUp { error } => {
            tracing::warn!(delivery_id = delivery.id, channel, attempt = attempts, %error,
                "delivery given up");
            "failed"
        }
    };
    metrics.delivery(channel, outcome);
    store.finish_delivery(delivery, attempt, retry_at).await
}

/// Deliveries to one key go one after the other.
fn target_key(target: &Target) -> String {
    match target {
        Target::Webhook { id, .. } => format!("webhook:{id}"),
        Target::Owner(channel) => format!("owner:{}", channel.as_str()),
        Target::Person { channel, recipient } => format!("{}:{recipient}", channel.as_str()),
    }
}

fn channel_of(target: &Target) -> Channel {
    match target {
        Target::Webhook { .. } => Channel::Webhook,
        Target::Owner(channel) | Target::Person { channel, .. } => *channel,
    }
}

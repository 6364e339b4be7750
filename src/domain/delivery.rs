//! Deliveries: one message of the outbox to one target (a webhook, the
//! owner's e-mail or SMS, a waiting buyer), tried until delivered or,
//! after `GIVE_UP_AFTER` of retries, failed; and when to try again.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How long a delivery is retried before it is marked failed.
pub const GIVE_UP_AFTER: Duration = Duration::from_secs(24 * 3600);
/// The first retry's wait; each next one doubles, up to `RETRY_WAIT_MAX`.
pub const RETRY_WAIT_FIRST: Duration = Duration::from_secs(5);
/// The longest wait between two attempts.
pub const RETRY_WAIT_MAX: Duration = Duration::from_secs(3600);
/// How long a worker holds a claimed delivery: longer than any channel's
/// timeout, so that two instances never send one at the same moment, and
/// short enough that a delivery cut off by a restart is tried again within
/// 30 s.
pub const LEASE: Duration = Duration::from_secs(25);
/// Deliveries one worker claims at a time (their outcomes are written
/// together after: two writes per round, not two per delivery).
pub const CLAIM_BATCH: i64 = 64;
/// Events fanned out to their targets per transaction.
pub const FAN_OUT_BATCH: i64 = 500;
/// Deliveries one page lists, at most.
pub const DELIVERIES_PAGE_MAX: i64 = 200;

/// Where a delivery goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = DeliveryChannel)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Webhook,
    Email,
    Sms,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Webhook => "webhook",
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }

    pub fn parse(raw: &str) -> Option<Channel> {
        [Channel::Webhook, Channel::Email, Channel::Sms]
            .into_iter()
            .find(|c| c.as_str() == raw)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    Pending,
    Delivered,
    Failed,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Option<DeliveryStatus> {
        [
            DeliveryStatus::Pending,
            DeliveryStatus::Delivered,
            DeliveryStatus::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }
}

/// A delivery as the pages and `GET …/deliveries` show it (named
/// `MessageDelivery` in the document: an order's `Delivery` is where it goes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = MessageDelivery)]
pub struct Delivery {
    pub id: String,
    pub event_id: Option<i64>,
    pub channel: Channel,
    /// Attempts made so far.
    pub attempt: i64,
    pub status: DeliveryStatus,
    /// The HTTP status the last attempt got, when it got one.
    pub response_status: Option<i64>,
    /// Why the last attempt failed, in words that name no secret.
    pub error: Option<String>,
    /// When the last attempt was made, or the delivery queued.
    pub at: String,
    /// When it is tried next, while pending.
    pub next_attempt_at: Option<String>,
}

/// How an attempt went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attempt {
    Delivered {
        response_status: Option<i64>,
    },
    Failed {
        response_status: Option<i64>,
        error: String,
    },
    /// Not tried in this round: its target failed just before (it waits
    /// for that one's retry, keeping their order), or the round ran out of
    /// its lease. Handed back, no attempt counted.
    NotTried,
    /// Failed in a way no retry mends (its channel was removed, its
    /// webhook's target is no longer allowed): failed at once.
    GaveUp {
        error: String,
    },
}

/// The wait before the attempt after `attempts` failed ones: doubling from
/// `RETRY_WAIT_FIRST` up to `RETRY_WAIT_MAX`, with "full jitter" on its
/// upper half (`jitter` in [0, 1)), so that a receiver back after an outage
/// is not hit by every retry at once.
pub fn retry_wait(attempts: i64, jitter: f64) -> Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 20) as u32;
    let full = RETRY_WAIT_FIRST
        .saturating_mul(2u32.saturating_pow(doublings))
        .min(RETRY_WAIT_MAX);
    full.div_f64(2.0) + full.div_f64(2.0).mul_f64(jitter.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_an_hour_with_jitter_on_their_upper_half() {
        assert_eq!(retry_wait(1, 0.0), Duration::from_millis(2500));
        assert_eq!(retry_wait(1, 1.0), Duration::from_secs(5));
        assert_eq!(retry_wait(2, 1.0), Duration::from_secs(10));
        assert_eq!(retry_wait(3, 0.5), Duration::from_secs(15));
        assert_eq!(retry_wait(40, 1.0), RETRY_WAIT_MAX);
        assert!(retry_wait(40, 0.0) >= RETRY_WAIT_MAX / 2);
    }

    #[test]
    fn a_day_of_retries_takes_more_than_twenty_attempts() {
        let mut waited = Duration::ZERO;
        let mut attempts = 0;
        while waited < GIVE_UP_AFTER {
            attempts += 1;
            waited += retry_wait(attempts, 1.0);
        }
        assert!(attempts > 20, "{attempts}");
    }

    #[test]
    fn names_read_back() {
        for channel in [Channel::Webhook, Channel::Email, Channel::Sms] {
            assert_eq!(Channel::parse(channel.as_str()), Some(channel));
        }
        for status in [
            DeliveryStatus::Pending,
            DeliveryStatus::Delivered,
            DeliveryStatus::Failed,
        ] {
            assert_eq!(DeliveryStatus::parse(status.as_str()), Some(status));
        }
    }
}

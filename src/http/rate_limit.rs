//! Rate limiting of the buyer's writes per client address: past its burst,
//! an address's checkouts and cart checks get 429 `rate_limited` with
//! `Retry-After`, so that one script cannot take the shop from its buyers.
//!
//! The algorithm (GCRA, one budget per address) is the `governor` crate's;
//! this file decides who the client is, answers, and keeps the memory bounded.
//! Refusals are counted in the metrics (`stockroom_http_rate_limited_total`)
//! and logged at DEBUG only: a flood of them must not flood the log.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, PoisonError, RwLock, Weak};
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota};
use metrics::Counter;
use tokio::sync::Notify;

use super::client_address::{budget_key, client_address};
use super::problem::ApiError;
use crate::config::{AddressBlock, RateLimitConfig};

/// How often budgets back at full are forgotten. A budget refills within
/// `burst / per_second` seconds (4 s by default), so most are gone by then.
const SWEEP_INTERVAL: Duration = Duration::from_secs(10);

/// Order lookups one address may sustain, per minute.
pub const LOOKUPS_PER_MINUTE: NonZeroU32 = NonZeroU32::new(10).expect("not zero");
/// Order lookups one address may send at once.
pub const LOOKUP_BURST: NonZeroU32 = NonZeroU32::new(5).expect("not zero");

/// One budget per client address, for the routes it is layered on.
pub struct ClientLimiter {
    /// Swapped for an empty one when too many addresses are tracked.
    budgets: RwLock<Arc<DefaultKeyedRateLimiter<IpAddr>>>,
    quota: Quota,
    addresses_max: usize,
    trusted_proxies: Vec<AddressBlock>,
    /// Wakes the sweeper early when `addresses_max` is passed.
    crowded: Notify,
    /// Requests this limiter refused.
    refused: Counter,
}

/// Marks an answer as this limiter's refusal, for the request log to put
/// it at DEBUG rather than INFO (`http/mod.rs`).
#[derive(Clone, Copy, Debug)]
pub struct RateLimitRefusal;

impl ClientLimiter {
    /// The limiter of these settings, its sweeper started on the current
    /// runtime, counting its refusals in `refused`; `None` when limiting is off.
    pub fn start(config: &RateLimitConfig, refused: Counter) -> Option<Arc<ClientLimiter>> {
        let per_second = NonZeroU32::new(config.per_second)?;
        let burst = NonZeroU32::new(config.burst).unwrap_or(NonZeroU32::MIN);
        Some(ClientLimiter::with_quota(
            Quota::per_second(per_second).allow_burst(burst),
            config,
            refused,
        ))
    }

    /// The budget of order lookups (`POST /api/v1/orders/lookup`), always
    /// on: [`LOOKUP_BURST`] at once, then [`LOOKUPS_PER_MINUTE`], so that
    /// numbers and phones cannot be tried in bulk.
    pub fn lookups(config: &RateLimitConfig, refused: Counter) -> Arc<ClientLimiter> {
        let quota = Quota::per_minute(LOOKUPS_PER_MINUTE).allow_burst(LOOKUP_BURST);
        ClientLimiter::with_quota(quota, config, refused)
    }

    /// The budget of "Me prévenir" signups, always on: the lookups' own quota.
    pub fn waitlist_signups(config: &RateLimitConfig, refused: Counter) -> Arc<ClientLimiter> {
        Self::lookups(config, refused)
    }

    fn with_quota(quota: Quota, config: &RateLimitConfig, refused: Counter) -> Arc<ClientLimiter> {
        let limiter = Arc::new(ClientLimiter {
            budgets: RwLock::new(Arc::new(DefaultKeyedRateLimiter::dashmap(quota))),
            quota,
            addresses_max: config.addresses_max as usize,
            trusted_proxies: config.trusted_proxies.clone(),
            crowded: Notify::new(),
            refused,
        });
        tokio::spawn(sweep_while_alive(Arc::downgrade(&limiter)));
        limiter
    }

    fn budgets(&self) -> Arc<DefaultKeyedRateLimiter<IpAddr>> {
        // A panic elsewhere cannot leave an `Arc` half-written: the poison is moot.
        self.budgets
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Takes one request from the address's budget; when it is spent, how
    /// long until the next one is allowed.
    pub fn check(&self, address: IpAddr) -> Result<(), Duration> {
        let budgets = self.budgets();
        let outcome = budgets.check_key(&budget_key(address));
        if budgets.len() > self.addresses_max {
            self.crowded.notify_one();
        }
        outcome.map_err(|not_until| not_until.wait_time_from(budgets.clock().now()))
    }

    /// Forgets the budgets that are full again; if still too many addresses
    /// are tracked, forgets every budget rather than grow without bound.
    fn sweep(&self) {
        let budgets = self.budgets();
        budgets.retain_recent();
        budgets.shrink_to_fit();
        let tracked = budgets.len();
        if tracked > self.addresses_max {
            tracing::warn!(
                tracked,
                addresses_max = self.addresses_max,
                "more client addresses than --rate-limit-addresses-max: every budget starts afresh"
            );
            let fresh = Arc::new(DefaultKeyedRateLimiter::dashmap(self.quota));
            *self.budgets.write().unwrap_or_else(PoisonError::into_inner) = fresh;
        }
    }
}

/// Sweeps every `SWEEP_INTERVAL`, or at once when the limiter is crowded;
/// ends at the first wake-up after the limiter was dropped with its router.
async fn sweep_while_alive(limiter: Weak<ClientLimiter>) {
    let mut tick = tokio::time::interval(SWEEP_INTERVAL);
    while let Some(limiter) = limiter.upgrade() {
        tokio::select! {
            _ = tick.tick() => {}
            () = limiter.crowded.notified() => {}
        }
        limiter.sweep();
    }
}

/// The middleware: counts each write (POST) of the routes it wraps against
/// its client's budget; reads are never limited.
pub async fn limit(
    State(limiter): State<Arc<ClientLimiter>>,
    request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip());
    // No peer address only when the router is served without connection
    // info, which `serve` never does: there is no one to count against.
    let (Some(peer), &Method::POST) = (peer, request.method()) else {
        return next.run(request).await;
    };
    let client = client_address(peer, request.headers(), &limiter.trusted_proxies);
    match limiter.check(client) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            limiter.refused.increment(1);
            tracing::debug!(client = %client, "rate limited");
            let mut refusal = ApiError::RateLimited {
                retry_after_secs: whole_seconds(wait),
            }
            .into_response();
            refusal.extensions_mut().insert(RateLimitRefusal);
            refusal
        }
    }
}

/// `Retry-After` is in whole seconds: rounded up, and at least 1, so that a
/// client that waits as told is served.
fn whole_seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up_to_whole_seconds_and_is_never_zero() {
        assert_eq!(whole_seconds(Duration::ZERO), 1);
        assert_eq!(whole_seconds(Duration::from_millis(200)), 1);
        assert_eq!(whole_seconds(Duration::from_secs(2)), 2);
        assert_eq!(whole_seconds(Duration::from_millis(2001)), 3);
    }

    #[tokio::test]
    async fn an_address_past_its_burst_waits_while_another_is_served() {
        let config = RateLimitConfig {
            per_second: 1,
            burst: 2,
            ..RateLimitConfig::DEFAULT
        };
        let limiter = ClientLimiter::start(&config, Counter::noop()).expect("limiting is on");
        let scalper: IpAddr = "203.0.113.9".parse().expect("an address");
        let buyer: IpAddr = "198.51.100.7".parse().expect("an address");
        assert!(limiter.check(scalper).is_ok());
        assert!(limiter.check(scalper).is_ok());
        let wait = limiter.check(scalper).expect_err("the burst is spent");
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(1),
            "{wait:?}"
        );
        assert!(limiter.check(buyer).is_ok());
    }

    #[tokio::test]
    async fn past_the_address_bound_the_sweep_forgets_every_budget() {
        let config = RateLimitConfig {
            per_second: 1,
            burst: 1,
            addresses_max: 2,
            ..RateLimitConfig::DEFAULT
        };
        let limiter = ClientLimiter::start(&config, Counter::noop()).expect("limiting is on");
        for last in 1..=3u8 {
            assert!(limiter.check(IpAddr::from([203, 0, 113, last])).is_ok());
        }
        assert_eq!(limiter.budgets().len(), 3);
        limiter.sweep();
        assert_eq!(limiter.budgets().len(), 0);
        assert!(
            limiter.check(IpAddr::from([203, 0, 113, 1])).is_ok(),
            "a fresh budget"
        );
    }

    #[test]
    fn limiting_is_off_at_zero_per_second() {
        assert!(ClientLimiter::start(&RateLimitConfig::OFF, Counter::noop()).is_none());
    }
}

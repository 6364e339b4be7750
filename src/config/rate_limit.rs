//! The per-address rate limit's settings and why its defaults are what they are.

use super::AddressBlock;

/// How many checkouts and cart checks one client address may send.
///
/// The defaults are for a real shop. A person adds to the cart, changes a
/// quantity or checks out a few times a minute, in short bursts of clicks;
/// a scalper's bot sends dozens a second. But many buyers on a mobile
/// network share one public IPv4 address (carrier-grade NAT), so the
/// budget of one address must serve a handful of people at once: 20 at
/// once and 5 a second sustained do, while a bot past its burst has 95% of
/// a hundred requests a second refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimitConfig {
    /// Requests per second one address may sustain; 0 turns limiting off.
    pub per_second: u32,
    /// Requests one address may send at once before `per_second` applies.
    pub burst: u32,
    /// Addresses tracked at most (each under 100 bytes).
    pub addresses_max: u32,
    /// Peers trusted as reverse proxies: their `X-Forwarded-For` names the
    /// client and their `X-Request-Id` is kept (`http/request_id.rs`), and
    /// what comes through them is never a local client (`/metrics`).
    pub trusted_proxies: Vec<AddressBlock>,
}

impl RateLimitConfig {
    pub const DEFAULT_PER_SECOND: u32 = 5;
    pub const DEFAULT_BURST: u32 = 20;
    pub const DEFAULT_ADDRESSES_MAX: u32 = 100_000;

    pub const DEFAULT: RateLimitConfig = RateLimitConfig {
        per_second: RateLimitConfig::DEFAULT_PER_SECOND,
        burst: RateLimitConfig::DEFAULT_BURST,
        addresses_max: RateLimitConfig::DEFAULT_ADDRESSES_MAX,
        trusted_proxies: Vec::new(),
    };

    /// No limit: for tests and load runs that send thousands of requests from one address.
    pub const OFF: RateLimitConfig = RateLimitConfig {
        per_second: 0,
        burst: RateLimitConfig::DEFAULT_BURST,
        addresses_max: RateLimitConfig::DEFAULT_ADDRESSES_MAX,
        trusted_proxies: Vec::new(),
    };
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig::DEFAULT
    }
}

//! The settings a store needs from the service's configuration: its
//! currency, its limits and timeouts, its connections on either database.

use std::time::Duration;

/// The settings a store needs from the service's configuration.
#[derive(Clone, Debug)]
pub struct StoreConfig {
    /// ISO 4217 code of the shop's prices, e.g. `XOF`.
    pub currency: String,
    /// How long a write may wait for its turn before it is refused with 503.
    pub checkout_timeout: Duration,
    /// Orders per transaction at most (1: one transaction per order).
    pub checkout_batch_max: usize,
    /// Checkouts waiting for their batch at most, and on SQLite writes
    /// waiting for the writer; past it, 503 at once.
    pub write_queue_max: usize,
    /// How long an idempotency key's answer is kept.
    pub idempotency_ttl: Duration,
    /// Read-only SQLite connections beside the writer.
    pub sqlite_readers_max: u32,
    /// PostgreSQL connections per instance at most (each checkout holds one
    /// for its transaction).
    pub pg_pool_max: usize,
    /// PostgreSQL cancels any one statement that runs longer (0: never).
    pub pg_statement_timeout: Duration,
    /// How long opening a PostgreSQL connection may take.
    pub pg_connect_timeout: Duration,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            currency: "XOF".into(),
            checkout_timeout: Duration::from_secs(5),
            checkout_batch_max: 256,
            write_queue_max: 8192,
            idempotency_ttl: Duration::from_secs(24 * 3600),
            sqlite_readers_max: 4,
            pg_pool_max: 16,
            pg_statement_timeout: Duration::from_secs(5),
            pg_connect_timeout: Duration::from_secs(5),
        }
    }
}

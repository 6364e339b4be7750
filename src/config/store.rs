//! The settings a store needs from the service's configuration: its
//! currency, its limits and timeouts, its connections on either database,
//! and those settings as PostgreSQL's driver takes them.

use std::time::Duration;

use super::redact_url;
use crate::domain::clock::Clock;

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
    /// What the checkout and the drops call "now".
    pub clock: Clock,
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
            clock: Clock::default(),
        }
    }
}

impl StoreConfig {
    /// The settings of a connection to the PostgreSQL database at `url`:
    /// the url's own plus ours: connect timeout, statement timeout, an
    /// idle-in-transaction timeout so that a hung instance cannot hold row
    /// locks (a hot variant's stock row) for longer than a checkout may
    /// wait, and `synchronous_commit = on` so that a commit is on disk
    /// before anyone is told about it, whatever the server's default
    /// (unless the url's own options choose otherwise). A url the driver
    /// cannot read is refused with a message that hides its password.
    pub fn pg_connection(&self, url: &str) -> Result<tokio_postgres::Config, String> {
        let mut pg: tokio_postgres::Config = url
            .parse()
            .map_err(|e| format!("invalid PostgreSQL url {}: {e}", redact_url(url)))?;
        pg.connect_timeout(self.pg_connect_timeout);
        if pg.get_application_name().is_none() {
            pg.application_name("stockroom");
        }
        let given = pg.get_options().unwrap_or_default().to_owned();
        let durable = if given.contains("synchronous_commit") {
            ""
        } else {
            " -c synchronous_commit=on"
        };
        let options = format!(
            "{given} -c statement_timeout={} -c idle_in_transaction_session_timeout={}{durable}",
            self.pg_statement_timeout.as_millis(),
            self.checkout_timeout.as_millis().max(1000),
        );
        pg.options(options.trim());
        Ok(pg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_timeouts_join_the_options_the_url_already_has() {
        let config = StoreConfig {
            pg_statement_timeout: Duration::from_millis(1500),
            checkout_timeout: Duration::from_secs(5),
            ..StoreConfig::default()
        };
        let pg = config
            .pg_connection("postgres://shop:secret@db:5432/shop?options=-c%20search_path%3Dshop")
            .expect("a valid url");
        assert_eq!(
            pg.get_options(),
            Some(
                "-c search_path=shop -c statement_timeout=1500 \
                 -c idle_in_transaction_session_timeout=5000 -c synchronous_commit=on"
            )
        );
        assert_eq!(pg.get_application_name(), Some("stockroom"));
        assert_eq!(pg.get_connect_timeout(), Some(&config.pg_connect_timeout));
    }

    #[test]
    fn a_durability_choice_in_the_url_is_left_alone() {
        let pg = StoreConfig::default()
            .pg_connection("postgres://db/shop?options=-c%20synchronous_commit%3Dremote_apply")
            .expect("a valid url");
        let options = pg.get_options().unwrap_or_default();
        assert!(
            options.contains("synchronous_commit=remote_apply"),
            "{options}"
        );
        assert!(!options.contains("synchronous_commit=on"), "{options}");
    }

    #[test]
    fn a_broken_url_is_refused_without_showing_its_password() {
        let refused =
            StoreConfig::default().pg_connection("postgres://shop:s3cret@db:notaport/shop");
        let Err(message) = refused else {
            panic!("a broken url must be refused");
        };
        assert!(!message.contains("s3cret"), "{message}");
    }
}

//! Every setting of the service: a flag, an environment variable
//! (`STOCKROOM_…`) and a default, named with its unit.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::domain::Limits;

mod address_block;
mod connections;
mod database_url;
mod public_url;
mod rate_limit;
mod secret;
mod sign_in;
mod store;

pub use address_block::AddressBlock;
pub use connections::{ConnectionArgs, ConnectionLimits};
pub use database_url::{DatabaseUrl, redact_url};
pub use public_url::{HostName, PublicUrl};
pub use rate_limit::RateLimitConfig;
pub use secret::Secret;
pub use sign_in::{SignInArgs, SignInConfig};
pub use store::StoreConfig;

/// Where the data lives; shared by every subcommand that opens the database.
#[derive(Args, Clone)]
pub struct DatabaseArgs {
    /// Database url: `sqlite://FILE` (created if missing), or
    /// `postgres://USER:PASSWORD@HOST:PORT/DB` for several instances on one
    /// database (docs/OPERATIONS.md). Default `sqlite://stockroom.db`; with
    /// `--demo`, a fresh file in a temporary folder.
    #[arg(
        long,
        env = "STOCKROOM_DATABASE_URL",
        hide_env_values = true,
        global = true
    )]
    pub database_url: Option<String>,

    /// PostgreSQL connections per instance at most; each checkout holds one
    /// for the length of its transaction.
    #[arg(long, global = true, env = "STOCKROOM_PG_POOL_MAX", default_value_t = 16,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub pg_pool_max: u32,

    /// PostgreSQL cancels a statement that runs longer than this (0: never);
    /// the request then gets 503.
    #[arg(long, global = true, env = "STOCKROOM_PG_STATEMENT_TIMEOUT_MS", default_value_t = 5000,
          value_parser = clap::value_parser!(u64).range(0..=3_600_000))]
    pub pg_statement_timeout_ms: u64,

    /// How long opening one PostgreSQL connection may take.
    #[arg(long, global = true, env = "STOCKROOM_PG_CONNECT_TIMEOUT_MS", default_value_t = 5000,
          value_parser = clap::value_parser!(u64).range(100..=600_000))]
    pub pg_connect_timeout_ms: u64,
}

impl std::fmt::Debug for DatabaseArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseArgs")
            .field(
                "database_url",
                &self.database_url.as_deref().map(redact_url),
            )
            .field("pg_pool_max", &self.pg_pool_max)
            .field("pg_statement_timeout_ms", &self.pg_statement_timeout_ms)
            .field("pg_connect_timeout_ms", &self.pg_connect_timeout_ms)
            .finish()
    }
}

impl DatabaseArgs {
    pub const DEFAULT_URL: &str = "sqlite://stockroom.db";

    pub fn url_or_default(&self) -> &str {
        self.database_url.as_deref().unwrap_or(Self::DEFAULT_URL)
    }

    /// The store's settings: the defaults with these database flags applied.
    pub fn store_config(&self) -> StoreConfig {
        StoreConfig {
            pg_pool_max: self.pg_pool_max as usize,
            pg_statement_timeout: Duration::from_millis(self.pg_statement_timeout_ms),
            pg_connect_timeout: Duration::from_millis(self.pg_connect_timeout_ms),
            ..StoreConfig::default()
        }
    }
}

/// How checkouts reach the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckoutMode {
    /// Orders that arrive while a commit is on disk share the next commit
    /// (group commit).
    Batched,
    /// One transaction, one fsync per order; kept to measure against.
    Single,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// The largest `--clock-offset`, in seconds either way: a year.
pub const CLOCK_OFFSET_SECS_MAX: i64 = 366 * 24 * 3600;

#[derive(Args, Clone, Debug)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "STOCKROOM_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    #[command(flatten)]
    pub database: DatabaseArgs,

    /// Start on a fresh database with a demo catalog and a demo admin, and
    /// print the admin token.
    #[arg(long, env = "STOCKROOM_DEMO")]
    pub demo: bool,

    /// Mark this instance as a throwaway bench (`/healthz` says so): the only
    /// kind, with `--demo`, that `stockroom load` runs against without
    /// `--allow-real-shop`. Its database is meant to be thrown away after.
    #[arg(long, env = "STOCKROOM_BENCH")]
    pub bench: bool,

    /// With `--demo` only: moves the shop's clock (what drops and the
    /// checkout call "now") this many seconds from the machine's, ahead or
    /// behind (`-30`), to test a drop's countdown in a browser whose clock
    /// is not the server's. Refused without `--demo`.
    #[arg(long, env = "STOCKROOM_CLOCK_OFFSET", allow_negative_numbers = true,
          value_parser = clap::value_parser!(i64).range(-CLOCK_OFFSET_SECS_MAX..=CLOCK_OFFSET_SECS_MAX))]
    pub clock_offset: Option<i64>,

    /// Let webhooks and the SMS gateway target loopback and private
    /// networks (a receiver on this machine or the shop's LAN); refused
    /// otherwise, so that the server cannot be made to call its neighbours.
    #[arg(long, env = "STOCKROOM_WEBHOOK_ALLOW_PRIVATE")]
    pub webhook_allow_private: bool,

    /// ISO 4217 code of the shop's prices (XOF has no minor unit, EUR has cents).
    #[arg(long, env = "STOCKROOM_CURRENCY", default_value = "XOF")]
    pub currency: String,

    /// `batched` shares one commit among the orders that arrive together;
    /// `single` commits each order alone.
    #[arg(long, env = "STOCKROOM_CHECKOUT_MODE", value_enum, default_value_t = CheckoutMode::Batched)]
    pub checkout_mode: CheckoutMode,

    /// Orders per commit at most in batched mode.
    #[arg(long, env = "STOCKROOM_CHECKOUT_BATCH_MAX", default_value_t = 256,
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub checkout_batch_max: u32,

    /// Writes waiting for the database at most; past it, 503 with Retry-After.
    #[arg(long, env = "STOCKROOM_WRITE_QUEUE_MAX", default_value_t = 8192,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub write_queue_max: u32,

    /// A checkout still waiting for the database after this long is refused with 503.
    #[arg(long, env = "STOCKROOM_CHECKOUT_TIMEOUT_MS", default_value_t = 5000,
          value_parser = clap::value_parser!(u64).range(10..=600_000))]
    pub checkout_timeout_ms: u64,

    /// How long the answer to an `Idempotency-Key` is kept.
    #[arg(long, env = "STOCKROOM_IDEMPOTENCY_TTL_HOURS", default_value_t = 24,
          value_parser = clap::value_parser!(u64).range(1..=24 * 365))]
    pub idempotency_ttl_hours: u64,

    /// Read-only SQLite connections beside the writer.
    #[arg(long, env = "STOCKROOM_SQLITE_READERS_MAX", default_value_t = 4,
          value_parser = clap::value_parser!(u32).range(1..=64))]
    pub sqlite_readers_max: u32,

    /// Largest request body accepted; larger ones get 413.
    #[arg(long, env = "STOCKROOM_REQUEST_BODY_BYTES_MAX", default_value_t = 64 * 1024,
          value_parser = clap::value_parser!(u32).range(1024..=16 * 1024 * 1024))]
    pub request_body_bytes_max: u32,

    /// Lines per order at most.
    #[arg(long, env = "STOCKROOM_ORDER_LINES_MAX", default_value_t = 50,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub order_lines_max: u32,

    /// Units of one sku per order at most (after merging duplicate lines).
    #[arg(long, env = "STOCKROOM_LINE_QUANTITY_MAX", default_value_t = 100,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub line_quantity_max: u32,

    /// Log lines as human-readable text or as JSON objects.
    #[arg(long, env = "STOCKROOM_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty)]
    pub log_format: LogFormat,

    /// Checkouts and cart checks per second that one client address may
    /// sustain (0: no limit, e.g. for a load test from 127.0.0.1).
    #[arg(long, env = "STOCKROOM_RATE_LIMIT_PER_SECOND", default_value_t = RateLimitConfig::DEFAULT_PER_SECOND,
          value_parser = clap::value_parser!(u32).range(0..=100_000))]
    pub rate_limit_per_second: u32,

    /// Checkouts and cart checks one client address may send at once
    /// before the sustained rate applies.
    #[arg(long, env = "STOCKROOM_RATE_LIMIT_BURST", default_value_t = RateLimitConfig::DEFAULT_BURST,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub rate_limit_burst: u32,

    /// Client addresses whose budgets are kept at most; past it, every
    /// budget starts afresh (a bound on the limiter's memory).
    #[arg(long, env = "STOCKROOM_RATE_LIMIT_ADDRESSES_MAX", default_value_t = RateLimitConfig::DEFAULT_ADDRESSES_MAX,
          value_parser = clap::value_parser!(u32).range(1000..=10_000_000))]
    pub rate_limit_addresses_max: u32,

    /// Reverse proxies whose `X-Forwarded-For` and `X-Request-Id` are
    /// believed, as addresses or CIDR blocks separated by commas
    /// (`127.0.0.1,::1`, `10.0.0.0/8`); what comes through them is never
    /// local for `/metrics`. Not set: every client is its TCP peer address
    /// and both headers are ignored.
    #[arg(long, env = "STOCKROOM_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<AddressBlock>,

    /// The shop's address as buyers and staff reach it (`https://shop.example`):
    /// the host the allowed-hosts check accepts, the origin the back
    /// office's writes must come from, the start of setup links; `https`
    /// marks the session cookie `Secure`. Not set: where it listens
    /// (`http://127.0.0.1:8080`).
    #[arg(long, env = "STOCKROOM_PUBLIC_URL")]
    pub public_url: Option<PublicUrl>,

    /// Host names a request may name in its `Host` besides the public
    /// url's, separated by commas (`www.shop.example`). Set: any other
    /// `Host` is refused with 421, against DNS rebinding. Not set: no
    /// check (the public url's host alone: repeat it here).
    #[arg(long, env = "STOCKROOM_ALLOWED_HOSTS", value_delimiter = ',')]
    pub allowed_hosts: Vec<HostName>,

    #[command(flatten)]
    pub connections: ConnectionArgs,

    #[command(flatten)]
    pub sign_in: SignInArgs,

    /// Bearer token that `GET /metrics` asks for. Not set: metrics are
    /// answered only to programs on this machine (a loopback peer that is
    /// not one of --trusted-proxies), and refused with 403 elsewhere.
    #[arg(long, env = "STOCKROOM_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<Secret>,

    /// A TOML file of settings, keyed by the flags' long names
    /// (`checkout_batch_max = 128`); a value there is used when neither the
    /// flag nor the environment variable gives one.
    #[arg(long, env = "STOCKROOM_CONFIG")]
    pub config: Option<PathBuf>,
}

/// The settings the running service reads.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub limits: Limits,
    pub store: StoreConfig,
    /// When set, `GET /metrics` needs it as a bearer token; when not, it
    /// answers loopback clients only.
    pub metrics_token: Option<Secret>,
    pub rate_limit: RateLimitConfig,
    /// The shop's own address.
    pub public_url: PublicUrl,
    /// With any name, the `Host` of a request must be one of them or the
    /// public url's; empty, the check is off.
    pub allowed_hosts: Vec<HostName>,
    /// How many HTTP connections, from whom, for how long.
    pub connections: ConnectionLimits,
    /// Sessions' lifetimes and when failed sign-ins wait.
    pub sign_in: SignInConfig,
    /// A real shop, a demo or a bench (`/healthz` says which).
    pub instance: Instance,
    /// Webhooks and the SMS gateway may target private networks.
    pub webhook_allow_private: bool,
}

/// What an instance is for: `stockroom load` leaves its products and orders
/// behind, so it runs only against a demo or a bench unless told otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Instance {
    /// A shop's own data: never loaded without `--allow-real-shop`.
    #[default]
    Shop,
    /// `serve --demo`: a fresh demo database in a temporary folder.
    Demo,
    /// `serve --bench`: a throwaway database for benchmarks.
    Bench,
}

impl ServeArgs {
    /// The shop's clock: the machine's, moved by `--clock-offset` on a demo
    /// (`cli/serve.rs` refuses the flag on any other instance).
    pub fn clock(&self) -> crate::domain::clock::Clock {
        match self.clock_offset {
            Some(secs) if self.demo => {
                crate::domain::clock::Clock::offset_by(chrono::TimeDelta::seconds(secs))
            }
            _ => crate::domain::clock::Clock::default(),
        }
    }

    /// `--public-url`, or the address it listens on.
    pub fn public_url(&self) -> PublicUrl {
        self.public_url
            .clone()
            .unwrap_or_else(|| PublicUrl::for_listen(self.listen))
    }
}

impl Config {
    /// The hosts a request may name, when the allowed-hosts check is on:
    /// the public url's and `--allowed-hosts`.
    pub fn accepted_hosts(&self) -> Option<Vec<HostName>> {
        if self.allowed_hosts.is_empty() {
            return None;
        }
        let mut hosts = self.allowed_hosts.clone();
        hosts.push(self.public_url.host());
        Some(hosts)
    }

    pub fn from_args(args: &ServeArgs) -> Config {
        let limits = Limits {
            order_lines_max: args.order_lines_max as usize,
            line_quantity_max: i64::from(args.line_quantity_max),
            request_body_bytes_max: args.request_body_bytes_max as usize,
            ..Limits::default()
        };
        let store = StoreConfig {
            currency: args.currency.trim().to_ascii_uppercase(),
            checkout_timeout: Duration::from_millis(args.checkout_timeout_ms),
            checkout_batch_max: match args.checkout_mode {
                CheckoutMode::Batched => args.checkout_batch_max as usize,
                CheckoutMode::Single => 1,
            },
            write_queue_max: args.write_queue_max as usize,
            idempotency_ttl: Duration::from_secs(args.idempotency_ttl_hours * 3600),
            sqlite_readers_max: args.sqlite_readers_max,
            clock: args.clock(),
            ..args.database.store_config()
        };
        Config {
            limits,
            store,
            metrics_token: args.metrics_token.clone(),
            rate_limit: RateLimitConfig {
                per_second: args.rate_limit_per_second,
                burst: args.rate_limit_burst,
                addresses_max: args.rate_limit_addresses_max,
                trusted_proxies: args.trusted_proxies.clone(),
            },
            public_url: args.public_url(),
            allowed_hosts: args.allowed_hosts.clone(),
            connections: ConnectionLimits::from_args(&args.connections),
            sign_in: SignInConfig::from_args(&args.sign_in),
            instance: match (args.demo, args.bench) {
                (true, _) => Instance::Demo,
                (false, true) => Instance::Bench,
                (false, false) => Instance::Shop,
            },
            webhook_allow_private: args.webhook_allow_private,
        }
    }
}

//! The HTTP connections' limits: how many may be open, how many from one
//! client address, and how long each part of a request may take.
//!
//! They are what stands between one misbehaving client and everyone else.
//! A slowloris opens connections and sends nothing, or half a request, or a
//! body one byte at a time: without timers each such connection is held
//! forever, and without caps they use up the process's open files, after
//! which nobody is served. Every phase of a connection has its own timer,
//! and every connection counts against a cap.

use std::time::Duration;

use clap::Args;

/// The flags of `serve` for HTTP connections.
#[derive(Args, Clone, Debug)]
pub struct ConnectionArgs {
    /// Open HTTP connections at most; at the limit, new ones wait in the
    /// listen queue until one closes. Lowered at start-up to what the
    /// process's open-file limit allows.
    #[arg(long, env = "STOCKROOM_CONNECTIONS_MAX",
          default_value_t = ConnectionLimits::DEFAULT.connections_max as u32,
          value_parser = clap::value_parser!(u32).range(16..=1_000_000))]
    pub connections_max: u32,

    /// Open HTTP connections one client address (its TCP peer) may hold;
    /// past it, its new connections are closed at once. Trusted proxies
    /// (`--trusted-proxies`) are exempt.
    #[arg(long, env = "STOCKROOM_CONNECTIONS_PER_ADDRESS_MAX",
          default_value_t = ConnectionLimits::DEFAULT.connections_per_address_max as u32,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub connections_per_address_max: u32,

    /// A request's headers must arrive in full within this long, counted
    /// from the request's first byte (from the opening, for a connection's
    /// first request); past it the connection is closed.
    #[arg(long, env = "STOCKROOM_HTTP_HEADER_TIMEOUT_MS",
          default_value_t = millis(ConnectionLimits::DEFAULT.header_timeout),
          value_parser = clap::value_parser!(u64).range(100..=600_000))]
    pub http_header_timeout_ms: u64,

    /// Largest request head (request line and headers) accepted, in bytes;
    /// a larger one gets 431 and its connection is closed.
    #[arg(long, env = "STOCKROOM_HTTP_HEADER_BYTES_MAX",
          default_value_t = ConnectionLimits::DEFAULT.header_bytes_max as u32,
          value_parser = clap::value_parser!(u32).range(8192..=1024 * 1024))]
    pub http_header_bytes_max: u32,

    /// A request's body must arrive in full within this long of its
    /// headers; past it the answer is 408 and the connection is closed.
    #[arg(long, env = "STOCKROOM_HTTP_BODY_TIMEOUT_MS",
          default_value_t = millis(ConnectionLimits::DEFAULT.body_timeout),
          value_parser = clap::value_parser!(u64).range(100..=3_600_000))]
    pub http_body_timeout_ms: u64,

    /// A keep-alive connection on which nothing was sent or received for
    /// this long, between two requests, is closed.
    #[arg(long, env = "STOCKROOM_HTTP_IDLE_TIMEOUT_MS",
          default_value_t = millis(ConnectionLimits::DEFAULT.idle_timeout),
          value_parser = clap::value_parser!(u64).range(100..=3_600_000))]
    pub http_idle_timeout_ms: u64,

    /// A request not answered within this long of its headers gets 503
    /// (counted to the answer's start: a stream that follows is not cut).
    #[arg(long, env = "STOCKROOM_HTTP_REQUEST_TIMEOUT_MS",
          default_value_t = millis(ConnectionLimits::DEFAULT.request_timeout),
          value_parser = clap::value_parser!(u64).range(100..=3_600_000))]
    pub http_request_timeout_ms: u64,

    /// On SIGTERM or Ctrl-C, the requests in flight get this long to be
    /// answered; then every connection still open is closed and the
    /// process ends.
    #[arg(long, env = "STOCKROOM_SHUTDOWN_TIMEOUT_MS",
          default_value_t = millis(ConnectionLimits::DEFAULT.shutdown_timeout),
          value_parser = clap::value_parser!(u64).range(0..=600_000))]
    pub shutdown_timeout_ms: u64,
}

/// The limits the server applies, from [`ConnectionArgs`].
///
/// The defaults: a benchmark runs 1,000 keep-alive clients from 127.0.0.1,
/// and a shop behind a mobile operator's NAT sees many buyers on one
/// address, so one address may hold 4,096 connections; the whole server
/// 8,192 (with a 16 KiB head each, under 200 MB in the worst case). A
/// person's browser sends its headers at once and its small JSON bodies in
/// well under a second even on a slow mobile network, so 10 s and 15 s
/// only cut clients that are not trying. 75 s of idleness outlasts the 60 s
/// after which common load balancers drop an idle connection themselves,
/// so the proxy, not stockroom, closes the connections it pools. 30 s for
/// a request is six times the checkout's own deadline. 10 s of shutdown is
/// well inside the 30 s a supervisor (systemd, Kubernetes) waits before
/// killing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    pub connections_max: usize,
    pub connections_per_address_max: usize,
    pub header_timeout: Duration,
    pub header_bytes_max: usize,
    pub body_timeout: Duration,
    pub idle_timeout: Duration,
    pub request_timeout: Duration,
    pub shutdown_timeout: Duration,
}

impl ConnectionLimits {
    pub const DEFAULT: ConnectionLimits = ConnectionLimits {
        connections_max: 8192,
        connections_per_address_max: 4096,
        header_timeout: Duration::from_secs(10),
        header_bytes_max: 16 * 1024,
        body_timeout: Duration::from_secs(15),
        idle_timeout: Duration::from_secs(75),
        request_timeout: Duration::from_secs(30),
        shutdown_timeout: Duration::from_secs(10),
    };

    pub fn from_args(args: &ConnectionArgs) -> ConnectionLimits {
        ConnectionLimits {
            connections_max: args.connections_max as usize,
            connections_per_address_max: args.connections_per_address_max as usize,
            header_timeout: Duration::from_millis(args.http_header_timeout_ms),
            header_bytes_max: args.http_header_bytes_max as usize,
            body_timeout: Duration::from_millis(args.http_body_timeout_ms),
            idle_timeout: Duration::from_millis(args.http_idle_timeout_ms),
            request_timeout: Duration::from_millis(args.http_request_timeout_ms),
            shutdown_timeout: Duration::from_millis(args.shutdown_timeout_ms),
        }
    }
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits::DEFAULT
    }
}

const fn millis(duration: Duration) -> u64 {
    duration.as_millis() as u64
}

//! Prometheus metrics: what `GET /metrics` shows.
//!
//! Each running app owns its own recorder rather than installing the
//! `metrics` crate's global one: a process can install that only once, and
//! the tests run many apps in one process, each expecting its own counts.
//! The hot path never looks a metric up: the checkout's counters and
//! histograms are registered here once and kept as handles, so recording is
//! an atomic add (a histogram sample is a lock-free push, drained at scrape
//! or by the upkeep task).

use std::sync::Arc;
use std::time::Duration;

use metrics::{
    Counter, Gauge, Histogram, Key, KeyName, Label, Level, Metadata, Recorder, SharedString, Unit,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusRecorder};

use crate::domain::order::CheckoutRefusal;

/// The `outcome` labels of `stockroom_orders_total`: what became of one
/// `POST /api/v1/orders` (the checkout names it, `CheckoutAnswer::metric_label`).
pub fn order_outcomes() -> impl Iterator<Item = &'static str> {
    [
        "created",
        "replayed",
        "idempotency_key_reused",
        "invalid",
        "product_unavailable",
        "price_changed",
        "unavailable",
        "error",
    ]
    .into_iter()
    .chain(CheckoutRefusal::CODES)
}

/// How busy the database connections and the checkout queue are, and
/// whether the database's disk is full, read when `/metrics` is scraped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ConnectionGauges {
    pub readers_max: u32,
    pub readers_open: u32,
    pub readers_idle: u32,
    /// Checkouts waiting for their batch.
    pub checkout_queue: usize,
    pub checkout_queue_max: usize,
    /// Whether writes fail because the disk is full.
    pub disk_full: bool,
    /// Writes refused because the disk was full, since the start.
    pub disk_full_writes: u64,
}

/// One app's metrics; cheap to clone.
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

struct Inner {
    recorder: PrometheusRecorder,
    orders: Vec<(&'static str, Counter)>,
    checkout_seconds: Histogram,
    batch_sizes: Histogram,
    connections_open: Gauge,
    connections_dropped: Vec<(ConnectionDrop, Counter)>,
    rate_limited: Vec<(RateLimit, Counter)>,
}

/// Why the server closed a connection on its own, the `reason` label of
/// `stockroom_http_connections_dropped_total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionDrop {
    /// Its client address already held as many connections as it may.
    AddressLimit,
    /// Its request's headers did not arrive in time.
    HeaderTimeout,
    /// Nothing came or went between two requests for too long.
    IdleTimeout,
    /// Still open when the shutdown's deadline passed.
    Shutdown,
}

impl ConnectionDrop {
    pub const ALL: [ConnectionDrop; 4] = [
        ConnectionDrop::AddressLimit,
        ConnectionDrop::HeaderTimeout,
        ConnectionDrop::IdleTimeout,
        ConnectionDrop::Shutdown,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ConnectionDrop::AddressLimit => "address_limit",
            ConnectionDrop::HeaderTimeout => "header_timeout",
            ConnectionDrop::IdleTimeout => "idle_timeout",
            ConnectionDrop::Shutdown => "shutdown",
        }
    }
}

/// Which per-address budget refused a request, the `limit` label of
/// `stockroom_http_rate_limited_total` (`http/rate_limit.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateLimit {
    /// Checkouts and cart checks.
    BuyerWrites,
    /// Order lookups by number and phone.
    Lookups,
    /// "Me prévenir" signups.
    Waitlist,
}

impl RateLimit {
    pub const ALL: [RateLimit; 3] = [
        RateLimit::BuyerWrites,
        RateLimit::Lookups,
        RateLimit::Waitlist,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RateLimit::BuyerWrites => "buyer_writes",
            RateLimit::Lookups => "lookups",
            RateLimit::Waitlist => "waitlist",
        }
    }
}

const ORDERS: &str = "stockroom_orders_total";
const CHECKOUT_SECONDS: &str = "stockroom_checkout_seconds";
const BATCH_SIZE: &str = "stockroom_checkout_batch_size";
const STOCK_AVAILABLE: &str = "stockroom_stock_available";
const HTTP_REQUESTS: &str = "stockroom_http_requests_total";
const HTTP_SECONDS: &str = "stockroom_http_request_duration_seconds";
const POOL_CONNECTIONS: &str = "stockroom_db_pool_connections";
const POOL_MAX: &str = "stockroom_db_pool_connections_max";
const WRITE_QUEUE: &str = "stockroom_db_write_queue";
const WRITE_QUEUE_MAX: &str = "stockroom_db_write_queue_max";
const DISK_FULL: &str = "stockroom_db_disk_full";
const DISK_FULL_WRITES: &str = "stockroom_db_disk_full_writes_total";
const CONNECTIONS: &str = "stockroom_http_connections";
const CONNECTIONS_DROPPED: &str = "stockroom_http_connections_dropped_total";
const RATE_LIMITED: &str = "stockroom_http_rate_limited_total";
const DELIVERIES: &str = "stockroom_deliveries_total";
const OUTBOX_BACKLOG: &str = "stockroom_outbox_backlog";

/// Bucket bounds in seconds, from a fast batched commit to the checkout timeout.
const SECONDS_BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
const BATCH_BUCKETS: [f64; 12] = [
    1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0, 4096.0,
];

static METADATA: Metadata<'static> = Metadata::new("stockroom", Level::INFO, Some("stockroom"));

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let recorder = builder().build_recorder();
        describe(&recorder);
        let orders = order_outcomes()
            .map(|outcome| {
                let key = Key::from_parts(ORDERS, vec![Label::new("outcome", outcome)]);
                (outcome, recorder.register_counter(&key, &METADATA))
            })
            .collect();
        let checkout_seconds =
            recorder.register_histogram(&Key::from_name(CHECKOUT_SECONDS), &METADATA);
        let batch_sizes = recorder.register_histogram(&Key::from_name(BATCH_SIZE), &METADATA);
        let connections_open = recorder.register_gauge(&Key::from_name(CONNECTIONS), &METADATA);
        let connections_dropped = ConnectionDrop::ALL
            .into_iter()
            .map(|reason| {
                let labels = vec![Label::new("reason", reason.label())];
                let key = Key::from_parts(CONNECTIONS_DROPPED, labels);
                (reason, recorder.register_counter(&key, &METADATA))
            })
            .collect();
        let rate_limited = RateLimit::ALL
            .into_iter()
            .map(|limit| {
                let key = Key::from_parts(RATE_LIMITED, vec![Label::new("limit", limit.label())]);
                (limit, recorder.register_counter(&key, &METADATA))
            })
            .collect();
        Metrics {
            inner: Arc::new(Inner {
                recorder,
                orders,
                checkout_seconds,
                batch_sizes,
                connections_open,
                connections_dropped,
                rate_limited,
            }),
        }
    }

    /// One HTTP connection more (`1.0`) or less (`-1.0`) open.
    pub fn connections_open(&self, change: f64) {
        self.inner.connections_open.increment(change);
    }

    /// One connection closed by the server on its own, for `reason`.
    pub fn connection_dropped(&self, reason: ConnectionDrop) {
        if let Some((_, counter)) = self
            .inner
            .connections_dropped
            .iter()
            .find(|(r, _)| *r == reason)
        {
            counter.increment(1);
        }
    }

    /// The counter of requests `limit` refused, for its limiter to keep:
    /// refusals are counted here rather than logged one by one, since a
    /// flood of them is exactly what a limit is for.
    pub fn rate_limited(&self, limit: RateLimit) -> Counter {
        self.inner
            .rate_limited
            .iter()
            .find(|(l, _)| *l == limit)
            .map(|(_, counter)| counter.clone())
            .unwrap_or_else(Counter::noop)
    }

    /// The handle the checkout sequencer records each batch's size into.
    pub fn checkout_batch_sizes(&self) -> Histogram {
        self.inner.batch_sizes.clone()
    }

    /// One checkout answered: counted by outcome (one of `order_outcomes`),
    /// timed when it reached the checkout engine.
    pub fn order(&self, outcome: &str, engine_time: Option<Duration>) {
        if let Some((_, counter)) = self.inner.orders.iter().find(|(o, _)| *o == outcome) {
            counter.increment(1);
        }
        if let Some(elapsed) = engine_time {
            self.inner.checkout_seconds.record(elapsed.as_secs_f64());
        }
    }

    /// One HTTP request answered, by route template (never the raw path, so
    /// ids do not make a series each) and status.
    pub fn http_request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let labels = vec![
            Label::new("method", method.to_owned()),
            Label::new("route", route.to_owned()),
            Label::new("status", status.to_string()),
        ];
        let recorder = &self.inner.recorder;
        recorder
            .register_counter(&Key::from_parts(HTTP_REQUESTS, labels), &METADATA)
            .increment(1);
        let route = vec![Label::new("route", route.to_owned())];
        recorder
            .register_histogram(&Key::from_parts(HTTP_SECONDS, route), &METADATA)
            .record(elapsed.as_secs_f64());
    }

    /// The Prometheus text, after setting the gauges read at scrape time.
    pub fn render(&self, stock: &[(String, i64)], pool: &ConnectionGauges) -> String {
        for (sku, available) in stock {
            let key = Key::from_parts(STOCK_AVAILABLE, vec![Label::new("sku", sku.clone())]);
            self.gauge(key).set(*available as f64);
        }
        let in_use = pool.readers_open.saturating_sub(pool.readers_idle);
        for (state, value) in [("idle", pool.readers_idle), ("in_use", in_use)] {
            let key = Key::from_parts(POOL_CONNECTIONS, vec![Label::new("state", state)]);
            self.gauge(key).set(value as f64);
        }
        self.gauge(Key::from_name(POOL_MAX))
            .set(pool.readers_max as f64);
        self.gauge(Key::from_name(WRITE_QUEUE))
            .set(pool.checkout_queue as f64);
        self.gauge(Key::from_name(WRITE_QUEUE_MAX))
            .set(pool.checkout_queue_max as f64);
        self.gauge(Key::from_name(DISK_FULL))
            .set(if pool.disk_full { 1.0 } else { 0.0 });
        self.inner
            .recorder
            .register_counter(&Key::from_name(DISK_FULL_WRITES), &METADATA)
            .absolute(pool.disk_full_writes);
        self.inner.recorder.handle().render()
    }

    /// Drains histogram samples into their buckets; run every few seconds
    /// so a server that is never scraped does not keep every sample.
    pub fn run_upkeep(&self) {
        self.inner.recorder.handle().run_upkeep();
    }

    /// One attempt of the outbox's workers: `channel` (`webhook`, `email`,
    /// `sms`) and `outcome` (`delivered`, `retry`, `failed`).
    pub fn delivery(&self, channel: &'static str, outcome: &'static str) {
        let labels = vec![
            Label::new("channel", channel),
            Label::new("outcome", outcome),
        ];
        self.inner
            .recorder
            .register_counter(&Key::from_parts(DELIVERIES, labels), &METADATA)
            .increment(1);
    }

    /// Deliveries waiting to be sent, as the workers last counted them.
    pub fn outbox_backlog(&self, pending: i64) {
        self.gauge(Key::from_name(OUTBOX_BACKLOG))
            .set(pending as f64);
    }

    fn gauge(&self, key: Key) -> Gauge {
        self.inner.recorder.register_gauge(&key, &METADATA)
    }
}

fn builder() -> PrometheusBuilder {
    let with_buckets = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &SECONDS_BUCKETS)
        .and_then(|b| b.set_buckets_for_metric(Matcher::Full(BATCH_SIZE.into()), &BATCH_BUCKETS));
    // Only empty bucket lists are refused, and these are constants.
    with_buckets.unwrap_or_else(|_| PrometheusBuilder::new())
}

fn describe(recorder: &PrometheusRecorder) {
    let text = |s: &'static str| SharedString::from(s);
    recorder.describe_counter(
        KeyName::from(ORDERS),
        None,
        text("Checkouts answered, by outcome."),
    );
    recorder.describe_histogram(
        KeyName::from(CHECKOUT_SECONDS),
        Some(Unit::Seconds),
        text("Time from a checkout reaching the engine to its answer (queue, batch, commit)."),
    );
    recorder.describe_histogram(
        KeyName::from(BATCH_SIZE),
        None,
        text("Checkouts per transaction (group commit)."),
    );
    recorder.describe_gauge(
        KeyName::from(STOCK_AVAILABLE),
        None,
        text("Units on hand per sku, read when /metrics is scraped."),
    );
    recorder.describe_counter(
        KeyName::from(HTTP_REQUESTS),
        None,
        text("HTTP requests answered, by method, route template and status."),
    );
    recorder.describe_histogram(
        KeyName::from(HTTP_SECONDS),
        Some(Unit::Seconds),
        text("HTTP request duration by route template."),
    );
    recorder.describe_gauge(
        KeyName::from(POOL_CONNECTIONS),
        None,
        text("Read-only database connections, idle or in use."),
    );
    recorder.describe_gauge(
        KeyName::from(POOL_MAX),
        None,
        text("Read-only database connections at most."),
    );
    recorder.describe_gauge(
        KeyName::from(WRITE_QUEUE),
        None,
        text("Checkouts waiting for their batch."),
    );
    recorder.describe_gauge(
        KeyName::from(WRITE_QUEUE_MAX),
        None,
        text("Checkouts that may wait for their batch at most."),
    );
    recorder.describe_gauge(
        KeyName::from(DISK_FULL),
        None,
        text("1 while writes fail because the database's disk is full, else 0."),
    );
    recorder.describe_counter(
        KeyName::from(DISK_FULL_WRITES),
        None,
        text("Writes refused because the database's disk was full."),
    );
    recorder.describe_gauge(
        KeyName::from(CONNECTIONS),
        None,
        text("HTTP connections open."),
    );
    recorder.describe_counter(
        KeyName::from(RATE_LIMITED),
        None,
        text("Requests refused with 429 rate_limited, by the budget that refused them."),
    );
    recorder.describe_counter(
        KeyName::from(CONNECTIONS_DROPPED),
        None,
        text("HTTP connections the server closed on its own, by reason."),
    );
    recorder.describe_counter(
        KeyName::from(DELIVERIES),
        None,
        text("Attempts to deliver the outbox's messages, by channel and outcome (delivered, retry, failed)."),
    );
    recorder.describe_gauge(
        KeyName::from(OUTBOX_BACKLOG),
        None,
        text("Deliveries of the outbox waiting to be sent."),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_apps_count_their_orders_apart() {
        let (a, b) = (Metrics::new(), Metrics::new());
        a.order("created", Some(Duration::from_millis(2)));
        a.order("created", None);
        b.order("replayed", None);
        let pool = ConnectionGauges::default();
        let text = a.render(&[], &pool);
        assert!(
            text.contains("stockroom_orders_total{outcome=\"created\"} 2"),
            "{text}"
        );
        assert!(
            text.contains("stockroom_orders_total{outcome=\"replayed\"} 0"),
            "{text}"
        );
        assert!(text.contains("stockroom_checkout_seconds_bucket"), "{text}");
    }
}

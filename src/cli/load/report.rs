//! What a load run measured, for people (a table) and machines (`--json`).

use std::collections::BTreeMap;

use hdrhistogram::Histogram;
use serde::Serialize;

/// Answers counted while the run goes; one per client, merged at the end.
pub struct Tally {
    pub created: u64,
    /// 409 `insufficient_stock`, with the short lines of each.
    pub short: Vec<Vec<(String, i64)>>,
    pub other: BTreeMap<String, u64>,
    pub transport_errors: u64,
    /// Latency of every answered request, in microseconds.
    pub latency_us: Histogram<u64>,
    /// Units sold per sku, from the 201 answers.
    pub sold: BTreeMap<String, i64>,
}

impl Tally {
    pub fn new() -> Tally {
        Tally {
            created: 0,
            short: Vec::new(),
            other: BTreeMap::new(),
            transport_errors: 0,
            // 1 µs to 10 minutes with 3 significant digits.
            latency_us: Histogram::new_with_bounds(1, 600_000_000, 3)
                .expect("constant histogram bounds are valid"),
            sold: BTreeMap::new(),
        }
    }

    pub fn merge(&mut self, other: Tally) {
        self.created += other.created;
        self.short.extend(other.short);
        for (code, n) in other.other {
            *self.other.entry(code).or_default() += n;
        }
        self.transport_errors += other.transport_errors;
        let _ = self.latency_us.add(&other.latency_us);
        for (sku, n) in other.sold {
            *self.sold.entry(sku).or_default() += n;
        }
    }

    pub fn record_latency(&mut self, elapsed: std::time::Duration) {
        let _ = self.latency_us.record((elapsed.as_micros() as u64).max(1));
    }
}

#[derive(Serialize)]
pub struct Report {
    pub scenario: String,
    pub checkout_url: String,
    /// Whether every checkout carried an `Idempotency-Key` of its own.
    pub idempotency_keys: bool,
    pub clients: usize,
    pub seconds: f64,
    pub requests: u64,
    pub created: u64,
    pub refused_insufficient_stock: u64,
    /// 409s although the stock, read after the run, still held every short
    /// line: since stock only falls during a run, it held them then too.
    pub false_rejects: u64,
    pub other_answers: BTreeMap<String, u64>,
    pub transport_errors: u64,
    pub orders_per_second: f64,
    pub latency_ms: Latency,
    /// Units sold beyond the stock a variant had.
    pub oversold: i64,
    /// Units whose stock moved without a matching acknowledged order (or
    /// the reverse): |initial − sold − final|, summed over the variants.
    pub leaked: i64,
    pub audit_consistent: bool,
    /// For the seed's scenarios: rounds run and rounds with exactly the
    /// outcomes a serial order allows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rounds: Option<Rounds>,
}

#[derive(Serialize)]
pub struct Latency {
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

#[derive(Serialize)]
pub struct Rounds {
    pub run: u64,
    pub exact: u64,
}

impl Latency {
    pub fn of(histogram: &Histogram<u64>) -> Latency {
        let ms = |us: u64| (us as f64) / 1000.0;
        Latency {
            p50: ms(histogram.value_at_quantile(0.50)),
            p95: ms(histogram.value_at_quantile(0.95)),
            p99: ms(histogram.value_at_quantile(0.99)),
            max: ms(histogram.max()),
        }
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "scenario {} against {}, {} clients, {:.1} s{}",
            self.scenario,
            self.checkout_url,
            self.clients,
            self.seconds,
            if self.idempotency_keys {
                ", an Idempotency-Key per checkout"
            } else {
                ""
            }
        )?;
        writeln!(f, "  requests            {}", self.requests)?;
        writeln!(
            f,
            "  orders (201)        {}  ({:.0} orders/s)",
            self.created, self.orders_per_second
        )?;
        writeln!(
            f,
            "  refused (409 stock) {}",
            self.refused_insufficient_stock
        )?;
        writeln!(f, "  false rejects       {}", self.false_rejects)?;
        for (code, n) in &self.other_answers {
            writeln!(f, "  other: {code:<12} {n}")?;
        }
        writeln!(f, "  transport errors    {}", self.transport_errors)?;
        let l = &self.latency_ms;
        writeln!(
            f,
            "  latency ms          p50 {:.2}  p95 {:.2}  p99 {:.2}  max {:.2}",
            l.p50, l.p95, l.p99, l.max
        )?;
        if let Some(rounds) = &self.rounds {
            writeln!(
                f,
                "  rounds exact        {} of {}",
                rounds.exact, rounds.run
            )?;
        }
        writeln!(f, "  oversold            {}", self.oversold)?;
        writeln!(f, "  leaked              {}", self.leaked)?;
        write!(
            f,
            "  audit               {}",
            if self.audit_consistent {
                "consistent"
            } else {
                "ANOMALIES"
            }
        )
    }
}

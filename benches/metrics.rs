//! What the metrics cost a checkout: the calls an order makes (the outcome
//! counter, the checkout histogram, the HTTP request counter and histogram),
//! timed alone, to set beside a checkout's 15–30 µs in the store.
//!
//! Run with `cargo bench --bench metrics`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use stockroom::metrics::Metrics;

fn main() {
    let metrics = Metrics::new();
    let orders: u32 = 1_000_000;
    let started = Instant::now();
    for _ in 0..orders {
        metrics.order(black_box("created"), Some(Duration::from_micros(40)));
    }
    let per_order = started.elapsed() / orders;
    let started = Instant::now();
    for _ in 0..orders {
        metrics.http_request(
            "POST",
            black_box("/api/v1/orders"),
            201,
            Duration::from_micros(90),
        );
    }
    let per_request = started.elapsed() / orders;
    // Folds the samples into buckets, as the upkeep task does every 5 s.
    let started = Instant::now();
    metrics.run_upkeep();
    let upkeep = started.elapsed();
    println!("order outcome + checkout histogram: {per_order:?} per order");
    println!("http request counter + histogram:   {per_request:?} per request");
    println!("upkeep of {orders} samples of each: {upkeep:?}");
}

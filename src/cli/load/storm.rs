//! The storm scenarios (hot, hot-multi, spread, last-unit): many buyers
//! sending checkouts back to back for a bounded time or count.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use super::client::{Answer, Target};
use super::report::{Latency, Report, Tally};
use super::{Bound, Scenario};

/// Ample stock: no storm of ten minutes gets near it.
const AMPLE_STOCK: i64 = 1_000_000_000;
/// The variants an admin API product can hold at most.
const VARIANTS_PER_PRODUCT: usize = 100;

/// The products a storm runs on and how buyers pick from them.
pub struct Plan {
    scenario: Scenario,
    skus: Vec<String>,
    initial: HashMap<String, i64>,
    lines_per_order: usize,
}

impl Plan {
    pub async fn set_up(
        target: &Target,
        scenario: Scenario,
        run_id: &str,
        last_unit_variants: usize,
    ) -> Result<Plan, String> {
        let (variants, stock, lines_per_order) = match scenario {
            Scenario::Hot => (1, AMPLE_STOCK, 1),
            Scenario::HotMulti => (10, AMPLE_STOCK, 3),
            Scenario::Spread => (10_000, 1_000_000, 1),
            _ => (last_unit_variants, 1, 1),
        };
        let mut skus = Vec::with_capacity(variants);
        let products = variants.div_ceil(VARIANTS_PER_PRODUCT);
        for p in 0..products {
            let count = VARIANTS_PER_PRODUCT.min(variants - p * VARIANTS_PER_PRODUCT);
            let sizes: Vec<(String, i64)> =
                (0..count).map(|v| (format!("V{v:03}"), stock)).collect();
            let slug = format!("load-{}-{run_id}-{p}", scenario_name(scenario));
            skus.extend(target.create_product(&slug, &sizes).await?);
        }
        let initial = skus.iter().map(|s| (s.clone(), stock)).collect();
        Ok(Plan {
            scenario,
            skus,
            initial,
            lines_per_order,
        })
    }

    fn pick(&self, rng: &mut StdRng) -> Vec<(String, i64)> {
        self.skus
            .choose_multiple(rng, self.lines_per_order)
            .map(|sku| (sku.clone(), 1))
            .collect()
    }
}

pub fn scenario_name(scenario: Scenario) -> &'static str {
    match scenario {
        Scenario::A => "a",
        Scenario::B => "b",
        Scenario::Six => "six",
        Scenario::Hot => "hot",
        Scenario::HotMulti => "hot-multi",
        Scenario::Spread => "spread",
        Scenario::LastUnit => "last-unit",
        Scenario::Drop => "drop",
    }
}

/// Live counters for the progress line.
#[derive(Default)]
pub struct Progress {
    pub sent: AtomicU64,
    pub created: AtomicU64,
    pub refused: AtomicU64,
    pub errors: AtomicU64,
}

pub async fn run(
    target: &Target,
    plan: Plan,
    clients: usize,
    bound: Bound,
    seed: u64,
    show_progress: bool,
) -> Result<Report, String> {
    let plan = Arc::new(plan);
    let progress = Arc::new(Progress::default());
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let printer =
        show_progress.then(|| spawn_progress_line(progress.clone(), stop.clone(), started));
    let buyers: Vec<_> = (0..clients)
        .map(|client| {
            let (target, plan, progress, stop) =
                (target.clone(), plan.clone(), progress.clone(), stop.clone());
            tokio::spawn(async move {
                buyer(
                    target,
                    plan,
                    progress,
                    stop,
                    bound,
                    seed.wrapping_add(client as u64),
                    started,
                )
                .await
            })
        })
        .collect();
    let mut tally = Tally::new();
    for buyer in buyers {
        tally.merge(buyer.await.map_err(|e| e.to_string())?);
    }
    let seconds = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    if let Some(printer) = printer {
        let _ = printer.await;
    }
    let final_stock = target.stock().await?;
    let (audit_consistent, _) = target.audit().await?;
    Ok(report(
        &plan,
        clients,
        seconds,
        tally,
        &final_stock,
        audit_consistent,
        target,
    ))
}

async fn buyer(
    target: Target,
    plan: Arc<Plan>,
    progress: Arc<Progress>,
    stop: Arc<AtomicBool>,
    bound: Bound,
    seed: u64,
    started: Instant,
) -> Tally {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut tally = Tally::new();
    loop {
        if stop.load(Ordering::Relaxed) || started.elapsed() >= bound.duration {
            break;
        }
        let sent = progress.sent.fetch_add(1, Ordering::Relaxed);
        if bound.requests.is_some_and(|max| sent >= max) {
            break;
        }
        let lines = plan.pick(&mut rng);
        // A fresh phone per order, so the per-customer limit never refuses a load buyer.
        let phone = target.phone(rng.random_range(0..target.phones()));
        let asked = Instant::now();
        match target.order(&lines, &phone).await {
            Ok(answer) => {
                tally.record_latency(asked.elapsed());
                match answer {
                    Answer::Created => {
                        tally.created += 1;
                        progress.created.fetch_add(1, Ordering::Relaxed);
                        for (sku, quantity) in lines {
                            *tally.sold.entry(sku).or_default() += quantity;
                        }
                    }
                    Answer::Short(short) => {
                        progress.refused.fetch_add(1, Ordering::Relaxed);
                        tally.short.push(short);
                    }
                    Answer::Other(code) => {
                        progress.errors.fetch_add(1, Ordering::Relaxed);
                        *tally.other.entry(code).or_default() += 1;
                    }
                }
            }
            Err(_) => {
                progress.errors.fetch_add(1, Ordering::Relaxed);
                tally.transport_errors += 1;
            }
        }
    }
    tally
}

fn spawn_progress_line(
    progress: Arc<Progress>,
    stop: Arc<AtomicBool>,
    started: Instant,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        tick.tick().await;
        while !stop.load(Ordering::Relaxed) {
            tick.tick().await;
            let seconds = started.elapsed().as_secs_f64();
            let created = progress.created.load(Ordering::Relaxed);
            eprint!(
                "\r[{seconds:5.1} s] {created} orders ({:.0}/s), {} refused, {} errors   ",
                created as f64 / seconds,
                progress.refused.load(Ordering::Relaxed),
                progress.errors.load(Ordering::Relaxed),
            );
        }
        eprintln!();
    })
}

fn report(
    plan: &Plan,
    clients: usize,
    seconds: f64,
    tally: Tally,
    final_stock: &HashMap<String, i64>,
    audit_consistent: bool,
    target: &Target,
) -> Report {
    let mut oversold = 0;
    let mut leaked = 0;
    for (sku, initial) in &plan.initial {
        let sold = tally.sold.get(sku).copied().unwrap_or(0);
        let left = final_stock.get(sku).copied().unwrap_or(0);
        oversold += (sold - initial).max(0);
        leaked += (initial - sold - left).abs();
    }
    let false_rejects = tally
        .short
        .iter()
        .filter(|short| {
            !short.is_empty()
                && short.iter().all(|(sku, requested)| {
                    final_stock.get(sku).is_some_and(|left| left >= requested)
                })
        })
        .count() as u64;
    let refused = tally.short.len() as u64;
    let requests =
        tally.created + refused + tally.other.values().sum::<u64>() + tally.transport_errors;
    Report {
        scenario: scenario_name(plan.scenario).to_owned(),
        checkout_url: target.base.clone(),
        idempotency_keys: target.sends_keys(),
        clients,
        seconds,
        requests,
        created: tally.created,
        refused_insufficient_stock: refused,
        false_rejects,
        other_answers: tally.other.clone(),
        transport_errors: tally.transport_errors,
        orders_per_second: tally.created as f64 / seconds,
        latency_ms: Latency::of(&tally.latency_us),
        oversold,
        leaked,
        audit_consistent,
        rounds: None,
    }
}

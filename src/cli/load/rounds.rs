//! The seed's scenarios, round after round: a fresh product each round,
//! every buyer released at once, and the outcomes checked against what a
//! serial order of the same buyers allows.

use std::sync::Arc;
use std::time::Instant;

use tokio::sync::Barrier;

use super::Scenario;
use super::client::{Answer, Target};
use super::report::{Latency, Report, Rounds, Tally};
use super::storm::scenario_name;

/// (units in stock, what each buyer asks for)
fn shape(scenario: Scenario) -> (i64, &'static [i64]) {
    match scenario {
        Scenario::A => (5, &[1; 10]),
        Scenario::B => (1, &[1, 1, 1]),
        _ => (10, &[3, 4, 5]),
    }
}

pub async fn run(
    target: &Target,
    scenario: Scenario,
    rounds: u32,
    run_id: &str,
    progress: bool,
) -> Result<Report, String> {
    let (stock, wants) = shape(scenario);
    let mut tally = Tally::new();
    let mut exact: u64 = 0;
    let mut leaked = 0;
    let mut oversold = 0;
    let started = Instant::now();
    // The run's id (random) keeps a run's customers clear of the limits
    // an earlier run used.
    let run = u64::from_str_radix(run_id, 16).unwrap_or_default();
    for round in 0..rounds {
        let slug = format!("load-{}-{run_id}-{round}", scenario_name(scenario));
        let skus = target
            .create_product(&slug, &[("M".to_owned(), stock)])
            .await?;
        let sku = skus
            .first()
            .ok_or("the product was created without a variant")?
            .clone();
        let served = race(target, &sku, wants, Buyers { run, round }, &mut tally).await;
        let left = target.stock().await?.get(&sku).copied().unwrap_or(-1);
        let sold: i64 = served.iter().filter(|(_, ok)| *ok).map(|(q, _)| q).sum();
        oversold += (sold - stock).max(0);
        leaked += (stock - sold - left).abs();
        if serially_possible(stock, &served) && left == stock - sold {
            exact += 1;
        }
        if progress {
            eprint!("\rround {} of {rounds}: {exact} exact   ", round + 1);
        }
    }
    if progress {
        eprintln!();
    }
    let seconds = started.elapsed().as_secs_f64();
    let (audit_consistent, _) = target.audit().await?;
    let refused = tally.short.len() as u64;
    Ok(Report {
        scenario: scenario_name(scenario).to_owned(),
        checkout_url: target.base.clone(),
        idempotency_keys: target.sends_keys(),
        clients: wants.len(),
        seconds,
        requests: tally.created
            + refused
            + tally.other.values().sum::<u64>()
            + tally.transport_errors,
        created: tally.created,
        refused_insufficient_stock: refused,
        // A round that is not exact is the measure here; see `rounds`.
        false_rejects: 0,
        other_answers: tally.other.clone(),
        transport_errors: tally.transport_errors,
        orders_per_second: tally.created as f64 / seconds,
        latency_ms: Latency::of(&tally.latency_us),
        oversold,
        leaked,
        audit_consistent,
        rounds: Some(Rounds {
            run: u64::from(rounds),
            exact,
        }),
    })
}

/// Whose buyers race: a customer per buyer, round and run.
#[derive(Clone, Copy)]
struct Buyers {
    run: u64,
    round: u32,
}

impl Buyers {
    /// The number of buyer `i`'s phone (`Target::phone`).
    fn phone(self, i: usize) -> u64 {
        self.run * 1_000_000 + u64::from(self.round) * 100 + i as u64
    }
}

/// Sends every buyer's order at once; returns (quantity, served) per buyer.
async fn race(
    target: &Target,
    sku: &str,
    wants: &[i64],
    who: Buyers,
    tally: &mut Tally,
) -> Vec<(i64, bool)> {
    let barrier = Arc::new(Barrier::new(wants.len()));
    let buyers: Vec<_> = wants
        .iter()
        .enumerate()
        .map(|(i, &quantity)| {
            let (target, barrier, sku) = (target.clone(), barrier.clone(), sku.to_owned());
            let phone = target.phone(who.phone(i));
            tokio::spawn(async move {
                barrier.wait().await;
                let asked = Instant::now();
                let answer = target.order(&[(sku, quantity)], &phone).await;
                (quantity, answer, asked.elapsed())
            })
        })
        .collect();
    let mut served = Vec::with_capacity(wants.len());
    for buyer in buyers {
        let Ok((quantity, answer, elapsed)) = buyer.await else {
            continue;
        };
        match answer {
            Ok(Answer::Created) => {
                tally.record_latency(elapsed);
                tally.created += 1;
                served.push((quantity, true));
            }
            Ok(Answer::Short(short)) => {
                tally.record_latency(elapsed);
                tally.short.push(short);
                served.push((quantity, false));
            }
            Ok(Answer::Other(code)) => *tally.other.entry(code).or_default() += 1,
            Err(_) => tally.transport_errors += 1,
        }
    }
    served
}

/// Whether some serial order of the buyers gives exactly these outcomes:
/// the served fit in the stock, and every refused buyer wanted more than
/// what the served left.
pub fn serially_possible(stock: i64, outcomes: &[(i64, bool)]) -> bool {
    let sold: i64 = outcomes.iter().filter(|(_, ok)| *ok).map(|(q, _)| q).sum();
    let left = stock - sold;
    left >= 0
        && outcomes
            .iter()
            .filter(|(_, ok)| !ok)
            .all(|(q, _)| *q > left)
}

#[cfg(test)]
mod tests {
    use super::serially_possible;

    #[test]
    fn three_and_four_served_and_five_refused_is_a_serial_outcome() {
        assert!(serially_possible(10, &[(3, true), (4, true), (5, false)]));
        assert!(serially_possible(10, &[(3, true), (4, false), (5, true)]));
    }

    #[test]
    fn refusing_a_buyer_the_leftover_could_serve_is_not() {
        assert!(!serially_possible(10, &[(3, true), (4, false), (5, false)]));
        assert!(!serially_possible(10, &[(3, true), (4, true), (5, true)]));
    }
}

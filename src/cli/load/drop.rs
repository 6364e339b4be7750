//! The drop scenario: a drop of a few dozen units with a cap per customer,
//! and a thousand buyers who all wait for its start and send their orders
//! within the same second, some several times and under several
//! spellings of one phone, round after round. Each round is checked as the
//! shop expects it: every unit offered sold and no more, no customer over
//! the cap, no refusal the drop could have served, every refusal with its
//! right code, and the stock moved by exactly what was sold.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::StatusCode;
use serde::Serialize;
use serde_json::{Value, json};

use super::client::Target;
use super::report::{Latency, Report, Rounds, Tally};

/// The drop's shape and its crowd.
#[derive(Clone, Debug)]
pub struct DropShape {
    /// Other instances of the shop the orders are spread over.
    pub also_urls: Vec<String>,
    /// Buyers per round (each sends one order).
    pub buyers: usize,
    /// Units the drop offers of each of its two sizes.
    pub units: i64,
    /// Units each customer may buy over the drop.
    pub cap: i64,
    pub rounds: u32,
    pub seed: u64,
}

/// How long before the start the drop is created: time for every buyer
/// to be ready and waiting.
const LEAD: Duration = Duration::from_secs(3);
/// Stock of each size beyond what the drop offers: the drop's units, not
/// the stock, are what runs out.
const EXTRA_STOCK: i64 = 20;

/// What the drop rounds add to the report.
#[derive(Debug, Default, Serialize)]
pub struct DropFigures {
    pub units_offered: i64,
    pub units_sold: i64,
    /// Customers who got more than the cap, over every round.
    pub customers_over_cap: u64,
    /// Refusals a drop with units left or a customer under the cap could
    /// have served.
    pub false_rejects: u64,
    /// Answers other than 201, `insufficient_stock` and `drop_limit_reached`.
    pub wrong_codes: BTreeMap<String, u64>,
    /// From the start to the last answer of a round: the median and the
    /// slowest round, in milliseconds.
    pub start_to_last_answer_ms_median: f64,
    pub start_to_last_answer_ms_max: f64,
    /// Orders that were sent before the server's start (the clocks disagree).
    pub sent_early: u64,
}

/// One buyer: a customer, the spelling of their phone, what they ask.
struct Buyer {
    customer: usize,
    phone: String,
    size: usize,
    quantity: i64,
}

/// What one buyer got.
struct Outcome {
    customer: usize,
    size: usize,
    quantity: i64,
    /// `201`, or the problem's code.
    code: String,
    latency: Duration,
    answered_at: Instant,
}

pub async fn run(
    target: &Target,
    shape: &DropShape,
    run_id: &str,
    progress: bool,
) -> Result<(Report, DropFigures), String> {
    let mut figures = DropFigures::default();
    let mut tally = Tally::new();
    let mut exact = 0;
    let mut leaked = 0;
    let mut oversold = 0;
    let mut to_last_answer = Vec::new();
    let mut rng = StdRng::seed_from_u64(shape.seed);
    let run = u64::from_str_radix(run_id, 16).unwrap_or_default();
    let started = Instant::now();
    for round in 0..shape.rounds {
        let slug = format!("drop-{run_id}-{round}");
        let stock = shape.units + EXTRA_STOCK;
        let sizes = [("M".to_owned(), stock), ("L".to_owned(), stock)];
        let skus = target.create_product(&slug, &sizes).await?;
        let start = schedule(target, &slug, &skus, shape).await?;
        let first_customer = run * 1_000_000 + u64::from(round) * 10_000;
        let buyers = crowd(target, shape, first_customer, &mut rng);
        let outcomes = rush(target, &shape.also_urls, &slug, &skus, buyers, start).await;
        let check = check_round(target, &slug, &skus, shape, &outcomes).await?;
        let last = outcomes.iter().map(|o| o.answered_at).max();
        if let Some(last) = last {
            to_last_answer.push(last.saturating_duration_since(start).as_secs_f64() * 1000.0);
        }
        for outcome in &outcomes {
            tally.record_latency(outcome.latency);
            match outcome.code.as_str() {
                "201" => tally.created += 1,
                "insufficient_stock" => tally
                    .short
                    .push(vec![(skus[outcome.size].clone(), outcome.quantity)]),
                code => *tally.other.entry(code.to_owned()).or_default() += 1,
            }
        }
        figures.units_offered += 2 * shape.units;
        figures.units_sold += check.sold;
        figures.customers_over_cap += check.over_cap;
        figures.false_rejects += check.false_rejects;
        figures.sent_early += check.sent_early;
        for (code, n) in &check.wrong_codes {
            *figures.wrong_codes.entry(code.clone()).or_default() += n;
        }
        oversold += (check.sold - 2 * shape.units).max(0);
        leaked += check.leaked;
        if check.is_exact(shape) {
            exact += 1;
        }
        if progress {
            eprint!(
                "\rround {} of {}: {exact} exact   ",
                round + 1,
                shape.rounds
            );
        }
    }
    if progress {
        eprintln!();
    }
    to_last_answer.sort_by(f64::total_cmp);
    figures.start_to_last_answer_ms_median = to_last_answer
        .get(to_last_answer.len() / 2)
        .copied()
        .unwrap_or_default();
    figures.start_to_last_answer_ms_max = to_last_answer.last().copied().unwrap_or_default();
    let (audit_consistent, _) = target.audit().await?;
    let seconds = started.elapsed().as_secs_f64();
    let report = Report {
        scenario: "drop".into(),
        checkout_url: target.base.clone(),
        idempotency_keys: target.sends_keys(),
        clients: shape.buyers,
        seconds,
        requests: tally.created
            + tally.short.len() as u64
            + tally.other.values().sum::<u64>()
            + tally.transport_errors,
        created: tally.created,
        refused_insufficient_stock: tally.short.len() as u64,
        false_rejects: figures.false_rejects,
        other_answers: tally.other.clone(),
        transport_errors: tally.transport_errors,
        orders_per_second: tally.created as f64 / seconds,
        latency_ms: Latency::of(&tally.latency_us),
        oversold,
        leaked,
        audit_consistent,
        rounds: Some(Rounds {
            run: u64::from(shape.rounds),
            exact,
        }),
    };
    Ok((report, figures))
}

/// Creates the drop of both sizes, hidden until its start `LEAD` from now
/// by the server's clock; answers when it starts, on this machine's clock.
async fn schedule(
    target: &Target,
    slug: &str,
    skus: &[String],
    shape: &DropShape,
) -> Result<Instant, String> {
    let lead = TimeDelta::from_std(LEAD).unwrap_or_default();
    let starts_at = Utc::now() + lead;
    let body = json!({
        "name": format!("Vente {slug}"),
        "slug": slug,
        "starts_at": rfc3339(starts_at),
        "ends_at": rfc3339(starts_at + TimeDelta::minutes(30)),
        "hidden_until_start": true,
        "max_units_per_customer": shape.cap,
        "lines": skus.iter().map(|sku| json!({"sku": sku, "units": shape.units, "price": 700})).collect::<Vec<_>>(),
    });
    let drop = target
        .admin_send(reqwest::Method::POST, "/api/v1/admin/drops", Some(&body))
        .await?;
    let starts_at: DateTime<Utc> = drop["starts_at"]
        .as_str()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
        .ok_or("the drop was created without its start")?;
    // The server read its clock about halfway through the round trip.
    let asked = Instant::now();
    let public: Value = target
        .http
        .get(format!("{}/api/v1/drops/{slug}", target.base))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let trip = asked.elapsed();
    let server_time = public["server_time"]
        .as_str()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
        .ok_or("the drop's page gave no server_time")?;
    let until_start = (starts_at - server_time).to_std().unwrap_or_default();
    Ok(asked + trip / 2 + until_start)
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The round's buyers: about two in three are customers of their own,
/// the others the same customers again under another spelling of their
/// phone; each asks 1 or 2 units of one size.
fn crowd(target: &Target, shape: &DropShape, first: u64, rng: &mut StdRng) -> Vec<Buyer> {
    let customers = (shape.buyers * 2).div_ceil(3).max(1);
    (0..shape.buyers)
        .map(|i| {
            let customer = i % customers;
            let phone = target.phone(first + customer as u64);
            Buyer {
                customer,
                phone: spelling(&phone, i / customers),
                size: rng.random_range(0..2),
                quantity: rng.random_range(1..=2),
            }
        })
        .collect()
}

/// The `n`th way of writing an E.164 Ivorian number as a buyer would
/// (`+225…`, `07 00 …`, `00225 …`); other countries keep E.164.
fn spelling(e164: &str, n: usize) -> String {
    let Some(national) = e164.strip_prefix("+225") else {
        return e164.to_owned();
    };
    match n % 3 {
        0 => e164.to_owned(),
        1 => national
            .as_bytes()
            .chunks(2)
            .map(|pair| String::from_utf8_lossy(pair).into_owned())
            .collect::<Vec<_>>()
            .join(" "),
        _ => format!("00225 {national}"),
    }
}

/// Every buyer waits for the start, then sends their order from the drop's page.
async fn rush(
    target: &Target,
    also_urls: &[String],
    slug: &str,
    skus: &[String],
    buyers: Vec<Buyer>,
    start: Instant,
) -> Vec<Outcome> {
    let slug: Arc<str> = slug.into();
    let mut urls = vec![target.base.clone()];
    urls.extend(also_urls.iter().map(|u| u.trim_end_matches('/').to_owned()));
    let tasks: Vec<_> = buyers
        .into_iter()
        .enumerate()
        .map(|(i, buyer)| {
            let (target, slug, sku) = (target.clone(), slug.clone(), skus[buyer.size].clone());
            let url = format!("{}/api/v1/orders", urls[i % urls.len()]);
            tokio::spawn(async move {
                tokio::time::sleep_until(start.into()).await;
                let body = json!({
                    "customer": {"name": "Cliente de la vente", "phone": buyer.phone},
                    "delivery": {"address": "Abidjan"},
                    "drop": &*slug,
                    "lines": [{"sku": sku, "quantity": buyer.quantity}],
                });
                let asked = Instant::now();
                let code = send(&target, &url, &body).await;
                Outcome {
                    customer: buyer.customer,
                    size: buyer.size,
                    quantity: buyer.quantity,
                    code,
                    latency: asked.elapsed(),
                    answered_at: Instant::now(),
                }
            })
        })
        .collect();
    let mut outcomes = Vec::with_capacity(tasks.len());
    for task in tasks {
        if let Ok(outcome) = task.await {
            outcomes.push(outcome);
        }
    }
    outcomes
}

/// One order; answers `201` or the problem's code (`transport` when no
/// answer came).
async fn send(target: &Target, url: &str, body: &Value) -> String {
    let response = target.http.post(url).json(body).send().await;
    let Ok(response) = response else {
        return "transport".into();
    };
    let status = response.status();
    if status == StatusCode::CREATED {
        let _ = response.bytes().await;
        return "201".into();
    }
    let problem: Value = response.json().await.unwrap_or(Value::Null);
    problem["code"]
        .as_str()
        .map_or_else(|| status.as_u16().to_string(), str::to_owned)
}

/// What one round shows once every answer is in.
struct RoundCheck {
    sold: i64,
    over_cap: u64,
    false_rejects: u64,
    wrong_codes: BTreeMap<String, u64>,
    sent_early: u64,
    leaked: i64,
}

impl RoundCheck {
    fn is_exact(&self, shape: &DropShape) -> bool {
        self.sold == 2 * shape.units
            && self.over_cap == 0
            && self.false_rejects == 0
            && self.wrong_codes.is_empty()
            && self.leaked == 0
    }
}

async fn check_round(
    target: &Target,
    slug: &str,
    skus: &[String],
    shape: &DropShape,
    outcomes: &[Outcome],
) -> Result<RoundCheck, String> {
    let mut sold_by_size = [0i64; 2];
    let mut got: HashMap<usize, i64> = HashMap::new();
    let mut wrong_codes = BTreeMap::new();
    let mut sent_early = 0;
    for outcome in outcomes {
        match outcome.code.as_str() {
            "201" => {
                sold_by_size[outcome.size] += outcome.quantity;
                *got.entry(outcome.customer).or_default() += outcome.quantity;
            }
            "insufficient_stock" | "drop_limit_reached" => {}
            code => {
                sent_early += u64::from(code == "drop_not_started");
                *wrong_codes.entry(code.to_owned()).or_default() += 1;
            }
        }
    }
    // Units only ever left the drop during the round: a refusal is false
    // if what was left at the end would still have served it.
    let public: Value = target
        .http
        .get(format!("{}/api/v1/drops/{slug}", target.base))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let remaining: HashMap<&str, i64> = public["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| Some((l["sku"].as_str()?, l["remaining"].as_i64()?)))
        .collect();
    let false_rejects = outcomes
        .iter()
        .filter(|o| match o.code.as_str() {
            "insufficient_stock" => {
                remaining.get(skus[o.size].as_str()).copied().unwrap_or(0) >= o.quantity
            }
            "drop_limit_reached" => {
                got.get(&o.customer).copied().unwrap_or(0) + o.quantity <= shape.cap
            }
            _ => false,
        })
        .count() as u64;
    let stock = target.stock().await?;
    let leaked = skus
        .iter()
        .zip(sold_by_size)
        .map(|(sku, sold)| {
            let left = stock.get(sku).copied().unwrap_or(-1);
            (shape.units + EXTRA_STOCK - sold - left).abs()
        })
        .sum();
    Ok(RoundCheck {
        sold: sold_by_size.iter().sum(),
        over_cap: got.values().filter(|&&units| units > shape.cap).count() as u64,
        false_rejects,
        wrong_codes,
        sent_early,
        leaked,
    })
}

impl std::fmt::Display for DropFigures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "  drop units          {} sold of {} offered",
            self.units_sold, self.units_offered
        )?;
        writeln!(f, "  customers over cap  {}", self.customers_over_cap)?;
        for (code, n) in &self.wrong_codes {
            writeln!(f, "  wrong code: {code:<12} {n}")?;
        }
        if self.sent_early > 0 {
            writeln!(f, "  sent before the start {}", self.sent_early)?;
        }
        write!(
            f,
            "  start → last answer median {:.0} ms, slowest round {:.0} ms",
            self.start_to_last_answer_ms_median, self.start_to_last_answer_ms_max
        )
    }
}

#[cfg(test)]
mod tests {
    use super::spelling;

    #[test]
    fn an_ivorian_number_is_written_three_ways_that_read_as_one() {
        assert_eq!(spelling("+2250700000001", 0), "+2250700000001");
        assert_eq!(spelling("+2250700000001", 1), "07 00 00 00 01");
        assert_eq!(spelling("+2250700000001", 2), "00225 0700000001");
        assert_eq!(spelling("+33612345678", 1), "+33612345678");
    }
}

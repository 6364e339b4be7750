//! `stockroom load`: the rush, on demand. Sets up its own products through
//! the admin API of a running stockroom, sends concurrent checkouts, and
//! reports throughput, latency, refusals, false rejects, and whether any
//! unit was oversold or leaked.

mod client;
mod drop;
mod report;
mod rounds;
mod storm;

use std::time::Duration;

use clap::{Args, ValueEnum};

use client::Target;
use report::Report;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Scenario {
    /// The seed's A: 5 units, 10 buyers of 1 at once, per round.
    A,
    /// The seed's B: the last unit, 3 buyers at once, per round.
    B,
    /// The shop's test plan: 10 units, buyers of 3, 4 and 5 at once, per round.
    Six,
    /// One variant with ample stock; every buyer takes 1.
    Hot,
    /// 10 variants with ample stock; every order has 3 distinct lines.
    HotMulti,
    /// 10,000 variants; every order is one random line.
    Spread,
    /// Many variants with 1 unit each; many buyers for each.
    LastUnit,
    /// A drop of two sizes with a cap per customer: `--drop-buyers` wait
    /// for its start and order in the same second, some several times
    /// under several spellings of one phone; `--rounds` drops.
    Drop,
}

#[derive(Args, Debug)]
pub struct LoadArgs {
    /// Base url of the stockroom to load.
    #[arg(
        long,
        env = "STOCKROOM_LOAD_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    url: String,
    /// An admin token of that stockroom, to create the scenario's products.
    /// Give it in the variable STOCKROOM_ADMIN_TOKEN rather than with this
    /// flag: a flag's value is in the process list, where every user of the
    /// machine can read it (`ps`), and in the shell's history.
    #[arg(long, env = "STOCKROOM_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: String,
    #[arg(long, value_enum, default_value_t = Scenario::Hot)]
    scenario: Scenario,
    /// Concurrent buyers.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    clients: u32,
    /// How long the storm scenarios run, in seconds (at most 600).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    duration: u64,
    /// Stop after this many checkouts instead (at most 10 million).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    requests: Option<u64>,
    /// Rounds of the seed's scenarios (a, b, six).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    rounds: u32,
    /// Variants with 1 unit each for `last-unit`.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    last_unit_variants: u32,
    /// Buyers of each drop (`--scenario drop`).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    drop_buyers: u32,
    /// Units the drop offers of each of its two sizes.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(i64).range(1..=10_000))]
    drop_units: i64,
    /// More instances of the same shop (`--scenario drop`): the buyers'
    /// orders are spread over `--url` and these, one after the other.
    #[arg(long, value_delimiter = ',')]
    drop_also_urls: Vec<String>,
    /// Units each customer may buy over the drop.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(i64).range(1..=100))]
    drop_cap: i64,
    /// Seed of the buyers' random choices, for repeatable runs.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Send every checkout with an `Idempotency-Key` of its own, as the
    /// storefront does.
    #[arg(long)]
    idempotency_keys: bool,
    /// Print the report as one JSON object.
    #[arg(long)]
    json: bool,
    /// Allow a target outside the loopback addresses (off: load goes to 127.0.0.0/8 or ::1 only).
    #[arg(long)]
    allow_non_loopback: bool,
    /// Run against a real shop (off: only a server started with `--demo` or
    /// `--bench`, as its `/healthz` says); the run's products and orders stay.
    #[arg(long)]
    allow_real_shop: bool,
    /// Before the run, add a webhook to this URL for every event type (the
    /// server needs `--webhook-allow-private` for one on this machine): the
    /// run then also measures the checkout while the outbox's worker
    /// delivers, or retries against a receiver that is down.
    #[arg(long)]
    webhook: Option<String>,
}

/// Bounds of a storm: it stops at whichever comes first.
#[derive(Clone, Copy, Debug)]
pub struct Bound {
    pub duration: Duration,
    pub requests: Option<u64>,
}

pub async fn run(args: LoadArgs) -> Result<bool, String> {
    check_loopback(&args.url, args.allow_non_loopback)?;
    let clients = if args.scenario == Scenario::Drop {
        args.drop_buyers as usize
    } else {
        args.clients as usize
    };
    let target = Target::new(&args.url, &args.admin_token, clients, args.idempotency_keys)?;
    target.check_throwaway(args.allow_real_shop).await?;
    let target = target.read_shop_country().await?;
    if let Some(url) = &args.webhook {
        target.create_webhook(url).await?;
    }
    let bound = Bound {
        duration: Duration::from_secs(args.duration),
        requests: args.requests,
    };
    let run_id = format!("{:06x}", rand::random::<u32>() & 0xff_ffff);
    let progress = !args.json;
    let mut drop_figures = None;
    let report: Report = match args.scenario {
        Scenario::A | Scenario::B | Scenario::Six => {
            rounds::run(&target, args.scenario, args.rounds, &run_id, progress).await?
        }
        Scenario::Drop => {
            for url in &args.drop_also_urls {
                check_loopback(url, args.allow_non_loopback)?;
            }
            let shape = drop::DropShape {
                also_urls: args.drop_also_urls.clone(),
                buyers: clients,
                units: args.drop_units,
                cap: args.drop_cap,
                rounds: args.rounds,
                seed: args.seed,
            };
            let (report, figures) = drop::run(&target, &shape, &run_id, progress).await?;
            drop_figures = Some(figures);
            report
        }
        scenario => {
            let plan =
                storm::Plan::set_up(&target, scenario, &run_id, args.last_unit_variants as usize)
                    .await?;
            storm::run(&target, plan, clients, bound, args.seed, progress).await?
        }
    };
    if args.json {
        let mut json = serde_json::to_value(&report).map_err(|e| e.to_string())?;
        if let Some(figures) = &drop_figures {
            json["drop"] = serde_json::to_value(figures).map_err(|e| e.to_string())?;
        }
        println!(
            "{}",
            serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?
        );
    } else {
        println!("{report}");
        if let Some(figures) = &drop_figures {
            println!("{figures}");
        }
    }
    if report.other_answers.contains_key("rate_limited") {
        // Every load client shares this machine's address, so the server's
        // per-address limit, not its capacity, decided those answers.
        eprintln!(
            "note: the server limited this run per client address (429 rate_limited); \
             for a load test start it with --rate-limit-per-second 0"
        );
    }
    let exact = report.rounds.as_ref().is_none_or(|r| r.exact == r.run)
        && drop_figures
            .as_ref()
            .is_none_or(|d| d.customers_over_cap == 0 && d.wrong_codes.is_empty());
    Ok(report.oversold == 0
        && report.leaked == 0
        && report.audit_consistent
        && report.false_rejects == 0
        && exact)
}

/// Load is for servers on this machine unless asked otherwise.
fn check_loopback(url: &str, allowed: bool) -> Result<(), String> {
    let parsed =
        reqwest::Url::parse(url).map_err(|e| format!("--url `{url}` is not a url: {e}"))?;
    let loopback = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    };
    if loopback || allowed {
        Ok(())
    } else {
        Err(format!(
            "--url `{url}` is not a loopback address; pass --allow-non-loopback to load another host"
        ))
    }
}

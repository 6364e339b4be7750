//! One batch of checkouts in one PostgreSQL transaction: the rows every
//! order of the batch needs are locked first, then the orders are decided
//! against them and written, all at once (`bulk.rs`) or one at a time, each
//! in its own savepoint (`batch_order.rs`).
//!
//! Locks, in the order the one-order checkout takes them (`checkout.rs`):
//! the customers' rows, sorted by phone, then every stock row the batch
//! names, sorted by sku, in one statement each (`select … order by … for
//! update` locks rows in the order it returns them). Two batches, on this instance or another, therefore never
//! wait on each other in a circle over those rows. Idempotency keys are
//! claimed later, order by order, so two requests with one key on two
//! instances at once can still deadlock with a batch: PostgreSQL then fails
//! one side with 40P01 and the whole batch is run again (`batcher.rs`).
//!
//! Holding those locks, the batch knows the stock and each customer's
//! order count exactly, and keeps them up to date in memory as its orders
//! are placed; the database checks the stock again (`available >= 0`).

use std::collections::HashMap;

use tokio_postgres::types::ToSql;

use deadpool_postgres::Transaction;

use super::batch_order::run_order;
use super::bulk::{Bulk, write_batch};
use super::pipeline::{self, Step};
use super::placing::{PricedVariant, price_lines, priced_skus, short_line};
use super::settings::load_settings;
use super::transaction::TxError;
use crate::domain::ValidationError;
use crate::domain::order::{CheckoutRefusal, NewOrder};
use crate::domain::phone::Phone;
use crate::domain::settings::Settings;
use crate::store::{CheckoutAnswer, CheckoutRequest, Resource, StoreError};

/// What every order of a batch is decided with.
pub struct BatchRules<'a> {
    pub currency: &'a str,
    /// How long an idempotency key's answer is kept.
    pub ttl: chrono::Duration,
}

/// What the batch read at its start and does not change.
pub struct Held {
    pub settings: Settings,
    pub priced: HashMap<String, PricedVariant>,
}

/// What the batch holds locked, as its own orders have left it.
#[derive(Clone, Default)]
pub struct Tally {
    /// Units on hand, by sku, of every stock row the batch locked.
    pub levels: HashMap<String, i64>,
    /// Orders that count toward the per-customer limit, by normalised phone.
    pub counted: HashMap<String, i64>,
}

impl Tally {
    /// Counts a placed order: its lines left `after` units of their skus,
    /// and its customer has one more order toward the limit if it `counts`
    /// (placed since the reference date).
    pub fn take(&mut self, order: &NewOrder, phone: &Phone, after: &[i64], counts: bool) {
        for (line, left) in order.lines.iter().zip(after) {
            self.levels.insert(line.sku.to_string(), *left);
        }
        if counts {
            *self.counted.entry(phone.as_str().to_owned()).or_default() += 1;
        }
    }
}

/// How a batch is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Path {
    /// All of its orders at once, one statement per table (`bulk.rs`).
    Bulk,
    /// One order after the other, each in its own savepoint
    /// (`batch_order.rs`): what a batch falls back to when a statement of
    /// the bulk path fails, so that the failure stays with its order.
    OneByOne,
}

/// How one order of the batch goes, decided in memory before it is written.
pub enum Plan<'h> {
    Refuse(CheckoutRefusal),
    /// Place it: each line's variant and the stock left after it.
    Place {
        priced: Vec<&'h PricedVariant>,
        after: Vec<i64>,
    },
}

/// Runs every request of the batch, in order; the caller commits. Each
/// answer stands only once the commit succeeds. `Err`: the batch cannot go
/// on and nothing of it may be committed.
pub async fn run_batch(
    tx: &Transaction<'_>,
    requests: &[&CheckoutRequest],
    rules: &BatchRules<'_>,
    path: Path,
) -> Result<Vec<Result<CheckoutAnswer, StoreError>>, TxError> {
    let mut skus: Vec<&str> = requests
        .iter()
        .flat_map(|r| r.order.lines.iter().map(|l| l.sku.as_str()))
        .collect();
    skus.sort_unstable();
    skus.dedup();
    // A batch's statements take arrays (`= any($1)`, `unnest`), whose best
    // plan depends on the tables' size: a generic plan cached while they
    // were small scans them whole, and keeps doing so for every batch as
    // they grow (one benchmark's batches spent 80 % of their time there).
    // So each batch plans with its own values.
    tx.batch_execute("set local plan_cache_mode = force_custom_plan")
        .await?;
    let held = Held {
        settings: load_settings(tx, false).await?,
        priced: priced_skus(tx, &skus).await?,
    };
    let phones: Vec<Result<Phone, StoreError>> = requests
        .iter()
        .map(|r| {
            Phone::normalise(&r.order.customer.phone, &held.settings.default_country_code)
                .map_err(|e| StoreError::from(ValidationError::one(e)))
        })
        .collect();
    let mut tally = lock_rows(tx, &phones, &skus).await?;
    if path == Path::Bulk {
        match write_batch(tx, &held, &tally, requests, &phones, rules).await? {
            Bulk::Written(answers) => return Ok(answers),
            Bulk::OneByOne => {}
        }
    }
    let mut answers = Vec::with_capacity(requests.len());
    for (request, phone) in requests.iter().zip(&phones) {
        answers.push(run_order(tx, &held, &mut tally, request, phone, rules).await?);
    }
    Ok(answers)
}

/// Locks the customers and stock rows of the batch, in one flight, and
/// reads what the decisions need: units on hand and each customer's orders
/// toward the limit.
async fn lock_rows(
    tx: &Transaction<'_>,
    phones: &[Result<Phone, StoreError>],
    skus: &[&str],
) -> Result<Tally, TxError> {
    let mut customers: Vec<&str> = phones.iter().flatten().map(Phone::as_str).collect();
    customers.sort_unstable();
    customers.dedup();
    let insert_customers = tx
        .prepare_cached(
            "insert into customers (phone) select p from unnest($1::text[]) p order by p
             on conflict (phone) do nothing",
        )
        .await?;
    // The count read under the lock is final: this customer's checkouts on
    // other instances wait for this batch's commit.
    let lock_customers = tx
        .prepare_cached(
            "select phone, orders_counted from customers where phone = any($1)
             order by phone for update",
        )
        .await?;
    let lock_stock = tx
        .prepare_cached(
            "select sku, available from stock where sku = any($1) order by sku for update",
        )
        .await?;
    let by_phone: [&(dyn ToSql + Sync); 1] = [&customers];
    let by_sku: [&(dyn ToSql + Sync); 1] = [&skus];
    let mut steps: Vec<Step<'_>> = Vec::with_capacity(3);
    if !customers.is_empty() {
        steps.push(pipeline::statement(tx, &insert_customers, &by_phone));
        steps.push(pipeline::statement(tx, &lock_customers, &by_phone));
    }
    steps.push(pipeline::statement(tx, &lock_stock, &by_sku));
    let mut answers = pipeline::run_all(steps).await?;
    let mut tally = Tally::default();
    for row in answers.pop().unwrap_or_default() {
        tally.levels.insert(row.try_get(0)?, row.try_get(1)?);
    }
    if !customers.is_empty() {
        for row in answers.pop().unwrap_or_default() {
            tally.counted.insert(row.try_get(0)?, row.try_get(1)?);
        }
    }
    Ok(tally)
}

/// Decides one order against what the batch holds, in the one-order
/// checkout's order of rules: prices, phone, limit, stock.
pub fn plan<'h>(
    held: &'h Held,
    tally: &Tally,
    order: &NewOrder,
    phone: &Phone,
) -> Result<Plan<'h>, StoreError> {
    let priced = price_lines(&held.priced, &order.lines)?;
    if let Some(limit) = held.settings.order_limit_per_customer
        && tally.counted.get(phone.as_str()).copied().unwrap_or(0) >= limit
    {
        return Ok(Plan::Refuse(CheckoutRefusal::OrderLimitReached { limit }));
    }
    let mut after = Vec::with_capacity(order.lines.len());
    let mut short = Vec::new();
    for (line, variant) in order.lines.iter().zip(priced.iter().copied()) {
        let sku = line.sku.as_str();
        let level = *tally
            .levels
            .get(sku)
            .ok_or_else(|| StoreError::not_found(Resource::Sku, sku))?;
        if level >= line.quantity {
            after.push(level - line.quantity);
        } else {
            short.push(short_line(line, variant, level));
        }
    }
    if !short.is_empty() {
        return Ok(Plan::Refuse(CheckoutRefusal::InsufficientStock(short)));
    }
    Ok(Plan::Place { priced, after })
}

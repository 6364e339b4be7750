//! How a batch is usually written: every order decided in memory against
//! the rows the batch holds locked (`batch.rs`), then the whole batch
//! written with one statement per table — stock, orders, lines, ledger,
//! customers' counts, keys — so a batch costs the same few round trips whatever its size.
//!
//! No order needs a savepoint here, because nothing is left for the
//! database to refuse: stock, limits and prices were decided on locked
//! rows. If a statement fails anyway (a trigger, a constraint, a bug), the
//! caller rolls the transaction back and runs the batch again one order at
//! a time, each in its own savepoint (`batch_order.rs`), so the failure
//! stays with its order.
//!
//! Idempotency keys: the batch claims all of its keys in one statement. If
//! every key is new, its orders are written here and each key keeps its
//! order's answer. A key seen before (a replay, a reuse, an expired answer)
//! or named twice in the batch needs the per-order rules of
//! `idempotency.rs`: the claim is undone to a savepoint and the batch goes
//! one order at a time, still holding its locks.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use deadpool_postgres::Transaction;
use tokio_postgres::types::ToSql;

use tokio_postgres::Row;

use super::batch::{BatchRules, Held, Plan, Tally, plan};
use super::bulk_rows::{
    BatchRows, INSERT_LINES, INSERT_ORDERS, INSERT_SALES, KEEP_ANSWERS, TAKE_STOCK,
};
use super::customers::COUNT_ORDERS;
use super::pipeline::{self, Step};
use super::placing::new_placed_order;
use super::transaction::TxError;
use crate::domain::order::CheckoutRefusal;
use crate::domain::phone::Phone;
use crate::domain::time;
use crate::store::{CheckoutAnswer, CheckoutOutcome, CheckoutRequest, PlacedOrder, StoreError};

type Answer = Result<CheckoutAnswer, StoreError>;

/// What became of the batch.
pub enum Bulk {
    /// Written; each request's answer stands once the transaction commits.
    Written(Vec<Answer>),
    /// Nothing written: run the batch one order at a time.
    OneByOne,
}

/// How one order of the batch was decided.
enum Decision<'r> {
    Invalid(StoreError),
    Refused(CheckoutRefusal),
    Placed {
        placed: Box<PlacedOrder>,
        phone: &'r Phone,
        /// Units left after each line, in line order.
        after: Vec<i64>,
    },
}

/// Decides and writes the whole batch, or answers `OneByOne` having
/// written nothing. `tally` is what the batch's locks hold; it is left as
/// it was, for the per-order path.
pub async fn write_batch(
    tx: &Transaction<'_>,
    held: &Held,
    tally: &Tally,
    requests: &[&CheckoutRequest],
    phones: &[Result<Phone, StoreError>],
    rules: &BatchRules<'_>,
) -> Result<Bulk, TxError> {
    let keys: Vec<&str> = requests
        .iter()
        .filter_map(|r| r.idempotency.as_ref().map(|k| k.key.as_str()))
        .collect();
    if keys.iter().collect::<HashSet<_>>().len() < keys.len() {
        return Ok(Bulk::OneByOne);
    }
    let now = time::format(Utc::now());
    let mut decisions = decide_all(held, tally, requests, phones, rules.currency, &now);
    let claimed_keys = !keys.is_empty();
    if claimed_keys && !claim_new_keys(tx, requests, &now).await? {
        return Ok(Bulk::OneByOne);
    }
    let numbers = write_all(tx, &decisions, requests, claimed_keys, rules.currency, &now).await?;
    for decision in &mut decisions {
        if let Decision::Placed { placed, .. } = decision {
            placed.order.number = numbers
                .get(placed.order.id.as_str())
                .cloned()
                .ok_or_else(|| TxError::Abort("an order of the batch got no number".into()))?;
        }
    }
    let outcomes: Vec<Result<CheckoutOutcome, StoreError>> = decisions
        .into_iter()
        .map(|decision| match decision {
            Decision::Invalid(error) => Err(error),
            Decision::Refused(refusal) => Ok(Err(refusal)),
            Decision::Placed { placed, .. } => Ok(Ok(*placed)),
        })
        .collect();
    if claimed_keys {
        keep_answers(tx, requests, &outcomes).await?;
    }
    let answers = outcomes
        .into_iter()
        .map(|outcome| outcome.map(|o| CheckoutAnswer::Decided(Box::new(o))))
        .collect();
    Ok(Bulk::Written(answers))
}

/// Every order in turn against a copy of the tally, as the per-order path
/// would decide them.
fn decide_all<'r>(
    held: &Held,
    tally: &Tally,
    requests: &[&CheckoutRequest],
    phones: &'r [Result<Phone, StoreError>],
    currency: &str,
    now: &str,
) -> Vec<Decision<'r>> {
    let mut running = tally.clone();
    let mut decisions = Vec::with_capacity(requests.len());
    for (request, phone) in requests.iter().zip(phones) {
        let phone = match phone {
            Ok(phone) => phone,
            Err(invalid) => {
                decisions.push(Decision::Invalid(invalid.clone()));
                continue;
            }
        };
        decisions.push(match plan(held, &running, &request.order, phone) {
            Err(invalid) => Decision::Invalid(invalid),
            Ok(Plan::Refuse(refusal)) => Decision::Refused(refusal),
            Ok(Plan::Place { priced, after }) => {
                let placed = Box::new(new_placed_order(&request.order, &priced, currency, now));
                running.take(
                    &request.order,
                    phone,
                    &after,
                    now >= held.settings.reference_date.as_str(),
                );
                Decision::Placed {
                    placed,
                    phone,
                    after,
                }
            }
        });
    }
    decisions
}

/// Claims every key of the batch; `false`, with nothing claimed, if any of
/// them already has a row.
async fn claim_new_keys(
    tx: &Transaction<'_>,
    requests: &[&CheckoutRequest],
    now: &str,
) -> Result<bool, TxError> {
    let (keys, hashes): (Vec<&str>, Vec<&str>) = requests
        .iter()
        .filter_map(|r| r.idempotency.as_ref())
        .map(|k| (k.key.as_str(), k.request_hash.as_str()))
        .unzip();
    // Status 0 and no response: placeholders only this transaction sees;
    // `keep_answers` fills them in before the commit. Sorted, so that two
    // batches claiming some of the same keys take them in one order.
    let claim = tx
        .prepare_cached(
            "insert into idempotency_keys (key, request_hash, status, response, created_at)
             select k.key, k.hash, 0, '', $3
             from unnest($1::text[], $2::text[]) as k(key, hash) order by k.key
             on conflict (key) do nothing
             returning key",
        )
        .await?;
    let params: [&(dyn ToSql + Sync); 3] = [&keys, &hashes, &now];
    let steps = vec![
        pipeline::simple(tx, "savepoint claims"),
        pipeline::statement(tx, &claim, &params),
    ];
    let answers = pipeline::run_all(steps).await?;
    if answers[1].len() == keys.len() {
        // Released in the next flight (`write_all`).
        return Ok(true);
    }
    tx.batch_execute("rollback to savepoint claims; release savepoint claims")
        .await?;
    Ok(false)
}

/// Writes what the batch decided in one flight, one statement per table,
/// and drops the keys of invalid orders (an invalid request keeps no
/// answer); answers each placed order's number, by order id.
async fn write_all(
    tx: &Transaction<'_>,
    decisions: &[Decision<'_>],
    requests: &[&CheckoutRequest],
    claimed_keys: bool,
    currency: &str,
    now: &str,
) -> Result<HashMap<String, String>, TxError> {
    let rows = BatchRows::of(decisions.iter().filter_map(|decision| match decision {
        Decision::Placed {
            placed,
            phone,
            after,
        } => Some((&**placed, phone.as_str(), after.as_slice())),
        _ => None,
    }));
    let unclaim: Vec<&str> = decisions
        .iter()
        .zip(requests)
        .filter(|(decision, _)| matches!(decision, Decision::Invalid(_)))
        .filter_map(|(_, request)| request.idempotency.as_ref().map(|k| k.key.as_str()))
        .collect();
    let take = tx.prepare_cached(TAKE_STOCK).await?;
    let insert_orders = tx.prepare_cached(INSERT_ORDERS).await?;
    let insert_lines = tx.prepare_cached(INSERT_LINES).await?;
    let insert_sales = tx.prepare_cached(INSERT_SALES).await?;
    let count_orders = tx.prepare_cached(COUNT_ORDERS).await?;
    let delete_keys = tx
        .prepare_cached("delete from idempotency_keys where key = any($1)")
        .await?;
    let (o, l) = (&rows.orders, &rows.lines);
    let taken: [&(dyn ToSql + Sync); 2] = [&rows.taken_skus, &rows.taken];
    let orders: [&(dyn ToSql + Sync); 12] = [
        &currency,
        &now,
        &o.id,
        &o.token_hash,
        &o.total,
        &o.name,
        &o.phone,
        &o.phone_normalised,
        &o.email,
        &o.address,
        &o.pickup_number,
        &o.notes,
    ];
    let lines: [&(dyn ToSql + Sync); 8] = [
        &l.order_id,
        &l.sku,
        &l.title,
        &l.size,
        &l.color,
        &l.unit_price,
        &l.quantity,
        &l.line_total,
    ];
    let sales: [&(dyn ToSql + Sync); 5] = [&now, &l.sku, &l.sold, &l.after, &l.order_id];
    let counted: [&(dyn ToSql + Sync); 3] = [&rows.customers, &rows.placed, &now];
    let unclaimed: [&(dyn ToSql + Sync); 1] = [&unclaim];
    let mut steps: Vec<Step<'_>> = Vec::with_capacity(6);
    if claimed_keys {
        steps.push(pipeline::simple(tx, "release savepoint claims"));
    }
    let placed_any = !o.id.is_empty();
    if placed_any {
        steps.push(pipeline::statement(tx, &take, &taken));
        steps.push(pipeline::statement(tx, &insert_orders, &orders));
        steps.push(pipeline::statement(tx, &insert_lines, &lines));
        steps.push(pipeline::statement(tx, &insert_sales, &sales));
        steps.push(pipeline::statement(tx, &count_orders, &counted));
    }
    if !unclaim.is_empty() {
        steps.push(pipeline::statement(tx, &delete_keys, &unclaimed));
    }
    let mut answers = pipeline::run_all(steps).await?.into_iter();
    if claimed_keys {
        answers.next();
    }
    let mut numbers = HashMap::with_capacity(o.id.len());
    if placed_any {
        let (left, numbered) = (answers.next(), answers.next());
        check_stock_left(&left.unwrap_or_default(), &rows)?;
        for row in numbered.unwrap_or_default() {
            numbers.insert(row.try_get(0)?, row.try_get(1)?);
        }
    }
    Ok(numbers)
}

/// The batch's view of the stock and the database's must agree; if they
/// ever do not, nothing of this batch may be committed.
fn check_stock_left(left: &[Row], rows: &BatchRows<'_>) -> Result<(), TxError> {
    if left.len() != rows.left.len() {
        return Err(TxError::Abort(format!(
            "the batch took from {} skus, the database updated {}",
            rows.left.len(),
            left.len()
        )));
    }
    for row in left {
        let (sku, units): (&str, i64) = (row.try_get(0)?, row.try_get(1)?);
        let expected = rows.left.get(sku).copied();
        if expected != Some(units) {
            return Err(TxError::Abort(format!(
                "the batch expected {expected:?} units of {sku} left, the database has {units}"
            )));
        }
    }
    Ok(())
}

/// Stores the answer of every keyed request that was decided.
async fn keep_answers(
    tx: &Transaction<'_>,
    requests: &[&CheckoutRequest],
    outcomes: &[Result<CheckoutOutcome, StoreError>],
) -> Result<(), TxError> {
    let mut keys = Vec::new();
    let mut statuses = Vec::new();
    let mut bodies = Vec::new();
    for (request, outcome) in requests.iter().zip(outcomes) {
        if let (Some(key), Ok(outcome)) = (&request.idempotency, outcome) {
            let response = (request.render)(outcome, request.lang);
            keys.push(key.key.as_str());
            statuses.push(i64::from(response.status));
            bodies.push(response.body);
        }
    }
    if keys.is_empty() {
        return Ok(());
    }
    let keep = tx.prepare_cached(KEEP_ANSWERS).await?;
    let params: [&(dyn ToSql + Sync); 3] = [&keys, &statuses, &bodies];
    tx.execute(&keep, &params).await?;
    Ok(())
}

//! One order of a batch, in its own savepoint: whatever happens to it —
//! refused, invalid, or failed in the database — no other order of the
//! batch is touched. The path a batch takes when it needs the per-order
//! rules of idempotency (a key seen before, or twice in the batch) or when
//! a statement failed in the bulk path (`bulk.rs`).
//!
//! An order without an idempotency key is decided in memory (`batch.rs`)
//! and, if placed, written in one pipelined flight: savepoint, stock,
//! order, lines, ledger, the customer's count, release. One refused or invalid writes nothing. A
//! keyed order claims its key first (the claim must see the key's row, and
//! a second order with the same key in this batch then replays the first
//! one's answer), and stores its answer before its savepoint is released.

use chrono::Utc;
use deadpool_postgres::Transaction;
use tokio_postgres::types::ToSql;

use super::batch::{BatchRules, Held, Plan, Tally, plan};
use super::customers::COUNT_ORDER;
use super::idempotency::claim_key;
use super::pipeline::{self, Step};
use super::placing::{INSERT_LINE, INSERT_ORDER, line_values, new_placed_order, order_values};
use super::rows::INSERT_MOVEMENT;
use super::transaction::TxError;
use crate::domain::phone::Phone;
use crate::domain::stock::MovementKind;
use crate::domain::time;
use crate::store::tokens::hash_token;
use crate::store::{
    CheckoutAnswer, CheckoutOutcome, CheckoutRequest, IdempotencyKey, PlacedOrder, StoreError,
    StoredResponse,
};

/// The order's answer (final once the batch commits), or `Err` when the
/// batch cannot go on: a retryable error, or a savepoint that would not
/// roll back.
pub async fn run_order(
    tx: &Transaction<'_>,
    held: &Held,
    tally: &mut Tally,
    request: &CheckoutRequest,
    phone: &Result<Phone, StoreError>,
    rules: &BatchRules<'_>,
) -> Result<Result<CheckoutAnswer, StoreError>, TxError> {
    let now = Utc::now();
    let now_text = time::format(now);
    let keyed = request.idempotency.is_some();
    if let Some(key) = &request.idempotency {
        tx.batch_execute("savepoint job").await?;
        let oldest = time::format(now - rules.ttl);
        match claim_key(tx, key, &now_text, &oldest).await {
            Ok(None) => {}
            Ok(Some(stored)) => {
                tx.batch_execute("release savepoint job").await?;
                return Ok(Ok(CheckoutAnswer::Replayed(stored)));
            }
            Err(error) => return give_up(tx, error).await,
        }
    }
    let decided = phone
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|phone| Ok((phone, plan(held, tally, &request.order, phone)?)));
    let (phone, plan) = match decided {
        Ok(decided) => decided,
        Err(invalid) if keyed => return give_up(tx, invalid.into()).await,
        Err(invalid) => return Ok(Err(invalid)),
    };
    let (outcome, after): (CheckoutOutcome, _) = match plan {
        Plan::Refuse(refusal) => (Err(refusal), Vec::new()),
        Plan::Place { priced, after } => {
            let placed = new_placed_order(&request.order, &priced, rules.currency, &now_text);
            match write_order(tx, placed, phone, &after, &now_text, rules.currency, keyed).await {
                Ok(placed) => (Ok(placed), after),
                Err(error) => return give_up(tx, error).await,
            }
        }
    };
    if let Some(key) = &request.idempotency {
        let response = (request.render)(&outcome, request.lang);
        if let Err(error) = keep_answer_and_release(tx, key, &response).await {
            return give_up(tx, error).await;
        }
    }
    // Only now, with the order's savepoint released, does the batch's view
    // of the rows it holds move on.
    if outcome.is_ok() {
        let counts = now_text >= held.settings.reference_date;
        tally.take(&request.order, phone, &after, counts);
    }
    Ok(Ok(CheckoutAnswer::Decided(Box::new(outcome))))
}

/// Stores a keyed order's answer and releases its savepoint, in one flight.
async fn keep_answer_and_release(
    tx: &Transaction<'_>,
    key: &IdempotencyKey,
    response: &StoredResponse,
) -> Result<(), TxError> {
    let keep = tx
        .prepare_cached("update idempotency_keys set status = $2, response = $3 where key = $1")
        .await?;
    let status = i64::from(response.status);
    let params: [&(dyn ToSql + Sync); 3] = [&key.key, &status, &response.body];
    let steps = vec![
        pipeline::statement(tx, &keep, &params),
        pipeline::simple(tx, "release savepoint job"),
    ];
    pipeline::run_all(steps).await?;
    Ok(())
}

/// Undoes the order back to its savepoint and answers it with `error`; a
/// retryable error or a failed check of the batch's own stops the whole
/// batch instead.
async fn give_up(
    tx: &Transaction<'_>,
    error: TxError,
) -> Result<Result<CheckoutAnswer, StoreError>, TxError> {
    if error.is_transient() || matches!(error, TxError::Abort(_)) {
        return Err(error);
    }
    tx.batch_execute("rollback to savepoint job; release savepoint job")
        .await?;
    if let TxError::Db(db) = &error {
        tracing::warn!(error = %db, "a batched checkout failed in the database; the rest of its batch goes on");
    }
    Ok(Err(error.into_store()))
}

/// Writes a placed order in one flight: the stock of each line, the order,
/// its lines and its sales, opened (and, without a key, closed) by the
/// order's savepoint. Answers the order with its number.
async fn write_order(
    tx: &Transaction<'_>,
    mut placed: PlacedOrder,
    phone: &Phone,
    after: &[i64],
    now: &str,
    currency: &str,
    keyed: bool,
) -> Result<PlacedOrder, TxError> {
    let take = tx
        .prepare_cached(
            "update stock set available = available - $2 where sku = $1 returning available",
        )
        .await?;
    let insert_order = tx.prepare_cached(INSERT_ORDER).await?;
    let insert_line = tx.prepare_cached(INSERT_LINE).await?;
    let insert_sale = tx.prepare_cached(INSERT_MOVEMENT).await?;
    let count_order = tx.prepare_cached(COUNT_ORDER).await?;
    let order = &placed.order;
    let (token_hash, phone, kind) = (
        hash_token(&placed.access_token),
        phone.as_str(),
        MovementKind::Sale.as_str(),
    );
    let (order_id, nobody) = (Some(order.id.as_str()), None::<&str>);
    let sold: Vec<i64> = order.lines.iter().map(|l| -l.quantity).collect();
    let order_params = order_values(order, &token_hash, &phone, &currency, &now);
    let customer_params: [&(dyn ToSql + Sync); 2] = [&phone, &now];
    let mut line_params: Vec<[&(dyn ToSql + Sync); 2]> = Vec::new();
    let mut row_params: Vec<[&(dyn ToSql + Sync); 8]> = Vec::new();
    let mut sale_params: Vec<[&(dyn ToSql + Sync); 8]> = Vec::new();
    for ((line, left), sold) in order.lines.iter().zip(after).zip(&sold) {
        line_params.push([&line.sku, &line.quantity]);
        row_params.push(line_values(&order.id, line));
        sale_params.push([
            &line.sku, &kind, sold, left, &order_id, &nobody, &nobody, &now,
        ]);
    }
    let mut steps: Vec<Step<'_>> = Vec::with_capacity(3 + 3 * order.lines.len());
    if !keyed {
        steps.push(pipeline::simple(tx, "savepoint job"));
    }
    steps.extend(
        line_params
            .iter()
            .map(|p| pipeline::statement(tx, &take, p)),
    );
    steps.push(pipeline::statement(tx, &insert_order, &order_params));
    for (row, sale) in row_params.iter().zip(&sale_params) {
        steps.push(pipeline::statement(tx, &insert_line, row));
        steps.push(pipeline::statement(tx, &insert_sale, sale));
    }
    steps.push(pipeline::statement(tx, &count_order, &customer_params));
    if !keyed {
        steps.push(pipeline::simple(tx, "release savepoint job"));
    }
    let answers = pipeline::run_all(steps).await?;
    let first = usize::from(!keyed);
    // The batch's view of the stock and the database must agree; if they
    // ever do not, nothing of this batch may be committed.
    for (rows, expected) in answers[first..].iter().zip(after) {
        let left: Option<i64> = rows.first().map(|row| row.try_get(0)).transpose()?;
        if left != Some(*expected) {
            return Err(TxError::Abort(format!(
                "the batch expected {expected} units left, the database has {left:?}"
            )));
        }
    }
    let number_row = answers[first + after.len()]
        .first()
        .ok_or_else(|| TxError::Abort("the order insert answered no number".into()))?;
    placed.order.number = number_row.try_get(0)?;
    Ok(placed)
}

//! A batch of checkouts on PostgreSQL, in one transaction on one pooled
//! connection, however many instances take orders at once: the rows the
//! batch names are locked and read, the engine decides against them, and
//! the whole batch is written with one statement per table (`bulk_rows.rs`).
//! A batch of one (`checkout_batch_max = 1`) goes the same way.
//!
//! Locks, always in this order, each list sorted, so that two batches on
//! any instances never wait on each other in a circle: the idempotency
//! keys (a new key's row is inserted as a placeholder that only this
//! transaction sees, so a second request with that key waits for this
//! batch's commit and then replays its answer), the customers' rows, then
//! the stock rows. READ COMMITTED reads each row as the commit it waited
//! for left it, so the counts and stock the engine sees are final.
//!
//! Three round trips whatever the batch's size: the settings; the locks and
//! reads; the writes. Then the commit.

use std::sync::Arc;

use deadpool_postgres::Transaction;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use super::PgStore;
use super::bulk_rows::{
    BatchRows, COUNT_ORDERS, INSERT_LINES, INSERT_ORDERS, INSERT_SALES, KEEP_ANSWERS, ORDER_EVENTS,
    STOCK_EVENTS, TAKE_STOCK,
};
use super::db::read_row;
use super::pipeline::{self, Step};
use super::transaction::TxError;
use crate::domain::batch::{BatchNeeds, BatchSnapshot, BatchWrites, WrittenBatch};
use crate::domain::settings::Settings;
use crate::domain::time;
use crate::store::batch::{DROP_BOUGHT_BY_PHONES, DROP_LINES_OF_BATCH};
use crate::store::settings::{SETTINGS, settings_row};
use crate::store::shop::{ZONES, zone_row};
use crate::store::{BatchDecider, BatchError, StoreError, batch};

const VARIANTS_FOR_SALE: &str = "select v.sku, p.title, v.size, v.color, p.price, s.available,
    cast(case when p.status = 'active' and v.retired = 0 then 1 else 0 end as bigint),
    v.low_stock_threshold,
    case when v.low_stock_threshold is null and st.low_stock_units is null then
      (select cast(coalesce(sum(m.quantity), 0) as bigint) from stock_movements m
       where m.sku = v.sku and (m.kind = 'initial' or m.created_at < st.reference_date
         or (m.kind = 'restock' and m.created_at >= st.reference_date)))
    else cast(0 as bigint) end,
    v.preorder_enabled, v.preorder_cap, v.preorder_ships_by, s.preorder_waiting
    from variants v join products p on p.id = v.product_id join stock s on s.sku = v.sku
    cross join settings st
    where st.id = 1 and v.sku = any($1)";

impl PgStore {
    /// One batch of checkouts, in a transaction of its own.
    pub async fn apply_checkout_batch<D: BatchDecider>(
        &self,
        decider: Arc<D>,
    ) -> Result<(D::Decided, WrittenBatch), BatchError> {
        let attempt = async {
            let mut client = self.pool.get().await?;
            let tx = client.transaction().await?;
            let applied = apply(&tx, &*decider).await?;
            tx.commit().await.map_err(TxError::Commit)?;
            Ok(applied)
        };
        attempt.await.map_err(|error: TxError| {
            if error.is_transient() {
                return BatchError::Retry(error.into_store());
            }
            match error {
                TxError::Db(_) | TxError::Abort(_) | TxError::Conflict(_) => {
                    match error.into_store() {
                        // Each checkout alone would fail the same way.
                        full @ StoreError::DiskFull(_) => BatchError::Final(full),
                        error => BatchError::Failed(error),
                    }
                }
                TxError::Store(StoreError::Unavailable(_)) | TxError::Commit(_) => {
                    BatchError::Final(error.into_store())
                }
                TxError::Store(error) => BatchError::Failed(error),
            }
        })
    }

    /// Batches applied at once: one with group commit (a hot item's stock
    /// row is held from a batch's start to its commit anyway); with one
    /// order per transaction, as many as the pool has connections.
    pub fn concurrent_checkout_batches(&self) -> usize {
        if self.config.checkout_batch_max > 1 {
            1
        } else {
            self.config.pg_pool_max.max(1)
        }
    }
}

async fn apply<D: BatchDecider>(
    tx: &Transaction<'_>,
    decider: &D,
) -> Result<(D::Decided, WrittenBatch), TxError> {
    // A batch's statements take arrays (`= any($1)`, `unnest`), whose best
    // plan depends on the tables' size: a generic plan cached while they
    // were small scans them whole, and keeps doing so for every batch as
    // they grow. So each batch plans with its own values.
    let settings_statement = tx.prepare_cached(SETTINGS).await?;
    let first = pipeline::run_all(vec![
        pipeline::simple(tx, "set local plan_cache_mode = force_custom_plan"),
        pipeline::statement(tx, &settings_statement, &[]),
    ])
    .await?;
    let settings = settings_of(&first[1])?;
    let needs = decider.needs(&settings);
    let snapshot = lock_and_read(tx, &needs).await?;
    if snapshot.settings.default_country != settings.default_country {
        // Phones were read for the old country: decide again.
        return Err(TxError::Conflict("the shop's country changed".into()));
    }
    let (writes, decided) = decider.decide(&snapshot);
    let numbers = write(tx, &writes).await?;
    Ok((decided, WrittenBatch { writes, numbers }))
}

/// Locks the batch's keys, customers and stock rows, in that order, and
/// reads what the engine decides with, in one flight.
async fn lock_and_read(tx: &Transaction<'_>, needs: &BatchNeeds) -> Result<BatchSnapshot, TxError> {
    // Placeholders: no order, no refusal; `write` fills them in or deletes
    // them before the commit, so no other transaction ever sees one.
    let claim_keys = tx
        .prepare_cached(
            "insert into idempotency_keys (key, request_hash, created_at)
             select k, '', '' from unnest($1::text[]) k order by k
             on conflict (key) do nothing",
        )
        .await?;
    let lock_keys = tx
        .prepare_cached(
            "select key, request_hash, created_at, order_id, refusal, lang from idempotency_keys
             where key = any($1) order by key for update",
        )
        .await?;
    let insert_customers = tx
        .prepare_cached(
            "insert into customers (phone) select p from unnest($1::text[]) p order by p
             on conflict (phone) do nothing",
        )
        .await?;
    let lock_customers = tx
        .prepare_cached(
            "select phone, orders_counted from customers where phone = any($1)
             order by phone for update",
        )
        .await?;
    let lock_stock = tx
        .prepare_cached("select sku from stock where sku = any($1) order by sku for update")
        .await?;
    let variants = tx.prepare_cached(VARIANTS_FOR_SALE).await?;
    let settings = tx.prepare_cached(SETTINGS).await?;
    let zones = tx.prepare_cached(ZONES).await?;
    let drop_lines = tx.prepare_cached(DROP_LINES_OF_BATCH).await?;
    let drop_bought = tx.prepare_cached(DROP_BOUGHT_BY_PHONES).await?;
    let (phones, skus) = (needs.phone_texts(), needs.sku_texts());
    let by_key: [&(dyn ToSql + Sync); 1] = [&needs.keys];
    let by_phone: [&(dyn ToSql + Sync); 1] = [&phones];
    let by_sku: [&(dyn ToSql + Sync); 1] = [&skus];
    let drops_of_batch: [&(dyn ToSql + Sync); 3] = [&skus, &needs.at, &needs.drop_slugs];
    let bought_of_batch: [&(dyn ToSql + Sync); 2] = [&phones, &needs.at];
    let steps: Vec<Step<'_>> = vec![
        pipeline::statement(tx, &claim_keys, &by_key),
        pipeline::statement(tx, &lock_keys, &by_key),
        pipeline::statement(tx, &insert_customers, &by_phone),
        pipeline::statement(tx, &lock_customers, &by_phone),
        pipeline::statement(tx, &lock_stock, &by_sku),
        pipeline::statement(tx, &variants, &by_sku),
        pipeline::statement(tx, &settings, &[]),
        pipeline::statement(tx, &zones, &[]),
        // Read once the stock and customers' rows are locked: every
        // checkout that changes a drop's units or a customer's units in it
        // holds those rows until it commits.
        pipeline::statement(tx, &drop_lines, &drops_of_batch),
        pipeline::statement(tx, &drop_bought, &bought_of_batch),
    ];
    let rows = pipeline::run_all(steps).await?;
    snapshot_of(&rows, needs)
}

/// The snapshot from the answers of `lock_and_read`'s statements, in their order.
fn snapshot_of(rows: &[Vec<Row>], needs: &BatchNeeds) -> Result<BatchSnapshot, TxError> {
    if rows[1].len() < needs.keys.len() {
        // A key's row went between the claim and the lock (the purge of
        // expired answers): run the batch again.
        return Err(TxError::Conflict(
            "an idempotency key's row went while the batch locked it".into(),
        ));
    }
    let values = |rows: &[Row]| rows.iter().map(read_row).collect::<Result<Vec<_>, _>>();
    let (variants, counts, answers) = (values(&rows[5])?, values(&rows[3])?, values(&rows[1])?);
    let settings = settings_of(&rows[6])?;
    let zones = values(&rows[7])?
        .iter()
        .map(zone_row)
        .collect::<Result<Vec<_>, _>>()?;
    let rows = batch::BatchRows {
        variants: &variants,
        counts: &counts,
        answers: &answers,
        drop_lines: &values(&rows[8])?,
        drop_bought: &values(&rows[9])?,
    };
    Ok(batch::snapshot_of(settings, rows, zones)?)
}

/// Writes what the batch decided in one flight, one statement per table,
/// and its events (each order created, then the stock's);
/// answers each placed order's number, in batch order.
async fn write(tx: &Transaction<'_>, writes: &BatchWrites) -> Result<Vec<String>, TxError> {
    let rows = BatchRows::of(writes);
    let statements = [
        TAKE_STOCK,
        INSERT_ORDERS,
        INSERT_LINES,
        INSERT_SALES,
        COUNT_ORDERS,
        KEEP_ANSWERS,
        "delete from idempotency_keys where key = any($1)",
        ORDER_EVENTS,
        STOCK_EVENTS,
    ];
    let mut prepared = Vec::with_capacity(statements.len());
    for sql in statements {
        prepared.push(tx.prepare_cached(sql).await?);
    }
    let decided_at = time::format(writes.decided_at);
    let params = rows.params(&decided_at);
    let event_params = rows.event_params(&decided_at);
    let release: [&(dyn ToSql + Sync); 1] = [&writes.release];
    let drops_and_preorders = rows.drop_and_preorder_params();
    let mut more = Vec::with_capacity(drops_and_preorders.len());
    for (sql, _) in &drops_and_preorders {
        more.push(tx.prepare_cached(sql).await?);
    }
    let mut steps: Vec<Step<'_>> = prepared[..6]
        .iter()
        .zip(&params)
        .map(|(statement, params)| pipeline::statement(tx, statement, params))
        .collect();
    steps.push(pipeline::statement(tx, &prepared[6], &release));
    steps.push(pipeline::statement(tx, &prepared[7], &event_params[0]));
    steps.push(pipeline::statement(tx, &prepared[8], &event_params[1]));
    for (statement, (_, params)) in more.iter().zip(&drops_and_preorders) {
        steps.push(pipeline::statement(tx, statement, params));
    }
    let answers = pipeline::run_all(steps).await?;
    check_stock_left(&answers[0], writes)?;
    if !writes.drop_units.is_empty() {
        check_drop_units_left(&answers[9], writes)?;
    }
    let numbers: Vec<String> = answers[1]
        .iter()
        .map(|row| row.try_get(0))
        .collect::<Result<_, _>>()?;
    if numbers.len() != writes.orders.len() {
        return Err(TxError::Abort("an order of the batch got no number".into()));
    }
    Ok(numbers)
}

/// The engine's view of the stock and the database's must agree; if they
/// ever do not, nothing of this batch may be committed.
fn check_stock_left(left: &[Row], writes: &BatchWrites) -> Result<(), TxError> {
    if left.len() != writes.stock.len() {
        return Err(TxError::Abort(format!(
            "the batch took from {} skus, the database updated {}",
            writes.stock.len(),
            left.len()
        )));
    }
    for row in left {
        let (sku, units): (&str, i64) = (row.try_get(0)?, row.try_get(1)?);
        let expected = writes.stock.iter().find(|s| s.sku == sku).map(|s| s.left);
        if expected != Some(units) {
            return Err(TxError::Abort(format!(
                "the batch expected {expected:?} units of {sku} left, the database has {units}"
            )));
        }
    }
    Ok(())
}

/// The engine's view of the drops' units and the database's must agree,
/// like the stock's.
fn check_drop_units_left(left: &[Row], writes: &BatchWrites) -> Result<(), TxError> {
    if left.len() != writes.drop_units.len() {
        return Err(TxError::Abort(format!(
            "the batch took from {} drop lines, the database updated {}",
            writes.drop_units.len(),
            left.len()
        )));
    }
    for row in left {
        let (drop_id, sku, units): (&str, &str, i64) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        let expected = writes
            .drop_units
            .iter()
            .find(|t| t.drop_id == drop_id && t.sku == sku)
            .map(|t| t.left);
        if expected != Some(units) {
            return Err(TxError::Abort(format!(
                "the batch expected {expected:?} units of {sku} left in the drop {drop_id}, the database has {units}"
            )));
        }
    }
    Ok(())
}

/// The settings, from the one row of `SETTINGS` sent in a flight of statements.
fn settings_of(rows: &[Row]) -> Result<Settings, TxError> {
    let row = rows
        .first()
        .ok_or_else(|| TxError::Abort("the settings row is missing".into()))?;
    Ok(settings_row(&read_row(row)?)?)
}

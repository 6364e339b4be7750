//! A batch of checkouts on SQLite: read what the batch names, let the
//! engine decide, write what it decided, all in one job of the writer (so
//! in its transaction, committed with one fsync).
//!
//! The writer is the only connection that writes, so what a batch reads is
//! what it finds when it writes: nothing needs locking. Stock is taken
//! with a conditional decrement all the same (`available >= n`), and the
//! units left must be those the engine expected, or the batch fails whole.

use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, params};

use super::SqliteStore;
use super::db::ready;
use crate::domain::batch::{
    BatchNeeds, BatchSnapshot, BatchWrites, KeptAnswer, KeptOutcome, OrderToWrite, VariantForSale,
    WrittenBatch,
};
use crate::domain::stock::MovementKind;
use crate::domain::time;
use crate::store::{BatchDecider, BatchError, StoreError, settings};

impl SqliteStore {
    /// One batch of checkouts in the writer's next transaction.
    pub async fn apply_checkout_batch<D: BatchDecider>(
        &self,
        decider: Arc<D>,
    ) -> Result<(D::Decided, WrittenBatch), BatchError> {
        self.write(move |conn| apply(conn, &*decider))
            .await
            .map_err(|error| match error {
                // Each checkout alone would fail the same way.
                StoreError::Unavailable(_) | StoreError::DiskFull(_) => BatchError::Final(error),
                error => BatchError::Failed(error),
            })
    }

    /// The writer serialises every write: one batch at a time.
    pub fn concurrent_checkout_batches(&self) -> usize {
        1
    }
}

fn apply<D: BatchDecider>(
    conn: &Connection,
    decider: &D,
) -> Result<(D::Decided, WrittenBatch), StoreError> {
    let settings = ready(settings::load(conn, false))?;
    let needs = decider.needs(&settings);
    let snapshot = read_snapshot(conn, settings, &needs)?;
    let (writes, decided) = decider.decide(&snapshot);
    let numbers = write_batch(conn, &writes)?;
    Ok((decided, WrittenBatch { writes, numbers }))
}

fn read_snapshot(
    conn: &Connection,
    settings: crate::domain::settings::Settings,
    needs: &BatchNeeds,
) -> Result<BatchSnapshot, StoreError> {
    let mut snapshot = BatchSnapshot {
        settings,
        variants: Default::default(),
        orders_counted: Default::default(),
        answers: Default::default(),
    };
    for sku in &needs.skus {
        if let Some(variant) = variant_for_sale(conn, sku.as_str())? {
            snapshot.variants.insert(sku.to_string(), variant);
        }
    }
    let mut counted =
        conn.prepare_cached("select orders_counted from customers where phone = ?1")?;
    for phone in needs.phone_texts() {
        let count: Option<i64> = counted.query_row([phone], |row| row.get(0)).optional()?;
        let count = count.unwrap_or(0);
        snapshot.orders_counted.insert(phone.to_owned(), count);
    }
    let mut answer = conn.prepare_cached(
        "select request_hash, created_at, order_id, refusal, lang from idempotency_keys where key = ?1",
    )?;
    for key in &needs.keys {
        let row = answer
            .query_row([key], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, String>(4)?,
                ))
            })
            .optional()?;
        if let Some((request_hash, created_at, order_id, refusal, lang)) = row {
            let outcome = KeptOutcome::from_columns(order_id, refusal.as_deref(), &lang)?;
            snapshot.answers.insert(
                key.clone(),
                KeptAnswer {
                    request_hash,
                    created_at,
                    outcome,
                },
            );
        }
    }
    Ok(snapshot)
}

/// The variant of `sku` as the checkout sees it, if the catalog has it.
fn variant_for_sale(conn: &Connection, sku: &str) -> Result<Option<VariantForSale>, StoreError> {
    Ok(conn
        .prepare_cached(
            "select p.title, v.size, v.color, p.price, s.available from variants v
             join products p on p.id = v.product_id join stock s on s.sku = v.sku where v.sku = ?1",
        )?
        .query_row([sku], |row| {
            let color: String = row.get(2)?;
            Ok(VariantForSale {
                sku: sku.to_owned(),
                title: row.get(0)?,
                size: row.get(1)?,
                color: (!color.is_empty()).then_some(color),
                price: row.get(3)?,
                available: row.get(4)?,
            })
        })
        .optional()?)
}

/// Writes what the batch decided; answers each placed order's number.
fn write_batch(conn: &Connection, writes: &BatchWrites) -> Result<Vec<String>, StoreError> {
    let decided_at = time::format(writes.decided_at);
    // No `returning` here nor below: SQLite builds a temporary table for
    // each (docs/ARCHITECTURE.md). The read and this update are in one
    // transaction of the only writer, so one row changed means exactly the
    // units the engine expected are left.
    let mut take = conn.prepare_cached(
        "update stock set available = available - ?2 where sku = ?1 and available >= ?2",
    )?;
    for stock in &writes.stock {
        if take.execute(params![stock.sku, stock.taken])? != 1 {
            return Err(StoreError::Internal(format!(
                "the stock of {} changed under the writer",
                stock.sku
            )));
        }
    }
    let numbers = writes
        .orders
        .iter()
        .map(|order| insert_order(conn, order, &decided_at))
        .collect::<Result<Vec<_>, _>>()?;
    let mut count = conn.prepare_cached(
        "insert into customers (phone, orders_counted) values (?1, ?2)
         on conflict (phone) do update set orders_counted = orders_counted + excluded.orders_counted",
    )?;
    for (phone, added) in &writes.counts {
        count.execute(params![phone, added])?;
    }
    let mut keep = conn.prepare_cached(
        "insert into idempotency_keys (key, request_hash, order_id, refusal, lang, created_at)
         values (?1, ?2, ?3, ?4, ?5, ?6)
         on conflict (key) do update set request_hash = excluded.request_hash,
           order_id = excluded.order_id, refusal = excluded.refusal, lang = excluded.lang,
           created_at = excluded.created_at",
    )?;
    for kept in &writes.keep {
        let (order_id, refusal, lang) = kept.outcome.columns();
        let at = &decided_at;
        keep.execute(params![
            kept.key,
            kept.request_hash,
            order_id,
            refusal,
            lang,
            at
        ])?;
    }
    let mut release = conn.prepare_cached("delete from idempotency_keys where key = ?1")?;
    for key in &writes.release {
        release.execute([key])?;
    }
    Ok(numbers)
}

/// Inserts an order, its lines and one `sale` movement per line; answers its number.
fn insert_order(conn: &Connection, write: &OrderToWrite, now: &str) -> Result<String, StoreError> {
    let order = &write.order;
    let (customer, delivery) = (&order.customer, &order.delivery);
    conn.prepare_cached(
        "insert into orders (id, access_token_hash, status, currency, total, customer_name,
         customer_phone, customer_phone_normalised, customer_email, delivery_address,
         pickup_number, notes, created_at, updated_at)
         values (?1, ?2, 'pending', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
    )?
    .execute(params![
        order.id,
        write.access_token_hash,
        order.currency,
        order.total,
        customer.name,
        customer.phone,
        write.phone_normalised,
        customer.email,
        delivery.address,
        delivery.pickup_number,
        order.notes,
        now
    ])?;
    // The same rule as the schema's generated `number` column.
    let number = format!("SR-{}", 1000 + conn.last_insert_rowid());
    let mut line_row = conn.prepare_cached(
        "insert into order_lines (order_id, sku, title, size, color, unit_price, quantity, line_total)
         values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut sale = conn.prepare_cached(
        "insert into stock_movements (sku, kind, quantity, available_after, order_id, created_at)
         values (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (line, left) in order.lines.iter().zip(&write.lines_left) {
        line_row.execute(params![
            order.id,
            line.sku,
            line.title,
            line.size,
            line.color,
            line.unit_price,
            line.quantity,
            line.line_total
        ])?;
        let kind = MovementKind::Sale.as_str();
        sale.execute(params![line.sku, kind, -line.quantity, left, order.id, now])?;
    }
    Ok(number)
}

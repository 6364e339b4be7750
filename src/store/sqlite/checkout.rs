//! A batch of checkouts on SQLite: read what the batch names, let the
//! engine decide, write what it decided, all in one job of the writer (so
//! in its transaction, committed with one fsync).
//!
//! The writer is the only connection that writes, so what a batch reads is
//! what it finds when it writes: nothing needs locking. Stock is taken
//! with a conditional decrement all the same (`available >= n`), and the
//! units left must be those the engine expected, or the batch fails whole.

use std::sync::Arc;

use rusqlite::{Connection, params};

use super::SqliteStore;
use super::db::{ready, rows_each, rows_each_with};
use crate::domain::batch::{BatchWrites, OrderToWrite, WrittenBatch};
use crate::domain::events::{EventType, NewEvent};
use crate::domain::stock::MovementKind;
use crate::domain::time;
use crate::store::batch::{
    BatchRows, DROP_BOUGHT_BY_PHONE, DROP_LINES_OF_SKU, DROP_LINES_OF_SLUG, snapshot_of,
};
use crate::store::db::Db;
use crate::store::{BatchDecider, BatchError, StoreError, customers, settings, shop};

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

/// The variant of the sku `$1` as the checkout sees it, if the catalog has
/// it: with its own low-stock threshold and, when the shop's rule is its
/// percent, the units it received (the stock events' threshold).
const VARIANT_FOR_SALE: &str = "select v.sku, p.title, v.size, v.color, p.price, s.available,
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
    where st.id = 1 and v.sku = $1";

/// The orders counted of the customer `$1`, if they have a row.
const ORDERS_COUNTED: &str = "select phone, orders_counted from customers where phone = $1";

/// The answer kept with the key `$1`, if any.
const KEPT_ANSWER: &str = "select key, request_hash, created_at, order_id, refusal, lang
    from idempotency_keys where key = $1";

fn apply<D: BatchDecider>(
    conn: &Connection,
    decider: &D,
) -> Result<(D::Decided, WrittenBatch), StoreError> {
    let settings = ready(settings::load(conn, false))?;
    let needs = decider.needs(&settings);
    let at = needs.at.as_str();
    let mut drop_lines = rows_each_with(conn, DROP_LINES_OF_SKU, needs.sku_texts(), at)?;
    let slugs = needs.drop_slugs.iter().map(String::as_str);
    drop_lines.extend(rows_each(conn, DROP_LINES_OF_SLUG, slugs)?);
    let rows = BatchRows {
        variants: &rows_each(conn, VARIANT_FOR_SALE, needs.sku_texts())?,
        counts: &rows_each(conn, ORDERS_COUNTED, needs.phone_texts())?,
        answers: &rows_each(conn, KEPT_ANSWER, needs.keys.iter().map(String::as_str))?,
        drop_lines: &drop_lines,
        drop_bought: &rows_each_with(conn, DROP_BOUGHT_BY_PHONE, needs.phone_texts(), at)?,
    };
    let snapshot = snapshot_of(settings, rows, ready(shop::zones(conn))?)?;
    let (writes, decided) = decider.decide(&snapshot);
    let numbers = write_batch(conn, &writes)?;
    Ok((decided, WrittenBatch { writes, numbers }))
}

/// Writes what the batch decided, and the events it raises (each order
/// created, then the stock's); answers each placed order's number.
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
    let mut event = conn.prepare_cached(<Connection as Db>::APPEND_EVENT)?;
    for (write, number) in writes.orders.iter().zip(&numbers) {
        let created = NewEvent::order(EventType::OrderCreated, &write.order.id, number, "pending");
        event.execute(params![
            created.kind.as_str(),
            created.data_json(),
            decided_at
        ])?;
    }
    for stock in &writes.events {
        event.execute(params![stock.kind.as_str(), stock.data_json(), decided_at])?;
    }
    let mut count = conn.prepare_cached(customers::ADD_COUNT)?;
    for (phone, added) in &writes.counts {
        count.execute(params![phone, added])?;
    }
    write_drops_and_preorders(conn, writes)?;
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

/// The units a batch took from drops (checked like stock), its customers'
/// units in them, the refusals they counted, and the preorder places taken.
fn write_drops_and_preorders(conn: &Connection, writes: &BatchWrites) -> Result<(), StoreError> {
    let mut take = conn.prepare_cached(
        "update drop_lines set remaining = remaining - ?3
         where drop_id = ?1 and sku = ?2 and remaining >= ?3",
    )?;
    for taken in &writes.drop_units {
        if take.execute(params![taken.drop_id, taken.sku, taken.taken])? != 1 {
            return Err(StoreError::Internal(format!(
                "the units of {} in the drop {} changed under the writer",
                taken.sku, taken.drop_id
            )));
        }
    }
    let mut bought = conn.prepare_cached(
        "insert into drop_customers (drop_id, phone, units) values (?1, ?2, ?3)
         on conflict (phone, drop_id) do update set units = units + excluded.units",
    )?;
    for count in &writes.drop_customers {
        bought.execute(params![count.drop_id, count.key, count.added])?;
    }
    let mut refused = conn.prepare_cached(
        "insert into drop_refusals (drop_id, code, count) values (?1, ?2, ?3)
         on conflict (drop_id, code) do update set count = count + excluded.count",
    )?;
    for count in &writes.drop_refusals {
        refused.execute(params![count.drop_id, count.key, count.added])?;
    }
    let mut places = conn.prepare_cached(
        "update stock set preorder_waiting = preorder_waiting + ?2 where sku = ?1",
    )?;
    for (sku, added) in &writes.preorder_places {
        places.execute(params![sku, added])?;
    }
    Ok(())
}

/// Inserts an order, its lines and one `sale` movement per line (none for
/// a preorder line, which took no stock); answers its number.
fn insert_order(conn: &Connection, write: &OrderToWrite, now: &str) -> Result<String, StoreError> {
    let order = &write.order;
    let (customer, delivery) = (&order.customer, &order.delivery);
    conn.prepare_cached(
        "insert into orders (id, access_token_hash, status, currency, total, customer_name,
         customer_phone, customer_phone_normalised, customer_email, delivery_address,
         pickup_number, notes, created_at, updated_at, delivery_fee, delivery_zone,
         delivery_zone_name, customer_name_folded)
         values (?1, ?2, 'pending', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13, ?14, ?15,
                 ?16)",
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
        now,
        order.delivery_fee,
        delivery.zone,
        delivery.zone_name,
        write.name_folded
    ])?;
    // The same rule as the schema's generated `number` column.
    let number = format!("SR-{}", 1000 + conn.last_insert_rowid());
    let mut line_row = conn.prepare_cached(
        "insert into order_lines (order_id, sku, title, size, color, unit_price, quantity,
         line_total, preorder, drop_id)
         values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
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
            line.line_total,
            i64::from(line.preorder),
            line.drop_id
        ])?;
        if line.preorder {
            continue;
        }
        let kind = MovementKind::Sale.as_str();
        sale.execute(params![line.sku, kind, -line.quantity, left, order.id, now])?;
    }
    Ok(number)
}

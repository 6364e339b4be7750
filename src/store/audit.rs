//! The audit above the backends: the SQL both databases run in one
//! snapshot and the reading of its rows; `domain/audit.rs` judges them.

use super::StoreError;
use super::catalog::color_from_stored;
use super::row::StoredRow;
use crate::domain::audit::{AuditRow, AuditedVariant, LedgerTotals, NegativeStock};

/// Every variant with its stock, its ledger summed since the reference date
/// `$1` (movements before it, and `initial` ones, are the opening balance),
/// its sales and cancellations of all time from the ledger and from the
/// orders, which must match; read by `audit_row`.
///
/// Each table is summed once, grouped by sku, then joined: a subquery per
/// variant would scan `order_lines` once for each of them (measured on
/// SQLite: 57 s for 10,000 variants and 80,000 orders, against well under
/// a second). The casts make PostgreSQL's sums `bigint`, as SQLite's are.
pub const AUDIT_VARIANTS: &str = "with ledger as (
       select sku,
         sum(case when created_at < $1 or kind = 'initial' then quantity else 0 end) as initial,
         sum(case when created_at >= $1 and kind = 'restock' then quantity else 0 end) as restocked,
         sum(case when created_at >= $1 and kind = 'adjustment' then quantity else 0 end) as adjusted,
         -sum(case when created_at >= $1 and kind = 'sale' then quantity else 0 end) as sold,
         sum(case when created_at >= $1 and kind = 'cancellation' then quantity else 0 end) as returned,
         -sum(case when kind = 'sale' then quantity else 0 end) as sold_ever,
         sum(case when kind = 'cancellation' then quantity else 0 end) as returned_ever
       from stock_movements group by sku),
     ordered as (select sku, sum(quantity) as units from order_lines group by sku),
     cancelled as (
       select l.sku, sum(l.quantity) as units from order_lines l
       join orders o on o.id = l.order_id where o.status = 'cancelled' group by l.sku)
     select v.sku, v.product_id, p.title, v.size, v.color, s.available,
       cast(coalesce(g.initial, 0) as bigint), cast(coalesce(g.restocked, 0) as bigint),
       cast(coalesce(g.adjusted, 0) as bigint), cast(coalesce(g.sold, 0) as bigint),
       cast(coalesce(g.returned, 0) as bigint),
       cast(coalesce(g.sold_ever, 0) as bigint), cast(coalesce(g.returned_ever, 0) as bigint),
       cast(coalesce(o.units, 0) as bigint), cast(coalesce(c.units, 0) as bigint)
     from variants v
     join products p on p.id = v.product_id
     join stock s on s.sku = v.sku
     left join ledger g on g.sku = v.sku
     left join ordered o on o.sku = v.sku
     left join cancelled c on c.sku = v.sku
     order by p.title, p.id, v.position";

/// Stock rows below zero, which the schema should make impossible.
pub const NEGATIVE_STOCK: &str =
    "select sku, available from stock where available < 0 order by sku";

/// Each customer's orders since `$1` that count toward the limit, from the
/// orders themselves.
pub const CUSTOMER_ORDERS_SINCE: &str = "select customer_phone_normalised, count(*) from orders
    where created_at >= $1 and status <> 'cancelled'
    group by customer_phone_normalised";

/// Each customer's kept count.
pub const CUSTOMER_COUNTS: &str = "select phone, orders_counted from customers";

/// A row of `AUDIT_VARIANTS`, judged against the low-stock threshold.
pub fn audit_row(row: &impl StoredRow, low_stock_percent: i64) -> Result<AuditRow, StoreError> {
    let variant = AuditedVariant {
        sku: row.value(0)?,
        product_id: row.value(1)?,
        title: row.value(2)?,
        size: row.value(3)?,
        color: color_from_stored(row.value(4)?),
    };
    let totals = LedgerTotals {
        initial: row.value(6)?,
        restocked: row.value(7)?,
        adjusted: row.value(8)?,
        sold: row.value(9)?,
        returned: row.value(10)?,
    };
    let ledger_matches_orders = row.value::<i64>(11)? == row.value::<i64>(13)?
        && row.value::<i64>(12)? == row.value::<i64>(14)?;
    Ok(AuditRow::new(
        variant,
        totals,
        row.value(5)?,
        ledger_matches_orders,
        low_stock_percent,
    ))
}

/// A row of `NEGATIVE_STOCK`.
pub fn negative_row(row: &impl StoredRow) -> Result<NegativeStock, StoreError> {
    Ok(NegativeStock {
        sku: row.value(0)?,
        available: row.value(1)?,
    })
}

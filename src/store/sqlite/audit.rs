//! The audit on SQLite: ledger, stock and orders compared, variant by variant.

use rusqlite::Connection;

use super::SqliteStore;
use super::settings::load_settings;
use crate::domain::audit::{AuditReport, AuditRow, LedgerTotals, NegativeStock, status};
use crate::store::StoreError;

impl SqliteStore {
    pub async fn audit(&self) -> Result<AuditReport, StoreError> {
        self.read(audit).await
    }
}

/// One read transaction, so stock, ledger and orders are seen at one instant.
fn audit(conn: &Connection) -> Result<AuditReport, StoreError> {
    conn.execute_batch("begin")?;
    let report = audit_in_snapshot(conn);
    conn.execute_batch("commit")?;
    report
}

fn audit_in_snapshot(conn: &Connection) -> Result<AuditReport, StoreError> {
    let settings = load_settings(conn)?;
    // Movements before the reference date are the opening balance ("initial").
    // `units_ordered` and `units_cancelled` come from the orders themselves,
    // all time, and must match the ledger's sales and cancellations.
    let mut statement = conn.prepare_cached(
        "select v.sku, v.product_id, p.title, v.size, v.color, s.available,
           coalesce(sum(case when m.created_at < ?1 or m.kind = 'initial' then m.quantity end), 0),
           coalesce(sum(case when m.created_at >= ?1 and m.kind = 'restock' then m.quantity end), 0),
           coalesce(sum(case when m.created_at >= ?1 and m.kind = 'adjustment' then m.quantity end), 0),
           -coalesce(sum(case when m.created_at >= ?1 and m.kind = 'sale' then m.quantity end), 0),
           coalesce(sum(case when m.created_at >= ?1 and m.kind = 'cancellation' then m.quantity end), 0),
           -coalesce(sum(case when m.kind = 'sale' then m.quantity end), 0),
           coalesce(sum(case when m.kind = 'cancellation' then m.quantity end), 0),
           (select coalesce(sum(l.quantity), 0) from order_lines l where l.sku = v.sku),
           (select coalesce(sum(l.quantity), 0) from order_lines l join orders o on o.id = l.order_id
              where l.sku = v.sku and o.status = 'cancelled')
         from variants v
         join products p on p.id = v.product_id
         join stock s on s.sku = v.sku
         left join stock_movements m on m.sku = v.sku
         group by v.sku
         order by p.title, p.id, v.position",
    )?;
    let low_stock_percent = settings.low_stock_percent;
    let rows = statement.query_map([&settings.reference_date], |row| {
        let totals = LedgerTotals {
            initial: row.get(6)?,
            restocked: row.get(7)?,
            adjusted: row.get(8)?,
            sold: row.get(9)?,
            returned: row.get(10)?,
        };
        let available: i64 = row.get(5)?;
        let ledger_matches_orders = row.get::<_, i64>(11)? == row.get::<_, i64>(13)?
            && row.get::<_, i64>(12)? == row.get::<_, i64>(14)?;
        let expected = totals.expected();
        let difference = available - expected;
        let mut status = status(&totals, available, difference, low_stock_percent);
        if !ledger_matches_orders {
            status = crate::domain::audit::AuditStatus::Anomaly;
        }
        let color: String = row.get(4)?;
        Ok(AuditRow {
            sku: row.get(0)?,
            product_id: row.get(1)?,
            title: row.get(2)?,
            size: row.get(3)?,
            color: (!color.is_empty()).then_some(color),
            initial: totals.initial,
            restocked: totals.restocked,
            adjusted: totals.adjusted,
            sold: totals.sold,
            returned: totals.returned,
            expected,
            available,
            difference,
            status,
        })
    })?;
    let variants = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut negative =
        conn.prepare_cached("select sku, available from stock where available < 0 order by sku")?;
    let negative_stock = negative
        .query_map([], |row| {
            Ok(NegativeStock {
                sku: row.get(0)?,
                available: row.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let consistent = negative_stock.is_empty()
        && variants
            .iter()
            .all(|v| v.status != crate::domain::audit::AuditStatus::Anomaly);
    Ok(AuditReport {
        consistent,
        reference_date: settings.reference_date,
        negative_stock,
        variants,
    })
}

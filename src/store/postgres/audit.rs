//! The audit on PostgreSQL: ledger, stock and orders compared, variant by
//! variant, and each customer's count toward the limit against their orders.

use deadpool_postgres::Transaction;
use tokio_postgres::Row;

use super::PgStore;
use super::rows::color_from_stored;
use super::settings::load_settings;
use super::sql::query;
use super::transaction::TxError;
use crate::domain::audit::{
    AuditReport, AuditRow, AuditStatus, AuditedVariant, CUSTOMER_COUNTS, CUSTOMER_ORDERS_SINCE,
    LedgerTotals, NegativeStock, customer_count_mismatches,
};
use crate::store::StoreError;

impl PgStore {
    pub async fn audit(&self) -> Result<AuditReport, StoreError> {
        self.write(&(), |tx, ()| Box::pin(audit(tx))).await
    }
}

/// One snapshot (REPEATABLE READ, read only), so stock, ledger and orders
/// are seen at one instant even while checkouts commit on other instances.
async fn audit(tx: &Transaction<'_>) -> Result<AuditReport, TxError> {
    tx.batch_execute("set transaction isolation level repeatable read, read only")
        .await?;
    let settings = load_settings(tx, false).await?;
    // Movements before the reference date are the opening balance ("initial").
    // `units_ordered` and `units_cancelled` come from the orders themselves,
    // all time, and must match the ledger's sales and cancellations.
    let rows = query(
        tx,
        // Each table summed once by sku, then joined: a subquery per variant
        // would scan `order_lines` once for each of them.
        "with ledger as (
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
           coalesce(g.initial, 0)::bigint, coalesce(g.restocked, 0)::bigint, coalesce(g.adjusted, 0)::bigint,
           coalesce(g.sold, 0)::bigint, coalesce(g.returned, 0)::bigint,
           coalesce(g.sold_ever, 0)::bigint, coalesce(g.returned_ever, 0)::bigint,
           coalesce(o.units, 0)::bigint, coalesce(c.units, 0)::bigint
         from variants v
         join products p on p.id = v.product_id
         join stock s on s.sku = v.sku
         left join ledger g on g.sku = v.sku
         left join ordered o on o.sku = v.sku
         left join cancelled c on c.sku = v.sku
         order by p.title, p.id, v.position",
        &[&settings.reference_date],
    )
    .await?;
    let low_stock_percent = settings.low_stock_percent;
    let variants = rows
        .iter()
        .map(|row| audit_row(row, low_stock_percent))
        .collect::<Result<Vec<_>, _>>()?;
    let negative_stock = query(
        tx,
        "select sku, available from stock where available < 0 order by sku",
        &[],
    )
    .await?
    .iter()
    .map(|row| {
        Ok(NegativeStock {
            sku: row.try_get(0)?,
            available: row.try_get(1)?,
        })
    })
    .collect::<Result<Vec<_>, tokio_postgres::Error>>()?;
    let pairs = |rows: Vec<Row>| -> Result<Vec<(String, i64)>, tokio_postgres::Error> {
        rows.iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
            .collect()
    };
    let customer_counts = customer_count_mismatches(
        pairs(query(tx, CUSTOMER_ORDERS_SINCE, &[&settings.reference_date]).await?)?,
        pairs(query(tx, CUSTOMER_COUNTS, &[]).await?)?,
    );
    let consistent = negative_stock.is_empty()
        && customer_counts.is_empty()
        && variants.iter().all(|v| v.status != AuditStatus::Anomaly);
    Ok(AuditReport {
        consistent,
        reference_date: settings.reference_date,
        negative_stock,
        customer_counts,
        variants,
    })
}

fn audit_row(row: &Row, low_stock_percent: i64) -> Result<AuditRow, tokio_postgres::Error> {
    let variant = AuditedVariant {
        sku: row.try_get(0)?,
        product_id: row.try_get(1)?,
        title: row.try_get(2)?,
        size: row.try_get(3)?,
        color: color_from_stored(row.try_get(4)?),
    };
    let totals = LedgerTotals {
        initial: row.try_get(6)?,
        restocked: row.try_get(7)?,
        adjusted: row.try_get(8)?,
        sold: row.try_get(9)?,
        returned: row.try_get(10)?,
    };
    let ledger_matches_orders = row.try_get::<_, i64>(11)? == row.try_get::<_, i64>(13)?
        && row.try_get::<_, i64>(12)? == row.try_get::<_, i64>(14)?;
    Ok(AuditRow::new(
        variant,
        totals,
        row.try_get(5)?,
        ledger_matches_orders,
        low_stock_percent,
    ))
}

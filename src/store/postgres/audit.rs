//! The audit on PostgreSQL: the reads of `store/audit.rs` in one snapshot.

use deadpool_postgres::Transaction;

use super::PgStore;
use super::rows::all;
use super::settings::load_settings;
use super::transaction::TxError;
use crate::domain::audit::AuditReport;
use crate::store::StoreError;
use crate::store::audit::{
    AUDIT_VARIANTS, CUSTOMER_COUNTS, CUSTOMER_ORDERS_SINCE, NEGATIVE_STOCK, audit_row, negative_row,
};
use crate::store::row::pair_row;

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
    let since = [&settings.reference_date as _];
    let low_stock_percent = settings.low_stock_percent;
    let variants = all(tx, AUDIT_VARIANTS, &since, |row| {
        audit_row(row, low_stock_percent)
    })
    .await?;
    let negative_stock = all(tx, NEGATIVE_STOCK, &[], negative_row).await?;
    let from_orders = all(tx, CUSTOMER_ORDERS_SINCE, &since, pair_row).await?;
    let kept = all(tx, CUSTOMER_COUNTS, &[], pair_row).await?;
    Ok(AuditReport::new(
        settings.reference_date,
        variants,
        negative_stock,
        from_orders,
        kept,
    ))
}

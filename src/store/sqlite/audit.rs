//! The audit on SQLite: the reads of `store/audit.rs` in one read transaction.

use rusqlite::Connection;

use super::SqliteStore;
use super::rows::all;
use super::settings::load_settings;
use crate::domain::audit::AuditReport;
use crate::store::StoreError;
use crate::store::audit::{
    AUDIT_VARIANTS, CUSTOMER_COUNTS, CUSTOMER_ORDERS_SINCE, NEGATIVE_STOCK, audit_row, negative_row,
};
use crate::store::row::pair_row;

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
    let since = [&settings.reference_date];
    let low_stock_percent = settings.low_stock_percent;
    let variants = all(conn, AUDIT_VARIANTS, since, |row| {
        audit_row(row, low_stock_percent)
    })?;
    let negative_stock = all(conn, NEGATIVE_STOCK, [], |row| negative_row(row))?;
    let from_orders = all(conn, CUSTOMER_ORDERS_SINCE, since, |row| pair_row(row))?;
    let kept = all(conn, CUSTOMER_COUNTS, [], |row| pair_row(row))?;
    Ok(AuditReport::new(
        settings.reference_date,
        variants,
        negative_stock,
        from_orders,
        kept,
    ))
}

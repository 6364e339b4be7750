//! The audit on SQLite: `store/audit.rs` in one read transaction.

use super::SqliteStore;
use super::db::ready;
use crate::domain::audit::AuditReport;
use crate::store::{StoreError, audit};

impl SqliteStore {
    /// One read transaction, so stock, ledger and orders are seen at one instant.
    pub async fn audit(&self) -> Result<AuditReport, StoreError> {
        self.read(|conn| {
            conn.execute_batch("begin")?;
            let report = ready(audit::report(conn));
            conn.execute_batch("commit")?;
            report
        })
        .await
    }
}

//! The audit on PostgreSQL: `store/audit.rs` in one snapshot.

use super::PgStore;
use crate::domain::audit::AuditReport;
use crate::store::{StoreError, audit};

impl PgStore {
    /// One snapshot (REPEATABLE READ, read only), so stock, ledger and
    /// orders are seen at one instant even while checkouts commit on other
    /// instances.
    pub async fn audit(&self) -> Result<AuditReport, StoreError> {
        self.write(&(), |tx, ()| {
            Box::pin(async move {
                tx.0.batch_execute("set transaction isolation level repeatable read, read only")
                    .await?;
                audit::report(&tx).await
            })
        })
        .await
    }
}

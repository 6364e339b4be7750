//! The writes PostgreSQL's checkout shares with the verbs of `store/*.rs`,
//! and telling a unique-key violation.

use deadpool_postgres::GenericClient;

use super::db::Pg;
use super::transaction::TxError;
use crate::domain::stock::Movement;
pub use crate::store::catalog::color_from_stored;
pub use crate::store::stock::NewMovement;
use crate::store::{StoreError, stock};

/// Writes one movement of the ledger; every stock change goes through here.
pub async fn record_movement<C: GenericClient>(
    client: &C,
    m: NewMovement<'_>,
) -> Result<Movement, TxError> {
    stock::record(&Pg(client), m).await
}

/// Whether an error is a unique-key violation (a duplicate slug, sku or name).
pub fn is_unique_violation(error: &TxError) -> bool {
    matches!(error, TxError::Db(e) if e.code().is_some_and(|c| c.code() == "23505"))
}

/// A unique-key violation as `AlreadyExists { field, value }`, other errors as they are.
pub fn duplicate_or(error: TxError, field: &'static str, value: &str) -> TxError {
    if is_unique_violation(&error) {
        StoreError::AlreadyExists {
            field,
            value: value.to_owned(),
        }
        .into()
    } else {
        error
    }
}

//! A variant's stock on PostgreSQL, as the checkout reads it.

use deadpool_postgres::GenericClient;

use super::db::Pg;
use super::transaction::TxError;
use crate::store::stock;

/// Units on hand of a variant; `NotFound` for an unknown sku.
pub async fn available_of<C: GenericClient>(client: &C, sku: &str) -> Result<i64, TxError> {
    stock::level(&Pg(client), sku, false).await
}

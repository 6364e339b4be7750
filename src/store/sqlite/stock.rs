//! A variant's stock on SQLite, as the CSV import reads it.

use rusqlite::Connection;

use super::db::ready;
use crate::store::{StoreError, stock};

/// Units on hand of a variant; `NotFound` for an unknown sku.
pub fn available_of(conn: &Connection, sku: &str) -> Result<i64, StoreError> {
    ready(stock::level(conn, sku, false))
}

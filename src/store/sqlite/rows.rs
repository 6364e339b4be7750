//! The writes SQLite's checkout and CSV import share with the verbs of
//! `store/*.rs`, and telling a unique-key violation.

use rusqlite::Connection;

use super::db::ready;
use crate::domain::stock::Movement;
pub use crate::store::stock::NewMovement;
use crate::store::{StoreError, admins, stock};

/// Writes one movement of the ledger; every stock change goes through here.
pub fn record_movement(conn: &Connection, m: NewMovement<'_>) -> Result<Movement, StoreError> {
    ready(stock::record(conn, m))
}

/// Remembers an admin action that changed something, with its actor.
pub fn record_admin_action(
    conn: &Connection,
    actor: &str,
    action: &str,
    subject: &str,
    at: &str,
) -> Result<(), StoreError> {
    ready(admins::record_action(conn, actor, action, subject, at))
}

/// Whether an error is a unique-key violation (a duplicate slug, sku or name).
pub fn is_unique_violation(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(e, _) if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
    )
}

/// A unique-key violation as `AlreadyExists { field, value }`, other errors as they are.
pub fn duplicate_or(error: rusqlite::Error, field: &'static str, value: &str) -> StoreError {
    if is_unique_violation(&error) {
        StoreError::AlreadyExists {
            field,
            value: value.to_owned(),
        }
    } else {
        error.into()
    }
}

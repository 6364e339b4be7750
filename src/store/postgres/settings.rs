//! The shop's settings on PostgreSQL, as a batch of checkouts reads them in a flight of statements.

use super::db::read_row;
use super::transaction::TxError;
use crate::domain::settings::Settings;
use crate::store::settings;

/// The settings row, as `settings_of` reads it: for a statement prepared
/// and sent in a flight of others (`checkout.rs`).
pub const SELECT_SETTINGS: &str = settings::SETTINGS;

pub fn settings_of(row: &tokio_postgres::Row) -> Result<Settings, TxError> {
    Ok(settings::settings_row(&read_row(row)?)?)
}

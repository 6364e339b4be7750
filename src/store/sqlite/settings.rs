//! The shop's settings on SQLite, as every checkout reads them.

use rusqlite::Connection;

use super::db::ready;
use crate::domain::settings::Settings;
use crate::store::{StoreError, settings};

pub fn load_settings(conn: &Connection) -> Result<Settings, StoreError> {
    ready(settings::load(conn, false))
}

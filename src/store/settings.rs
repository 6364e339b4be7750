//! Settings above the backends: the SQL both databases run for the shop's
//! one row of settings, reading it, and how long idempotency answers stay.

use std::time::Duration;

use super::StoreError;
use super::row::StoredRow;
use crate::domain::settings::Settings;
use crate::domain::time;

/// The shop's settings, read by `settings_row`.
pub const SETTINGS: &str = "select order_limit_per_customer, low_stock_percent, reference_date,
    default_country_code from settings where id = 1";

/// Writes the merged settings: limit, low percent, reference date, country
/// code, by whom, when.
pub const UPDATE_SETTINGS: &str = "update settings set order_limit_per_customer = $1,
    low_stock_percent = $2, reference_date = $3, default_country_code = $4, updated_by = $5,
    updated_at = $6 where id = 1";

/// Forgets idempotency answers kept since before `$1`.
pub const PURGE_IDEMPOTENCY_KEYS: &str = "delete from idempotency_keys where created_at < $1";

/// What the admin trail calls a change of settings, and what it changed.
pub const SETTINGS_UPDATED: &str = "settings.update";
pub const SETTINGS_SUBJECT: &str = "settings";

/// The row of `SETTINGS`.
pub fn settings_row(row: &impl StoredRow) -> Result<Settings, StoreError> {
    Ok(Settings {
        order_limit_per_customer: row.value(0)?,
        low_stock_percent: row.value(1)?,
        reference_date: row.value(2)?,
        default_country_code: row.value(3)?,
    })
}

/// The oldest idempotency answer still kept, `ttl` back from now (a day
/// when `ttl` is out of range).
pub fn oldest_kept_answer(ttl: Duration) -> String {
    let ttl = chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::days(1));
    time::format(chrono::Utc::now() - ttl)
}

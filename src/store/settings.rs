//! Settings above the backends: the shop's one row of settings, read by
//! every checkout and merged by admins, and how long idempotency answers
//! are kept.

use std::time::Duration;

use super::StoreError;
use super::admins::record_change;
use super::customers;
use super::db::{Db, Param, Writes};
use super::row::{Row, unknown_value};
use crate::domain::phone::Country;
use crate::domain::settings::{Settings, SettingsPatch};
use crate::domain::time;
use crate::domain::tokens::new_shop_secret;

/// The shop's settings, read by `settings_row`.
pub(super) const SETTINGS: &str =
    "select order_limit_per_customer, low_stock_percent, reference_date,
    default_country_code, default_country, low_stock_units, pickup_number_required
    from settings where id = 1";

/// Writes the merged settings: limit, low percent, reference date, country
/// and its calling code (kept for the older column), by whom, when, low
/// units, and whether the pickup number is required (0 or 1).
const UPDATE_SETTINGS: &str = "update settings set order_limit_per_customer = $1,
    low_stock_percent = $2, reference_date = $3, default_country_code = $4, updated_by = $5,
    updated_at = $6, default_country = $7, low_stock_units = $8,
    pickup_number_required = $9 where id = 1";

/// Makes the shop's secret `$1`, unless the database has one.
const MAKE_SHOP_SECRET: &str =
    "insert into shop_secret (id, secret) values (1, $1) on conflict (id) do nothing";

const SHOP_SECRET: &str = "select secret from shop_secret where id = 1";

/// Forgets idempotency answers kept since before `$1`.
const PURGE_IDEMPOTENCY_KEYS: &str = "delete from idempotency_keys where created_at < $1";

/// The shop's settings, their row `locked` where the database locks rows.
pub async fn load<D: Db>(db: &D, locked: bool) -> Result<Settings, D::Error> {
    let sql = D::locking(SETTINGS, locked);
    db.one(&sql, &[], settings_row).await
}

/// Merges `patch` into the settings; a new reference date counts every
/// customer's orders again. The row is locked first, so that two admins'
/// merges apply one after the other.
pub async fn update<D: Writes>(
    db: &D,
    patch: &SettingsPatch,
    actor: &str,
) -> Result<Settings, D::Error> {
    let current = load(db, true).await?;
    let next = patch.apply_to(&current).map_err(StoreError::from)?;
    let now = time::now();
    let params: [&dyn Param; 9] = [
        &next.order_limit_per_customer,
        &next.low_stock_percent,
        &next.reference_date,
        &next.default_country_code,
        &actor,
        &now,
        &next.default_country.code(),
        &next.low_stock_units,
        &i64::from(next.pickup_number_required),
    ];
    db.write(UPDATE_SETTINGS, &params).await?;
    if next.reference_date != current.reference_date {
        customers::recount(db, &next.reference_date).await?;
    }
    let change = (actor, "settings.update", "settings", now.as_str());
    record_change(db, change, Some(&current), Some(&next)).await?;
    Ok(next)
}

/// The shop's secret, made now if this database has none yet (the first
/// instance to start makes it; the others read it).
pub async fn shop_secret<D: Db>(db: &D) -> Result<String, D::Error> {
    db.write(MAKE_SHOP_SECRET, &[&new_shop_secret()]).await?;
    db.one(SHOP_SECRET, &[], |row| row.value(0)).await
}

/// Deletes the idempotency answers older than `ttl` (a day when `ttl` is
/// out of range); answers how many.
pub async fn purge<D: Db>(db: &D, ttl: Duration) -> Result<usize, D::Error> {
    let ttl = chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::days(1));
    let oldest = time::format(chrono::Utc::now() - ttl);
    Ok(db.write(PURGE_IDEMPOTENCY_KEYS, &[&oldest]).await? as usize)
}

/// The row of `SETTINGS`.
pub(super) fn settings_row(row: &Row) -> Result<Settings, StoreError> {
    let country = shop_country(row.value(4)?, &row.value::<String>(3)?)?;
    Ok(Settings {
        order_limit_per_customer: row.value(0)?,
        low_stock_units: row.value(5)?,
        low_stock_percent: row.value(1)?,
        reference_date: row.value(2)?,
        default_country: country,
        default_country_code: country.calling_code(),
        pickup_number_required: row.value::<i64>(6)? != 0,
    })
}

/// The shop's country from its two columns (`Settings::stored_country`).
pub(super) fn shop_country(stored: Option<String>, code: &str) -> Result<Country, StoreError> {
    let stored = stored.as_deref();
    Settings::stored_country(stored, code)
        .ok_or_else(|| unknown_value("country", stored.unwrap_or_default()))
}

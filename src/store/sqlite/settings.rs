//! Settings on SQLite: one row, merged by admins and read by every checkout.

use rusqlite::{Connection, params};

use super::SqliteStore;
use super::customers::recount;
use super::rows::record_admin_action;
use crate::domain::settings::{Settings, SettingsPatch};
use crate::domain::time;
use crate::store::{Admin, StoreError};

impl SqliteStore {
    pub async fn settings(&self) -> Result<Settings, StoreError> {
        self.read(load_settings).await
    }

    pub async fn update_settings(
        &self,
        patch: SettingsPatch,
        actor: &Admin,
    ) -> Result<Settings, StoreError> {
        let actor = actor.name.clone();
        self.write(move |conn| {
            let current = load_settings(conn)?;
            let next = patch.apply_to(&current)?;
            let now = time::now();
            conn.prepare_cached(
                "update settings set order_limit_per_customer = ?1, low_stock_percent = ?2, reference_date = ?3,
                 default_country_code = ?4, updated_by = ?5, updated_at = ?6 where id = 1",
            )?
            .execute(params![
                next.order_limit_per_customer,
                next.low_stock_percent,
                next.reference_date,
                next.default_country_code,
                actor,
                now
            ])?;
            if next.reference_date != current.reference_date {
                recount(conn, &next.reference_date)?;
            }
            record_admin_action(conn, &actor, "settings.update", "settings", &now)?;
            Ok(next)
        })
        .await
    }

    pub async fn purge_idempotency_keys(&self) -> Result<usize, StoreError> {
        let ttl = chrono::Duration::from_std(self.config().idempotency_ttl)
            .unwrap_or(chrono::Duration::days(1));
        self.write(move |conn| {
            let oldest = time::format(chrono::Utc::now() - ttl);
            Ok(conn
                .prepare_cached("delete from idempotency_keys where created_at < ?1")?
                .execute([oldest])?)
        })
        .await
    }
}

pub fn load_settings(conn: &Connection) -> Result<Settings, StoreError> {
    Ok(conn
        .prepare_cached(
            "select order_limit_per_customer, low_stock_percent, reference_date, default_country_code
             from settings where id = 1",
        )?
        .query_row([], |row| {
            Ok(Settings {
                order_limit_per_customer: row.get(0)?,
                low_stock_percent: row.get(1)?,
                reference_date: row.get(2)?,
                default_country_code: row.get(3)?,
            })
        })?)
}

//! Settings on SQLite: one row, merged by admins and read by every checkout.

use rusqlite::{Connection, params};

use super::SqliteStore;
use super::customers::recount;
use super::rows::{one, record_admin_action};
use crate::domain::settings::{Settings, SettingsPatch};
use crate::domain::time;
use crate::store::settings::{
    PURGE_IDEMPOTENCY_KEYS, SETTINGS, SETTINGS_SUBJECT, SETTINGS_UPDATED, UPDATE_SETTINGS,
    oldest_kept_answer, settings_row,
};
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
            conn.prepare_cached(UPDATE_SETTINGS)?.execute(params![
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
            record_admin_action(conn, &actor, SETTINGS_UPDATED, SETTINGS_SUBJECT, &now)?;
            Ok(next)
        })
        .await
    }

    pub async fn purge_idempotency_keys(&self) -> Result<usize, StoreError> {
        let ttl = self.config().idempotency_ttl;
        self.write(move |conn| {
            let oldest = oldest_kept_answer(ttl);
            Ok(conn
                .prepare_cached(PURGE_IDEMPOTENCY_KEYS)?
                .execute([oldest])?)
        })
        .await
    }
}

pub fn load_settings(conn: &Connection) -> Result<Settings, StoreError> {
    one(conn, SETTINGS, [], |row| settings_row(row))
}

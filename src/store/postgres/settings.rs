//! Settings on PostgreSQL: one row, merged by admins and read by every checkout.

use deadpool_postgres::GenericClient;

use super::PgStore;
use super::customers::recount;
use super::rows::record_admin_action;
use super::sql::{execute, query_one};
use super::transaction::TxError;
use crate::domain::settings::{Settings, SettingsPatch};
use crate::domain::time;
use crate::store::{Admin, StoreError};

impl PgStore {
    pub async fn settings(&self) -> Result<Settings, StoreError> {
        self.read(&(), |client, ()| Box::pin(load_settings(client, false)))
            .await
    }

    pub async fn update_settings(
        &self,
        patch: SettingsPatch,
        actor: &Admin,
    ) -> Result<Settings, StoreError> {
        let data = (patch, actor.name.as_str());
        self.write(&data, |tx, (patch, actor)| {
            Box::pin(async move {
                // Locked, so that two admins' merges apply one after the other.
                let current = load_settings(tx, true).await?;
                let next = patch.apply_to(&current)?;
                let now = time::now();
                execute(
                    tx,
                    "update settings set order_limit_per_customer = $1, low_stock_percent = $2, reference_date = $3,
                     default_country_code = $4, updated_by = $5, updated_at = $6 where id = 1",
                    &[&next.order_limit_per_customer, &next.low_stock_percent, &next.reference_date,
                      &next.default_country_code, actor, &now],
                )
                .await?;
                if next.reference_date != current.reference_date {
                    recount(tx, &next.reference_date).await?;
                }
                record_admin_action(tx, actor, "settings.update", "settings", &now).await?;
                Ok(next)
            })
        })
        .await
    }

    pub async fn purge_idempotency_keys(&self) -> Result<usize, StoreError> {
        let ttl = chrono::Duration::from_std(self.config().idempotency_ttl)
            .unwrap_or(chrono::Duration::days(1));
        let oldest = time::format(chrono::Utc::now() - ttl);
        self.write(oldest.as_str(), |tx, oldest| {
            Box::pin(async move {
                let purged = execute(
                    tx,
                    "delete from idempotency_keys where created_at < $1",
                    &[&oldest],
                )
                .await?;
                Ok(purged as usize)
            })
        })
        .await
    }
}

/// The settings row, as `settings_of` reads it.
pub const SELECT_SETTINGS: &str = "select order_limit_per_customer, low_stock_percent,
    reference_date, default_country_code from settings where id = 1";

pub fn settings_of(row: &tokio_postgres::Row) -> Result<Settings, TxError> {
    Ok(Settings {
        order_limit_per_customer: row.try_get(0)?,
        low_stock_percent: row.try_get(1)?,
        reference_date: row.try_get(2)?,
        default_country_code: row.try_get(3)?,
    })
}

pub async fn load_settings<C: GenericClient>(client: &C, lock: bool) -> Result<Settings, TxError> {
    let sql = format!("{SELECT_SETTINGS}{}", if lock { " for update" } else { "" });
    settings_of(&query_one(client, &sql, &[]).await?)
}

//! Settings on PostgreSQL: one row, merged by admins and read by every checkout.

use deadpool_postgres::GenericClient;

use super::PgStore;
use super::customers::recount;
use super::rows::record_admin_action;
use super::sql::{execute, query_one};
use super::transaction::TxError;
use crate::domain::settings::{Settings, SettingsPatch};
use crate::domain::time;
use crate::store::settings::{
    PURGE_IDEMPOTENCY_KEYS, SETTINGS, SETTINGS_SUBJECT, SETTINGS_UPDATED, UPDATE_SETTINGS,
    oldest_kept_answer, settings_row,
};
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
                    UPDATE_SETTINGS,
                    &[
                        &next.order_limit_per_customer,
                        &next.low_stock_percent,
                        &next.reference_date,
                        &next.default_country_code,
                        actor,
                        &now,
                    ],
                )
                .await?;
                if next.reference_date != current.reference_date {
                    recount(tx, &next.reference_date).await?;
                }
                record_admin_action(tx, actor, SETTINGS_UPDATED, SETTINGS_SUBJECT, &now).await?;
                Ok(next)
            })
        })
        .await
    }

    pub async fn purge_idempotency_keys(&self) -> Result<usize, StoreError> {
        let oldest = oldest_kept_answer(self.config().idempotency_ttl);
        self.write(oldest.as_str(), |tx, oldest| {
            Box::pin(async move {
                let purged = execute(tx, PURGE_IDEMPOTENCY_KEYS, &[&oldest]).await?;
                Ok(purged as usize)
            })
        })
        .await
    }
}

/// The shop's settings; with `lock`, their row stays locked until the
/// transaction ends.
pub async fn load_settings<C: GenericClient>(client: &C, lock: bool) -> Result<Settings, TxError> {
    let row = if lock {
        query_one(client, &format!("{SETTINGS} for update"), &[]).await?
    } else {
        query_one(client, SETTINGS, &[]).await?
    };
    Ok(settings_row(&row)?)
}

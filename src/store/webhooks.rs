//! The owner's webhook endpoints and her notification channels, as rows.
//! Their secrets are kept here and read only by the delivery workers.

use super::admins::record_change;
use super::db::{Db, Param, Writes};
use super::row::Row;
use super::{Resource, StoreError};
use crate::domain::events::EventType;
use crate::domain::time;
use crate::domain::webhook::{NewWebhook, WEBHOOKS_MAX, Webhook};
use crate::domain::{FieldError, ValidationError};

const INSERT: &str = "insert into webhooks (id, url, events, description, secret, created_by,
    created_at) values ($1, $2, $3, $4, $5, $6, $7)";
const COUNT: &str = "select cast(count(*) as bigint) from webhooks";
const ALL: &str = "select id, url, events, description, created_at from webhooks
    order by created_at, id";
const ONE: &str = "select id, url, events, description, created_at from webhooks where id = $1";
const DELETE_DELIVERIES: &str = "delete from deliveries where webhook_id = $1";
const DELETE: &str = "delete from webhooks where id = $1";

const CHANNELS: &str = "select email, sms from notification_channels where id = 1";
const SET_CHANNELS: &str = "update notification_channels set email = $1, sms = $2,
    updated_by = $3, updated_at = $4 where id = 1";

/// Adds a webhook with its `secret`; refused past `WEBHOOKS_MAX`.
pub async fn create<D: Writes>(
    db: &D,
    new: &NewWebhook,
    secret: &str,
    actor: &str,
) -> Result<Webhook, D::Error> {
    let count: i64 = db.one(COUNT, &[], |row| row.value(0)).await?;
    if count >= WEBHOOKS_MAX {
        let full = FieldError::new(
            "url",
            format!(
                "La boutique a déjà {WEBHOOKS_MAX} webhooks : supprimez-en un avant d'en ajouter un."
            ),
            format!("The shop already has {WEBHOOKS_MAX} webhooks: delete one before adding one."),
        );
        return Err(StoreError::Invalid(ValidationError::one(full)).into());
    }
    let id = uuid::Uuid::now_v7().to_string();
    let now = time::now();
    let events = types_json(&new.events);
    let params: [&dyn Param; 7] = [
        &id,
        &new.url,
        &events,
        &new.description,
        &secret,
        &actor,
        &now,
    ];
    db.write(INSERT, &params).await?;
    let webhook = one(db, &id).await?;
    let change = (actor, "webhook.create", id.as_str(), now.as_str());
    record_change(db, change, None::<&Webhook>, Some(&webhook)).await?;
    Ok(webhook)
}

/// Every webhook, oldest first.
pub async fn all<D: Db>(db: &D) -> Result<Vec<Webhook>, D::Error> {
    db.all(ALL, &[], webhook_row).await
}

/// The webhook `id`.
pub async fn one<D: Db>(db: &D, id: &str) -> Result<Webhook, D::Error> {
    let found = db.first(ONE, &[&id], webhook_row).await?;
    Ok(found.ok_or_else(|| StoreError::not_found(Resource::Webhook, id))?)
}

/// Removes the webhook `id` and its deliveries.
pub async fn delete<D: Writes>(db: &D, id: &str, actor: &str) -> Result<(), D::Error> {
    let webhook = one(db, id).await?;
    db.write(DELETE_DELIVERIES, &[&id]).await?;
    db.write(DELETE, &[&id]).await?;
    let now = time::now();
    let change = (actor, "webhook.delete", id, now.as_str());
    record_change(db, change, Some(&webhook), None::<&Webhook>).await?;
    Ok(())
}

fn types_json(types: &[EventType]) -> String {
    let names: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
    serde_json::to_string(&names).unwrap_or_default()
}

fn webhook_row(row: &Row) -> Result<Webhook, StoreError> {
    let events: String = row.value(2)?;
    let names: Vec<String> = serde_json::from_str(&events)
        .map_err(|e| StoreError::Internal(format!("a webhook's events cannot be read: {e}")))?;
    Ok(Webhook {
        id: row.value(0)?,
        url: row.value(1)?,
        events: names.iter().filter_map(|n| EventType::parse(n)).collect(),
        description: row.value(3)?,
        created_at: row.value(4)?,
    })
}

/// The owner's channels as stored (JSON with their secrets), e-mail then SMS.
pub async fn channels<D: Db>(db: &D) -> Result<(Option<String>, Option<String>), D::Error> {
    db.one(CHANNELS, &[], |row| Ok((row.value(0)?, row.value(1)?)))
        .await
}

/// Replaces the owner's channels with `email` and `sms` (stored JSON).
pub async fn set_channels<D: Writes>(
    db: &D,
    email: Option<&str>,
    sms: Option<&str>,
    actor: &str,
) -> Result<(), D::Error> {
    let now = time::now();
    let params: [&dyn Param; 4] = [&email, &sms, &actor, &now];
    db.write(SET_CHANNELS, &params).await?;
    // Recorded without the channels' secrets: which channels are set.
    let set = |c: Option<&str>| c.is_some();
    let after = serde_json::json!({"email": set(email), "sms": set(sms)});
    let change = (actor, "notifications.update", "notifications", now.as_str());
    record_change(db, change, None::<&serde_json::Value>, Some(&after)).await?;
    Ok(())
}

//! The store's verbs of the outbox: events read back, numbered (on
//! PostgreSQL) and fanned out, deliveries claimed and finished, webhooks,
//! the owner's channels and the waitlist. Each one transaction.

use super::db::on_either;
use super::deliveries::{self, Claimed, NewDelivery};
use super::{Backend, Store, StoreError, events, waitlist, webhooks};
use crate::domain::admin::Admin;
use crate::domain::audit::AuditReport;
use crate::domain::delivery::{Attempt, Channel, Delivery};
use crate::domain::events::{Event, EventType};
use crate::domain::notifications::{NotificationSettings, Reveal};
use crate::domain::time;
use crate::domain::waitlist::Signup;
use crate::domain::webhook::{NewWebhook, Webhook};

pub use waitlist::{SignupRefused, VariantForMessage};

impl Store {
    /// Makes the events committed so far readable in id order: on
    /// PostgreSQL it numbers them (`postgres/events.rs`); SQLite's are.
    pub async fn publish_events(&self) -> Result<u64, StoreError> {
        match &self.0.backend {
            Backend::Sqlite(_) => Ok(0),
            Backend::Postgres(pg) => pg.number_events().await,
        }
    }

    /// Events after the id `after`, of `kind` when given, oldest first,
    /// at most `limit`; those committed before this call among them.
    pub async fn events_after(
        &self,
        after: i64,
        kind: Option<EventType>,
        limit: i64,
    ) -> Result<Vec<Event>, StoreError> {
        self.publish_events().await?;
        on_either!(read, self, (), |db, ()| events::after(
            db, after, kind, limit
        ))
    }

    /// Events after the id `after` as they stand, without numbering those
    /// committed since the workers last did (a live stream's poll).
    pub async fn published_events_after(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<Event>, StoreError> {
        on_either!(read, self, (), |db, ()| events::after(
            db, after, None, limit
        ))
    }

    /// The last event's id, 0 before the first.
    pub async fn last_event_id(&self) -> Result<i64, StoreError> {
        self.publish_events().await?;
        on_either!(read, self, (), |db, ()| events::last_id(db))
    }

    /// Whether there are events to fan out, and deliveries due: a read,
    /// so that an idle worker writes nothing.
    pub async fn outbox_work_waiting(&self) -> Result<(bool, bool), StoreError> {
        on_either!(read, self, (), |db, ()| deliveries::work_waiting(db))
    }

    /// Tells of the anomalies an audit found (`audit.anomaly`), unless the
    /// last such event named the same skus; answers whether it told.
    pub async fn note_audit(&self, report: &AuditReport) -> Result<bool, StoreError> {
        let skus = report.anomalous_skus();
        if skus.is_empty() {
            return Ok(false);
        }
        self.publish_events().await?;
        on_either!(write, self, skus, |db, skus| events::note_anomalies(
            db, skus
        ))
    }

    /// Queues the deliveries of the events not fanned out yet; answers how
    /// many events it fanned out.
    pub async fn fan_out_events(&self) -> Result<usize, StoreError> {
        on_either!(write, self, (), |db, ()| deliveries::fan_out(db))
    }

    /// The deliveries due now, each held by this worker for a lease.
    pub async fn claim_deliveries(&self) -> Result<Vec<Claimed>, StoreError> {
        on_either!(write, self, (), |db, ()| deliveries::claim(db))
    }

    /// Writes how an attempt went; `retry_at` is when to try again if it failed.
    pub async fn finish_delivery(
        &self,
        claimed: &Claimed,
        attempt: Attempt,
        retry_at: String,
    ) -> Result<(), StoreError> {
        let data = (claimed.clone(), attempt, retry_at);
        on_either!(write, self, data, |db, (claimed, attempt, retry_at)| {
            deliveries::finish(db, claimed, attempt, retry_at)
        })
    }

    /// Deliveries waiting to be sent.
    pub async fn delivery_backlog(&self) -> Result<i64, StoreError> {
        on_either!(read, self, (), |db, ()| deliveries::backlog(db))
    }

    /// Puts a failed delivery back in line now.
    pub async fn retry_delivery(&self, id: i64) -> Result<Delivery, StoreError> {
        on_either!(write, self, (), |db, ()| deliveries::retry(db, id))
    }

    /// The newest deliveries through the owner's `channel`.
    pub async fn channel_deliveries(
        &self,
        channel: Channel,
        limit: i64,
    ) -> Result<Vec<Delivery>, StoreError> {
        on_either!(read, self, (), |db, ()| deliveries::of_channel(
            db, channel, limit
        ))
    }

    // Webhooks.

    pub async fn create_webhook(
        &self,
        new: NewWebhook,
        secret: String,
        actor: &Admin,
    ) -> Result<Webhook, StoreError> {
        let data = (new, secret, actor.name.clone());
        on_either!(write, self, data, |db, (new, secret, actor)| {
            webhooks::create(db, new, secret, actor)
        })
    }

    pub async fn webhooks(&self) -> Result<Vec<Webhook>, StoreError> {
        on_either!(read, self, (), |db, ()| webhooks::all(db))
    }

    pub async fn webhook(&self, id: &str) -> Result<Webhook, StoreError> {
        let id = id.to_owned();
        on_either!(read, self, id, |db, id| webhooks::one(db, id))
    }

    pub async fn delete_webhook(&self, id: &str, actor: &Admin) -> Result<(), StoreError> {
        let data = (id.to_owned(), actor.name.clone());
        on_either!(write, self, data, |db, (id, actor)| webhooks::delete(
            db, id, actor
        ))
    }

    /// The newest deliveries to the webhook `id`; `NotFound` for an unknown one.
    pub async fn webhook_deliveries(
        &self,
        id: &str,
        limit: i64,
    ) -> Result<Vec<Delivery>, StoreError> {
        let id = id.to_owned();
        on_either!(read, self, id, |db, id| async move {
            webhooks::one(db, id).await?;
            deliveries::of_webhook(db, id, limit).await
        })
    }

    /// Queues `body` (a test event's JSON) to the webhook `id`; answers the delivery's id.
    pub async fn queue_webhook_test(&self, id: &str, body: String) -> Result<i64, StoreError> {
        let id = id.to_owned();
        on_either!(write, self, (id, body), |db, (id, body)| async move {
            webhooks::one(db, id).await?;
            let delivery = NewDelivery {
                channel: Channel::Webhook,
                webhook_id: Some(id.clone()),
                event_id: None,
                recipient: None,
                message: Some(body.clone()),
            };
            deliveries::insert(db, &delivery, &time::now()).await
        })
    }

    /// Queues `message` (JSON) to the owner's `channel` now, as a test;
    /// answers the delivery's id.
    pub async fn queue_channel_test(
        &self,
        channel: Channel,
        message: String,
    ) -> Result<i64, StoreError> {
        on_either!(write, self, message, |db, message| async move {
            let delivery = NewDelivery {
                channel,
                webhook_id: None,
                event_id: None,
                recipient: None,
                message: Some(message.clone()),
            };
            deliveries::insert(db, &delivery, &time::now()).await
        })
    }

    // The owner's channels.

    /// The owner's channels, with their secrets (for the workers; answers
    /// mask them). Settings that no longer read are off, and said so.
    pub async fn notification_settings(&self) -> Result<NotificationSettings, StoreError> {
        let country = self.settings().await?.default_country;
        let (email, sms) = on_either!(read, self, (), |db, ()| webhooks::channels(db))?;
        let stored = format!(
            "{{\"email\": {}, \"sms\": {}}}",
            email.as_deref().unwrap_or("null"),
            sms.as_deref().unwrap_or("null")
        );
        match NotificationSettings::from_stored_json(&stored, country) {
            Ok(settings) => Ok(settings),
            Err(error) => {
                tracing::error!(%error, "the notification settings do not read: channels off");
                Ok(NotificationSettings::default())
            }
        }
    }

    /// Replaces the owner's channels with `settings`.
    pub async fn set_notification_settings(
        &self,
        settings: &NotificationSettings,
        actor: &Admin,
    ) -> Result<(), StoreError> {
        let email = settings
            .email
            .as_ref()
            .and_then(|c| serde_json::to_string(&c.settings(Reveal::Secrets)).ok());
        let sms = settings
            .sms
            .as_ref()
            .and_then(|c| serde_json::to_string(&c.settings(Reveal::Secrets)).ok());
        let data = (email, sms, actor.name.clone());
        on_either!(write, self, data, |db, (email, sms, actor)| {
            webhooks::set_channels(db, email.as_deref(), sms.as_deref(), actor)
        })
    }

    /// What a message names of the sku `sku`: its product's title and
    /// page, its size and colour; `None` for an unknown sku.
    pub async fn variant_for_message(
        &self,
        sku: &str,
    ) -> Result<Option<VariantForMessage>, StoreError> {
        let sku = sku.to_owned();
        on_either!(read, self, sku, |db, sku| waitlist::variant_for_message(
            db, sku
        ))
    }

    // The waitlist.

    /// Adds a person to those waiting for a size of the product
    /// `id_or_slug` (active, the sku its own).
    pub async fn sign_up_waitlist(
        &self,
        id_or_slug: &str,
        signup: Signup,
    ) -> Result<Result<(), SignupRefused>, StoreError> {
        let product = self.public_product(id_or_slug).await?;
        let sku = signup.sku.as_str().to_owned();
        if !product.variants.iter().any(|v| v.sku == sku) {
            return Err(StoreError::not_found(super::Resource::Sku, sku));
        }
        on_either!(write, self, (sku, signup), |db, (sku, signup)| {
            waitlist::sign_up(db, sku, &signup.contact)
        })
    }

    /// Ends the signup whose unsubscribe link carries `token`.
    pub async fn unsubscribe_waitlist(&self, token: &str) -> Result<(), StoreError> {
        let token = token.to_owned();
        on_either!(write, self, token, |db, token| waitlist::unsubscribe(
            db, token
        ))
    }
}

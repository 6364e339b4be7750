//! One claimed delivery sent through its channel (`crate::notify`): the
//! event's JSON to a webhook, signed; the owner's e-mail or SMS written
//! from the event (the order, the variant, read now); a waiting buyer's
//! back-in-stock message, a buyer's preorder that arrived. Whatever goes wrong is an attempt that failed,
//! in words without secrets; a channel the owner removed since is given
//! up at once rather than retried for a day.

use std::sync::Arc;

use crate::config::Config;
use crate::domain::delivery::{Attempt, Channel};
use crate::domain::events::{Event, EventData};
use crate::domain::notifications::NotificationSettings;
use crate::domain::tokens::order_access_token;
use crate::domain::waitlist::WaitlistMessage;
use crate::notify::messages::{
    AnomalyNotice, BackInStock, Notice, OrderNotice, PreorderArrived, StockNotice, audit_link,
    back_in_stock_email, back_in_stock_sms, preorder_arrived_email, preorder_arrived_sms,
    product_link, test_email, test_sms,
};
use crate::notify::{NotifyError, Outbound, WebhookSecret, WebhookUrl, send_email, send_signed};
use crate::notify::{send_sms, send_webhook};
use crate::store::{Claimed, Store, Target, VariantForMessage};

/// Sends deliveries for one instance.
pub struct Sender {
    store: Store,
    config: Arc<Config>,
    outbound: Outbound,
}

/// Why an attempt failed: to retry later, or to give up now.
enum Failure {
    Retry { status: Option<u16>, error: String },
    GiveUp(String),
}

impl From<NotifyError> for Failure {
    fn from(error: NotifyError) -> Self {
        Failure::Retry {
            status: error.status(),
            error: error.to_string(),
        }
    }
}

impl From<crate::store::StoreError> for Failure {
    fn from(error: crate::store::StoreError) -> Self {
        Failure::Retry {
            status: None,
            error: format!("the store could not be read: {error}"),
        }
    }
}

impl Sender {
    pub fn new(store: Store, config: Arc<Config>) -> Sender {
        let outbound = Outbound::new(config.webhook_allow_private);
        Sender {
            store,
            config,
            outbound,
        }
    }

    /// Tests shorten the channels' deadlines.
    pub fn with_outbound(mut self, outbound: Outbound) -> Sender {
        self.outbound = outbound;
        self
    }

    /// One attempt at `claimed`.
    pub async fn send(&self, claimed: &Claimed) -> Attempt {
        match self.try_send(claimed).await {
            Ok(status) => Attempt::Delivered {
                response_status: status.map(i64::from),
            },
            Err(Failure::Retry { status, error }) => Attempt::Failed {
                response_status: status.map(i64::from),
                error,
            },
            Err(Failure::GiveUp(error)) => Attempt::GaveUp { error },
        }
    }

    async fn try_send(&self, claimed: &Claimed) -> Result<Option<u16>, Failure> {
        match &claimed.target {
            Target::Webhook { url, secret, .. } => self.to_webhook(claimed, url, secret).await,
            Target::Owner(channel) => self.to_owner(claimed, *channel).await,
            Target::Person { channel, recipient } => {
                self.to_person(claimed, *channel, recipient).await
            }
        }
    }

    async fn to_webhook(
        &self,
        claimed: &Claimed,
        url: &str,
        secret: &str,
    ) -> Result<Option<u16>, Failure> {
        // Read again: a server started since without
        // `--webhook-allow-private` refuses a private target saved before.
        let url = WebhookUrl::parse(url, self.outbound.allow_private)
            .map_err(|refused| Failure::GiveUp(refused.en))?;
        let secret = WebhookSecret::parse(secret)
            .ok_or_else(|| Failure::GiveUp("the webhook's stored secret does not read".into()))?;
        let sent = match (&claimed.event, &claimed.message) {
            (Some(event), _) => send_webhook(&url, &secret, event, &self.outbound).await?,
            (None, Some(test)) => {
                let id = format!("test-{}", claimed.id);
                send_signed(&url, &secret, &id, test, &self.outbound).await?
            }
            (None, None) => return Err(Failure::GiveUp("nothing to send".into())),
        };
        Ok(Some(sent.status))
    }

    async fn to_owner(&self, claimed: &Claimed, channel: Channel) -> Result<Option<u16>, Failure> {
        let settings = self.settings().await?;
        let shop_name = self.store.shop().await?.name;
        let public_url = self.config.public_url.origin();
        let (sms, email) = match &claimed.event {
            Some(event) => {
                let notice = self.notice(event).await?;
                (notice.sms(event.kind), notice.email(event.kind))
            }
            // A test from the settings page.
            None => (test_sms(&shop_name), test_email(&shop_name, &public_url)),
        };
        match channel {
            Channel::Email => {
                let email_channel = settings.email.as_ref().ok_or_else(removed)?;
                send_email(email_channel, email_channel.to(), &email, &self.outbound).await?;
                Ok(None)
            }
            Channel::Sms => {
                let sms_channel = settings.sms.as_ref().ok_or_else(removed)?;
                let mut status = None;
                for to in sms_channel.to() {
                    status = Some(
                        send_sms(sms_channel, to.as_str(), &sms, &self.outbound)
                            .await?
                            .status,
                    );
                }
                Ok(status)
            }
            Channel::Webhook => Err(Failure::GiveUp(
                "a webhook delivery without its webhook".into(),
            )),
        }
    }

    async fn to_person(
        &self,
        claimed: &Claimed,
        channel: Channel,
        recipient: &str,
    ) -> Result<Option<u16>, Failure> {
        let message: WaitlistMessage = claimed
            .message
            .as_deref()
            .and_then(|m| serde_json::from_str(m).ok())
            .ok_or_else(|| Failure::GiveUp("the queued message does not read".into()))?;
        let (sms_text, email_text) = match message {
            WaitlistMessage::BackInStock { sku, token } => {
                let item = self.back_in_stock(&sku, &token).await?;
                (back_in_stock_sms(&item), back_in_stock_email(&item))
            }
            WaitlistMessage::PreorderArrived {
                order_id,
                number,
                sku,
                allocated,
                quantity,
            } => {
                let variant = self.variant(&sku).await?;
                let token = order_access_token(self.store.shop_secret(), &order_id);
                let item = PreorderArrived {
                    shop_name: self.store.shop().await?.name,
                    number,
                    title: variant.title,
                    size: variant.size,
                    color: variant.color,
                    allocated,
                    quantity,
                    tracking_link: tracking_link(
                        &self.config.public_url.origin(),
                        &order_id,
                        &token,
                    ),
                };
                (preorder_arrived_sms(&item), preorder_arrived_email(&item))
            }
        };
        let settings = self.settings().await?;
        match channel {
            Channel::Sms => {
                let sms = settings.sms.as_ref().ok_or_else(removed)?;
                let sent = send_sms(sms, recipient, &sms_text, &self.outbound).await?;
                Ok(Some(sent.status))
            }
            Channel::Email => {
                let email = settings.email.as_ref().ok_or_else(removed)?;
                send_email(email, &[recipient.to_owned()], &email_text, &self.outbound).await?;
                Ok(None)
            }
            Channel::Webhook => Err(Failure::GiveUp("a person is not a webhook".into())),
        }
    }

    /// A waiting person's "back in stock" message about `sku`.
    async fn back_in_stock(&self, sku: &str, token: &str) -> Result<BackInStock, Failure> {
        let variant = self.variant(sku).await?;
        let public_url = self.config.public_url.origin();
        Ok(BackInStock {
            shop_name: self.store.shop().await?.name,
            title: variant.title,
            size: variant.size,
            color: variant.color,
            product_link: product_link(&public_url, &variant.slug),
            unsubscribe_link: unsubscribe_link(&public_url, token),
        })
    }

    /// What a message names of `sku`; given up when it no longer exists.
    async fn variant(&self, sku: &str) -> Result<VariantForMessage, Failure> {
        self.store
            .variant_for_message(sku)
            .await?
            .ok_or_else(|| Failure::GiveUp(format!("{sku} no longer exists")))
    }

    async fn settings(&self) -> Result<NotificationSettings, Failure> {
        Ok(self.store.notification_settings().await?)
    }

    /// What `event` tells the owner, with the details read now.
    async fn notice(&self, event: &Event) -> Result<Notice, Failure> {
        let public_url = self.config.public_url.origin();
        Ok(match &event.data {
            EventData::Order {
                order_id, status, ..
            } => {
                let order = self.store.desk_order(order_id).await?;
                let mut notice = OrderNotice::from_order(&order, &public_url);
                // The status the event tells, not the one the order has now.
                notice.status.clone_from(status);
                Notice::Order(notice)
            }
            EventData::Stock { sku, available } => {
                let variant = self.store.variant_for_message(sku).await?;
                let (title, size, color) = variant
                    .map(|v| (v.title, v.size, v.color))
                    .unwrap_or_else(|| (sku.clone(), String::new(), None));
                Notice::Stock(StockNotice::new(
                    &public_url,
                    sku,
                    &title,
                    &size,
                    color.as_deref(),
                    *available,
                ))
            }
            EventData::Anomaly { skus } => Notice::Anomaly(AnomalyNotice {
                skus: skus.clone(),
                link: audit_link(&public_url),
            }),
        })
    }
}

/// The owner removed the channel since the delivery was queued.
fn removed() -> Failure {
    Failure::GiveUp("the channel was removed from the settings".into())
}

/// The storefront's page that follows the order `order_id`, opened by its
/// access token (kept in the fragment, never sent to a server).
pub fn tracking_link(public_url: &str, order_id: &str, token: &str) -> String {
    format!(
        "{}/#/suivi/{order_id}/{token}",
        public_url.trim_end_matches('/')
    )
}

/// The storefront's page that ends a "Me prévenir" signup.
pub fn unsubscribe_link(public_url: &str, token: &str) -> String {
    format!(
        "{}/#/desinscription/{token}",
        public_url.trim_end_matches('/')
    )
}

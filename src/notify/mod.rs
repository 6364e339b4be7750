//! Notification channels: how an event leaves stockroom once the outbox's
//! delivery worker picks it up. Webhooks signed as Standard Webhooks to
//! targets checked against private addresses (`webhook.rs`, `target.rs`),
//! e-mail over SMTP (`email.rs`), SMS through the owner's HTTP gateway
//! (`sms.rs`), and the French texts they carry (`messages/`). No database,
//! no routes: each send is one attempt under a named deadline, and its
//! failure an error whose text holds no secret (`error.rs`).
//!
//! The delivery worker calls, for each event and channel:
//!
//! - [`send_webhook`] with the webhook's [`WebhookUrl`] (read again with
//!   [`WebhookUrl::parse`], so a server started without
//!   `--webhook-allow-private` refuses a private target saved before) and
//!   its [`WebhookSecret`];
//! - [`send_email`] with the channel of `domain::notifications` and the
//!   channel's recipients (or a buyer's address), and a text of
//!   [`messages`];
//! - [`send_sms`] once per number.

pub mod email;
pub mod error;
mod http;
pub mod messages;
pub mod sms;
pub mod target;
pub mod webhook;

use std::time::Duration;

pub use email::{SMTP_COMMAND_TIMEOUT, SMTP_TIMEOUT, send_email};
pub use error::NotifyError;
pub use http::Sent;
pub use sms::{SMS_TIMEOUT, send_sms};
pub use target::{WebhookUrl, is_public};
pub use webhook::{WEBHOOK_TIMEOUT, WebhookSecret, send_signed, send_webhook};

/// How stockroom names itself to webhooks and gateways.
const USER_AGENT: &str = concat!("stockroom/", env!("CARGO_PKG_VERSION"));

/// How stockroom reaches out: whether webhooks may go to private
/// addresses, and each channel's deadline. Tests shorten the deadlines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outbound {
    /// `--webhook-allow-private`: webhooks to loopback, private and
    /// reserved addresses are sent (tests, a shop's own network). SMS
    /// gateways and SMTP servers are the owner's own settings and are
    /// reached wherever they are.
    pub allow_private: bool,
    pub webhook_timeout: Duration,
    pub sms_timeout: Duration,
    /// The whole SMTP exchange.
    pub smtp_timeout: Duration,
    /// The SMTP connection and each command's answer.
    pub smtp_command_timeout: Duration,
}

impl Outbound {
    /// The named deadlines of each channel.
    pub fn new(allow_private: bool) -> Outbound {
        Outbound {
            allow_private,
            webhook_timeout: WEBHOOK_TIMEOUT,
            sms_timeout: SMS_TIMEOUT,
            smtp_timeout: SMTP_TIMEOUT,
            smtp_command_timeout: SMTP_COMMAND_TIMEOUT,
        }
    }
}

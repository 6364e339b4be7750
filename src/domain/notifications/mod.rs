//! The owner's notification channels, e-mail over SMTP and SMS through an
//! HTTP gateway, as values checked on construction: what `PUT
//! /api/v1/admin/notifications` takes, what it answers (every secret shown
//! as [`SECRET_MASK`]) and what the database keeps (secrets in clear).
//!
//! A `PUT` that sends [`SECRET_MASK`] back where the answer showed it keeps
//! the stored secret, so a page can send back what it was given. It keeps
//! it only while the secret goes to the same server over the same kind of
//! connection: a body that points the channel at another host, or drops
//! its TLS, must type the secret again, or one who holds an owner's
//! session could send the shop's password to a server of their own.

mod email;
mod email_checks;
mod events;
mod sms;
mod sms_checks;
mod template;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Deserializer, Serialize};

pub use email::{ADDRESS_CHARS_MAX, EmailChannel, EmailSettings, SmtpLogin, SmtpTls};
pub use email_checks::email_address;
pub use events::event_types;
pub use sms::{
    SMS_BODY_CHARS_MAX, SMS_HEADER_NAME_CHARS_MAX, SMS_HEADER_VALUE_CHARS_MAX, SMS_HEADERS_MAX,
    SMS_URL_CHARS_MAX, SmsChannel, SmsMethod, SmsRequest, SmsSettings,
};
pub use template::{SmsBodyKind, masked_url, url_component};

use super::events::EventType;
use super::invalid::{Checker, ValidationError};
use super::phone::Country;

/// What an answer shows in place of a secret; sent back in a `PUT`, it
/// keeps the secret stored.
pub const SECRET_MASK: &str = "********";

/// Recipients of one channel: the owner and a few of the staff, not a
/// mailing list.
pub const RECIPIENTS_MAX: usize = 10;

/// Whether a channel's settings are written for an answer (secrets masked)
/// or for the database (secrets in clear).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reveal {
    Masked,
    Secrets,
}

/// A password or a gateway header's value: usable by the senders, never
/// shown by `Debug`, so never in a log line.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretText(String);

impl SecretText {
    pub fn new(value: impl Into<String>) -> SecretText {
        SecretText(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    fn shown(&self, reveal: Reveal) -> String {
        match reveal {
            Reveal::Masked => SECRET_MASK.to_owned(),
            Reveal::Secrets => self.0.clone(),
        }
    }
}

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"***\"")
    }
}

/// The body of `PUT /api/v1/admin/notifications`, its answer (secrets
/// masked) and the form the database keeps (secrets in clear): one shape
/// for the three.
#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NotificationsBody {
    /// The e-mail channel: `null` removes it; absent from a `PUT`, it stays
    /// as it is.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<EmailSettings>)]
    pub email: Option<Option<EmailSettings>>,
    /// The SMS channel: `null` removes it; absent from a `PUT`, it stays as
    /// it is.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<SmsSettings>)]
    pub sms: Option<Option<SmsSettings>>,
}

fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// The channels the shop notifies through, each checked; none by default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NotificationSettings {
    pub email: Option<EmailChannel>,
    pub sms: Option<SmsChannel>,
}

impl NotificationsBody {
    /// The settings after this `PUT`: each channel given replaces the
    /// current one (`null` removes it), a masked secret keeps the current
    /// one's. Every field is checked and each refusal names its field
    /// (`email.to[1]`, `sms.headers.Authorization`); phones are read for
    /// the shop's `country`.
    pub fn apply_to(
        &self,
        current: &NotificationSettings,
        country: Country,
    ) -> Result<NotificationSettings, ValidationError> {
        let mut checker = Checker::default();
        let mut next = current.clone();
        if let Some(email) = &self.email {
            next.email = email
                .as_ref()
                .and_then(|e| EmailChannel::check_into(e, current.email.as_ref(), &mut checker));
        }
        if let Some(sms) = &self.sms {
            next.sms = sms.as_ref().and_then(|s| {
                SmsChannel::check_into(s, current.sms.as_ref(), country, &mut checker)
            });
        }
        checker.finish()?;
        Ok(next)
    }
}

/// Settings the database holds that no longer read as settings: the
/// channels are then off until the owner saves them again.
#[derive(Debug, thiserror::Error)]
pub enum StoredSettingsError {
    #[error("stored notification settings are not JSON of their shape: {0}")]
    Json(#[from] serde_json::Error),
    #[error("stored notification settings break a rule: {0}")]
    Invalid(#[from] ValidationError),
}

impl NotificationSettings {
    /// What `GET` and `PUT /api/v1/admin/notifications` answer: every
    /// secret shown as [`SECRET_MASK`].
    pub fn answer(&self) -> NotificationsBody {
        self.body(Reveal::Masked)
    }

    /// The JSON the database keeps, secrets in clear (the store is where
    /// secrets live; it never logs them).
    pub fn to_stored_json(&self) -> String {
        // Strings, integers and lists of them always serialize.
        serde_json::to_string(&self.body(Reveal::Secrets)).unwrap_or_default()
    }

    /// Settings as [`NotificationSettings::to_stored_json`] wrote them,
    /// checked again (phones for the shop's `country`).
    pub fn from_stored_json(
        json: &str,
        country: Country,
    ) -> Result<NotificationSettings, StoredSettingsError> {
        let body: NotificationsBody = serde_json::from_str(json)?;
        let mut checker = Checker::default();
        let email = body
            .email
            .flatten()
            .and_then(|e| EmailChannel::check_into(&e, None, &mut checker));
        let sms = body
            .sms
            .flatten()
            .and_then(|s| SmsChannel::check_into(&s, None, country, &mut checker));
        checker.finish()?;
        Ok(NotificationSettings { email, sms })
    }

    /// The e-mail channel, if there is one and it sends events of `kind`.
    pub fn email_for(&self, kind: EventType) -> Option<&EmailChannel> {
        self.email.as_ref().filter(|c| c.sends(kind))
    }

    /// The SMS channel, if there is one and it sends events of `kind`.
    pub fn sms_for(&self, kind: EventType) -> Option<&SmsChannel> {
        self.sms.as_ref().filter(|c| c.sends(kind))
    }

    fn body(&self, reveal: Reveal) -> NotificationsBody {
        NotificationsBody {
            email: Some(self.email.as_ref().map(|c| c.settings(reveal))),
            sms: Some(self.sms.as_ref().map(|c| c.settings(reveal))),
        }
    }
}

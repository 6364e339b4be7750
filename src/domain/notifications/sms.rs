//! The SMS channel: an HTTP gateway described by the owner (Orange,
//! Twilio, a local aggregator, a phone on the shop's network), the numbers
//! it texts and for which events.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::events::event_types;
use super::sms_checks::{Templates, gateway_url, headers, method, origin_of, phones};
use super::template::{self, SmsBodyKind, fill, url_component};
use super::{Reveal, SecretText};
use crate::domain::events::EventType;
use crate::domain::invalid::{Checker, FieldError, ValidationError, optional_text};
use crate::domain::phone::{Country, Phone};

/// The gateway's URL template.
pub const SMS_URL_CHARS_MAX: usize = 2000;
/// The body template.
pub const SMS_BODY_CHARS_MAX: usize = 2000;
/// Headers the owner may add (an `Authorization`, a key, a `Content-Type`).
pub const SMS_HEADERS_MAX: usize = 16;
pub const SMS_HEADER_NAME_CHARS_MAX: usize = 64;
/// Long enough for a JWT bearer token.
pub const SMS_HEADER_VALUE_CHARS_MAX: usize = 4096;

/// How the gateway is called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmsMethod {
    Get,
    Post,
}

impl SmsMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            SmsMethod::Get => "GET",
            SmsMethod::Post => "POST",
        }
    }
}

/// The SMS channel as the API reads and shows it, and as it is stored.
#[derive(Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SmsSettings {
    /// `http` or `https`; `{to}` and `{message}` may stand in its path or
    /// query, percent-encoded. Query values are shown as `********`, but
    /// for those holding a placeholder.
    #[schema(example = "https://sms.example.ci/send?apikey=KEY&to={to}&text={message}")]
    pub url: Option<String>,
    /// `GET` or `POST` (the default).
    #[schema(example = "POST")]
    pub method: Option<String>,
    /// Sent as they are; every value is shown as `********`, and sent back
    /// as `********` keeps the stored one (while the URL's host stays the same).
    pub headers: Option<BTreeMap<String, String>>,
    /// With `{to}` and `{message}`: JSON-escaped in a JSON body, encoded as
    /// a form value in a form, as they are in text. A `Content-Type` header
    /// names the kind; without one, a body starting with `{` or `[` is
    /// JSON, `name=value&…` a form, anything else text.
    #[schema(example = r#"{"to": "{to}", "text": "{message}"}"#)]
    pub body: Option<String>,
    /// The shop's numbers to text: 1 to 10, stored in E.164 form.
    pub to: Option<Vec<String>>,
    /// The event types this channel sends (`order.created`…).
    pub events: Option<Vec<String>>,
}

impl std::fmt::Debug for SmsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers = self
            .headers
            .as_ref()
            .map(|h| h.keys().map(|k| (k.as_str(), "***")).collect::<Vec<_>>());
        f.debug_struct("SmsSettings")
            .field("url", &self.url.as_deref().map(template::masked_url))
            .field("method", &self.method)
            .field("headers", &headers)
            .field("body", &self.body)
            .field("to", &self.to)
            .field("events", &self.events)
            .finish()
    }
}

/// A checked SMS channel: a URL that is one once filled, a body its
/// gateway can read, numbers that are numbers, events that exist.
#[derive(Clone, PartialEq, Eq)]
pub struct SmsChannel {
    pub(super) url: String,
    method: SmsMethod,
    pub(super) headers: Vec<(String, SecretText)>,
    body: String,
    body_kind: SmsBodyKind,
    to: Vec<Phone>,
    events: Vec<EventType>,
}

impl std::fmt::Debug for SmsChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsChannel")
            .field("url", &template::masked_url(&self.url))
            .field("method", &self.method)
            .field("headers", &self.headers)
            .field("body", &self.body)
            .field("to", &self.to)
            .field("events", &self.events)
            .finish()
    }
}

/// One text to send: the request the gateway receives.
#[derive(Clone, PartialEq, Eq)]
pub struct SmsRequest {
    pub method: SmsMethod,
    pub url: String,
    /// The owner's headers, and a `Content-Type` when there is a body and
    /// they named none.
    pub headers: Vec<(String, SecretText)>,
    pub body: Option<String>,
}

impl std::fmt::Debug for SmsRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsRequest")
            .field("method", &self.method)
            .field("url", &template::masked_url(&self.url))
            .field("headers", &self.headers)
            .field("body", &self.body)
            .finish()
    }
}

impl SmsChannel {
    /// The channel `settings` describe, with no stored channel to keep a
    /// masked secret from: for tests and tools; a `PUT` goes through
    /// [`super::NotificationsBody::apply_to`].
    pub fn check(settings: &SmsSettings, country: Country) -> Result<SmsChannel, ValidationError> {
        let mut checker = Checker::default();
        let channel = SmsChannel::check_into(settings, None, country, &mut checker);
        checker.finish()?;
        channel.ok_or_else(|| ValidationError::one(FieldError::required("sms")))
    }

    /// The channel, or `None` with every refusal in `checker`; masked
    /// secrets are taken from `kept` when the URL keeps its origin.
    pub(super) fn check_into(
        settings: &SmsSettings,
        kept: Option<&SmsChannel>,
        country: Country,
        checker: &mut Checker,
    ) -> Option<SmsChannel> {
        let url = gateway_url(settings.url.as_deref(), kept, checker);
        let method = checker.check(method(settings.method.as_deref()));
        let origin = url.as_deref().and_then(origin_of);
        let kept = kept.filter(|k| origin.is_some() && origin_of(&k.url) == origin);
        let headers = headers(settings.headers.as_ref(), kept, checker);
        let body = checker.check(optional_text(
            "sms.body",
            settings.body.as_deref(),
            SMS_BODY_CHARS_MAX,
            true,
        ));
        let to = phones(settings.to.as_deref(), country, checker);
        let events = event_types("sms.events", settings.events.as_deref(), checker);
        let (url, method, headers, body) = (url?, method?, headers?, body?.unwrap_or_default());
        let content_type = headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map(|(_, value)| value.expose());
        let body_kind = SmsBodyKind::of(content_type, &body);
        let templates = Templates {
            url: &url,
            method,
            body: &body,
            kind: body_kind,
        };
        if let Err(error) = templates.check() {
            checker.push(error);
            return None;
        }
        Some(SmsChannel {
            url,
            method,
            headers,
            body,
            body_kind,
            to: to?,
            events,
        })
    }

    /// The settings as an answer shows them or as the database keeps them.
    pub fn settings(&self, reveal: Reveal) -> SmsSettings {
        let url = match reveal {
            Reveal::Masked => template::masked_url(&self.url),
            Reveal::Secrets => self.url.clone(),
        };
        SmsSettings {
            url: Some(url),
            method: Some(self.method.as_str().to_owned()),
            headers: Some(
                self.headers
                    .iter()
                    .map(|(name, value)| (name.clone(), value.shown(reveal)))
                    .collect(),
            ),
            body: Some(self.body.clone()),
            to: Some(self.to.iter().map(|p| p.as_str().to_owned()).collect()),
            events: Some(self.events.iter().map(|e| e.as_str().to_owned()).collect()),
        }
    }

    /// The request that texts `message` to `to` (E.164): the templates
    /// filled, each value encoded for where it lands.
    pub fn request(&self, to: &str, message: &str) -> SmsRequest {
        let url = fill(&self.url, to, message, url_component);
        let mut headers = self.headers.clone();
        let body = match self.method {
            SmsMethod::Get => None,
            SmsMethod::Post if self.body.is_empty() => None,
            SmsMethod::Post => {
                let named = headers
                    .iter()
                    .any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
                if !named {
                    let content_type = self.body_kind.content_type();
                    headers.push(("Content-Type".to_owned(), SecretText::new(content_type)));
                }
                let kind = self.body_kind;
                Some(fill(&self.body, to, message, |v| kind.encode(v)))
            }
        };
        SmsRequest {
            method: self.method,
            url,
            headers,
            body,
        }
    }

    pub fn method(&self) -> SmsMethod {
        self.method
    }

    pub fn body_kind(&self) -> SmsBodyKind {
        self.body_kind
    }

    /// The shop's numbers to text.
    pub fn to(&self) -> &[Phone] {
        &self.to
    }

    pub fn events(&self) -> &[EventType] {
        &self.events
    }

    pub fn sends(&self, kind: EventType) -> bool {
        self.events.contains(&kind)
    }
}

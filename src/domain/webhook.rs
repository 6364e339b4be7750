//! The owner's webhook endpoints: where each is, which event types it
//! receives, and the request that creates one, checked. Whether its host
//! is on a private network is checked by `notify::target`, which resolves it.

use serde::{Deserialize, Serialize};
use url::Url;

use super::events::EventType;
use super::invalid::{Checker, FieldError, ValidationError, optional_text};

/// The longest webhook URL.
pub const WEBHOOK_URL_CHARS_MAX: usize = 2000;
/// The longest description.
pub const WEBHOOK_DESCRIPTION_CHARS_MAX: usize = 200;
/// Webhook endpoints a shop may have.
pub const WEBHOOKS_MAX: i64 = 20;

/// A webhook endpoint as the API shows it (its secret only once, at creation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Webhook {
    pub id: String,
    pub url: String,
    pub events: Vec<EventType>,
    pub description: String,
    pub created_at: String,
}

/// The body of `POST /api/v1/admin/webhooks`.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookRequest {
    pub url: String,
    /// Event types, by name (`order.created`…); at least one.
    pub events: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A webhook request, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewWebhook {
    pub url: Url,
    pub events: Vec<EventType>,
    pub description: String,
}

impl WebhookRequest {
    pub fn check(&self) -> Result<NewWebhook, ValidationError> {
        let mut checker = Checker::default();
        let url = checker.check(check_url("url", &self.url));
        let events = checker.check(event_types("events", &self.events));
        let description = checker.check(optional_text(
            "description",
            self.description.as_deref(),
            WEBHOOK_DESCRIPTION_CHARS_MAX,
            false,
        ));
        checker.finish()?;
        match (url, events, description) {
            (Some(url), Some(events), Some(description)) => Ok(NewWebhook {
                url,
                events,
                description: description.unwrap_or_default(),
            }),
            _ => Err(ValidationError(Vec::new())),
        }
    }
}

/// An http or https URL with a host and no user name or password in it.
pub fn check_url(field: &str, raw: &str) -> Result<Url, FieldError> {
    let refused = |fr: &str, en: &str| FieldError::new(field, fr, en);
    if raw.chars().count() > WEBHOOK_URL_CHARS_MAX {
        return Err(FieldError::too_long(field, WEBHOOK_URL_CHARS_MAX));
    }
    let url = Url::parse(raw.trim()).map_err(|_| {
        refused(
            "Cette adresse n'est pas une URL complète (exemple : https://exemple.ci/webhooks).",
            "This is not a full URL (for example https://example.ci/webhooks).",
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(refused(
            "L'adresse doit commencer par https:// (ou http://).",
            "The URL must start with https:// (or http://).",
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(refused(
            "L'adresse doit nommer un serveur (exemple : https://exemple.ci/webhooks).",
            "The URL must name a host (for example https://example.ci/webhooks).",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refused(
            "L'adresse ne doit pas contenir de nom d'utilisateur ni de mot de passe.",
            "The URL must not carry a user name or a password.",
        ));
    }
    Ok(url)
}

/// Event types by name, at least one, each known; repeats are dropped.
pub fn event_types(field: &str, names: &[String]) -> Result<Vec<EventType>, FieldError> {
    if names.is_empty() {
        return Err(FieldError::new(
            field,
            "Choisissez au moins un type d'événement.",
            "Choose at least one event type.",
        ));
    }
    let mut types = Vec::with_capacity(names.len());
    for name in names {
        let Some(kind) = EventType::parse(name.trim()) else {
            let known: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
            return Err(FieldError::new(
                field,
                format!(
                    "Le type d'événement « {name} » n'existe pas (types : {}).",
                    known.join(", ")
                ),
                format!(
                    "The event type `{name}` does not exist (types: {}).",
                    known.join(", ")
                ),
            ));
        };
        if !types.contains(&kind) {
            types.push(kind);
        }
    }
    Ok(types)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str, events: &[&str]) -> WebhookRequest {
        WebhookRequest {
            url: url.into(),
            events: events.iter().map(|e| e.to_string()).collect(),
            description: None,
        }
    }

    #[test]
    fn a_valid_request_names_its_types_once() {
        let checked = request(
            "https://exemple.ci/hook",
            &["order.created", "order.created"],
        )
        .check()
        .expect("valid");
        assert_eq!(checked.events, [EventType::OrderCreated]);
    }

    #[test]
    fn bad_urls_and_types_are_named() {
        for url in [
            "ftp://exemple.ci/x",
            "exemple.ci/hook",
            "https://user:pw@exemple.ci/",
            "file:///etc/passwd",
        ] {
            let error = request(url, &["order.created"]).check().expect_err(url);
            assert_eq!(error.0[0].field, "url", "{url}");
        }
        let error = request("https://exemple.ci", &["order.shipped"])
            .check()
            .expect_err("unknown type");
        assert!(error.0[0].fr.contains("order.shipped"));
        assert!(request("https://exemple.ci", &[]).check().is_err());
    }
}

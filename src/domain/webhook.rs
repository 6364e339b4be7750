//! The owner's webhook endpoints: where each is, which event types it
//! receives, and the request that creates one, checked. Its URL is checked
//! by `notify::target` (a public http(s) host, resolved), which the
//! request's check is given.

use serde::{Deserialize, Serialize};

use super::events::EventType;
use super::invalid::{Checker, FieldError, ValidationError, optional_text};

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
    pub url: String,
    pub events: Vec<EventType>,
    pub description: String,
}

impl WebhookRequest {
    /// The request checked, its `url` as `notify::target` found it.
    pub fn check(&self, url: Result<String, FieldError>) -> Result<NewWebhook, ValidationError> {
        let mut checker = Checker::default();
        let url = checker.check(url);
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

    fn request(events: &[&str]) -> WebhookRequest {
        WebhookRequest {
            url: "https://exemple.ci/hook".into(),
            events: events.iter().map(|e| e.to_string()).collect(),
            description: None,
        }
    }

    #[test]
    fn a_valid_request_names_its_types_once() {
        let checked = request(&["order.created", "order.created"])
            .check(Ok("https://exemple.ci/hook".into()))
            .expect("valid");
        assert_eq!(checked.events, [EventType::OrderCreated]);
    }

    #[test]
    fn every_refusal_is_named_at_once() {
        let bad_url = FieldError::new("url", "non", "no");
        let error = request(&["order.shipped"])
            .check(Err(bad_url))
            .expect_err("refused");
        let fields: Vec<&str> = error.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["url", "events"]);
        assert!(error.0[1].fr.contains("order.shipped"));
        assert!(request(&[]).check(Ok("https://exemple.ci".into())).is_err());
    }
}

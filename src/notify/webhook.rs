//! Webhooks as Standard Webhooks sends them: the event's JSON POSTed with
//! `webhook-id` (the event id, the receiver's de-duplication key),
//! `webhook-timestamp` (Unix seconds) and `webhook-signature` (`v1,` then
//! the base64 HMAC-SHA256 of `id.timestamp.body` under the endpoint's key).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::Outbound;
use super::error::NotifyError;
use super::http::{Outgoing, Sent};
use super::target::{WebhookUrl, resolve};
use crate::domain::events::Event;

/// How long a webhook's receiver has to answer, from the name's
/// resolution to the status line.
pub const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);
/// What a webhook's secret starts with.
pub const WEBHOOK_SECRET_PREFIX: &str = "whsec_";
/// The bytes of a new secret's key.
const KEY_BYTES: usize = 32;
/// Keys read back may be of any length Standard Webhooks allows.
const KEY_BYTES_RANGE: std::ops::RangeInclusive<usize> = 24..=64;

/// A webhook endpoint's HMAC key; `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(Vec<u8>);

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(\"***\")")
    }
}

impl WebhookSecret {
    /// A new secret of 32 random bytes.
    pub fn generate() -> WebhookSecret {
        let key: [u8; KEY_BYTES] = rand::random();
        WebhookSecret(key.to_vec())
    }

    /// The secret as shown once and stored: `whsec_` then the key in
    /// standard base64, with padding.
    pub fn parse(text: &str) -> Option<WebhookSecret> {
        let key = STANDARD
            .decode(text.strip_prefix(WEBHOOK_SECRET_PREFIX)?)
            .ok()?;
        KEY_BYTES_RANGE
            .contains(&key.len())
            .then_some(WebhookSecret(key))
    }

    /// `whsec_…`: shown to the owner once, when the webhook is created,
    /// and kept by the store.
    pub fn expose(&self) -> String {
        format!("{WEBHOOK_SECRET_PREFIX}{}", STANDARD.encode(&self.0))
    }

    /// The `webhook-signature` of `body` sent as message `id` at `timestamp`.
    pub fn sign(&self, id: &str, timestamp: i64, body: &str) -> String {
        format!("v1,{}", STANDARD.encode(self.mac(id, timestamp, body)))
    }

    /// Whether one of the space-separated signatures of `header` is this
    /// key's, compared in constant time: what a receiver does.
    pub fn verify(&self, id: &str, timestamp: i64, body: &str, header: &str) -> bool {
        let expected = self.mac(id, timestamp, body);
        header
            .split(' ')
            .filter_map(|one| one.strip_prefix("v1,"))
            .filter_map(|b64| STANDARD.decode(b64).ok())
            .any(|given| bool::from(given.ct_eq(&expected)))
    }

    fn mac(&self, id: &str, timestamp: i64, body: &str) -> Vec<u8> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .expect("HMAC takes a key of any length");
        mac.update(format!("{id}.{timestamp}.").as_bytes());
        mac.update(body.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

/// Delivers `event` to a webhook: its JSON, signed.
pub async fn send_webhook(
    url: &WebhookUrl,
    secret: &WebhookSecret,
    event: &Event,
    outbound: &Outbound,
) -> Result<Sent, NotifyError> {
    send_signed(
        url,
        secret,
        &event.id.to_string(),
        &event.to_json(),
        outbound,
    )
    .await
}

/// POSTs `body` as message `id`, signed: the host resolved and checked
/// (unless `outbound.allow_private`), the request sent to exactly the
/// addresses checked, within `outbound.webhook_timeout` in all.
pub async fn send_signed(
    url: &WebhookUrl,
    secret: &WebhookSecret,
    id: &str,
    body: &str,
    outbound: &Outbound,
) -> Result<Sent, NotifyError> {
    let timeout = outbound.webhook_timeout;
    let work = async {
        let addresses = resolve(url.url(), outbound.allow_private).await?;
        let timestamp = unix_seconds();
        let signature = secret.sign(id, timestamp, body);
        let timestamp = timestamp.to_string();
        Outgoing {
            method: reqwest::Method::POST,
            url: url.url(),
            headers: vec![
                ("content-type", "application/json"),
                ("user-agent", super::USER_AGENT),
                ("webhook-id", id),
                ("webhook-timestamp", &timestamp),
                ("webhook-signature", &signature),
            ],
            body: Some(body.to_owned()),
            timeout,
            pinned: Some(&addresses),
            secrets: Vec::new(),
        }
        .send()
        .await
    };
    tokio::time::timeout(timeout, work)
        .await
        .unwrap_or_else(|_| {
            Err(NotifyError::Timeout {
                target: url.shown(),
                after: timeout,
            })
        })
}

fn unix_seconds() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_one_standard_webhooks_publishes() {
        // The example of the Standard Webhooks specification.
        let secret =
            WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("secret");
        let body = r#"{"test": 2432232314}"#;
        let signature = secret.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        let header = format!("v1,bm90IGl0 {signature}");
        assert!(secret.verify("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, &header));
        assert!(!secret.verify("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331, body, &header));
        assert!(!secret.verify("msg_other", 1614265330, body, &signature));
    }

    #[test]
    fn a_new_secret_is_32_random_bytes_in_standard_base64_with_padding() {
        let secret = WebhookSecret::generate();
        let text = secret.expose();
        assert!(text.starts_with("whsec_"));
        assert_eq!(text.len(), "whsec_".len() + 44);
        assert!(text.ends_with('='));
        assert_eq!(WebhookSecret::parse(&text), Some(secret.clone()));
        assert_ne!(WebhookSecret::generate(), secret);
        assert_eq!(format!("{secret:?}"), "WebhookSecret(\"***\")");
    }

    #[test]
    fn a_secret_that_is_not_one_is_not_read() {
        for text in [
            "",
            "whsec_",
            "whsec_!!!",
            "sk_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "whsec_AAAA",
        ] {
            assert_eq!(WebhookSecret::parse(text), None, "{text}");
        }
    }
}

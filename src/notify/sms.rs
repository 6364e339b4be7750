//! Texts through the owner's HTTP gateway: the channel's templates filled
//! (`domain::notifications` says how each value is encoded), one request
//! per number, a success being a 2xx within [`SMS_TIMEOUT`].
//!
//! The gateway is reached wherever the owner says, a private network
//! included (an aggregator on the shop's network, a phone running a
//! gateway app): unlike a webhook, it is not checked against private
//! addresses. It never follows a redirect.

use std::time::Duration;

use super::Outbound;
use super::error::{NotifyError, shown_url};
use super::http::{Outgoing, Sent};
use crate::domain::notifications::{SmsChannel, SmsMethod};

/// How long the gateway has to answer one text.
pub const SMS_TIMEOUT: Duration = Duration::from_secs(10);

/// Texts `message` to `to` (E.164) through `channel`'s gateway.
pub async fn send_sms(
    channel: &SmsChannel,
    to: &str,
    message: &str,
    outbound: &Outbound,
) -> Result<Sent, NotifyError> {
    let request = channel.request(to, message);
    // The channel's check filled and parsed this template already.
    let url = url::Url::parse(&request.url).map_err(|_| NotifyError::Message {
        detail: "the gateway's URL does not parse once filled".to_owned(),
    })?;
    let target = shown_url(&url);
    let query_values: Vec<&str> = url
        .query()
        .unwrap_or_default()
        .split('&')
        .filter_map(|pair| pair.split_once('=').map(|(_, v)| v))
        .collect();
    let mut secrets: Vec<&str> = request.headers.iter().map(|(_, v)| v.expose()).collect();
    secrets.extend(query_values);
    let method = match request.method {
        SmsMethod::Get => reqwest::Method::GET,
        SmsMethod::Post => reqwest::Method::POST,
    };
    let mut headers: Vec<(&str, &str)> = vec![("user-agent", super::USER_AGENT)];
    headers.extend(
        request
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.expose())),
    );
    let timeout = outbound.sms_timeout;
    let sending = Outgoing {
        method,
        url: &url,
        headers,
        body: request.body.clone(),
        timeout,
        pinned: None,
        secrets,
    }
    .send();
    tokio::time::timeout(timeout, sending)
        .await
        .unwrap_or(Err(NotifyError::Timeout {
            target,
            after: timeout,
        }))
}

//! One HTTP request to a webhook or an SMS gateway: sent under a deadline,
//! never through a proxy, never following a redirect, to the addresses
//! that were checked; a success is a 2xx.

use std::net::SocketAddr;
use std::time::Duration;

use url::{Host, Url};

use super::error::{NotifyError, causes, is_tls_failure, scrubbed, shown_url};

/// What a receiver answered to a delivery that succeeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sent {
    /// The HTTP status (a 2xx).
    pub status: u16,
}

/// One request about to be sent; `secrets` are the values an error's text
/// must never repeat.
pub(super) struct Outgoing<'a> {
    pub method: reqwest::Method,
    pub url: &'a Url,
    pub headers: Vec<(&'a str, &'a str)>,
    pub body: Option<String>,
    pub timeout: Duration,
    /// The checked addresses to connect to, for a host that is a name.
    pub pinned: Option<&'a [SocketAddr]>,
    pub secrets: Vec<&'a str>,
}

impl Outgoing<'_> {
    /// Sends the request. The client is built for this one request: it
    /// pins the host's name to the addresses checked a moment ago, which a
    /// shared client's resolver could not.
    pub async fn send(self) -> Result<Sent, NotifyError> {
        let target = shown_url(self.url);
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(self.timeout)
            .connect_timeout(self.timeout)
            .pool_max_idle_per_host(0);
        if let (Some(addresses), Some(Host::Domain(name))) = (self.pinned, self.url.host()) {
            builder = builder.resolve_to_addrs(name, addresses);
        }
        let client = builder.build().map_err(|e| self.failure(&target, e))?;
        let mut request = client.request(self.method.clone(), self.url.clone());
        for (name, value) in &self.headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = self.body.clone() {
            request = request.body(body);
        }
        let answer = request.send().await.map_err(|e| self.failure(&target, e))?;
        let status = answer.status().as_u16();
        if answer.status().is_success() {
            Ok(Sent { status })
        } else {
            Err(NotifyError::Status { target, status })
        }
    }

    fn failure(&self, target: &str, error: reqwest::Error) -> NotifyError {
        let target = target.to_owned();
        if error.is_timeout() {
            return NotifyError::Timeout {
                target,
                after: self.timeout,
            };
        }
        // The URL, which reqwest puts in its message, may hold a key.
        let error = error.without_url();
        let detail = scrubbed(&causes(&error), &self.secrets);
        if is_tls_failure(&error) {
            NotifyError::Tls { target, detail }
        } else {
            NotifyError::Connection { target, detail }
        }
    }
}

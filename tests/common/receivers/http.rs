//! An HTTP receiver: every request recorded (method, path and query,
//! headers, body), answered as the test says.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// How long a hanging receiver holds a request: longer than any test.
const HANG: Duration = Duration::from_secs(3600);
/// How far a webhook's timestamp may be from the receiver's clock, as
/// Standard Webhooks' libraries allow.
const TIMESTAMP_TOLERANCE_SECS: i64 = 300;

/// How the receiver answers each request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// This status at once, with an empty body.
    Status(u16),
    /// This status after a delay: for deadlines, and to see whether one
    /// id is delivered twice at the same moment.
    Slow { status: u16, delay: Duration },
    /// `302 Found` to this location.
    Redirect(String),
    /// Never answers (the request is held for an hour).
    Hang,
}

/// A request as the receiver got it.
#[derive(Clone, Debug)]
pub struct ReceivedRequest {
    pub method: String,
    /// The path and the query, as sent (`/send?to=%2B225…`).
    pub path_and_query: String,
    /// Names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub received_at: Instant,
}

impl ReceivedRequest {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The query's parameters, decoded.
    pub fn query(&self) -> Vec<(String, String)> {
        let query = self.path_and_query.split_once('?').map_or("", |(_, q)| q);
        url::form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("the body is JSON")
    }

    /// Checks the request as a Standard Webhooks receiver does, written
    /// here apart from stockroom's signer so that each checks the other:
    /// the three headers present, the timestamp within five minutes, one
    /// `v1` signature the HMAC-SHA256 of `id.timestamp.body` under the key
    /// that `secret` (`whsec_…`) encodes.
    pub fn verify_webhook(&self, secret: &str) -> Result<(), String> {
        let id = self.header("webhook-id").ok_or("no webhook-id")?;
        let timestamp = self
            .header("webhook-timestamp")
            .ok_or("no webhook-timestamp")?;
        let signatures = self
            .header("webhook-signature")
            .ok_or("no webhook-signature")?;
        let seconds: i64 = timestamp
            .parse()
            .map_err(|_| "a timestamp that is no integer")?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|e| e.to_string())?
            .as_secs();
        if (i64::try_from(now).unwrap_or(i64::MAX) - seconds).abs() > TIMESTAMP_TOLERANCE_SECS {
            return Err(format!("timestamp {seconds} is too far from now ({now})"));
        }
        let key = STANDARD
            .decode(
                secret
                    .strip_prefix("whsec_")
                    .ok_or("a secret without whsec_")?,
            )
            .map_err(|e| e.to_string())?;
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).map_err(|e| e.to_string())?;
        mac.update(format!("{id}.{timestamp}.{}", self.body).as_bytes());
        let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
        if signatures.split(' ').any(|s| s == expected) {
            Ok(())
        } else {
            Err(format!(
                "no signature matches: got {signatures}, expected {expected}"
            ))
        }
    }
}

#[derive(Default)]
struct Shared {
    answer: Mutex<Option<Answer>>,
    received: Mutex<Vec<ReceivedRequest>>,
    arrived: Notify,
    /// Requests being answered, by `webhook-id`.
    in_flight: Mutex<HashMap<String, usize>>,
    /// Ids that were being answered twice at the same moment.
    overlapping: Mutex<Vec<String>>,
}

/// An HTTP server on 127.0.0.1 that records what it gets.
pub struct HttpReceiver {
    address: SocketAddr,
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

impl HttpReceiver {
    /// A receiver on a free port that answers `200 OK`.
    pub async fn start() -> HttpReceiver {
        HttpReceiver::start_answering(Answer::Status(200)).await
    }

    /// A receiver on a free port that answers with `answer`.
    pub async fn start_answering(answer: Answer) -> HttpReceiver {
        let address: SocketAddr = "127.0.0.1:0".parse().expect("an address");
        HttpReceiver::start_on(address, answer)
            .await
            .expect("a free port on 127.0.0.1")
    }

    /// A receiver on `address`: the port of a receiver stopped before, for
    /// a test whose targets were saved while nothing listened.
    pub async fn start_on(address: SocketAddr, answer: Answer) -> std::io::Result<HttpReceiver> {
        let listener = TcpListener::bind(address).await?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared::default());
        *shared.answer.lock().expect("lock") = Some(answer);
        let app = axum::Router::new()
            .fallback(receive)
            .with_state(shared.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(HttpReceiver {
            address,
            shared,
            server,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// Answers the next requests with `answer`.
    pub fn set_answer(&self, answer: Answer) {
        *self.shared.answer.lock().expect("lock") = Some(answer);
    }

    /// Every request received so far, in the order they arrived.
    pub fn received(&self) -> Vec<ReceivedRequest> {
        self.shared.received.lock().expect("lock").clone()
    }

    /// The requests received once there are at least `count`, or all
    /// there are after `within`.
    pub async fn wait_for(&self, count: usize, within: Duration) -> Vec<ReceivedRequest> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let arrived = self.shared.arrived.notified();
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                return self.received();
            }
        }
    }

    /// The `webhook-id`s that were being answered twice at the same moment.
    pub fn overlapping_ids(&self) -> Vec<String> {
        self.shared.overlapping.lock().expect("lock").clone()
    }

    /// Closes the port: new connections are refused. Requests being
    /// answered finish on their own.
    pub async fn stop(mut self) {
        self.server.abort();
        let _ = (&mut self.server).await;
    }
}

impl Drop for HttpReceiver {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn receive(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = ReceivedRequest {
        method: method.to_string(),
        path_and_query: uri
            .path_and_query()
            .map_or_else(|| uri.path().to_owned(), |p| p.to_string()),
        headers: headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: String::from_utf8_lossy(&body).into_owned(),
        received_at: Instant::now(),
    };
    let id = request.header("webhook-id").map(str::to_owned);
    shared.received.lock().expect("lock").push(request);
    shared.arrived.notify_waiters();
    if let Some(id) = &id {
        let mut in_flight = shared.in_flight.lock().expect("lock");
        let count = in_flight.entry(id.clone()).or_default();
        *count += 1;
        if *count > 1 {
            shared.overlapping.lock().expect("lock").push(id.clone());
        }
    }
    let answer = shared
        .answer
        .lock()
        .expect("lock")
        .clone()
        .unwrap_or(Answer::Status(200));
    let response = match answer {
        Answer::Status(status) => status_only(status),
        Answer::Slow { status, delay } => {
            tokio::time::sleep(delay).await;
            status_only(status)
        }
        Answer::Redirect(location) => {
            (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
        }
        Answer::Hang => {
            tokio::time::sleep(HANG).await;
            status_only(200)
        }
    };
    if let Some(id) = &id
        && let Some(count) = shared.in_flight.lock().expect("lock").get_mut(id)
    {
        *count -= 1;
    }
    response
}

fn status_only(status: u16) -> Response {
    StatusCode::from_u16(status)
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        .into_response()
}

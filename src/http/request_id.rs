//! The request id of logs and answers: the one a trusted proxy sent, when it
//! is short and visible, or a new UUID, so that no client writes into the
//! log lines.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName};
use axum::middleware::Next;
use axum::response::Response;

use super::client_address::{is_trusted_proxy, peer};
use crate::config::Config;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest request id kept from a proxy. Proxies make short ones (a
/// UUID is 36 bytes, nginx's `$request_id` 32); a long one costs log space
/// on every line of its request.
pub const REQUEST_ID_BYTES_MAX: usize = 128;

/// Drops the `X-Request-Id` a request came with unless its peer is one of
/// the `--trusted-proxies` and the id is one header line of at most
/// [`REQUEST_ID_BYTES_MAX`] visible ASCII characters (no spaces), so the
/// layer after it makes a new one. From anyone else the id is the client's
/// own writing: it could fake fields in a text log line, or make every
/// line of a request hundreds of kilobytes long.
pub async fn screen(State(config): State<Arc<Config>>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    if parts.headers.contains_key(REQUEST_ID) {
        let trusted = &config.rate_limit.trusted_proxies;
        let from_proxy = peer(&mut parts)
            .await
            .is_some_and(|peer| is_trusted_proxy(peer, trusted));
        if !(from_proxy && acceptable(&parts.headers)) {
            parts.headers.remove(REQUEST_ID);
        }
    }
    next.run(Request::from_parts(parts, body)).await
}

/// One id, short, made of visible ASCII characters only.
fn acceptable(headers: &HeaderMap) -> bool {
    let mut ids = headers.get_all(REQUEST_ID).iter();
    match (ids.next(), ids.next()) {
        (Some(id), None) => {
            let id = id.as_bytes();
            (1..=REQUEST_ID_BYTES_MAX).contains(&id.len()) && id.iter().all(u8::is_ascii_graphic)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_ids(ids: &[&[u8]]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for id in ids {
            headers.append(REQUEST_ID, HeaderValue::from_bytes(id).expect("a value"));
        }
        headers
    }

    #[test]
    fn a_short_visible_id_is_acceptable() {
        assert!(acceptable(&with_ids(&[
            b"5f0c6e1a-2b7d-4c1e-9a7b-0d3c2e1f4a5b"
        ])));
        assert!(acceptable(&with_ids(&[b"req:42/edge=eu-1"])));
        assert!(acceptable(&with_ids(&[&[b'a'; REQUEST_ID_BYTES_MAX]])));
    }

    #[test]
    fn a_long_spaced_invisible_or_repeated_id_is_not() {
        assert!(!acceptable(&with_ids(&[&[b'a'; REQUEST_ID_BYTES_MAX + 1]])));
        assert!(!acceptable(&with_ids(&[b"abc status=500 fake=line"])));
        assert!(!acceptable(&with_ids(&[b"abc\tdef"])));
        assert!(!acceptable(&with_ids(&["é".as_bytes()])));
        assert!(!acceptable(&with_ids(&[b"one", b"two"])));
        assert!(!acceptable(&with_ids(&[b""])));
        assert!(!acceptable(&HeaderMap::new()));
    }
}

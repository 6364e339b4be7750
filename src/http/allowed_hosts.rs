//! The allowed-hosts check (`--allowed-hosts`): a request whose `Host` is
//! not one of the shop's is refused, so that a page of another site whose
//! name was made to point at this server (DNS rebinding) cannot read it.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::problem::ApiError;
use crate::config::HostName;

/// Passes a request whose host (the `:authority` of HTTP/2, else `Host`)
/// is one of `hosts`, port aside; refuses any other, and one that names no
/// host, with 421 `misdirected_request`. `None`: the check is off.
pub async fn check(
    State(hosts): State<Option<Arc<[HostName]>>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(hosts) = hosts else {
        return next.run(request).await;
    };
    let named = request
        .uri()
        .authority()
        .map(|a| a.as_str().to_owned())
        .or_else(|| {
            let host = request.headers().get(header::HOST)?;
            host.to_str().ok().map(str::to_owned)
        })
        .and_then(|authority| HostName::from_authority(&authority));
    match named {
        Some(host) if hosts.contains(&host) => next.run(request).await,
        _ => ApiError::MisdirectedRequest.into_response(),
    }
}

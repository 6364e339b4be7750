//! A request's own deadlines, counted from its headers: its body must
//! arrive in full within the body timeout (408 `request_timeout`, and the
//! connection closes), and its answer must be ready within the request
//! timeout (503 `unavailable`).
//!
//! The request timeout ends when the answer starts: a body streamed after
//! it is not cut. Routes with limits of their own (an event stream, an
//! upload) are merged outside this layer (`router`).

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};
use tokio::time::Instant;

use super::problem::ApiError;
use crate::config::ConnectionLimits;

/// How long a request's body and its answer may take.
#[derive(Clone, Copy, Debug)]
pub struct RequestDeadlines {
    pub body: Duration,
    pub answer: Duration,
}

impl RequestDeadlines {
    pub fn of(limits: &ConnectionLimits) -> RequestDeadlines {
        RequestDeadlines {
            body: limits.body_timeout,
            answer: limits.request_timeout,
        }
    }
}

/// Runs the rest of the request under its deadlines.
pub async fn limit(
    State(deadlines): State<RequestDeadlines>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let answer_deadline = started + deadlines.answer;
    let (parts, body) = request.into_parts();
    let (body, arrived) = if body.is_end_stream() {
        (body, None)
    } else {
        let arrived = Arc::new(AtomicBool::new(false));
        let watched = Arrival {
            body,
            arrived: arrived.clone(),
        };
        (Body::new(watched), Some(arrived))
    };
    let body_deadline = started + deadlines.body;
    let next_deadline = |body_missing: bool| {
        if body_missing {
            answer_deadline.min(body_deadline)
        } else {
            answer_deadline
        }
    };
    let answer = next.run(Request::from_parts(parts, body));
    tokio::pin!(answer);
    // The timer is only registered if the answer is not ready at once.
    let timer = tokio::time::sleep_until(next_deadline(arrived.is_some()));
    tokio::pin!(timer);
    loop {
        tokio::select! {
            biased;
            response = &mut answer => return response,
            () = &mut timer => {}
        }
        let body_missing = arrived.as_ref().is_some_and(|a| !a.load(Ordering::Relaxed));
        let now = Instant::now();
        if body_missing && now >= body_deadline {
            return ApiError::RequestTimeout.into_response();
        }
        if now >= answer_deadline {
            tracing::warn!(
                timeout_ms = deadlines.answer.as_millis() as u64,
                "answering 503: the request was not answered within its deadline"
            );
            return ApiError::Unavailable.into_response();
        }
        timer.as_mut().reset(next_deadline(body_missing));
    }
}

/// A request body that says when it has arrived in full.
struct Arrival {
    body: Body,
    arrived: Arc<AtomicBool>,
}

impl HttpBody for Arrival {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.body).poll_frame(cx);
        if matches!(polled, Poll::Ready(None)) || this.body.is_end_stream() {
            this.arrived.store(true, Ordering::Relaxed);
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        // The body limit refuses a declared length past it before reading.
        self.body.size_hint()
    }
}

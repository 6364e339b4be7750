//! The outbox as the back office reads it: events after an id, in pages,
//! and the same events live (server-sent events), resumed after
//! `Last-Event-ID`. Ids only grow and none is skipped (`store/events.rs`).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::routing::get;
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use tokio::sync::OwnedSemaphorePermit;

use super::AppState;
use super::auth::{CurrentAdmin, Staff};
use super::extract::ApiQuery;
use super::problem::{ApiError, Problem};
use crate::domain::events::Event;
use crate::domain::{FieldError, ValidationError};
use crate::store::Store;

/// Events one page gives by default, and at most.
pub const EVENTS_PAGE_DEFAULT: i64 = 100;
pub const EVENTS_PAGE_MAX: i64 = 500;
/// Event streams open at once, all clients together; one more is refused 503.
pub const EVENT_STREAMS_MAX: usize = 64;
/// How often an open stream looks for new events.
pub const EVENT_STREAM_POLL: Duration = Duration::from_millis(500);
/// A comment sent on a quiet stream, so that proxies keep it open.
pub const EVENT_STREAM_KEEP_ALIVE: Duration = Duration::from_secs(15);

pub fn routes() -> Router<AppState> {
    Router::new().route("/events", get(list_events))
}

/// The stream, merged beside the routes that answer within the request
/// deadline: it stays open.
pub fn stream_routes() -> Router<AppState> {
    Router::new().route("/events/stream", get(stream_events))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct EventsQuery {
    /// Events after this id (0 by default: from the first).
    after: Option<i64>,
    /// Only events of this type (`order.created`…).
    #[serde(rename = "type")]
    #[param(rename = "type")]
    kind: Option<String>,
    /// Page size, 1 to 500 (100 by default).
    limit: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct EventList {
    /// Oldest first.
    events: Vec<Event>,
    /// The last id returned (or `after` when none was): the next page's `after`.
    next_after: i64,
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/events",
    tag = "admin",
    params(EventsQuery),
    responses(
        (status = 200, description = "Events after `after`, oldest first; an event is listed only once every event with a smaller id is, so a reader resuming with `next_after` never skips one", body = EventList),
        (status = 422, description = "`validation_failed`: a negative `after`, an unknown `type`, a `limit` out of range", body = Problem),
    ),
)]
async fn list_events(
    State(state): State<AppState>,
    _admin: CurrentAdmin<Staff>,
    ApiQuery(query): ApiQuery<EventsQuery>,
) -> Result<Json<EventList>, ApiError> {
    let mut errors = Vec::new();
    let after = query.after.unwrap_or(0);
    if after < 0 {
        errors.push(FieldError::out_of_range("after", 0, i64::MAX));
    }
    let limit = query.limit.unwrap_or(EVENTS_PAGE_DEFAULT);
    if !(1..=EVENTS_PAGE_MAX).contains(&limit) {
        errors.push(FieldError::out_of_range("limit", 1, EVENTS_PAGE_MAX));
    }
    let kind = match query.kind.as_deref() {
        None | Some("") => None,
        Some(raw) => match crate::domain::webhook::event_types("type", &[raw.to_owned()]) {
            Ok(types) => types.first().copied(),
            Err(error) => {
                errors.push(error);
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(ValidationError(errors).into());
    }
    let events = state.store.events_after(after, kind, limit).await?;
    let next_after = events.last().map_or(after, |e| e.id);
    Ok(Json(EventList { events, next_after }))
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/events/stream",
    tag = "admin",
    params(
        ("Last-Event-ID" = Option<i64>, Header, description = "Resume after this event (the browser sends it when it reconnects); without it the stream starts with the events to come"),
    ),
    responses(
        (status = 200, description = "`text/event-stream`: each event as `id:` its id, `event:` its type and `data:` its JSON, as `GET /api/v1/admin/events` lists it; a comment every 15 s on a quiet stream", content_type = "text/event-stream", body = String),
        (status = 503, description = "`unavailable`: too many streams are open", body = Problem),
    ),
)]
async fn stream_events(
    State(state): State<AppState>,
    _admin: CurrentAdmin<Staff>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let permit = Arc::clone(&state.event_streams)
        .try_acquire_owned()
        .map_err(|_| ApiError::Unavailable)?;
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|id| *id >= 0);
    let after = match resume {
        Some(id) => id,
        None => state.store.last_event_id().await?,
    };
    let reader = StreamReader {
        store: state.store.clone(),
        after,
        pending: VecDeque::new(),
        _permit: permit,
    };
    let stream = futures_util::stream::unfold(reader, |mut reader| async move {
        let event = reader.next().await;
        Some((Ok(event), reader))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(EVENT_STREAM_KEEP_ALIVE)))
}

/// One open stream: where it stands, and the events read but not sent yet.
struct StreamReader {
    store: Store,
    after: i64,
    pending: VecDeque<Event>,
    /// Counts the stream among `EVENT_STREAMS_MAX` while it is open.
    _permit: OwnedSemaphorePermit,
}

impl StreamReader {
    /// The next event, waiting for it as long as it takes.
    async fn next(&mut self) -> SseEvent {
        loop {
            if let Some(event) = self.pending.pop_front() {
                self.after = event.id;
                return SseEvent::default()
                    .id(event.id.to_string())
                    .event(event.kind.as_str())
                    .data(event.to_json());
            }
            match self
                .store
                .published_events_after(self.after, EVENTS_PAGE_DEFAULT)
                .await
            {
                Ok(events) if !events.is_empty() => self.pending.extend(events),
                Ok(_) => tokio::time::sleep(EVENT_STREAM_POLL).await,
                Err(error) => {
                    tracing::warn!(%error, "the event stream cannot read the outbox; trying again");
                    tokio::time::sleep(EVENT_STREAM_POLL * 4).await;
                }
            }
        }
    }
}

//! The owner's notification channels: e-mail over SMTP and SMS through an
//! HTTP gateway, with the event types each sends; a test message; the
//! channel's recent deliveries. Secrets are never shown back.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::AppState;
use super::auth::{CurrentAdmin, Owner};
use super::extract::{ApiJson, ApiQuery};
use super::problem::{ApiError, Problem};
use super::webhooks::{DeliveryList, QueuedTest, deliveries_page};
use crate::domain::delivery::Channel;
use crate::domain::notifications::NotificationsBody;
use crate::domain::{FieldError, ValidationError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/notifications",
            get(get_notifications).put(put_notifications),
        )
        .route("/notifications/test", post(test_notifications))
        .route("/notifications/deliveries", get(list_channel_deliveries))
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/notifications",
    tag = "admin",
    responses(
        (status = 200, description = "The channels, each `null` when not set; every secret (the SMTP password, the gateway's header values) shown as `********`", body = NotificationsBody),
        (status = 403, description = "`forbidden`: the owner's", body = Problem),
    ),
)]
async fn get_notifications(
    State(state): State<AppState>,
    _owner: CurrentAdmin<Owner>,
) -> Result<Json<NotificationsBody>, ApiError> {
    Ok(Json(state.store.notification_settings().await?.answer()))
}

#[utoipa::path(
    put,
    path = "/api/v1/admin/notifications",
    tag = "admin",
    request_body = NotificationsBody,
    responses(
        (status = 200, description = "The channels as saved, secrets masked. A channel given replaces the current one, `null` removes it, an absent one stays; `********` where the answer showed it keeps the stored secret, for the same server and TLS mode only", body = NotificationsBody),
        (status = 403, description = "`forbidden`: the owner's", body = Problem),
        (status = 422, description = "`validation_failed`, naming every field (`email.host`, `email.to[1]`, `sms.body`, `sms.headers.Authorization`…): an address that is not one, a port out of range, a template without `{to}` or `{message}`, an unknown event type", body = Problem),
    ),
)]
async fn put_notifications(
    State(state): State<AppState>,
    CurrentAdmin(admin, Owner): CurrentAdmin<Owner>,
    ApiJson { value: body, .. }: ApiJson<NotificationsBody>,
) -> Result<Json<NotificationsBody>, ApiError> {
    let country = state.store.settings().await?.default_country;
    let current = state.store.notification_settings().await?;
    let next = body.apply_to(&current, country)?;
    state.store.set_notification_settings(&next, &admin).await?;
    tracing::info!(
        email = next.email.is_some(),
        sms = next.sms.is_some(),
        actor = %admin.name,
        "notification channels saved"
    );
    Ok(Json(next.answer()))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct TestRequest {
    /// `email` or `sms`.
    channel: String,
}

/// `email` or `sms`, as a field of `field`.
fn owner_channel(field: &str, raw: &str) -> Result<Channel, ValidationError> {
    match Channel::parse(raw.trim()) {
        Some(channel @ (Channel::Email | Channel::Sms)) => Ok(channel),
        _ => Err(ValidationError::one(FieldError::new(
            field,
            "Choisissez le canal à tester : « email » ou « sms ».",
            "Choose the channel to test: `email` or `sms`.",
        ))),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/notifications/test",
    tag = "admin",
    request_body = TestRequest,
    responses(
        (status = 202, description = "A test message queued through the channel to its recipients; follow it in the channel's deliveries", body = QueuedTest),
        (status = 403, description = "`forbidden`: the owner's", body = Problem),
        (status = 422, description = "`validation_failed`: a channel other than `email` or `sms`, or one that is not set", body = Problem),
    ),
)]
async fn test_notifications(
    State(state): State<AppState>,
    _owner: CurrentAdmin<Owner>,
    ApiJson { value: request, .. }: ApiJson<TestRequest>,
) -> Result<(StatusCode, Json<QueuedTest>), ApiError> {
    let channel = owner_channel("channel", &request.channel)?;
    let settings = state.store.notification_settings().await?;
    let set = match channel {
        Channel::Email => settings.email.is_some(),
        _ => settings.sms.is_some(),
    };
    if !set {
        return Err(ValidationError::one(FieldError::new(
            "channel",
            "Ce canal n'est pas encore réglé : enregistrez-le avant de le tester.",
            "This channel is not set yet: save it before testing it.",
        ))
        .into());
    }
    let id = state
        .store
        .queue_channel_test(channel, "test".to_owned())
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(QueuedTest {
            delivery_id: id.to_string(),
        }),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct DeliveriesQuery {
    /// `email` or `sms`.
    channel: String,
    /// How many, newest first: 1 to 200 (50 by default).
    limit: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/notifications/deliveries",
    tag = "admin",
    params(DeliveriesQuery),
    responses(
        (status = 200, description = "The channel's deliveries, newest first: the owner's messages, tests and the messages to people waiting for a size", body = DeliveryList),
        (status = 403, description = "`forbidden`: the owner's", body = Problem),
        (status = 422, description = "`validation_failed`: a channel other than `email` or `sms`, a `limit` out of range", body = Problem),
    ),
)]
async fn list_channel_deliveries(
    State(state): State<AppState>,
    _owner: CurrentAdmin<Owner>,
    ApiQuery(query): ApiQuery<DeliveriesQuery>,
) -> Result<Json<DeliveryList>, ApiError> {
    let channel = owner_channel("channel", &query.channel)?;
    let limit = deliveries_page(query.limit)?;
    let deliveries = state.store.channel_deliveries(channel, limit).await?;
    Ok(Json(DeliveryList { deliveries }))
}

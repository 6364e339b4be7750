//! The owner's webhooks: created with a secret shown once, listed,
//! deleted, tested, and their deliveries; a failed delivery tried again.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::{CurrentAdmin, Owner};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::problem::{ApiError, Problem};
use crate::domain::delivery::{DELIVERIES_PAGE_MAX, Delivery};
use crate::domain::time;
use crate::domain::webhook::{Webhook, WebhookRequest};
use crate::domain::{FieldError, ValidationError};
use crate::notify::{WebhookSecret, WebhookUrl};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/webhooks", get(list_webhooks).post(create_webhook))
        .route("/webhooks/{id}", get(get_webhook).delete(delete_webhook))
        .route("/webhooks/{id}/test", post(test_webhook))
        .route("/webhooks/{id}/deliveries", get(list_deliveries))
        .route("/deliveries/{id}/retry", post(retry_delivery))
}

/// A webhook as created: with its secret, shown this once.
#[derive(Serialize, utoipa::ToSchema)]
struct CreatedWebhook {
    #[serde(flatten)]
    webhook: Webhook,
    /// `whsec_` then the standard base64 of 32 random bytes, the HMAC key
    /// of the `webhook-signature` header. Never shown again.
    secret: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/webhooks",
    tag = "admin",
    request_body = WebhookRequest,
    responses(
        (status = 201, description = "The webhook with its `secret`, shown this once; it receives the events of its types from now on", body = CreatedWebhook),
        (status = 403, description = "`forbidden`: the owner's", body = Problem),
        (status = 422, description = "`validation_failed`: a URL that is not http(s), names no host, carries a password or targets a loopback, private or link-local address (unless the server runs with `--webhook-allow-private`); an unknown event type; too many webhooks", body = Problem),
    ),
)]
async fn create_webhook(
    State(state): State<AppState>,
    CurrentAdmin(admin, Owner): CurrentAdmin<Owner>,
    ApiJson { value: request, .. }: ApiJson<WebhookRequest>,
) -> Result<(StatusCode, Json<CreatedWebhook>), ApiError> {
    let url = WebhookUrl::check(&request.url, state.config.webhook_allow_private)
        .await
        .map(|url| url.as_str().to_owned());
    let new = request.check(url)?;
    let secret = WebhookSecret::generate().expose();
    let webhook = state
        .store
        .create_webhook(new, secret.clone(), &admin)
        .await?;
    tracing::info!(webhook_id = %webhook.id, actor = %admin.name, "webhook created");
    Ok((
        StatusCode::CREATED,
        Json(CreatedWebhook { webhook, secret }),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
struct WebhookList {
    /// Oldest first.
    webhooks: Vec<Webhook>,
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/webhooks",
    tag = "admin",
    responses(
        (status = 200, description = "Every webhook, without its secret", body = WebhookList),
        (status = 403, description = "`forbidden`: the owner's", body = Problem),
    ),
)]
async fn list_webhooks(
    State(state): State<AppState>,
    _owner: CurrentAdmin<Owner>,
) -> Result<Json<WebhookList>, ApiError> {
    let webhooks = state.store.webhooks().await?;
    Ok(Json(WebhookList { webhooks }))
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/webhooks/{id}",
    tag = "admin",
    params(("id" = String, Path, description = "The webhook's id")),
    responses(
        (status = 200, description = "The webhook, without its secret", body = Webhook),
        (status = 404, description = "`not_found`", body = Problem),
    ),
)]
async fn get_webhook(
    State(state): State<AppState>,
    _owner: CurrentAdmin<Owner>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Webhook>, ApiError> {
    Ok(Json(state.store.webhook(&id).await?))
}

#[utoipa::path(
    delete,
    path = "/api/v1/admin/webhooks/{id}",
    tag = "admin",
    params(("id" = String, Path, description = "The webhook's id")),
    responses(
        (status = 204, description = "Deleted, with its deliveries: nothing more is sent to it"),
        (status = 404, description = "`not_found`", body = Problem),
    ),
)]
async fn delete_webhook(
    State(state): State<AppState>,
    CurrentAdmin(admin, Owner): CurrentAdmin<Owner>,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    state.store.delete_webhook(&id, &admin).await?;
    tracing::info!(webhook_id = %id, actor = %admin.name, "webhook deleted");
    Ok(StatusCode::NO_CONTENT)
}

/// A test message queued: follow it in the deliveries.
#[derive(Serialize, utoipa::ToSchema)]
pub struct QueuedTest {
    pub delivery_id: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/webhooks/{id}/test",
    tag = "admin",
    params(("id" = String, Path, description = "The webhook's id")),
    responses(
        (status = 202, description = "A test event queued to the webhook, signed like any delivery; follow it in its deliveries", body = QueuedTest),
        (status = 404, description = "`not_found`", body = Problem),
    ),
)]
async fn test_webhook(
    State(state): State<AppState>,
    _owner: CurrentAdmin<Owner>,
    ApiPath(id): ApiPath<String>,
) -> Result<(StatusCode, Json<QueuedTest>), ApiError> {
    let body = serde_json::json!({
        "id": 0,
        "type": "test",
        "created_at": time::now(),
        "data": {"message": "Test envoyé depuis les réglages de la boutique."},
    });
    let delivery_id = state
        .store
        .queue_webhook_test(&id, body.to_string())
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(QueuedTest {
            delivery_id: delivery_id.to_string(),
        }),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct DeliveriesQuery {
    /// How many, newest first: 1 to 200 (50 by default).
    limit: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DeliveryList {
    /// Newest first.
    pub deliveries: Vec<Delivery>,
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/webhooks/{id}/deliveries",
    tag = "admin",
    params(("id" = String, Path, description = "The webhook's id"), DeliveriesQuery),
    responses(
        (status = 200, description = "Its deliveries, newest first: pending (with when they are tried next), delivered or failed after a day of retries, with the last attempt's HTTP status and error", body = DeliveryList),
        (status = 404, description = "`not_found`", body = Problem),
        (status = 422, description = "`validation_failed`: a `limit` out of range", body = Problem),
    ),
)]
async fn list_deliveries(
    State(state): State<AppState>,
    _owner: CurrentAdmin<Owner>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<DeliveriesQuery>,
) -> Result<Json<DeliveryList>, ApiError> {
    let limit = deliveries_page(query.limit)?;
    let deliveries = state.store.webhook_deliveries(&id, limit).await?;
    Ok(Json(DeliveryList { deliveries }))
}

/// `?limit=` of a list of deliveries.
pub fn deliveries_page(limit: Option<i64>) -> Result<i64, ValidationError> {
    match limit {
        None => Ok(50),
        Some(n) if (1..=DELIVERIES_PAGE_MAX).contains(&n) => Ok(n),
        Some(_) => Err(ValidationError::one(FieldError::out_of_range(
            "limit",
            1,
            DELIVERIES_PAGE_MAX,
        ))),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/deliveries/{id}/retry",
    tag = "admin",
    params(("id" = String, Path, description = "The delivery's id")),
    responses(
        (status = 200, description = "A failed delivery put back in line now, for another day of retries; any other is answered as it is", body = Delivery),
        (status = 404, description = "`not_found`", body = Problem),
    ),
)]
async fn retry_delivery(
    State(state): State<AppState>,
    _owner: CurrentAdmin<Owner>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Delivery>, ApiError> {
    let not_found = || {
        ApiError::from(crate::store::StoreError::not_found(
            crate::store::Resource::Delivery,
            id.clone(),
        ))
    };
    let id_number: i64 = id.parse().map_err(|_| not_found())?;
    Ok(Json(state.store.retry_delivery(id_number).await?))
}

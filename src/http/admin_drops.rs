//! Drops in the back office: scheduled, edited before they start and
//! ended early by the owner; listed, read and followed live by the whole
//! team.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::{CurrentAdmin, Owner};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::paging::{bad_cursor, decode_position, encode_cursor, page_size};
use super::problem::{ApiError, Problem};
use crate::domain::drop::{
    DROP_KEY_CHARS_MAX, DropFilter, DropInput, DropLive, DropPatch, DropView,
};
use crate::domain::{FieldError, ValidationError};
use crate::store::{Resource, StoreError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/drops", get(list_drops).post(create_drop))
        .route("/drops/{id}", get(get_drop).patch(patch_drop))
        .route("/drops/{id}/end", post(end_drop))
        .route("/drops/{id}/live", get(drop_live))
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/drops",
    tag = "admin",
    request_body = DropInput,
    responses(
        (status = 201, description = "The drop: the body sent, its `id` and `status`, and on each line its product, its price in the drop (`unit_price`), the units left (`remaining`, all of them) and sold", body = DropView),
        (status = 403, description = "`forbidden`: the owner's", body = Problem),
        (status = 409, description = "`already_exists`: the slug is another drop's, or a sku is in another drop whose window overlaps this one's (the detail names the sku and the other drop)", body = Problem),
        (status = 422, description = "`validation_failed`, naming every field: a window that ends before it starts, lasts over 90 days or is already over; a time without its time of day; `lines[i].units` ≤ 0 or above the variant's stock (the detail says how many are available); `lines[i].price` ≤ 0, `lines[i].percent_off` outside 1–90, or both on one line (`lines[i]`); a sku twice or unknown (`lines[i].sku`); no lines or more than 100; a name over 100 characters; a cap below 1", body = Problem),
    ),
)]
async fn create_drop(
    State(state): State<AppState>,
    CurrentAdmin(admin, Owner): CurrentAdmin<Owner>,
    ApiJson { value: input, .. }: ApiJson<DropInput>,
) -> Result<(StatusCode, Json<DropView>), ApiError> {
    let drop = input.validate(state.store.config().clock.now())?;
    let created = state.store.create_drop(drop, &admin).await?;
    tracing::info!(
        drop_id = %created.id,
        slug = %created.slug,
        starts_at = %created.starts_at,
        lines = created.lines.len(),
        actor = %admin.name,
        "drop scheduled"
    );
    Ok((StatusCode::CREATED, Json(created)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct DropQuery {
    /// Page size.
    limit: Option<usize>,
    /// The `next_cursor` of the page before, as it came.
    cursor: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct DropList {
    /// Newest first.
    drops: Vec<DropView>,
    next_cursor: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/drops",
    tag = "admin",
    params(DropQuery),
    responses(
        (status = 200, description = "The drops, newest first, each with its lines and its status now", body = DropList),
        (status = 422, description = "`validation_failed`: a bad `limit` or `cursor`", body = Problem),
    ),
)]
async fn list_drops(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<DropQuery>,
) -> Result<Json<DropList>, ApiError> {
    let filter = drop_filter(query).map_err(ValidationError::one)?;
    let page = state.store.drops(filter).await?;
    Ok(Json(DropList {
        drops: page.items,
        next_cursor: page.next_cursor.map(|c| encode_cursor(&c)),
    }))
}

fn drop_filter(query: DropQuery) -> Result<DropFilter, FieldError> {
    let before = decode_position(query.cursor)?
        .map(|position| {
            position
                .split_once(' ')
                .map(|(at, id)| (at.to_owned(), id.to_owned()))
                .ok_or_else(bad_cursor)
        })
        .transpose()?;
    Ok(DropFilter {
        limit: page_size(query.limit)?,
        before,
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/drops/{id}",
    tag = "admin",
    params(("id" = String, Path, description = "The drop's id or slug")),
    responses(
        (status = 200, description = "The drop, its lines with units left and sold, its status now", body = DropView),
        (status = 404, description = "`not_found`: no such drop", body = Problem),
    ),
)]
async fn get_drop(
    State(state): State<AppState>,
    ApiPath(key): ApiPath<String>,
) -> Result<Json<DropView>, ApiError> {
    let key = drop_key(key)?;
    Ok(Json(state.store.drop_by_key(&key).await?))
}

#[utoipa::path(
    patch,
    path = "/api/v1/admin/drops/{id}",
    tag = "admin",
    params(("id" = String, Path, description = "The drop's id or slug")),
    request_body = DropPatch,
    responses(
        (status = 200, description = "The drop as edited: the fields given changed, `lines` (when given) replacing every line", body = DropView),
        (status = 403, description = "`forbidden`: the owner's", body = Problem),
        (status = 404, description = "`not_found`: no such drop", body = Problem),
        (status = 409, description = "`invalid_transition`: the drop has started (only ending it is allowed) or ended; `already_exists`: a slug or an overlapping drop, as at creation", body = Problem),
        (status = 422, description = "`validation_failed`: the drop as edited breaks a rule of its creation", body = Problem),
    ),
)]
async fn patch_drop(
    State(state): State<AppState>,
    CurrentAdmin(admin, Owner): CurrentAdmin<Owner>,
    ApiPath(key): ApiPath<String>,
    ApiJson { value: patch, .. }: ApiJson<DropPatch>,
) -> Result<Json<DropView>, ApiError> {
    let key = drop_key(key)?;
    let edited = state.store.patch_drop(&key, patch, &admin).await?;
    tracing::info!(drop_id = %edited.id, actor = %admin.name, "drop edited");
    Ok(Json(edited))
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/drops/{id}/end",
    tag = "admin",
    params(("id" = String, Path, description = "The drop's id or slug")),
    responses(
        (status = 200, description = "The drop, ended now: its `ends_at` is this moment (one not started yet closes before it opens: its window becomes the microsecond before now); its products sell at their own price again", body = DropView),
        (status = 403, description = "`forbidden`: the owner's", body = Problem),
        (status = 404, description = "`not_found`: no such drop", body = Problem),
        (status = 409, description = "`invalid_transition`: the drop has already ended", body = Problem),
    ),
)]
async fn end_drop(
    State(state): State<AppState>,
    CurrentAdmin(admin, Owner): CurrentAdmin<Owner>,
    ApiPath(key): ApiPath<String>,
) -> Result<Json<DropView>, ApiError> {
    let key = drop_key(key)?;
    Ok(Json(state.store.end_drop(&key, &admin).await?))
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/drops/{id}/live",
    tag = "admin",
    params(("id" = String, Path, description = "The drop's id or slug")),
    responses(
        (status = 200, description = "The drop with its units left per line, the orders placed through it in each of the last 10 minutes, and the checkouts it refused per reason", body = DropLive),
        (status = 404, description = "`not_found`: no such drop", body = Problem),
    ),
)]
async fn drop_live(
    State(state): State<AppState>,
    ApiPath(key): ApiPath<String>,
) -> Result<Json<DropLive>, ApiError> {
    let key = drop_key(key)?;
    Ok(Json(state.store.drop_live(&key).await?))
}

/// A drop's id or slug as a path names it; anything that could be
/// neither names no drop.
pub fn drop_key(raw: String) -> Result<String, ApiError> {
    let valid = !raw.is_empty()
        && raw.len() <= DROP_KEY_CHARS_MAX
        && raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if valid {
        Ok(raw)
    } else {
        let shown: String = raw.chars().take(DROP_KEY_CHARS_MAX).collect();
        Err(StoreError::not_found(Resource::Drop, shown).into())
    }
}

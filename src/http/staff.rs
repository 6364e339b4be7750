//! The shop's team, for its owner: invite someone with a one-time setup
//! link, list who has access and when they were last seen, revoke, give a
//! new link to someone who forgot their password.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::auth::{CurrentAdmin, Owner};
use super::extract::ApiJson;
use super::problem::{ApiError, Problem};
use crate::domain::staff::Role;
use crate::store::SetupLink;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff", get(list_staff).post(invite_staff))
        .route("/staff/{name}", delete(revoke_staff))
        .route("/staff/{name}/reset", post(reset_staff_password))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStaff {
    #[schema(min_length = 1, max_length = 64)]
    pub name: String,
    pub role: Role,
}

/// A person with access to the back office.
#[derive(Serialize, ToSchema)]
pub struct StaffMember {
    pub name: String,
    pub role: Role,
    pub created_at: String,
    /// The last request made with their session or token, to the minute.
    pub last_seen_at: Option<String>,
    pub revoked: bool,
}

#[derive(Serialize, ToSchema)]
pub struct StaffList {
    pub staff: Vec<StaffMember>,
}

/// An invitation: the setup link, shown this once.
#[derive(Serialize, ToSchema)]
pub struct Invited {
    pub name: String,
    pub role: Role,
    /// `<shop>/admin/setup#<setup_token>`: valid 48 hours, once.
    pub setup_url: String,
    pub setup_token: String,
}

/// A new setup link, shown this once.
#[derive(Serialize, ToSchema)]
pub struct NewSetupLink {
    pub setup_url: String,
    pub setup_token: String,
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/staff",
    tag = "staff",
    responses(
        (status = 200, description = "Everyone who has or had access, oldest first", body = StaffList),
        (status = 403, description = "`forbidden`: for the owner only", body = Problem),
    ),
)]
async fn list_staff(
    State(state): State<AppState>,
    CurrentAdmin(_, Owner): CurrentAdmin<Owner>,
) -> Result<Json<StaffList>, ApiError> {
    let staff = state.store.list_admins().await?;
    let staff = staff
        .into_iter()
        .map(|person| StaffMember {
            name: person.name,
            role: person.role,
            created_at: person.created_at,
            last_seen_at: person.last_seen_at,
            revoked: person.revoked_at.is_some(),
        })
        .collect();
    Ok(Json(StaffList { staff }))
}

/// Invites someone: their account, without a password, and a one-time
/// link to choose one.
#[utoipa::path(
    post,
    path = "/api/v1/admin/staff",
    tag = "staff",
    request_body = NewStaff,
    responses(
        (status = 201, description = "Invited; the link is shown this once", body = Invited),
        (status = 403, description = "`forbidden`: for the owner only, or a session's write without its CSRF token", body = Problem),
        (status = 409, description = "`already_exists`: someone has this name", body = Problem),
        (status = 422, description = "`validation_failed`: the name or the role", body = Problem),
    ),
)]
async fn invite_staff(
    State(state): State<AppState>,
    CurrentAdmin(owner, Owner): CurrentAdmin<Owner>,
    ApiJson { value: body, .. }: ApiJson<NewStaff>,
) -> Result<(StatusCode, Json<Invited>), ApiError> {
    let role = body.role;
    let valid_for = state.config.sign_in.setup_link_valid_for;
    let (person, link) = state
        .store
        .invite(&body.name, role, &owner.name, valid_for)
        .await?;
    tracing::info!(actor = %owner.name, name = %person.name, role = %role, "staff invited");
    let SetupLink { token, .. } = link;
    Ok((
        StatusCode::CREATED,
        Json(Invited {
            name: person.name,
            role,
            setup_url: state.config.public_url.setup_url(&token),
            setup_token: token,
        }),
    ))
}

/// Revokes someone: their sessions, token and links end at once; what
/// they did stays recorded under their name.
#[utoipa::path(
    delete,
    path = "/api/v1/admin/staff/{name}",
    tag = "staff",
    params(("name" = String, Path, description = "The person's name")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 403, description = "`forbidden`: for the owner only, or a session's write without its CSRF token", body = Problem),
        (status = 404, description = "`not_found`: nobody active has this name", body = Problem),
        (status = 409, description = "`invalid_transition`: the last owner cannot be revoked", body = Problem),
    ),
)]
async fn revoke_staff(
    State(state): State<AppState>,
    CurrentAdmin(owner, Owner): CurrentAdmin<Owner>,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.store.revoke_admin(&name, &owner.name).await?;
    tracing::info!(actor = %owner.name, name = %name, "staff revoked");
    Ok(StatusCode::NO_CONTENT)
}

/// A new setup link for someone who forgot their password: the old one
/// stops working and their sessions end.
#[utoipa::path(
    post,
    path = "/api/v1/admin/staff/{name}/reset",
    tag = "staff",
    params(("name" = String, Path, description = "The person's name")),
    responses(
        (status = 201, description = "A new link, shown this once", body = NewSetupLink),
        (status = 403, description = "`forbidden`: for the owner only, or a session's write without its CSRF token", body = Problem),
        (status = 404, description = "`not_found`: nobody active has this name", body = Problem),
    ),
)]
async fn reset_staff_password(
    State(state): State<AppState>,
    CurrentAdmin(owner, Owner): CurrentAdmin<Owner>,
    Path(name): Path<String>,
) -> Result<(StatusCode, Json<NewSetupLink>), ApiError> {
    let valid_for = state.config.sign_in.setup_link_valid_for;
    let link = state
        .store
        .reset_password(&name, &owner.name, valid_for)
        .await?;
    tracing::info!(actor = %owner.name, name = %name, "password reset");
    Ok((
        StatusCode::CREATED,
        Json(NewSetupLink {
            setup_url: state.config.public_url.setup_url(&link.token),
            setup_token: link.token,
        }),
    ))
}

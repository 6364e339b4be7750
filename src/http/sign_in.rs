//! Signing in and out of the back office, choosing a password through a
//! setup link, changing one's own: `/api/v1/auth/…`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router, middleware};
use chrono::Duration;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::auth::{Caller, SESSION_COOKIE, require_admin, session_cookie};
use super::client_address::client_address;
use super::extract::ApiJson;
use super::problem::{ApiError, Problem};
use crate::domain::ValidationError;
use crate::domain::admin::Admin;
use crate::domain::invalid::FieldError;
use crate::domain::limits::ADMIN_NAME_CHARS_MAX;
use crate::domain::password::{hash_password, verify_or_pretend};
use crate::domain::staff::{
    PASSWORD_BYTES_MAX, Role, check_password, csrf_token, new_session_token,
};
use crate::domain::tokens::hash_token;

pub fn routes(state: &AppState) -> Router<AppState> {
    let signed_in = Router::new()
        .route("/api/v1/auth/password", post(change_password))
        .route("/api/v1/auth/me", get(me))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_admin));
    Router::new()
        .route("/api/v1/auth/login", post(sign_in))
        .route("/api/v1/auth/logout", post(sign_out))
        .route("/api/v1/auth/setup", post(set_up_password))
        .merge(signed_in)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// The person's name, in any case.
    #[schema(min_length = 1, max_length = 64)]
    pub name: String,
    #[schema(min_length = 1, max_length = 1024)]
    pub password: String,
}

/// Who is signed in.
#[derive(Serialize, ToSchema)]
pub struct SignedIn {
    pub name: String,
    pub role: Role,
}

/// Who is signed in, and the token their session's writes carry.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub name: String,
    pub role: Role,
    /// The value of `X-CSRF-Token` for writes with the session cookie;
    /// `null` with an API token, which needs none.
    pub csrf_token: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetUpPassword {
    /// The setup link's token (after `#`).
    pub token: String,
    /// At least 10 characters, at most 1,024 bytes, not the name.
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current: String,
    /// At least 10 characters, at most 1,024 bytes, not the name.
    pub new: String,
}

/// Signs in with a name and a password: a session cookie and who it is.
/// A wrong name and a wrong password get the same answer in about the same
/// time; past the failures allowed, every attempt waits (429).
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    request_body = SignIn,
    responses(
        (status = 200, description = "Signed in; the session cookie `stockroom_session` is set (HttpOnly, SameSite=Strict, Path=/, Secure over HTTPS)", body = SignedIn),
        (status = 401, description = "`unauthorized`: wrong name or password", body = Problem),
        (status = 422, description = "`validation_failed`: a field is missing or too long", body = Problem),
        (status = 429, description = "`too_many_attempts`: too many failures for this name or address; `Retry-After` says how long to wait", body = Problem),
    ),
)]
async fn sign_in(
    State(state): State<AppState>,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    ApiJson { value: body, .. }: ApiJson<SignIn>,
) -> Result<Response, ApiError> {
    check_sign_in_fields(&body)?;
    let address = caller_address(&state, connection, &headers).to_string();
    // Counted as a failure before the password is checked, so that many
    // attempts sent at once cannot all be checked before any is counted.
    let limits = &state.config.sign_in.limits;
    let wait = state
        .store
        .count_sign_in_attempt(&body.name, &address, limits)
        .await?;
    if let Some(wait) = wait {
        return Err(too_many_attempts(wait));
    }
    let person = state.store.person_named(&body.name).await?;
    let stored = person.as_ref().and_then(|p| p.password_hash.clone());
    let password = body.password.clone();
    let matches = hashing(&state, move || {
        verify_or_pretend(&password, stored.as_deref())
    })
    .await?;
    match person.filter(|_| matches) {
        Some(person) => {
            state.store.take_back_sign_in_failure(&address).await?;
            let cookie = start_session(&state, &person.admin).await?;
            let signed_in = SignedIn {
                name: person.admin.name,
                role: person.admin.role,
            };
            Ok(([(header::SET_COOKIE, cookie)], Json(signed_in)).into_response())
        }
        None => {
            tracing::info!(address = %address, "sign-in refused");
            Err(ApiError::SignInRefused)
        }
    }
}

/// Ends the session of the cookie sent, if any, and clears the cookie.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    responses((status = 204, description = "Signed out; the session ended on the server and its cookie is cleared")),
)]
async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(token) = session_cookie(&headers) {
        state.store.end_session(&hash_token(token)).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, cookie(&state, "", Duration::zero()));
    Ok(response)
}

/// Who is signed in, with the CSRF token of the session's writes.
#[utoipa::path(
    get,
    path = "/api/v1/auth/me",
    tag = "auth",
    responses(
        (status = 200, description = "The signed-in person", body = Me),
        (status = 401, description = "`unauthorized`: not signed in, or the session ended", body = Problem),
    ),
)]
async fn me(State(state): State<AppState>, caller: Caller) -> Json<Me> {
    Json(Me {
        name: caller.admin.name,
        role: caller.admin.role,
        csrf_token: caller
            .session
            .map(|hash| csrf_token(state.store.shop_secret(), &hash)),
    })
}

/// Chooses a password with a setup link's token, once; signs in.
#[utoipa::path(
    post,
    path = "/api/v1/auth/setup",
    tag = "auth",
    request_body = SetUpPassword,
    responses(
        (status = 204, description = "The password is set and the link used; the session cookie is set"),
        (status = 404, description = "`not_found`: the link is unknown, used, expired or withdrawn", body = Problem),
        (status = 422, description = "`validation_failed`: the password breaks a rule, named", body = Problem),
    ),
)]
async fn set_up_password(
    State(state): State<AppState>,
    ApiJson { value: body, .. }: ApiJson<SetUpPassword>,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::NotFound {
        resource: crate::store::Resource::SetupLink,
        key: String::new(),
    };
    if body.token.len() > 256 {
        return Err(not_found());
    }
    let person = state.store.setup_person(&body.token).await?;
    let person = person.ok_or_else(not_found)?;
    check_password("password", &body.password, &person.name).map_err(ValidationError::one)?;
    let password = body.password;
    let hash = hashing(&state, move || hash_password(&password)).await?;
    state.store.use_setup(&body.token, hash).await?;
    tracing::info!(actor = %person.name, "password chosen through a setup link");
    let cookie = start_session(&state, &person).await?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// Changes one's own password, given the current one; one's other
/// sessions end.
#[utoipa::path(
    post,
    path = "/api/v1/auth/password",
    tag = "auth",
    request_body = ChangePassword,
    responses(
        (status = 204, description = "Changed; the person's other sessions ended"),
        (status = 401, description = "`unauthorized`: not signed in", body = Problem),
        (status = 403, description = "`forbidden`: a cookie write without its CSRF token or from another origin", body = Problem),
        (status = 422, description = "`validation_failed`: the current password is wrong, or the new one breaks a rule, named", body = Problem),
    ),
)]
async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson { value: body, .. }: ApiJson<ChangePassword>,
) -> Result<StatusCode, ApiError> {
    let person = state.store.person(caller.admin.id).await?;
    let person = person.ok_or(ApiError::Unauthorized)?;
    let stored = person.password_hash.clone();
    let current = body.current.clone();
    let right = current.len() <= PASSWORD_BYTES_MAX
        && hashing(&state, move || {
            verify_or_pretend(&current, stored.as_deref())
        })
        .await?;
    if !right {
        return Err(ValidationError::one(FieldError::new(
            "current",
            "Le mot de passe actuel est incorrect.",
            "The current password is wrong.",
        ))
        .into());
    }
    check_password("new", &body.new, &person.admin.name).map_err(ValidationError::one)?;
    let new = body.new;
    let hash = hashing(&state, move || hash_password(&new)).await?;
    let keep = caller.session.unwrap_or_default();
    state
        .store
        .change_password(person.admin.id, hash, keep)
        .await?;
    tracing::info!(actor = %person.admin.name, "password changed");
    Ok(StatusCode::NO_CONTENT)
}

/// A name and a password within their limits, before any work is done.
fn check_sign_in_fields(body: &SignIn) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    if body.name.trim().is_empty() {
        errors.push(FieldError::required("name"));
    } else if body.name.chars().count() > ADMIN_NAME_CHARS_MAX {
        errors.push(FieldError::too_long("name", ADMIN_NAME_CHARS_MAX));
    }
    if body.password.is_empty() {
        errors.push(FieldError::required("password"));
    } else if body.password.len() > PASSWORD_BYTES_MAX {
        errors.push(FieldError::new(
            "password",
            format!("Le mot de passe dépasse {PASSWORD_BYTES_MAX} octets."),
            format!("The password is longer than {PASSWORD_BYTES_MAX} bytes."),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ValidationError(errors).into())
    }
}

/// A new session for `admin`, kept hashed; its cookie to send.
async fn start_session(state: &AppState, admin: &Admin) -> Result<HeaderValue, ApiError> {
    let token = new_session_token();
    state.store.start_session(admin, hash_token(&token)).await?;
    tracing::info!(actor = %admin.name, role = %admin.role, "signed in");
    Ok(cookie(state, &token, state.config.sign_in.session_max))
}

/// The session cookie: `HttpOnly` (no script reads it), `SameSite=Strict`
/// (no other site sends it), `Secure` when the shop is served over HTTPS.
fn cookie(state: &AppState, token: &str, lasts: Duration) -> HeaderValue {
    let secure = if state.config.public_url.is_https() {
        "; Secure"
    } else {
        ""
    };
    let value = format!(
        "{SESSION_COOKIE}={token}; Max-Age={}; Path=/; HttpOnly; SameSite=Strict{secure}",
        lasts.num_seconds()
    );
    HeaderValue::from_str(&value).expect("a token and numbers make a header value")
}

/// The address failures are counted under: the client's, as the rate
/// limit reads it (its peer, or behind a trusted proxy the forwarded one).
fn caller_address(
    state: &AppState,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: &HeaderMap,
) -> IpAddr {
    let peer = connection.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.0.ip());
    let trusted = &state.config.rate_limit.trusted_proxies;
    super::client_address::budget_key(client_address(peer, headers, trusted))
}

/// 429 with the wait, in whole seconds, rounded up.
fn too_many_attempts(wait: Duration) -> ApiError {
    let millis = u64::try_from(wait.num_milliseconds()).unwrap_or(0);
    ApiError::TooManyAttempts {
        retry_after_secs: millis.div_ceil(1000).max(1),
    }
}

/// Runs a password hash off the async runtime, a few at a time: each takes
/// tens of milliseconds and 19 MiB, and a rush of sign-ins must not take
/// every core from the checkout.
async fn hashing<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let _permit = state
        .password_hashing
        .acquire()
        .await
        .map_err(|_| ApiError::Unavailable)?;
    tokio::task::spawn_blocking(work).await.map_err(|error| {
        tracing::error!(%error, "a password hash did not finish");
        ApiError::Internal
    })
}

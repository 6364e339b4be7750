//! Who is asking. Every `/api/v1/admin/…` request is signed in, with an
//! API token (`Authorization: Bearer`, for scripts) or the back office's
//! session cookie; a cookie write must also carry the session's CSRF token
//! and, when it says where it comes from, the shop's own `Origin`. The role
//! a route needs is checked in one place: its handler's `CurrentAdmin<R>`.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use super::AppState;
use super::extract::bearer_token;
use super::problem::{ApiError, Forbidden};
use crate::domain::admin::Admin;
use crate::domain::staff::{Role, is_csrf_token};
use crate::domain::tokens::hash_token;
use crate::store::OpenSession;

/// The cookie that holds a back-office session's token.
pub const SESSION_COOKIE: &str = "stockroom_session";

/// The header a cookie-authenticated write carries its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The person making this request, and how they proved it.
#[derive(Clone, Debug)]
pub struct Caller {
    pub admin: Admin,
    /// The session's token hash when signed in with the cookie; `None`
    /// with an API token.
    pub session: Option<String>,
}

/// Finds the caller from a bearer token or the session cookie, checks a
/// cookie write's origin and CSRF token, and hands the caller to the
/// handler; 401 or 403 otherwise.
pub async fn require_admin(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    match caller(&state, &parts).await {
        Ok(caller) => {
            parts.extensions.insert(caller);
            next.run(Request::from_parts(parts, body)).await
        }
        Err(error) => error.into_response(),
    }
}

async fn caller(state: &AppState, parts: &Parts) -> Result<Caller, ApiError> {
    if let Some(token) = bearer_token(parts) {
        let admin = state.store.authenticate_admin(token).await?;
        return admin
            .map(|admin| Caller {
                admin,
                session: None,
            })
            .ok_or(ApiError::Unauthorized);
    }
    let Some(token_hash) = session_cookie(&parts.headers).map(hash_token) else {
        return Err(ApiError::Unauthorized);
    };
    let session = open_session(state, &token_hash).await?;
    if is_write(&parts.method) {
        check_write(state, &parts.headers, &token_hash)?;
    }
    let idle = state.config.sign_in.session_idle;
    if crate::store::session_stale_since(session.last_seen_at, idle) {
        state
            .store
            .touch_session(session.admin.id, &token_hash)
            .await?;
    }
    Ok(Caller {
        admin: session.admin,
        session: Some(token_hash),
    })
}

/// The session kept as `token_hash` if it is open, its person active, and
/// it has been used recently and started not too long ago.
async fn open_session(state: &AppState, token_hash: &str) -> Result<OpenSession, ApiError> {
    let Some(session) = state.store.session(token_hash).await? else {
        return Err(ApiError::Unauthorized);
    };
    let limits = &state.config.sign_in;
    let now = Utc::now();
    if now - session.last_seen_at > limits.session_idle
        || now - session.created_at > limits.session_max
    {
        state.store.end_session(token_hash).await?;
        return Err(ApiError::Unauthorized);
    }
    Ok(session)
}

/// A write with the session cookie: from the shop's own origin when the
/// browser says where it comes from, and with the session's CSRF token.
fn check_write(state: &AppState, headers: &HeaderMap, token_hash: &str) -> Result<(), ApiError> {
    if let Some(origin) = headers.get(header::ORIGIN) {
        let own = origin
            .to_str()
            .is_ok_and(|origin| state.config.public_url.is_own_origin(origin));
        if !own {
            return Err(ApiError::Forbidden(Forbidden::Origin));
        }
    }
    let presented = headers
        .get(CSRF_HEADER)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if !is_csrf_token(state.store.shop_secret(), token_hash, presented) {
        return Err(ApiError::Forbidden(Forbidden::CsrfToken));
    }
    Ok(())
}

/// Whether a request may change something: every method but the safe ones.
fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The session token of the `Cookie` header, never of the query string.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// The role a route needs, named by a type so that a handler says it in
/// its signature: `CurrentAdmin<Owner>` or `CurrentAdmin<Staff>`.
pub trait NeededRole: Sized {
    const ROLE: Role;
    fn new() -> Self;
}

/// Routes for the owner only: settings, staff, webhooks, notifications…
#[derive(Debug)]
pub struct Owner;

/// Routes for everyone who runs the shop, owner and staff.
#[derive(Debug)]
pub struct Staff;

impl NeededRole for Owner {
    const ROLE: Role = Role::Owner;
    fn new() -> Self {
        Owner
    }
}

impl NeededRole for Staff {
    const ROLE: Role = Role::Staff;
    fn new() -> Self {
        Staff
    }
}

/// The signed-in person making this request, if their role is at least
/// `R`; 403 `forbidden` if it is not, 401 if nobody is signed in.
pub struct CurrentAdmin<R: NeededRole>(pub Admin, pub R);

impl<R: NeededRole, S: Send + Sync> FromRequestParts<S> for CurrentAdmin<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let caller = parts
            .extensions
            .get::<Caller>()
            .ok_or(ApiError::Unauthorized)?;
        if caller.admin.role < R::ROLE {
            return Err(ApiError::Forbidden(Forbidden::OwnerOnly));
        }
        Ok(CurrentAdmin(caller.admin.clone(), R::new()))
    }
}

/// The caller with how they signed in, for the routes about the session itself.
impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or(ApiError::Unauthorized)
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn the_session_is_read_from_the_cookie_header_only() {
        let mut headers = HeaderMap::new();
        assert_eq!(session_cookie(&headers), None);
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; stockroom_session=srs_abc ; x=1"),
        );
        assert_eq!(session_cookie(&headers), Some("srs_abc"));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("stockroom_session="),
        );
        assert_eq!(session_cookie(&headers), None);
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("my_stockroom_session=x"),
        );
        assert_eq!(session_cookie(&headers), None);
    }

    #[test]
    fn only_safe_methods_are_reads() {
        assert!(!is_write(&Method::GET) && !is_write(&Method::HEAD));
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            assert!(is_write(&method), "{method}");
        }
    }
}

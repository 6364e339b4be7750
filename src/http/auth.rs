//! The admin guard: every `/api/v1/admin/…` request needs a valid admin bearer token.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::extract::bearer_token;
use super::problem::ApiError;
use crate::domain::admin::Admin;

/// Checks the token and hands the admin to the handler; 401 otherwise.
pub async fn require_admin(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let admin = match bearer_token(&parts) {
        Some(token) => state.store.authenticate_admin(token).await,
        None => Ok(None),
    };
    match admin {
        Ok(Some(admin)) => {
            parts.extensions.insert(admin);
            next.run(Request::from_parts(parts, body)).await
        }
        Ok(None) => ApiError::Unauthorized.into_response(),
        Err(error) => ApiError::from(error).into_response(),
    }
}

/// The admin making this request, as checked by `require_admin`.
pub struct CurrentAdmin(pub Admin);

impl<S: Send + Sync> FromRequestParts<S> for CurrentAdmin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Admin>()
            .cloned()
            .map(CurrentAdmin)
            .ok_or(ApiError::Unauthorized)
    }
}

//! Extractors that turn what a client sent into checked values, or into the
//! right problem: 413 before 415 before 422, never axum's plain text.

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::AppState;
use super::problem::ApiError;
use crate::domain::limits::IDEMPOTENCY_KEY_CHARS_MAX;
use crate::domain::{FieldError, Lang, ValidationError};

/// A JSON body, read within the body limit, with the content type checked
/// and every type strict (`"2"` is not a quantity). Keeps the raw bytes.
pub struct ApiJson<T> {
    pub value: T,
    pub raw: Bytes,
}

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json"
                    || (mime.starts_with("application/") && mime.ends_with("+json"))
            })
            .unwrap_or(false);
        let raw = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                unread_body(&rejection, state.config.limits.request_body_bytes_max)
            })?;
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        // serde would read `[5, "note"]` as a struct; every body here is an object.
        let first = raw.iter().find(|b| !b.is_ascii_whitespace());
        if first.is_some_and(|b| *b != b'{') {
            return Err(ApiError::Validation(ValidationError::one(FieldError::new(
                "body",
                "Le corps doit être un objet JSON ({…}).",
                "The body must be a JSON object ({…}).",
            ))));
        }
        // serde_json refuses nesting past 128 in the fields it reads, but skips
        // an unknown field of any depth: refuse it the same way everywhere.
        if nesting_exceeds(&raw, JSON_NESTING_MAX) {
            return Err(ApiError::Validation(ValidationError::one(FieldError::new(
                "body",
                format!("Le corps est imbriqué sur plus de {JSON_NESTING_MAX} niveaux."),
                format!("The body is nested more than {JSON_NESTING_MAX} levels deep."),
            ))));
        }
        let value = parse_json(&raw)?;
        Ok(ApiJson { value, raw })
    }
}

/// A body that could not be read: over `max_bytes`, or cut short.
pub fn unread_body(
    rejection: &axum::extract::rejection::BytesRejection,
    max_bytes: usize,
) -> ApiError {
    if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge { max_bytes }
    } else {
        ApiError::Validation(ValidationError::one(FieldError::new(
            "body",
            "Le corps de la requête n'a pas pu être lu.",
            "The request body could not be read.",
        )))
    }
}

/// The deepest nesting of arrays and objects a body may have (serde_json's own limit).
pub const JSON_NESTING_MAX: usize = 128;

/// Whether the arrays and objects of `raw` nest deeper than `max`; brackets
/// inside strings do not count. Well-formedness is left to the parser.
/// Public for the fuzz targets (`fuzz/`), which compare it with serde_json.
pub fn nesting_exceeds(raw: &[u8], max: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &byte in raw {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// Parses JSON, naming the field and the reason when it does not fit.
pub fn parse_json<T: DeserializeOwned>(raw: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(raw);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let error = error.into_inner();
        // Broken or truncated JSON is the body's fault, not the field it stopped in.
        let field = (path != "." && error.is_data()).then_some(path);
        json_error(field, error)
    })?;
    deserializer
        .end()
        .map_err(|error| json_error(None, error))?;
    Ok(value)
}

fn json_error(path: Option<String>, error: serde_json::Error) -> ApiError {
    let (field, (fr, en)) = match path {
        None => ("body".to_owned(), super::json_errors::body_problem(&error)),
        Some(path) => (path, super::json_errors::field_problem(&error)),
    };
    ApiError::Validation(ValidationError::one(FieldError::new(field, fr, en)))
}

/// Query parameters; anything malformed is a 422 naming the parameter.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|error| {
                let path = error.path().to_string();
                let inner = error.into_inner();
                let (fr, en) = query_problem(&inner.to_string());
                ApiError::Validation(ValidationError::one(FieldError::new(
                    path.clone(),
                    format!("Le paramètre « {path} » est invalide : {fr}"),
                    format!("The query parameter `{path}` is invalid: {en}"),
                )))
            })
    }
}

/// A query parameter's problem in plain words, as `(fr, en)`.
fn query_problem(message: &str) -> (String, String) {
    if message.contains("unknown variant") {
        let choices = message
            .split_once("expected one of ")
            .map_or("", |(_, c)| c)
            .replace('`', "");
        return (
            format!("les valeurs possibles sont {choices}."),
            format!("the possible values are {choices}."),
        );
    }
    if message.contains("invalid digit") || message.contains("number") {
        return (
            "indiquez un nombre entier.".into(),
            "give a whole number.".into(),
        );
    }
    (
        "cette valeur n'a pas la forme attendue.".into(),
        "this value does not have the expected form.".into(),
    )
}

/// Path parameters. One that does not decode to text (`%FF`) names nothing
/// here: a 404 problem rather than axum's plain-text 400.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => Err(ApiError::RouteNotFound),
            Err(rejection) => {
                // Logged once here, where it becomes a 500: a route without its parameters.
                tracing::error!(%rejection, "path parameters missing");
                Err(ApiError::Internal)
            }
        }
    }
}

/// The request's language, from `Accept-Language`.
pub struct AcceptLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for AcceptLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        Ok(AcceptLang(
            header.map(Lang::from_accept_language).unwrap_or_default(),
        ))
    }
}

/// The document's pattern of an `Idempotency-Key`: visible ASCII characters
/// (with at most [`IDEMPOTENCY_KEY_CHARS_MAX`] of them).
pub const IDEMPOTENCY_KEY_PATTERN: &str = "^[!-~]+$";

/// The optional `Idempotency-Key` header: 1 to 255 visible ASCII characters.
pub struct IdempotencyKeyHeader(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKeyHeader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get("idempotency-key") else {
            return Ok(IdempotencyKeyHeader(None));
        };
        match value.to_str() {
            Ok(key) if is_idempotency_key(value.as_bytes()) => {
                Ok(IdempotencyKeyHeader(Some(key.to_owned())))
            }
            _ => Err(ApiError::Validation(ValidationError::one(FieldError::new(
                "Idempotency-Key",
                format!(
                    "L'en-tête Idempotency-Key doit compter de 1 à {IDEMPOTENCY_KEY_CHARS_MAX} caractères ASCII visibles."
                ),
                format!(
                    "The Idempotency-Key header must be 1 to {IDEMPOTENCY_KEY_CHARS_MAX} visible ASCII characters."
                ),
            )))),
        }
    }
}

fn is_idempotency_key(bytes: &[u8]) -> bool {
    (1..=IDEMPOTENCY_KEY_CHARS_MAX).contains(&bytes.len())
        && bytes.iter().all(|b| (0x21..=0x7e).contains(b))
}

/// The token of an `Authorization: Bearer …` header, if any.
pub fn bearer_token(parts: &Parts) -> Option<&str> {
    bearer_token_of(&parts.headers)
}

/// The token of an `Authorization: Bearer …` header, if any.
pub fn bearer_token_of(headers: &axum::http::HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::invalid::matching;

    #[test]
    fn nesting_is_counted_outside_strings_only() {
        let at = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n)).into_bytes();
        assert!(!nesting_exceeds(&at(JSON_NESTING_MAX), JSON_NESTING_MAX));
        assert!(nesting_exceeds(&at(JSON_NESTING_MAX + 1), JSON_NESTING_MAX));
        let in_string = format!(r#"{{"a": "{}\"{}"}}"#, "[".repeat(500), "{".repeat(500));
        assert!(!nesting_exceeds(in_string.as_bytes(), JSON_NESTING_MAX));
    }

    proptest! {
        #[test]
        fn every_idempotency_key_the_document_allows_is_accepted(
            key in matching(IDEMPOTENCY_KEY_PATTERN)
        ) {
            let accepted = is_idempotency_key(key.as_bytes());
            prop_assert_eq!(accepted, key.len() <= IDEMPOTENCY_KEY_CHARS_MAX);
        }
    }
}

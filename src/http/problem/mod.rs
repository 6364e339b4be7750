//! The one table from errors to HTTP answers: every error is an RFC 9457
//! problem+json with a stable `code` and a `detail` in the buyer's language.
//!
//! Handlers and extractors return `ApiError`; its response carries the error
//! itself, and the `localize` middleware, which knows the request's
//! language, writes the body. So even rejections raised before a handler runs
//! answer in French or English as asked.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::domain::catalog_csv::LineError;
use crate::domain::drop::DropConflict;
use crate::domain::order::{
    CheckoutRefusal, DropMoment, InvalidTransition, PriceChange, UnavailableLine,
};
use crate::domain::receiving::StaleLine;
use crate::domain::{Lang, ValidationError};
use crate::store::{Resource, StoreError};

mod body;
mod detail;

pub use body::{FieldProblem, Problem};

/// `Retry-After` while the disk is full, in seconds.
pub const DISK_FULL_RETRY_AFTER_SECS: u64 = 30;

#[derive(Clone, Debug)]
pub enum ApiError {
    Validation(ValidationError),
    NotFound {
        resource: Resource,
        key: String,
    },
    RouteNotFound,
    Unauthorized,
    /// A wrong name or password at sign-in: one sentence for both.
    SignInRefused,
    /// Signed in, but not allowed this: a staff member on an owner's route,
    /// or a cookie write without its CSRF token or from another origin.
    Forbidden(Forbidden),
    /// Too many failed sign-ins for a name or from an address: every
    /// attempt waits, the right password too (`domain/sign_in.rs`).
    TooManyAttempts {
        retry_after_secs: u64,
    },
    /// Revoking the last active owner.
    LastOwner,
    /// Retiring a variant that still holds stock.
    VariantHoldsStock {
        sku: String,
        available: i64,
    },
    /// Retiring the last variant for sale of an active product.
    LastVariantForSale {
        sku: String,
    },
    /// A checkout naming a variant that is not for sale.
    ProductUnavailable(Vec<UnavailableLine>),
    /// A checkout whose `expected_total` is not the server's total.
    PriceChanged(PriceChange),
    /// A checkout of a drop before its start.
    DropNotStarted(DropMoment),
    /// An order placed from a drop's page after its end.
    DropEnded(DropMoment),
    /// `/metrics` without a metrics token, asked from off the shop's machine.
    MetricsNotLocal,
    AlreadyExists {
        field: &'static str,
        value: String,
    },
    /// A checkout refused by the engine: every refusal is a 409 with its own code.
    Refused(CheckoutRefusal),
    StockWouldGoNegative {
        sku: String,
        available: i64,
        delta: i64,
    },
    /// A count whose lines' stock moved since they were counted.
    StaleStock(Vec<StaleLine>),
    IdempotencyKeyReused,
    InvalidTransition(InvalidTransition),
    /// An owner's change to a drop that the drops refuse: a sku in an
    /// overlapping drop (`already_exists`), an edit after its start or an
    /// end after its end (`invalid_transition`).
    DropConflict(DropConflict),
    PreconditionFailed,
    PreconditionRequired,
    PayloadTooLarge {
        max_bytes: usize,
    },
    UnsupportedMediaType,
    /// A CSV import whose body is not `text/csv`.
    NotCsv,
    /// A photo over the upload's own limit (`admin_images.rs`).
    PhotoTooLarge {
        max_bytes: usize,
    },
    /// A photo upload whose body is not a `multipart/form-data` form.
    NotAForm,
    MethodNotAllowed,
    /// The request's `Host` is not one of the shop's (`http/allowed_hosts.rs`).
    MisdirectedRequest,
    /// This client address spent its budget of writes (`http/rate_limit.rs`).
    RateLimited {
        retry_after_secs: u64,
    },
    /// The request's body did not arrive in full within its deadline
    /// (`http/deadline.rs`); the connection is closed after the answer.
    RequestTimeout,
    Unavailable,
    /// Writes fail because the database's disk is full: an operating
    /// condition, answered like any unavailability (`unavailable`, 503)
    /// with its own sentence and a longer `Retry-After`.
    DiskFull,
    Internal,
}

/// Why a signed-in request is refused with 403.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Forbidden {
    /// The route is the owner's; the caller is staff.
    OwnerOnly,
    /// A write authenticated by the session cookie without the session's
    /// `X-CSRF-Token`.
    CsrfToken,
    /// A write authenticated by the session cookie whose `Origin` is not
    /// the shop's own (`--public-url`).
    Origin,
}

impl From<ValidationError> for ApiError {
    fn from(error: ValidationError) -> Self {
        ApiError::Validation(error)
    }
}

impl From<CheckoutRefusal> for ApiError {
    fn from(refusal: CheckoutRefusal) -> Self {
        ApiError::Refused(refusal)
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Invalid(e) => ApiError::Validation(e),
            StoreError::ImportRefused(lines) => {
                ApiError::Validation(LineError::as_validation(&lines))
            }
            StoreError::NotFound { resource, key } => ApiError::NotFound { resource, key },
            StoreError::AlreadyExists { field, value } => ApiError::AlreadyExists { field, value },
            StoreError::Refused(refusal) => refusal.into(),
            StoreError::StockWouldGoNegative {
                sku,
                available,
                delta,
            } => ApiError::StockWouldGoNegative {
                sku,
                available,
                delta,
            },
            StoreError::StaleStock(lines) => ApiError::StaleStock(lines),
            StoreError::InvalidTransition(t) => ApiError::InvalidTransition(t),
            StoreError::Drop(conflict) => ApiError::DropConflict(conflict),
            StoreError::LastOwner => ApiError::LastOwner,
            StoreError::VariantHoldsStock { sku, available } => {
                ApiError::VariantHoldsStock { sku, available }
            }
            StoreError::LastVariantForSale { sku } => ApiError::LastVariantForSale { sku },
            StoreError::ProductUnavailable(lines) => ApiError::ProductUnavailable(lines),
            StoreError::PriceChanged(change) => ApiError::PriceChanged(change),
            StoreError::DropNotStarted(drop) => ApiError::DropNotStarted(drop),
            StoreError::DropEnded(drop) => ApiError::DropEnded(drop),
            StoreError::PreconditionFailed => ApiError::PreconditionFailed,
            StoreError::IdempotencyKeyReused => ApiError::IdempotencyKeyReused,
            StoreError::Unavailable(reason) => {
                tracing::warn!(%reason, "answering 503: store unavailable");
                ApiError::Unavailable
            }
            StoreError::DiskFull(reason) => {
                // The store said so once, with where; not again per request.
                tracing::debug!(%reason, "answering 503: the disk is full");
                ApiError::DiskFull
            }
            StoreError::Internal(reason) => {
                // Logged once here, where it becomes a 500; the client sees no internals.
                tracing::error!(%reason, "internal store error");
                ApiError::Internal
            }
        }
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) | ApiError::IdempotencyKeyReused => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::NotFound { .. } | ApiError::RouteNotFound => StatusCode::NOT_FOUND,
            ApiError::Unauthorized | ApiError::SignInRefused => StatusCode::UNAUTHORIZED,
            ApiError::MetricsNotLocal | ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::LastOwner
            | ApiError::VariantHoldsStock { .. }
            | ApiError::LastVariantForSale { .. }
            | ApiError::ProductUnavailable(_)
            | ApiError::PriceChanged(_)
            | ApiError::DropNotStarted(_)
            | ApiError::DropEnded(_) => StatusCode::CONFLICT,
            ApiError::AlreadyExists { .. }
            | ApiError::Refused(_)
            | ApiError::StockWouldGoNegative { .. }
            | ApiError::StaleStock(_)
            | ApiError::InvalidTransition(_)
            | ApiError::DropConflict(_) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::PayloadTooLarge { .. } | ApiError::PhotoTooLarge { .. } => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            ApiError::UnsupportedMediaType | ApiError::NotCsv | ApiError::NotAForm => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::MisdirectedRequest => StatusCode::MISDIRECTED_REQUEST,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::Unavailable | ApiError::DiskFull => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine-readable name of the problem.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "validation_failed",
            ApiError::NotFound { .. } | ApiError::RouteNotFound => "not_found",
            ApiError::Unauthorized | ApiError::SignInRefused => "unauthorized",
            ApiError::MetricsNotLocal | ApiError::Forbidden(_) => "forbidden",
            ApiError::TooManyAttempts { .. } => "too_many_attempts",
            ApiError::LastOwner
            | ApiError::VariantHoldsStock { .. }
            | ApiError::LastVariantForSale { .. } => "invalid_transition",
            ApiError::ProductUnavailable(_) => "product_unavailable",
            ApiError::PriceChanged(_) => "price_changed",
            ApiError::DropNotStarted(_) => "drop_not_started",
            ApiError::DropEnded(_) => "drop_ended",
            ApiError::AlreadyExists { .. } => "already_exists",
            ApiError::Refused(refusal) => refusal.code(),
            ApiError::StockWouldGoNegative { .. } => "insufficient_stock",
            ApiError::StaleStock(_) => "stale_stock",
            ApiError::IdempotencyKeyReused => "idempotency_key_reused",
            ApiError::InvalidTransition(_) => "invalid_transition",
            ApiError::DropConflict(conflict) => conflict.code(),
            ApiError::PreconditionFailed => "precondition_failed",
            ApiError::PreconditionRequired => "precondition_required",
            ApiError::PayloadTooLarge { .. } | ApiError::PhotoTooLarge { .. } => {
                "payload_too_large"
            }
            ApiError::UnsupportedMediaType | ApiError::NotCsv | ApiError::NotAForm => {
                "unsupported_media_type"
            }
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::MisdirectedRequest => "misdirected_request",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::RequestTimeout => "request_timeout",
            ApiError::Unavailable | ApiError::DiskFull => "unavailable",
            ApiError::Internal => "internal_error",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "Validation failed",
            ApiError::NotFound { .. } | ApiError::RouteNotFound => "Not found",
            ApiError::Unauthorized | ApiError::SignInRefused => "Unauthorized",
            ApiError::MetricsNotLocal | ApiError::Forbidden(_) => "Forbidden",
            ApiError::TooManyAttempts { .. } => "Too many attempts",
            ApiError::LastOwner
            | ApiError::VariantHoldsStock { .. }
            | ApiError::LastVariantForSale { .. } => "Invalid transition",
            ApiError::ProductUnavailable(_) => "Product unavailable",
            ApiError::PriceChanged(_) => "Price changed",
            ApiError::DropNotStarted(_) => "Drop not started",
            ApiError::DropEnded(_) => "Drop ended",
            ApiError::AlreadyExists { .. } => "Already exists",
            ApiError::Refused(CheckoutRefusal::InsufficientStock(_))
            | ApiError::StockWouldGoNegative { .. } => "Insufficient stock",
            ApiError::Refused(CheckoutRefusal::OrderLimitReached { .. }) => "Order limit reached",
            ApiError::Refused(CheckoutRefusal::DropLimitReached { .. }) => "Drop limit reached",
            ApiError::StaleStock(_) => "Stale stock",
            ApiError::IdempotencyKeyReused => "Idempotency key reused",
            ApiError::InvalidTransition(_) => "Invalid status transition",
            ApiError::DropConflict(DropConflict::Overlap { .. }) => "Already exists",
            ApiError::DropConflict(_) => "Invalid transition",
            ApiError::PreconditionFailed => "Precondition failed",
            ApiError::PreconditionRequired => "Precondition required",
            ApiError::PayloadTooLarge { .. } | ApiError::PhotoTooLarge { .. } => {
                "Payload too large"
            }
            ApiError::UnsupportedMediaType | ApiError::NotCsv | ApiError::NotAForm => {
                "Unsupported media type"
            }
            ApiError::MethodNotAllowed => "Method not allowed",
            ApiError::MisdirectedRequest => "Misdirected request",
            ApiError::RateLimited { .. } => "Too many requests",
            ApiError::RequestTimeout => "Request timeout",
            ApiError::Unavailable | ApiError::DiskFull => "Service unavailable",
            ApiError::Internal => "Internal error",
        }
    }

    /// The whole answer, for places that know the language (stored checkout answers).
    pub fn to_response(&self, lang: Lang) -> Response {
        let mut response = (self.status(), self.body(lang).to_json()).into_response();
        self.add_headers(&mut response);
        response
    }

    fn add_headers(&self, response: &mut Response) {
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        match self {
            ApiError::Unauthorized => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"stockroom admin\""),
                );
            }
            ApiError::Unavailable => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            ApiError::DiskFull => {
                // Someone has to free space: not a matter of a second.
                headers.insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(DISK_FULL_RETRY_AFTER_SECS),
                );
            }
            ApiError::RateLimited { retry_after_secs }
            | ApiError::TooManyAttempts { retry_after_secs } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
            }
            ApiError::RequestTimeout => {
                // The rest of the body may still be on its way: the
                // connection cannot carry another request.
                headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            _ => {}
        }
    }
}

impl IntoResponse for ApiError {
    /// Status and headers now; the body is written by `localize`.
    fn into_response(self) -> Response {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = self.status();
        self.add_headers(&mut response);
        response.extensions_mut().insert(self);
        response
    }
}

/// Writes the body of every `ApiError` answer in the request's language.
pub async fn localize(request: Request, next: Next) -> Response {
    let lang = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default();
    let mut response = next.run(request).await;
    if let Some(error) = response.extensions_mut().remove::<ApiError>() {
        // Refusals and conflicts at INFO, once. Checkout refusals are logged
        // with their order's skus where they are decided (`orders.rs`), the
        // rate limit's are counted rather than logged (`rate_limit.rs`), and
        // 5xx where they arise.
        let checkout = matches!(error, ApiError::Refused(_));
        let rate_limited = matches!(error, ApiError::RateLimited { .. });
        if error.status().is_client_error() && !checkout && !rate_limited {
            tracing::info!(
                code = error.code(),
                status = error.status().as_u16(),
                "refused"
            );
        }
        *response.body_mut() = Body::from(error.body(lang).to_json());
    }
    response
}

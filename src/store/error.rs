//! What a store operation can answer besides success: refusals by name, then failures.

use crate::domain::ValidationError;
use crate::domain::order::{CheckoutRefusal, InvalidTransition};

/// The things a store looks up by key, for "not found" answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    Product,
    Sku,
    Order,
    Admin,
    /// A product's photo, by its position (`{product}/{n}`).
    Image,
    /// A setup link: unknown, used, expired or revoked, all alike.
    SetupLink,
    Receipt,
    Webhook,
    Delivery,
    /// A waitlist's unsubscribe link.
    WaitlistLink,
    /// A customer, by the phone their orders were placed with.
    Customer,
    /// A drop, by its id or its slug.
    Drop,
}

#[derive(Clone, Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("{resource:?} `{key}` not found")]
    NotFound { resource: Resource, key: String },
    #[error("{field} `{value}` already exists")]
    AlreadyExists { field: &'static str, value: String },
    #[error(transparent)]
    Refused(#[from] CheckoutRefusal),
    /// An adjustment that would take a variant's stock below zero.
    #[error("stock of {sku} would go below zero ({available} available, change {delta})")]
    StockWouldGoNegative {
        sku: String,
        available: i64,
        delta: i64,
    },
    /// A count whose lines' stock moved since they were counted: every
    /// such line, and nothing applied.
    #[error("{} counted line(s) changed since the count", .0.len())]
    StaleStock(Vec<crate::domain::receiving::StaleLine>),
    #[error(transparent)]
    InvalidTransition(#[from] InvalidTransition),
    /// An owner's change to a drop that the drops as they stand refuse:
    /// a sku in an overlapping drop, an edit after the start, an end after
    /// the end.
    #[error(transparent)]
    Drop(#[from] crate::domain::drop::DropConflict),
    /// Retiring a variant that still holds stock: it must be adjusted to 0 first.
    #[error("{sku} still holds {available} unit(s)")]
    VariantHoldsStock { sku: String, available: i64 },
    /// Retiring the last variant for sale of an active product.
    #[error("{sku} is the last variant for sale of an active product")]
    LastVariantForSale { sku: String },
    /// A checkout naming a variant that is not for sale: its product is a
    /// draft or archived, or the variant is retired. Depends on the moment,
    /// so it is never kept with an idempotency key.
    #[error("{} line(s) not for sale", .0.len())]
    ProductUnavailable(Vec<crate::domain::order::UnavailableLine>),
    /// A checkout whose `expected_total` is not the server's total: the
    /// buyer was shown other prices. Depends on the moment, never kept.
    #[error("the total is {} where the buyer was shown {}", .0.total, .0.expected_total)]
    PriceChanged(crate::domain::order::PriceChange),
    /// A checkout of a drop before it opened: a line of a drop hidden
    /// until its start, or an order placed from its page. Depends on the
    /// moment, never kept.
    #[error("the drop `{}` starts at {}", .0.slug, .0.starts_at)]
    DropNotStarted(crate::domain::order::DropMoment),
    /// An order placed from a drop's page after it ended: its prices no
    /// longer apply. Depends on the moment, never kept.
    #[error("the drop `{}` ended at {}", .0.slug, .0.ends_at)]
    DropEnded(crate::domain::order::DropMoment),
    /// Revoking the last active owner: the shop would have nobody to run it.
    #[error("the last owner cannot be revoked")]
    LastOwner,
    /// The `If-Match` ETag no longer matches: someone else edited first.
    #[error("the product changed since it was read")]
    PreconditionFailed,
    #[error("the idempotency key was used with another request body")]
    IdempotencyKeyReused,
    /// A catalog import's lines the database contradicts (a sku of another
    /// product, a size and colour taken), each by its line: nothing written.
    #[error("{} line(s) of the import refused", .0.len())]
    ImportRefused(Vec<crate::domain::catalog_csv::LineError>),
    /// The store is overloaded or unreachable; the client may retry.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// The disk under the database is full (`SQLITE_FULL`, `ENOSPC`,
    /// PostgreSQL's `53100`): writes fail until space is freed, reads go
    /// on. An operating condition, not a bug: the client may retry later.
    #[error("the database's disk is full: {0}")]
    DiskFull(String),
    /// A bug or a broken database; logged once, answered as a generic 500.
    #[error("internal store error: {0}")]
    Internal(String),
}

impl StoreError {
    pub fn not_found(resource: Resource, key: impl Into<String>) -> Self {
        StoreError::NotFound {
            resource,
            key: key.into(),
        }
    }

    pub fn already_exists(field: &'static str, value: &str) -> Self {
        StoreError::AlreadyExists {
            field,
            value: value.to_owned(),
        }
    }

    /// An I/O error of the store's own files: a full disk is `DiskFull`,
    /// anything else `Internal`.
    pub fn from_io(what: &str, error: &std::io::Error) -> Self {
        let text = format!("{what}: {error}");
        if crate::disk::is_full_error(error) {
            StoreError::DiskFull(text)
        } else {
            StoreError::Internal(text)
        }
    }

    /// What was said of a full disk, if this failure is one: the only
    /// failure that tells anything about the disk (`crate::disk`).
    pub fn disk_full(&self) -> Option<&str> {
        match self {
            StoreError::DiskFull(detail) => Some(detail),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::{DatabaseBusy, DatabaseLocked, DiskFull};
        match error.sqlite_error_code() {
            Some(DatabaseBusy | DatabaseLocked) => StoreError::Unavailable(error.to_string()),
            Some(DiskFull) => StoreError::DiskFull(error.to_string()),
            _ => StoreError::Internal(error.to_string()),
        }
    }
}

impl From<r2d2::Error> for StoreError {
    fn from(error: r2d2::Error) -> Self {
        StoreError::Unavailable(format!("no database connection: {error}"))
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(error: tokio_postgres::Error) -> Self {
        // Retryable answers, lost connections, timeouts (57014 a statement's,
        // 55P03 a lock's) and an overloaded server (53300, too many
        // connections) are "try again later"; anything else is a bug or a
        // broken database.
        let code = error.code().map(|c| c.code());
        let text = describe_pg_error(&error);
        if code == Some("53100") {
            // disk_full: a relation, a temporary file or the WAL could not grow.
            StoreError::DiskFull(text)
        } else if is_retryable_answer(&error)
            || is_lost_connection(&error)
            || matches!(code, Some("57014" | "55P03" | "53300"))
        {
            StoreError::Unavailable(text)
        } else {
            StoreError::Internal(text)
        }
    }
}

/// 40001 serialization failure, 40P01 deadlock detected.
pub(in crate::store) fn is_retryable_answer(error: &tokio_postgres::Error) -> bool {
    matches!(error.code().map(|c| c.code()), Some("40001" | "40P01"))
}

/// The connection broke (server restart, network, failover): class 08, or
/// 57P01–57P03 (the server shutting down or not yet accepting).
pub(in crate::store) fn is_lost_connection(error: &tokio_postgres::Error) -> bool {
    if error.is_closed() {
        return true;
    }
    match error.code().map(|c| c.code()) {
        Some(code) => code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03"),
        None => std::error::Error::source(error).is_some_and(|s| s.is::<std::io::Error>()),
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(error: deadpool_postgres::PoolError) -> Self {
        StoreError::Unavailable(format!("no database connection: {error}"))
    }
}

/// What went wrong, with the server's own message or the underlying I/O
/// error: `tokio_postgres::Error` alone prints only "db error".
pub fn describe_pg_error(error: &tokio_postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        return format!("{} {}: {}", db.severity(), db.code().code(), db.message());
    }
    match std::error::Error::source(error) {
        Some(source) => format!("{error}: {source}"),
        None => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_told_apart_from_other_failures() {
        let full = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        );
        assert!(matches!(StoreError::from(full), StoreError::DiskFull(_)));
        let corrupt = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
            None,
        );
        assert!(matches!(StoreError::from(corrupt), StoreError::Internal(_)));
        let enospc = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert!(matches!(
            StoreError::from_io("writing", &enospc),
            StoreError::DiskFull(_)
        ));
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert!(matches!(
            StoreError::from_io("writing", &denied),
            StoreError::Internal(_)
        ));
    }

    #[test]
    fn other_failures_say_nothing_about_the_disk() {
        let full = StoreError::DiskFull("database or disk is full".into());
        assert_eq!(full.disk_full(), Some("database or disk is full"));
        assert_eq!(StoreError::Unavailable("busy".into()).disk_full(), None);
        assert_eq!(StoreError::Internal("bug".into()).disk_full(), None);
    }
}

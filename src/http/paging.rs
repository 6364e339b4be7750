//! Query parameters shared by the lists: dates, page sizes and opaque cursors.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::domain::limits::{PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX};
use crate::domain::{FieldError, time};

/// A `from`/`to` parameter; empty means absent.
pub fn date_param(
    field: &str,
    raw: Option<String>,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, FieldError> {
    raw.filter(|r| !r.is_empty())
        .map(|r| time::parse(field, &r))
        .transpose()
}

/// `?limit=`: 50 by default, 1 to 500.
pub fn page_size(limit: Option<usize>) -> Result<usize, FieldError> {
    match limit {
        None => Ok(PAGE_SIZE_DEFAULT),
        Some(n) if (1..=PAGE_SIZE_MAX).contains(&n) => Ok(n),
        Some(_) => Err(FieldError::out_of_range("limit", 1, PAGE_SIZE_MAX as i64)),
    }
}

/// Cursors are opaque to clients: a position, base64url-encoded.
pub fn encode_cursor(position: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("p{position}"))
}

pub fn decode_cursor(cursor: Option<String>) -> Result<Option<i64>, FieldError> {
    decode_position(cursor)?
        .map(|position| position.parse::<i64>().map_err(|_| bad_cursor()))
        .transpose()
}

/// The position a cursor holds, as text: what `encode_cursor` was given.
pub fn decode_position(cursor: Option<String>) -> Result<Option<String>, FieldError> {
    let Some(cursor) = cursor.filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    URL_SAFE_NO_PAD
        .decode(cursor.as_bytes())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix('p').map(str::to_owned))
        .map(Some)
        .ok_or_else(bad_cursor)
}

pub fn bad_cursor() -> FieldError {
    FieldError::new(
        "cursor",
        "Ce curseur de pagination n'est pas valide.",
        "This pagination cursor is not valid.",
    )
}

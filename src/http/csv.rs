//! The HTTP side of the CSV rules (`domain/csv_rules.rs`): `?lang=en` and
//! `?excel=1` read into a style, a CSV answered as a dated attachment, and
//! a CSV body read within its own limit.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::AppState;
use super::problem::ApiError;
use crate::domain::csv_rules::CsvStyle;
use crate::domain::limits::CSV_IMPORT_BYTES_MAX;
use crate::domain::{FieldError, Lang, ValidationError};

/// `?lang=fr|en&excel=1`, shared by every CSV download.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StyleQuery {
    /// The language of the headers and of the words in cells: `fr` (the
    /// default) or `en`.
    pub lang: Option<String>,
    /// `1`: for Excel, a byte-order mark first and `;` between cells.
    pub excel: Option<String>,
}

impl StyleQuery {
    pub fn style(&self) -> Result<CsvStyle, ValidationError> {
        style(self.lang.as_deref(), self.excel.as_deref())
    }
}

/// The style `?lang=` and `?excel=` ask for.
pub fn style(lang: Option<&str>, excel: Option<&str>) -> Result<CsvStyle, ValidationError> {
    let lang = match lang.unwrap_or("") {
        "" | "fr" => Ok(Lang::Fr),
        "en" => Ok(Lang::En),
        other => Err(FieldError::new(
            "lang",
            format!("Langue inconnue « {other} » (fr ou en)."),
            format!("Unknown language `{other}` (fr or en)."),
        )),
    };
    let excel = flag("excel", excel);
    match (lang, excel) {
        (Ok(lang), Ok(excel)) => Ok(CsvStyle { lang, excel }),
        (lang, excel) => Err(ValidationError(
            lang.err().into_iter().chain(excel.err()).collect(),
        )),
    }
}

/// A yes-or-no query parameter: `1`/`true` or `0`/`false`, absent is no.
pub fn flag(field: &str, raw: Option<&str>) -> Result<bool, FieldError> {
    match raw.unwrap_or("") {
        "" | "0" | "false" => Ok(false),
        "1" | "true" => Ok(true),
        other => Err(FieldError::new(
            field,
            format!("« {other} » n'est pas une valeur de « {field} » (1 ou 0)."),
            format!("`{other}` is not a value of `{field}` (1 or 0)."),
        )),
    }
}

/// A CSV download named `<stem>-<today>.csv`, the day the shop's (UTC).
pub fn attachment(stem: &str, bytes: Vec<u8>) -> Response {
    let today = chrono::Utc::now().format("%Y-%m-%d");
    let disposition = format!("attachment; filename=\"{stem}-{today}.csv\"");
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// A `text/csv` body of at most [`CSV_IMPORT_BYTES_MAX`] (the route sets
/// that limit): 413 before 415.
pub struct CsvBody(pub Bytes);

impl FromRequest<AppState> for CsvBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let is_csv = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("text/csv"));
        let raw = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| super::extract::unread_body(&rejection, CSV_IMPORT_BYTES_MAX))?;
        if !is_csv {
            return Err(ApiError::NotCsv);
        }
        Ok(CsvBody(raw))
    }
}

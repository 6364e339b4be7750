//! The audit, as JSON for programs and as CSV for a spreadsheet.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use super::AppState;
use super::problem::ApiError;
use crate::domain::audit::AuditReport;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/audit", get(get_audit))
        .route("/audit.csv", get(get_audit_csv))
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/audit",
    tag = "admin",
    responses(
        (status = 200, description = "Ledger, stock and orders compared, per variant", body = AuditReport),
    ),
)]
async fn get_audit(State(state): State<AppState>) -> Result<Json<AuditReport>, ApiError> {
    Ok(Json(state.store.audit().await?))
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/audit.csv",
    tag = "admin",
    responses(
        (status = 200, description = "The audit as CSV", body = String, content_type = "text/csv"),
    ),
)]
async fn get_audit_csv(State(state): State<AppState>) -> Result<Response, ApiError> {
    let report = state.store.audit().await?;
    let mut response = audit_csv(&report).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"audit.csv\""),
    );
    Ok(response)
}

/// One line per variant, in the JSON's field order, RFC 4180 quoting.
pub fn audit_csv(report: &AuditReport) -> String {
    let mut csv = String::from(
        "sku,title,size,color,initial,restocked,adjusted,sold,returned,expected,available,difference,status\r\n",
    );
    for v in &report.variants {
        let status = v.status.as_str();
        let fields = [
            quote(&v.sku),
            quote(&v.title),
            quote(&v.size),
            quote(v.color.as_deref().unwrap_or("")),
            v.initial.to_string(),
            v.restocked.to_string(),
            v.adjusted.to_string(),
            v.sold.to_string(),
            v.returned.to_string(),
            v.expected.to_string(),
            v.available.to_string(),
            v.difference.to_string(),
            status.to_owned(),
        ];
        csv.push_str(&fields.join(","));
        csv.push_str("\r\n");
    }
    csv
}

/// Quotes a field when it holds a comma, a quote or a line break; a leading
/// `=`, `+`, `-` or `@` is prefixed with `'` so no spreadsheet runs it.
fn quote(field: &str) -> String {
    let safe = if field.starts_with(['=', '+', '-', '@']) {
        format!("'{field}")
    } else {
        field.to_owned()
    };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

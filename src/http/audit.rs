//! The audit, as JSON for programs and as CSV for a spreadsheet.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};

use super::AppState;
use super::csv::{StyleQuery, attachment};
use super::extract::ApiQuery;
use super::problem::{ApiError, Problem};
use crate::domain::Lang;
use crate::domain::audit::{AuditReport, AuditStatus};
use crate::domain::csv_rules::{Cell, Column, CsvOut, CsvStyle};

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
    params(StyleQuery),
    responses(
        (status = 200, description = "The audit as CSV: French headers and statuses unless `lang=en`; \
a byte-order mark and `;` with `excel=1`", body = String, content_type = "text/csv"),
        (status = 422, description = "`validation_failed`: an unknown `lang` or `excel`", body = Problem),
    ),
)]
async fn get_audit_csv(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<StyleQuery>,
) -> Result<Response, ApiError> {
    let style = query.style()?;
    let report = state.store.audit().await?;
    Ok(attachment("audit", audit_csv(&report, style)))
}

/// The audit's columns, as the contract names them.
const AUDIT_COLUMNS: [Column; 14] = [
    Column::new("sku", "Référence"),
    Column::new("title", "Produit"),
    Column::new("size", "Taille"),
    Column::new("color", "Couleur"),
    Column::new("initial", "Stock initial"),
    Column::new("restocked", "Réapprovisionné"),
    Column::new("adjusted", "Ajusté"),
    Column::new("sold", "Vendu"),
    Column::new("returned", "Retourné"),
    Column::new("allocated", "Précommandes servies"),
    Column::new("expected", "Attendu"),
    Column::new("available", "En stock"),
    Column::new("difference", "Écart"),
    Column::new("status", "Statut"),
];

/// A status as the CSV in `lang` writes it.
fn status_word(status: AuditStatus, lang: Lang) -> &'static str {
    match (status, lang) {
        (AuditStatus::Ok, Lang::Fr) => "OK",
        (AuditStatus::Low, Lang::Fr) => "Faible",
        (AuditStatus::SoldOut, Lang::Fr) => "Épuisé",
        (AuditStatus::Anomaly, Lang::Fr) => "Anomalie",
        (status, Lang::En) => status.as_str(),
    }
}

/// One line per variant, in the JSON's field order.
pub fn audit_csv(report: &AuditReport, style: CsvStyle) -> Vec<u8> {
    let mut out = CsvOut::new(style, &AUDIT_COLUMNS);
    for v in &report.variants {
        out.row(&[
            Cell::Text(&v.sku),
            Cell::Text(&v.title),
            Cell::Text(&v.size),
            Cell::Text(v.color.as_deref().unwrap_or("")),
            Cell::Number(v.initial),
            Cell::Number(v.restocked),
            Cell::Number(v.adjusted),
            Cell::Number(v.sold),
            Cell::Number(v.returned),
            Cell::Number(v.allocated),
            Cell::Number(v.expected),
            Cell::Number(v.available),
            Cell::Number(v.difference),
            Cell::Text(status_word(v.status, style.lang)),
        ]);
    }
    out.finish()
}

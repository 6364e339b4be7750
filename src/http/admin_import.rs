//! The catalog import from the back office (owner only): a CSV file read
//! whole and checked line by line, then applied in one transaction, all or
//! nothing; with `?dry_run=true` the same import answered and rolled back.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::{CurrentAdmin, Owner};
use super::csv::{CsvBody, flag};
use super::extract::{AcceptLang, ApiQuery};
use super::problem::{ApiError, Problem};
use crate::domain::catalog_csv::{self, LineError};
use crate::domain::catalog_import::ImportSummary;
use crate::domain::limits::{CSV_IMPORT_BYTES_MAX, CSV_IMPORT_ERRORS_SHOWN_MAX};
use crate::domain::{Lang, ValidationError};
use crate::store::StoreError;

/// The import's path under `/api/v1/admin`; the router gives it its own
/// body limit and deadline.
pub const IMPORT_PATH: &str = "/import/catalog";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(IMPORT_PATH, post(import_catalog))
        .layer(DefaultBodyLimit::max(CSV_IMPORT_BYTES_MAX))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ImportQuery {
    /// `true`: answer what the import would do and write nothing
    /// (`false` by default).
    dry_run: Option<String>,
}

/// What an import did, or with `dry_run` would do; with refused lines,
/// nothing was done.
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
struct ImportAnswer {
    dry_run: bool,
    /// Products created.
    created: usize,
    /// Products whose fields changed.
    updated: usize,
    /// Variants already there whose stock the file changes (an `adjustment`
    /// movement each, noted `import CSV`).
    stock_changes: usize,
    /// Variants created (with an `initial` movement each).
    variants_created: usize,
    /// Variants whose size or colour changed.
    variants_updated: usize,
    /// Every refused line, in the file's order (the first
    /// `CSV_IMPORT_ERRORS_SHOWN_MAX`).
    errors: Vec<ImportError>,
    /// How many lines were refused in all.
    errors_total: usize,
}

/// A refused line of the file.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct ImportError {
    /// The line in the file, the header being line 1.
    line: u64,
    /// The column at fault as the file's header names it, if one is.
    field: Option<String>,
    /// Why, in the request's language.
    detail: String,
}

/// A file with refused lines: a `validation_failed` problem
/// (`application/problem+json`) with the import's answer in it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct ImportRefused {
    /// `https://stockroom.dev/problems/validation-failed`.
    #[serde(rename = "type")]
    kind: String,
    title: String,
    status: u16,
    /// `validation_failed`.
    code: String,
    /// How many lines were refused, for a person, in the request's language.
    detail: String,
    #[serde(flatten)]
    answer: ImportAnswer,
}

/// The 422 as the document describes it: a `validation_failed` problem.
/// For a file with refused lines it carries the import's answer (`dry_run`,
/// the counts, and `errors` with each refused `line`); for a bad parameter
/// (`dry_run=peut-être`) `errors` names the parameter, without a line.
/// Never built: the answers are `ImportRefused` and the usual problem.
#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
struct ImportUnprocessable {
    /// `https://stockroom.dev/problems/validation-failed`.
    #[serde(rename = "type")]
    kind: String,
    title: String,
    status: u16,
    /// `validation_failed`.
    code: String,
    detail: String,
    dry_run: Option<bool>,
    created: Option<usize>,
    updated: Option<usize>,
    stock_changes: Option<usize>,
    variants_created: Option<usize>,
    variants_updated: Option<usize>,
    errors: Vec<UnprocessableLine>,
    errors_total: Option<usize>,
}

/// A refused line of the file (`line` set), or a refused parameter.
#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
struct UnprocessableLine {
    /// The line in the file, the header being line 1; none for a parameter.
    line: Option<u64>,
    /// The column or the parameter at fault, if one is.
    field: Option<String>,
    detail: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/import/catalog",
    tag = "admin",
    params(ImportQuery),
    request_body(content = String, content_type = "text/csv",
        description = "The catalog CSV, as `export/catalog.csv` writes it: headers in French or English, \
`,` or `;`, with or without a byte-order mark; at most 5 MB"),
    responses(
        (status = 200, description = "Applied in one transaction, or with `dry_run=true` what would be", body = ImportAnswer),
        (status = 403, description = "`forbidden`: the owner's only", body = Problem),
        (status = 413, description = "`payload_too_large`: over 5 MB", body = Problem),
        (status = 415, description = "`unsupported_media_type`: not `text/csv`", body = Problem),
        (status = 422, description = "`validation_failed`: every refused line (or a bad `dry_run`); nothing was changed",
            body = ImportUnprocessable, content_type = "application/problem+json"),
    ),
)]
async fn import_catalog(
    State(state): State<AppState>,
    CurrentAdmin(admin, Owner): CurrentAdmin<Owner>,
    AcceptLang(lang): AcceptLang,
    ApiQuery(query): ApiQuery<ImportQuery>,
    CsvBody(body): CsvBody,
) -> Result<Response, ApiError> {
    let dry_run = flag("dry_run", query.dry_run.as_deref()).map_err(ValidationError::one)?;
    let mut file = match catalog_csv::parse(&body) {
        Ok(file) => file,
        Err(errors) => return Ok(refused(lang, dry_run, errors)),
    };
    let products = std::mem::take(&mut file.products);
    let imported = state
        .store
        .import_catalog(products, &admin.name, dry_run, Box::new(|_| {}))
        .await;
    match imported {
        Ok(summary) => {
            tracing::info!(
                actor = %admin.name,
                dry_run,
                products_created = summary.products_created,
                products_updated = summary.products_updated,
                stock_changed = summary.stock_changed,
                "catalog imported"
            );
            Ok(Json(answer(dry_run, &summary)).into_response())
        }
        Err(StoreError::ImportRefused(mut errors)) => {
            file.rename_columns(&mut errors);
            Ok(refused(lang, dry_run, errors))
        }
        Err(error) => Err(error.into()),
    }
}

fn answer(dry_run: bool, summary: &ImportSummary) -> ImportAnswer {
    ImportAnswer {
        dry_run,
        created: summary.products_created,
        updated: summary.products_updated,
        stock_changes: summary.stock_changed,
        variants_created: summary.variants_created,
        variants_updated: summary.variants_updated,
        errors: Vec::new(),
        errors_total: 0,
    }
}

/// The 422 of a file with refused lines, every one named (up to the limit).
fn refused(lang: Lang, dry_run: bool, errors: Vec<LineError>) -> Response {
    let total = errors.len();
    let lines = errors.iter().take(CSV_IMPORT_ERRORS_SHOWN_MAX);
    let problem = ApiError::Validation(ValidationError(Vec::new())).body(lang);
    let detail = match lang {
        Lang::Fr => format!(
            "{total} ligne(s) du fichier refusée(s) : rien n'a été importé. Corrigez-les puis envoyez le fichier à nouveau."
        ),
        Lang::En => format!(
            "{total} line(s) of the file refused: nothing was imported. Correct them, then send the file again."
        ),
    };
    let body = ImportRefused {
        kind: problem.kind,
        title: problem.title,
        status: problem.status,
        code: problem.code,
        detail,
        answer: ImportAnswer {
            dry_run,
            errors: lines
                .map(|e| ImportError {
                    line: e.line,
                    field: e.field.clone(),
                    detail: e.message(lang).to_owned(),
                })
                .collect(),
            errors_total: total,
            ..ImportAnswer::default()
        },
    };
    tracing::info!(lines = total, dry_run, "catalog import refused");
    let mut response = (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}

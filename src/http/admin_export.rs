//! The back office's CSV downloads (owner and staff): the catalog, in the
//! columns the import reads, the stock of every variant, and the ledger's
//! movements over a period; each by the CSV rules (`?lang=en`, `?excel=1`).

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use chrono::{Days, NaiveDate};
use serde::Deserialize;

use super::AppState;
use super::auth::{CurrentAdmin, Staff};
use super::csv::{StyleQuery, attachment, flag, style};
use super::extract::ApiQuery;
use super::problem::{ApiError, Problem};
use crate::domain::catalog_csv;
use crate::domain::csv_rules::{Cell, Column, CsvOut, CsvStyle};
use crate::domain::limits::{CSV_EXPORT_MOVEMENTS_MAX, PAGE_SIZE_MAX};
use crate::domain::page::MovementFilter;

use crate::domain::stock::{Movement, MovementKind};
use crate::domain::{FieldError, Lang, ValidationError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/export/catalog.csv", get(export_catalog))
        .route("/export/stock.csv", get(export_stock))
        .route("/export/movements.csv", get(export_movements))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CatalogQuery {
    /// `fr` (the default) or `en`: the headers and the statuses.
    lang: Option<String>,
    /// `1`: for Excel, a byte-order mark first and `;` between cells.
    excel: Option<String>,
    /// `1`: fill the `stock` column; empty by default, so that importing
    /// the file back changes no stock (and erases no sale made meanwhile).
    stock: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/export/catalog.csv",
    tag = "admin",
    params(CatalogQuery),
    responses(
        (status = 200, description = "One line per variant of every product, in the columns \
`import/catalog` reads", body = String, content_type = "text/csv"),
        (status = 422, description = "`validation_failed`: a bad `lang`, `excel` or `stock`", body = Problem),
    ),
)]
async fn export_catalog(
    State(state): State<AppState>,
    CurrentAdmin(_, Staff): CurrentAdmin<Staff>,
    ApiQuery(query): ApiQuery<CatalogQuery>,
) -> Result<Response, ApiError> {
    let style = style(query.lang.as_deref(), query.excel.as_deref());
    let stock = flag("stock", query.stock.as_deref());
    let (style, stock) = match (style, stock) {
        (Ok(style), Ok(stock)) => (style, stock),
        (style, stock) => {
            let errors = style.err().into_iter().flat_map(|e| e.0);
            return Err(ValidationError(errors.chain(stock.err()).collect()).into());
        }
    };
    let products = state.store.catalog_for_export().await?;
    let csv = catalog_csv::write(&products, stock, style);
    Ok(attachment(style.lang.pick("catalogue", "catalog"), csv))
}

const STOCK_COLUMNS: [Column; 7] = [
    Column::new("sku", "Référence"),
    Column::new("title", "Produit"),
    Column::new("size", "Taille"),
    Column::new("color", "Couleur"),
    Column::new("available", "En stock"),
    Column::new("low_stock_threshold", "Seuil d'alerte"),
    Column::new("state", "État"),
];

#[utoipa::path(
    get,
    path = "/api/v1/admin/export/stock.csv",
    tag = "admin",
    params(StyleQuery),
    responses(
        (status = 200, description = "Every variant for sale or not (retired ones aside) with its units on hand, \
its own threshold and its state by the shop's low-stock rule (`ok`, `low`, `sold_out`)",
            body = String, content_type = "text/csv"),
        (status = 422, description = "`validation_failed`: a bad `lang` or `excel`", body = Problem),
    ),
)]
async fn export_stock(
    State(state): State<AppState>,
    CurrentAdmin(_, Staff): CurrentAdmin<Staff>,
    ApiQuery(query): ApiQuery<StyleQuery>,
) -> Result<Response, ApiError> {
    let style = query.style()?;
    let products = state.store.catalog_for_export().await?;
    let mut out = CsvOut::new(style, &STOCK_COLUMNS);
    for product in &products {
        for v in &product.variants {
            let state = match (v.available, v.low) {
                (0, _) => style.lang.pick("Épuisé", "sold_out"),
                (_, true) => style.lang.pick("Faible", "low"),
                _ => style.lang.pick("OK", "ok"),
            };
            out.row(&[
                Cell::Text(&v.sku),
                Cell::Text(&product.title),
                Cell::Text(&v.size),
                Cell::Text(v.color.as_deref().unwrap_or("")),
                Cell::Number(v.available),
                v.low_stock_threshold.map_or(Cell::Text(""), Cell::Number),
                Cell::Text(state),
            ]);
        }
    }
    Ok(attachment("stock", out.finish()))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct MovementsQuery {
    /// The first day, `YYYY-MM-DD`, included; the ledger's start when absent.
    from: Option<String>,
    /// The last day, `YYYY-MM-DD`, included; today when absent. Days are
    /// the shop's, in UTC.
    to: Option<String>,
    lang: Option<String>,
    excel: Option<String>,
}

const MOVEMENT_COLUMNS: [Column; 11] = [
    Column::new("created_at", "Date"),
    Column::new("sku", "Référence"),
    Column::new("title", "Produit"),
    Column::new("size", "Taille"),
    Column::new("color", "Couleur"),
    Column::new("kind", "Mouvement"),
    Column::new("quantity", "Quantité"),
    Column::new("available_after", "Stock après"),
    Column::new("order_id", "Commande"),
    Column::new("actor", "Par"),
    Column::new("note", "Note"),
];

#[utoipa::path(
    get,
    path = "/api/v1/admin/export/movements.csv",
    tag = "admin",
    params(MovementsQuery),
    responses(
        (status = 200, description = "The ledger's movements from `from` to `to` (days included), oldest first; \
quantities signed", body = String, content_type = "text/csv"),
        (status = 422, description = "`validation_failed`: a bad date, `from` after `to`, more movements \
than one file holds, a bad `lang` or `excel`", body = Problem),
    ),
)]
async fn export_movements(
    State(state): State<AppState>,
    CurrentAdmin(_, Staff): CurrentAdmin<Staff>,
    ApiQuery(query): ApiQuery<MovementsQuery>,
) -> Result<Response, ApiError> {
    let style = style(query.lang.as_deref(), query.excel.as_deref());
    let from = day("from", query.from.as_deref());
    let to = day("to", query.to.as_deref());
    let (style, from, to) = match (style, from, to) {
        (Ok(style), Ok(from), Ok(to)) => (style, from, to),
        (style, from, to) => {
            let errors = style.err().into_iter().flat_map(|e| e.0);
            let errors = errors.chain(from.err()).chain(to.err());
            return Err(ValidationError(errors.collect()).into());
        }
    };
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(ValidationError::one(FieldError::new(
            "from",
            format!("La période commence le {from}, après sa fin le {to}."),
            format!("The period starts on {from}, after its end on {to}."),
        ))
        .into());
    }
    let movements = movements_between(&state, from, to).await?;
    Ok(attachment(
        style.lang.pick("mouvements", "movements"),
        movements_csv(&movements, style),
    ))
}

/// A day `YYYY-MM-DD`; empty means absent.
fn day(field: &str, raw: Option<&str>) -> Result<Option<NaiveDate>, FieldError> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            FieldError::new(
                field,
                format!("« {raw} » n'est pas une date AAAA-MM-JJ (exemple : 2026-11-28)."),
                format!("`{raw}` is not a YYYY-MM-DD date (for example 2026-11-28)."),
            )
        })
}

/// Every movement of the days `from` to `to`, oldest first, read page by
/// page; more than [`CSV_EXPORT_MOVEMENTS_MAX`] is refused.
async fn movements_between(
    state: &AppState,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<Movement>, ApiError> {
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    let mut filter = MovementFilter {
        sku: None,
        kind: None,
        from: from.and_then(midnight),
        to: to
            .and_then(|d| d.checked_add_days(Days::new(1)))
            .and_then(midnight),
        limit: PAGE_SIZE_MAX,
        before_id: None,
        receipt: None,
        words: Vec::new(),
    };
    let mut movements = Vec::new();
    loop {
        let page = state.store.movements(filter.clone()).await?;
        movements.extend(page.items);
        if movements.len() > CSV_EXPORT_MOVEMENTS_MAX {
            return Err(ValidationError::one(FieldError::new(
                "from",
                format!("Plus de {CSV_EXPORT_MOVEMENTS_MAX} mouvements sur cette période : choisissez une période plus courte."),
                format!("More than {CSV_EXPORT_MOVEMENTS_MAX} movements in this period: choose a shorter one."),
            ))
            .into());
        }
        match page.next_cursor.and_then(|c| c.parse().ok()) {
            Some(before) => filter.before_id = Some(before),
            None => break,
        }
    }
    movements.reverse();
    Ok(movements)
}

/// A movement's kind as the CSV in `lang` writes it.
fn kind_word(kind: MovementKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (MovementKind::Initial, Lang::Fr) => "Stock initial",
        (MovementKind::Restock, Lang::Fr) => "Réapprovisionnement",
        (MovementKind::Adjustment, Lang::Fr) => "Ajustement",
        (MovementKind::Sale, Lang::Fr) => "Vente",
        (MovementKind::Cancellation, Lang::Fr) => "Annulation",
        (MovementKind::Return, Lang::Fr) => "Retour",
        (MovementKind::PreorderAllocation, Lang::Fr) => "Attribution de précommande",
        (kind, Lang::En) => kind.as_str(),
    }
}

fn movements_csv(movements: &[Movement], style: CsvStyle) -> Vec<u8> {
    let mut out = CsvOut::new(style, &MOVEMENT_COLUMNS);
    for m in movements {
        out.row(&[
            Cell::Text(&m.created_at),
            Cell::Text(&m.sku),
            Cell::Text(&m.title),
            Cell::Text(&m.size),
            Cell::Text(m.color.as_deref().unwrap_or("")),
            Cell::Text(kind_word(m.kind, style.lang)),
            Cell::Number(m.quantity),
            Cell::Number(m.available_after),
            Cell::Text(m.order_id.as_deref().unwrap_or("")),
            Cell::Text(m.actor.as_deref().unwrap_or("")),
            Cell::Text(m.note.as_deref().unwrap_or("")),
        ]);
    }
    out.finish()
}

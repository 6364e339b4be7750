//! The desk's reports on the orders its list's filters choose: every one
//! as CSV (`orders.csv`, one row per line) and the picking list (what to
//! take off the shelves for them).

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use super::AppState;
use super::admin_orders::{OrderQuery, order_filter};
use super::csv::{attachment, style};
use super::extract::ApiQuery;
use super::problem::{ApiError, Problem};
use crate::domain::ValidationError;
use crate::domain::order::{PickingList, orders_csv};
use crate::domain::page::OrderFilter;
use crate::domain::phone::Country;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/orders.csv", get(export_orders))
        .route("/picking", get(picking_list))
}

/// The list's filters, without its pages: a report holds every order
/// they choose.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ReportQuery {
    /// A status, or `to_handle` (pending, confirmed and processing).
    status: Option<String>,
    /// `unpaid`, `paid` or `refunded`.
    payment: Option<String>,
    /// What the desk's search box reads: an order number, a phone in any
    /// spelling, part of a name, a pickup number; at most 200 characters.
    q: Option<String>,
    /// From this time on (inclusive): RFC 3339, or a date for midnight UTC.
    from: Option<String>,
    /// Before this time (exclusive).
    to: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CsvQuery {
    /// The language of the headers and of the words in cells: `fr` (the
    /// default) or `en`.
    lang: Option<String>,
    /// `1`: for Excel, a byte-order mark first and `;` between cells.
    excel: Option<String>,
}

impl ReportQuery {
    /// The desk's filter of these parameters, read as the list reads them
    /// (phones as the shop's `country` reads them).
    fn filter(self, country: Country) -> Result<OrderFilter, ValidationError> {
        let query = OrderQuery {
            status: self.status,
            payment: self.payment,
            q: self.q,
            from: self.from,
            to: self.to,
            limit: None,
            cursor: None,
        };
        order_filter(query, country)
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/orders.csv",
    tag = "admin",
    params(ReportQuery, CsvQuery),
    responses(
        (status = 200, description = "Every order the filters choose, newest first, one row per order line \
(the order's columns repeated on each): French headers, statuses and payment words unless `lang=en`; \
a byte-order mark and `;` with `excel=1`; amounts in minor units; text a spreadsheet would run starts with `'`",
            body = String, content_type = "text/csv"),
        (status = 422, description = "`validation_failed`: a bad filter, `lang` or `excel`, or more than \
100,000 order lines (narrow the filters)", body = Problem),
    ),
)]
async fn export_orders(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ReportQuery>,
    ApiQuery(csv): ApiQuery<CsvQuery>,
) -> Result<Response, ApiError> {
    let country = state.store.settings().await?.default_country;
    let (style, filter) = match (
        style(csv.lang.as_deref(), csv.excel.as_deref()),
        query.filter(country),
    ) {
        (Ok(style), Ok(filter)) => (style, filter),
        (style, filter) => {
            let errors = style.err().into_iter().chain(filter.err());
            return Err(ValidationError(errors.flat_map(|e| e.0).collect()).into());
        }
    };
    let orders = state.store.report_orders(filter).await?;
    Ok(attachment(
        style.lang.pick("commandes", "orders"),
        orders_csv(&orders, style),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/picking",
    tag = "admin",
    params(ReportQuery),
    responses(
        (status = 200, description = "The picking list of the orders the filters choose (e.g. `status=confirmed`): \
each variant once, its units still to pick summed (ordered less returned), with the orders they go to, \
by product title, then size in the product's order, then colour", body = PickingList),
        (status = 422, description = "`validation_failed`: a bad filter, or more than 100,000 order lines", body = Problem),
    ),
)]
async fn picking_list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> Result<Json<PickingList>, ApiError> {
    let country = state.store.settings().await?.default_country;
    let filter = query.filter(country)?;
    Ok(Json(state.store.picking_list(filter).await?))
}

//! The shop's customers, one per normalised phone, made of their orders:
//! the list with its search, and one customer with their orders.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::extract::{ApiPath, ApiQuery};
use super::paging::{decode_cursor, encode_cursor, page_size};
use super::problem::{ApiError, Problem};
use crate::domain::customer::{CustomerDetail, CustomerFilter, CustomerSummary};
use crate::domain::invalid::Checker;
use crate::domain::order::OrderSearch;
use crate::domain::phone::Phone;
use crate::store::{Resource, StoreError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers", get(list_customers))
        .route("/customers/{phone}", get(get_customer))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CustomerQuery {
    /// A phone in any spelling, part of a name (case and accents ignored)
    /// or an order number: the customers with an order it finds. At most
    /// 200 characters.
    q: Option<String>,
    /// Page size.
    limit: Option<usize>,
    /// The `next_cursor` of the page before, as it came.
    cursor: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct CustomerList {
    customers: Vec<CustomerSummary>,
    next_cursor: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/customers",
    tag = "admin",
    params(CustomerQuery),
    responses(
        (status = 200, description = "Customers, one per phone in E.164 form, newest last order first. \
`orders` counts every order placed, cancelled ones too (`cancelled` says how many); `units` and \
`total_spent` leave cancelled orders out and take the others as they stand after returns and \
exchanges (returned units are not counted; a total is the order's current one, its delivery fee included)",
            body = CustomerList),
        (status = 422, description = "`validation_failed`: a search over 200 characters, a bad `limit` or `cursor`", body = Problem),
    ),
)]
async fn list_customers(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<CustomerQuery>,
) -> Result<Json<CustomerList>, ApiError> {
    let country = state.store.settings().await?.default_country;
    let mut checker = Checker::default();
    let search = checker.check(
        query
            .q
            .map(|q| OrderSearch::parse(&q, country))
            .transpose()
            .map(Option::flatten),
    );
    let limit = checker.check(page_size(query.limit));
    let before_seq = checker.check(decode_cursor(query.cursor));
    checker.finish()?;
    let checked = "every parameter checked";
    let filter = CustomerFilter {
        search: search.expect(checked),
        limit: limit.expect(checked),
        before_seq: before_seq.expect(checked),
    };
    let page = state.store.customers(filter).await?;
    Ok(Json(CustomerList {
        customers: page.items,
        next_cursor: page.next_cursor.map(|c| encode_cursor(&c)),
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/customers/{phone}",
    tag = "admin",
    params(
        ("phone" = String, Path, description = "The customer's phone in any spelling, URL-encoded \
(`%2B2250700000000`, `07%2000%2000%2000%2000`)"),
    ),
    responses(
        (status = 200, description = "The customer, counted as in the list (the list's `orders` is \
`orders_count` here), and `orders`, their newest orders first (at most 100)", body = CustomerDetail),
        (status = 404, description = "`not_found`: no order was placed with this number, or it is no phone number", body = Problem),
    ),
)]
async fn get_customer(
    State(state): State<AppState>,
    ApiPath(phone): ApiPath<String>,
) -> Result<Json<CustomerDetail>, ApiError> {
    let country = state.store.settings().await?.default_country;
    // A text that is no number names no customer: answered like an
    // unknown one.
    let unknown = || StoreError::not_found(Resource::Customer, phone.clone());
    let normalised = Phone::check_shape(&phone)
        .and_then(|()| Phone::normalise(&phone, country))
        .map_err(|_| unknown())?;
    Ok(Json(state.store.customer(normalised.as_str()).await?))
}

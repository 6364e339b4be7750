//! The public catalog: products with the stock of each size.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::extract::{ApiPath, ApiQuery};
use super::problem::{ApiError, Problem};
use crate::domain::product::Product;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/products", get(list_products))
        .route("/api/v1/products/{id_or_slug}", get(get_product))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// `true` hides products and sizes at 0, as the storefront shows them.
    #[serde(default)]
    in_stock: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
struct ProductList {
    products: Vec<Product>,
}

#[utoipa::path(
    get,
    path = "/api/v1/products",
    tag = "catalog",
    params(
        ListQuery,
    ),
    responses(
        (status = 200, description = "Every active product, newest first, with the stock of each variant for sale (retired ones left out)", body = ProductList),
        (status = 422, description = "`validation_failed`, naming every field", body = Problem),
    ),
)]
async fn list_products(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<ProductList>, ApiError> {
    Ok(Json(ProductList {
        products: state.store.list_products(query.in_stock).await?,
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/products/{id_or_slug}",
    tag = "catalog",
    params(
        ("id_or_slug" = String, Path, description = "The product's id or slug", example = "robe-ete"),
    ),
    responses(
        (status = 200, description = "The product, without its retired variants", body = Product),
        (status = 404, description = "`not_found`: no such product, or not active (a draft or archived)", body = Problem),
    ),
)]
async fn get_product(
    State(state): State<AppState>,
    ApiPath(id_or_slug): ApiPath<String>,
) -> Result<Json<Product>, ApiError> {
    Ok(Json(state.store.public_product(&id_or_slug).await?))
}

//! Admin catalog: create products with their initial stock, edit them with ETags.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use super::AppState;
use super::auth::{CurrentAdmin, Staff};
use super::extract::{ApiJson, ApiPath};
use super::problem::{ApiError, Problem};
use crate::domain::product::{Product, ProductInput, ProductPatch};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/products", post(create_product))
        .route("/products/{id}", get(get_product).patch(patch_product))
}

/// A product with its `ETag` header, for the next edit.
fn with_etag(status: StatusCode, product: Product) -> Response {
    let etag = HeaderValue::from_str(&product.etag()).ok();
    let mut response = (status, Json(product)).into_response();
    if let Some(etag) = etag {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/products",
    tag = "admin",
    request_body = ProductInput,
    responses(
        (status = 201, description = "The product, its initial stock in the ledger", body = Product, headers(("ETag" = String, description = "The product version, for `If-Match` on the next `PATCH`"))),
        (status = 409, description = "`already_exists`: the slug or a sku is taken", body = Problem),
        (status = 422, description = "`validation_failed`, naming every field", body = Problem),
    ),
)]
async fn create_product(
    State(state): State<AppState>,
    CurrentAdmin(admin, Staff): CurrentAdmin<Staff>,
    ApiJson { value: input, .. }: ApiJson<ProductInput>,
) -> Result<Response, ApiError> {
    let product = input.validate()?;
    let created = state.store.create_product(product, &admin).await?;
    tracing::info!(product_id = %created.id, actor = %admin.name, "product created");
    Ok(with_etag(StatusCode::CREATED, created))
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/products/{id}",
    operation_id = "admin_get_product",
    tag = "admin",
    params(
        ("id" = String, Path, description = "The product's id or slug", example = "robe-ete"),
    ),
    responses(
        (status = 200, description = "The product", body = Product, headers(("ETag" = String, description = "The product version, for `If-Match` on the next `PATCH`"))),
        (status = 404, description = "`not_found`: no such product", body = Problem),
    ),
)]
async fn get_product(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    Ok(with_etag(StatusCode::OK, state.store.product(&id).await?))
}

/// `PATCH` needs `If-Match` with the ETag last read: 428 without it, 412
/// when someone else edited the product since.
#[utoipa::path(
    patch,
    path = "/api/v1/admin/products/{id}",
    tag = "admin",
    request_body = ProductPatch,
    params(
        ("id" = String, Path, description = "The product's id or slug", example = "robe-ete"),
        ("If-Match" = String, Header, description = "The `ETag` read with the product"),
    ),
    responses(
        (status = 200, description = "The product after the edit", body = Product, headers(("ETag" = String, description = "The product version, for `If-Match` on the next `PATCH`"))),
        (status = 404, description = "`not_found`: no such product", body = Problem),
        (status = 409, description = "`already_exists`: the slug is taken", body = Problem),
        (status = 412, description = "`precondition_failed`: someone else edited the product since", body = Problem),
        (status = 428, description = "`precondition_required`: no `If-Match`", body = Problem),
        (status = 422, description = "`validation_failed`, naming every field", body = Problem),
    ),
)]
async fn patch_product(
    State(state): State<AppState>,
    CurrentAdmin(admin, Staff): CurrentAdmin<Staff>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    ApiJson { value: patch, .. }: ApiJson<ProductPatch>,
) -> Result<Response, ApiError> {
    let if_match = headers
        .get(header::IF_MATCH)
        .ok_or(ApiError::PreconditionRequired)?;
    let current = state.store.product(&id).await?;
    let expected = if_match
        .to_str()
        .ok()
        .and_then(|tag| version_in_etag(tag, &current));
    let Some(expected_version) = expected else {
        return Err(ApiError::PreconditionFailed);
    };
    let updated = state
        .store
        .patch_product(&current.id, expected_version, patch, &admin)
        .await?;
    tracing::info!(product_id = %updated.id, actor = %admin.name, "product updated");
    Ok(with_etag(StatusCode::OK, updated))
}

/// The version an `If-Match` value names, if one of its entity tags is this
/// product's (strong comparison: weak tags never match). `*` means "whatever
/// the current version is".
fn version_in_etag(if_match: &str, product: &Product) -> Option<i64> {
    let current = product.etag();
    if_match.split(',').map(str::trim).find_map(|tag| {
        if tag == "*" || tag == current {
            Some(product.version)
        } else {
            None
        }
    })
}

//! Admin catalog: the product list with its filters, products created with
//! their initial stock and edited with ETags, and their variants added,
//! retired, moved and given a threshold after creation.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::{CurrentAdmin, Staff};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::problem::{ApiError, Problem};
use crate::domain::limits::SEARCH_CHARS_MAX;
use crate::domain::product::{
    Product, ProductFilter, ProductInput, ProductPatch, ProductStatus, StockState, Variant,
    VariantInput, VariantPatch,
};
use crate::domain::sku::Sku;
use crate::domain::{FieldError, ValidationError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/products", get(list_products).post(create_product))
        .route("/products/{id}", get(get_product).patch(patch_product))
        .route("/products/{id}/variants", post(add_variant))
        .route("/variants/{sku}", patch(patch_variant))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// Words found in the title, the slug, the category or a sku, in any
    /// case, with or without accents.
    q: Option<String>,
    status: Option<ProductStatus>,
    /// `low`: a variant for sale is low; `sold_out`: one is at 0.
    stock: Option<StockState>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct AdminProductList {
    products: Vec<Product>,
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/products",
    operation_id = "admin_list_products",
    tag = "admin",
    params(ListQuery),
    responses(
        (status = 200, description = "Every product the filters keep, newest first, whatever its status, with all its variants", body = AdminProductList),
        (status = 422, description = "`validation_failed`, naming every field", body = Problem),
    ),
)]
async fn list_products(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<AdminProductList>, ApiError> {
    let q = query.q.as_deref();
    if q.is_some_and(|q| q.chars().count() > SEARCH_CHARS_MAX) {
        let too_long = FieldError::too_long("q", SEARCH_CHARS_MAX);
        return Err(ValidationError::one(too_long).into());
    }
    let filter = ProductFilter::new(q, query.status, query.stock);
    Ok(Json(AdminProductList {
        products: state.store.admin_products(filter).await?,
    }))
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

#[utoipa::path(
    post,
    path = "/api/v1/admin/products/{id}/variants",
    tag = "admin",
    request_body = VariantInput,
    params(
        ("id" = String, Path, description = "The product's id or slug", example = "robe-ete"),
    ),
    responses(
        (status = 201, description = "The variant, its opening stock in the ledger as `initial`, listed after the others", body = Variant),
        (status = 404, description = "`not_found`: no such product", body = Problem),
        (status = 409, description = "`already_exists`: the sku is taken, or the product has this size in this colour", body = Problem),
        (status = 422, description = "`validation_failed`, naming every field", body = Problem),
    ),
)]
async fn add_variant(
    State(state): State<AppState>,
    CurrentAdmin(admin, Staff): CurrentAdmin<Staff>,
    ApiPath(id): ApiPath<String>,
    ApiJson { value: input, .. }: ApiJson<VariantInput>,
) -> Result<(StatusCode, Json<Variant>), ApiError> {
    let product = state.store.product(&id).await?;
    let variant = input.checked("", &product.slug).map_err(ValidationError)?;
    let added = state
        .store
        .add_variant(&product.id, variant, &admin)
        .await?;
    tracing::info!(sku = %added.sku, actor = %admin.name, "variant added");
    Ok((StatusCode::CREATED, Json(added)))
}

#[utoipa::path(
    patch,
    path = "/api/v1/admin/variants/{sku}",
    tag = "admin",
    request_body = VariantPatch,
    params(
        ("sku" = String, Path, example = "ROBE-ETE-M"),
    ),
    responses(
        (status = 200, description = "The variant after the change", body = Variant),
        (status = 404, description = "`not_found`: no such sku", body = Problem),
        (status = 409, description = "`invalid_transition`: retiring a variant that still holds stock, or the last one for sale of an active product", body = Problem),
        (status = 422, description = "`validation_failed`, naming every field", body = Problem),
    ),
)]
async fn patch_variant(
    State(state): State<AppState>,
    CurrentAdmin(admin, Staff): CurrentAdmin<Staff>,
    ApiPath(sku): ApiPath<String>,
    ApiJson { value: patch, .. }: ApiJson<VariantPatch>,
) -> Result<Json<Variant>, ApiError> {
    let sku = Sku::parse("sku", &sku).map_err(ValidationError::one)?;
    patch.check(state.store.config().clock.now().date_naive())?;
    let updated = state.store.patch_variant(&sku, patch, &admin).await?;
    tracing::info!(sku = %updated.sku, actor = %admin.name, "variant updated");
    Ok(Json(updated))
}

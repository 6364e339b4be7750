//! A product's photos in the back office: uploaded one file per request
//! (`multipart/form-data`, up to `UPLOAD_BYTES_MAX`, on a route with its
//! own body limit and deadlines), checked by content and encoded again off
//! the runtime (`domain/image.rs`), given an alt text, moved, deleted.

use std::time::Duration;

use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{StatusCode, header};
use axum::routing::patch;
use axum::{Json, Router};

use super::AppState;
use super::auth::{CurrentAdmin, Staff};
use super::deadline::RequestDeadlines;
use super::extract::{ApiJson, ApiPath};
use super::problem::{ApiError, Problem};
use crate::domain::image::{Photo, process};
use crate::domain::limits::{
    IMAGE_ALT_CHARS_MAX, IMAGES_PER_PRODUCT_MAX, UPLOAD_BYTES_MAX, UPLOAD_OVERHEAD_BYTES_MAX,
};
use crate::domain::product::{ImagePatch, ProductImage, checked_alt, too_many_images};
use crate::domain::{FieldError, ValidationError};

/// An upload's whole request body: the file and the multipart framing
/// around it, with the `alt` field.
pub const UPLOAD_BODY_BYTES_MAX: usize = UPLOAD_BYTES_MAX + UPLOAD_OVERHEAD_BYTES_MAX;

/// An upload's deadlines, in place of every other request's: 10 MiB from a
/// phone on a slow network takes far longer than a JSON body may.
pub const UPLOAD_DEADLINES: RequestDeadlines = RequestDeadlines {
    body: Duration::from_secs(120),
    answer: Duration::from_secs(150),
};

/// Photos decoded at once; more wait their turn. Decoding the largest
/// photo allowed takes a few hundred megabytes and a core for a moment.
pub const IMAGE_DECODES_AT_ONCE: usize = 2;

/// The upload, merged by the router outside the other routes' body limit
/// and deadlines (`router`).
pub fn upload_route() -> axum::routing::MethodRouter<AppState> {
    axum::routing::post(upload_image)
}

/// Editing and deleting, under `/api/v1/admin` like the rest.
pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/products/{id}/images/{n}",
        patch(patch_image).delete(delete_image),
    )
}

/// The form of an upload, as the document describes it.
#[derive(utoipa::ToSchema)]
#[expect(
    dead_code,
    reason = "read from multipart fields, described for the document"
)]
struct ImageUpload {
    /// A JPEG, PNG or WebP photo of at most 10 MiB, at most 8000 pixels a
    /// side and 40 million pixels; recognised by its content, not its name.
    #[schema(format = Binary, value_type = String)]
    file: Vec<u8>,
    /// What the photo shows, read out in its place (at most 300 characters).
    alt: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/products/{id}/images",
    tag = "admin",
    request_body(content = ImageUpload, content_type = "multipart/form-data"),
    params(
        ("id" = String, Path, description = "The product's id or slug", example = "robe-ete"),
    ),
    responses(
        (status = 201, description = "The photo, after the product's others: decoded, turned upright and stored again as JPEG without its EXIF, at most 1600 pixels a side, with a thumbnail of at most 400", body = ProductImage),
        (status = 404, description = "`not_found`: no such product", body = Problem),
        (status = 413, description = "`payload_too_large`: the file is over 10 MiB (10,485,760 bytes)", body = Problem),
        (status = 415, description = "`unsupported_media_type`: the body is not `multipart/form-data`", body = Problem),
        (status = 422, description = "`validation_failed`: no `file`, not a JPEG, PNG or WebP by its content, unreadable or truncated, over 8000 pixels a side or 40 million pixels, an `alt` too long, or the product already has 12 photos", body = Problem),
    ),
)]
async fn upload_image(
    State(state): State<AppState>,
    CurrentAdmin(admin, Staff): CurrentAdmin<Staff>,
    ApiPath(id): ApiPath<String>,
    request: Request,
) -> Result<(StatusCode, Json<ProductImage>), ApiError> {
    refuse_declared_too_large(&request)?;
    if !is_multipart(&request) {
        return Err(ApiError::NotAForm);
    }
    // Before ten megabytes are read and decoded for nothing.
    let product = state.store.product(&id).await?;
    if product.images.len() >= IMAGES_PER_PRODUCT_MAX {
        return Err(too_many_images().into());
    }
    let form = read_form(request, &state).await?;
    let alt = checked_alt(form.alt.as_deref())?;
    let photo = processed(&state, form.file).await?;
    let added = state
        .store
        .add_image(&product.id, photo, alt, &admin)
        .await?;
    tracing::info!(product_id = %product.id, media = %added.url, actor = %admin.name, "photo added");
    Ok((StatusCode::CREATED, Json(added)))
}

/// A `Content-Length` over the limit is refused before a byte is read.
fn refuse_declared_too_large(request: &Request) -> Result<(), ApiError> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > UPLOAD_BODY_BYTES_MAX as u64) {
        return Err(too_large());
    }
    Ok(())
}

fn too_large() -> ApiError {
    ApiError::PhotoTooLarge {
        max_bytes: UPLOAD_BYTES_MAX,
    }
}

fn is_multipart(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("multipart/form-data"))
}

/// What an upload's form carried.
struct UploadForm {
    file: Vec<u8>,
    alt: Option<String>,
}

/// Reads the form's `file` (one, at most `UPLOAD_BYTES_MAX`) and `alt`;
/// other fields are read past and ignored.
async fn read_form(request: Request, state: &AppState) -> Result<UploadForm, ApiError> {
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|_| ApiError::NotAForm)?;
    let (mut file, mut alt) = (None, None);
    while let Some(field) = multipart.next_field().await.map_err(form_error)? {
        match field.name() {
            Some("file") if file.is_some() => {
                return Err(invalid(
                    "file",
                    "Envoyez une seule photo par requête.",
                    "Send one photo per request.",
                ));
            }
            Some("file") => file = Some(read_field(field, UPLOAD_BYTES_MAX, true).await?),
            Some("alt") => {
                // Four bytes a character at most, so a long but valid alt
                // is measured in characters by `checked_alt`.
                let bytes = read_field(field, IMAGE_ALT_CHARS_MAX * 4, false).await?;
                let text = String::from_utf8(bytes).map_err(|_| {
                    invalid(
                        "alt",
                        "Le champ « alt » n'est pas du texte UTF-8.",
                        "The field `alt` is not UTF-8 text.",
                    )
                })?;
                alt = Some(text);
            }
            _ => {
                read_field(field, UPLOAD_BODY_BYTES_MAX, false).await?;
            }
        }
    }
    let file =
        file.ok_or_else(|| ApiError::from(ValidationError::one(FieldError::required("file"))))?;
    Ok(UploadForm { file, alt })
}

/// A field's bytes, at most `max`: past it, 413 for the file and 422 for
/// any other field.
async fn read_field(mut field: Field<'_>, max: usize, is_file: bool) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(form_error)? {
        if bytes.len() + chunk.len() > max {
            if is_file {
                return Err(too_large());
            }
            let name = field.name().unwrap_or("").to_owned();
            return Err(ValidationError::one(FieldError::too_long(&name, max / 4)).into());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// A body past its limit is 413; any other broken form, 422.
fn form_error(error: MultipartError) -> ApiError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large();
    }
    invalid(
        "body",
        "Le formulaire envoyé (multipart/form-data) est illisible ou incomplet.",
        "The form sent (multipart/form-data) is unreadable or incomplete.",
    )
}

fn invalid(field: &str, fr: &str, en: &str) -> ApiError {
    ValidationError::one(FieldError::new(field, fr, en)).into()
}

/// The file checked and encoded again, off the runtime and a few at a time.
async fn processed(state: &AppState, file: Vec<u8>) -> Result<Photo, ApiError> {
    let _permit = state
        .image_decoding
        .acquire()
        .await
        .map_err(|_| ApiError::Unavailable)?;
    let outcome = tokio::task::spawn_blocking(move || process(&file))
        .await
        .map_err(|error| {
            tracing::error!(%error, "a photo's decoding did not finish");
            ApiError::Internal
        })?;
    outcome.map_err(|refusal| ValidationError::one(refusal.field_error()).into())
}

#[utoipa::path(
    patch,
    path = "/api/v1/admin/products/{id}/images/{n}",
    tag = "admin",
    request_body = ImagePatch,
    params(
        ("id" = String, Path, description = "The product's id or slug", example = "robe-ete"),
        ("n" = usize, Path, description = "The photo's position, from 0", example = 0),
    ),
    responses(
        (status = 200, description = "The photo after the change, at its new place", body = ProductImage),
        (status = 404, description = "`not_found`: no such product, or no photo at this position", body = Problem),
        (status = 422, description = "`validation_failed`, naming every field", body = Problem),
    ),
)]
async fn patch_image(
    State(state): State<AppState>,
    CurrentAdmin(admin, Staff): CurrentAdmin<Staff>,
    ApiPath((id, n)): ApiPath<(String, usize)>,
    ApiJson { value: patch, .. }: ApiJson<ImagePatch>,
) -> Result<Json<ProductImage>, ApiError> {
    let change = patch.checked()?;
    let (at, image) = state.store.edit_image(&id, n, change, &admin).await?;
    tracing::info!(product = %id, from = n, to = at, actor = %admin.name, "photo updated");
    Ok(Json(image))
}

#[utoipa::path(
    delete,
    path = "/api/v1/admin/products/{id}/images/{n}",
    tag = "admin",
    params(
        ("id" = String, Path, description = "The product's id or slug", example = "robe-ete"),
        ("n" = usize, Path, description = "The photo's position, from 0", example = 0),
    ),
    responses(
        (status = 204, description = "Deleted; the photos after it move up one place"),
        (status = 404, description = "`not_found`: no such product, or no photo at this position", body = Problem),
    ),
)]
async fn delete_image(
    State(state): State<AppState>,
    CurrentAdmin(admin, Staff): CurrentAdmin<Staff>,
    ApiPath((id, n)): ApiPath<(String, usize)>,
) -> Result<StatusCode, ApiError> {
    state.store.remove_image(&id, n, &admin).await?;
    tracing::info!(product = %id, position = n, actor = %admin.name, "photo deleted");
    Ok(StatusCode::NO_CONTENT)
}

//! Web pages: the storefront (`/`) and the back office (`/admin`), plain
//! HTML, CSS and JavaScript files from `web/` embedded in the binary, so
//! the shop works offline from the internet and from any working directory.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};

use super::AppState;
use super::problem::ApiError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(storefront))
        .route("/admin", get(back_office))
        .route("/admin/", get(back_office))
        // A setup link's page: the token is in the fragment, never sent.
        .route("/admin/setup", get(back_office))
        .route("/assets/{*path}", get(asset))
}

/// One embedded file and what it is.
struct Asset {
    /// Path under `web/`, as the pages name it after `/`.
    path: &'static str,
    bytes: &'static [u8],
    content_type: &'static str,
}

macro_rules! embed {
    ($path:literal, $content_type:expr) => {
        Asset {
            path: $path,
            bytes: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/web/", $path)),
            content_type: $content_type,
        }
    };
}

const HTML: &str = "text/html; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const SVG: &str = "image/svg+xml";

const STOREFRONT: Asset = embed!("index.html", HTML);
const BACK_OFFICE: Asset = embed!("admin.html", HTML);
const NOT_FOUND: Asset = embed!("404.html", HTML);

/// Every file under `/assets/`; a file missing here is a compile error, not a 404.
const ASSETS: &[Asset] = &[
    embed!("assets/style.css", CSS),
    embed!("assets/admin.css", CSS),
    embed!("assets/common.js", JS),
    embed!("assets/i18n.js", JS),
    embed!("assets/shop.js", JS),
    embed!("assets/shop-cart.js", JS),
    embed!("assets/shop-views.js", JS),
    embed!("assets/shop-checkout.js", JS),
    embed!("assets/shop-identity.js", JS),
    embed!("assets/admin.js", JS),
    embed!("assets/admin-core.js", JS),
    embed!("assets/admin-i18n.js", JS),
    embed!("assets/admin-products.js", JS),
    embed!("assets/admin-variants.js", JS),
    embed!("assets/admin-photos.js", JS),
    embed!("assets/admin-movements.js", JS),
    embed!("assets/admin-receiving.js", JS),
    embed!("assets/admin-count.js", JS),
    embed!("assets/admin-orders.js", JS),
    embed!("assets/admin-audit.js", JS),
    embed!("assets/admin-shop.js", JS),
    embed!("assets/admin-staff.js", JS),
    embed!("assets/admin-csv.js", JS),
    embed!("assets/admin-live.js", JS),
    embed!("assets/admin-live-stream.js", JS),
    embed!("assets/admin-events.js", JS),
    embed!("assets/admin-deliveries.js", JS),
    embed!("assets/admin-reglages.js", JS),
    embed!("assets/admin-settings-tabs.js", JS),
    embed!("assets/admin-journal.js", JS),
    embed!("assets/admin-webhooks.js", JS),
    embed!("assets/admin-notifications.js", JS),
    embed!("assets/admin-notifications-i18n.js", JS),
    embed!("assets/admin-notify-fields.js", JS),
    embed!("assets/admin-notify-email.js", JS),
    embed!("assets/admin-notify-sms.js", JS),
    embed!("assets/shop-waitlist.js", JS),
    embed!("assets/favicon.svg", SVG),
    embed!("assets/img/robe.svg", SVG),
    embed!("assets/img/chemise.svg", SVG),
    embed!("assets/img/jupe.svg", SVG),
    embed!("assets/img/ensemble.svg", SVG),
    embed!("assets/img/boubou.svg", SVG),
    embed!("assets/img/t-shirt.svg", SVG),
];

/// The pages load only their own files; nothing from another site runs,
/// and tokens in links never leave in a `Referer`.
const PAGE_POLICY: &str = "default-src 'self'; img-src 'self' data: https: http:; \
     style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

async fn storefront(headers: HeaderMap) -> Response {
    serve(&STOREFRONT, &headers)
}

async fn back_office(headers: HeaderMap) -> Response {
    serve(&BACK_OFFICE, &headers)
}

/// Whether a request came from a browser that wants a page (`Accept:
/// text/html`), for an address that is not the API's: it gets the French
/// page of `web/404.html` rather than a problem in JSON.
pub fn wants_a_page(path: &str, headers: &HeaderMap) -> bool {
    let html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    html && !path.starts_with("/api/") && path != "/api" && path != "/metrics"
}

/// The page for an address that leads nowhere, with status 404.
pub fn not_found_page(headers: &HeaderMap) -> Response {
    let mut response = serve(&NOT_FOUND, headers);
    if response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::NOT_FOUND;
    }
    response
}

async fn asset(Path(path): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    let wanted = format!("assets/{path}");
    ASSETS
        .iter()
        .find(|a| a.path == wanted)
        .map(|a| serve(a, &headers))
        .ok_or(ApiError::RouteNotFound)
}

/// The file with its type and cache headers. Pages, scripts and styles are
/// revalidated on every use (an upgraded binary never meets a stale script);
/// images may be kept a day. The ETag makes a revalidation a bodiless 304.
fn serve(asset: &Asset, request: &HeaderMap) -> Response {
    let etag = format!("\"{}\"", &hex::encode(Sha256::digest(asset.bytes))[..20]);
    let cache = if asset.content_type == SVG {
        "public, max-age=86400"
    } else {
        "no-cache"
    };
    let fresh = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        asset.bytes.into_response()
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if asset.content_type == HTML {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(PAGE_POLICY),
        );
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_has_a_unique_path_under_assets() {
        for (i, a) in ASSETS.iter().enumerate() {
            assert!(a.path.starts_with("assets/"), "{}", a.path);
            assert!(
                ASSETS[i + 1..].iter().all(|b| b.path != a.path),
                "{}",
                a.path
            );
        }
    }

    #[test]
    fn every_file_under_web_assets_is_embedded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("web");
        let mut folders = vec![root.join("assets")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).expect("web/assets reads") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    folders.push(path);
                    continue;
                }
                let name = path.strip_prefix(&root).expect("under web/");
                let name = name.to_str().expect("a UTF-8 name").replace('\\', "/");
                assert!(
                    ASSETS.iter().any(|a| a.path == name),
                    "{name} is not in ASSETS"
                );
            }
        }
    }

    #[test]
    fn a_matching_etag_answers_not_modified_without_a_body() {
        let first = serve(&STOREFRONT, &HeaderMap::new());
        assert_eq!(first.status(), StatusCode::OK);
        let etag = first.headers()[header::ETAG].clone();
        let mut request = HeaderMap::new();
        request.insert(header::IF_NONE_MATCH, etag);
        assert_eq!(
            serve(&STOREFRONT, &request).status(),
            StatusCode::NOT_MODIFIED
        );
    }

    #[test]
    fn pages_are_revalidated_and_images_are_kept_a_day() {
        let page = serve(&STOREFRONT, &HeaderMap::new());
        assert_eq!(page.headers()[header::CACHE_CONTROL], "no-cache");
        assert!(page.headers().contains_key(header::CONTENT_SECURITY_POLICY));
        let image = ASSETS
            .iter()
            .find(|a| a.content_type == SVG)
            .expect("an image");
        let image = serve(image, &HeaderMap::new());
        assert_eq!(
            image.headers()[header::CACHE_CONTROL],
            "public, max-age=86400"
        );
    }
}

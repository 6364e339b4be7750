//! Web pages: the storefront (`/`) and the back office (`/admin`), plain
//! HTML, CSS and JavaScript files from `web/` embedded in the binary, so
//! the shop works offline from the internet and from any working directory.
//!
//! For a phone on a slow network: every asset is served under a name that
//! changes with its content and kept a year (`immutable`), pages are
//! revalidated (`no-cache`, a bodiless 304 when unchanged), and every text
//! file is sent compressed with brotli or gzip, compressed once per process
//! from start-up on (`site.rs`). The plain names (`/assets/shop.js`) keep
//! working, revalidated.

mod encoding;
mod files;
mod site;

use std::sync::{LazyLock, Once};

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::AppState;
use super::problem::ApiError;
use encoding::Encoding;
use files::{BACK_OFFICE, HTML, NOT_FOUND, STOREFRONT, SVG};
use site::{Served, Site};

/// The site made from the embedded files, once per process: they are
/// constants of the binary, so every server of a process (the tests run
/// many) shares it, and nothing in it changes after it is made.
static SITE: LazyLock<Site> = LazyLock::new(Site::build);
/// The brotli copies are made once per process, on a thread of their own.
static BROTLI: Once = Once::new();

/// Makes the site now rather than on the first visitor's request (a tenth
/// of a second in a debug build), and starts brotli's copies without
/// holding the start back (a thread that cannot start leaves the files
/// gzipped). `serve` calls it before saying where it listens, so that a
/// client told the address is answered at once.
pub fn prepare() {
    let site: &'static Site = &SITE;
    BROTLI.call_once(|| {
        let _ = std::thread::Builder::new()
            .name("web-brotli".into())
            .spawn(|| site.compress_with_brotli());
    });
}

pub fn routes() -> Router<AppState> {
    prepare();
    Router::new()
        .route("/", get(storefront))
        // A drop's page, shared as a link: the storefront opens its view.
        .route("/drop/{slug}", get(storefront))
        .route("/admin", get(back_office))
        .route("/admin/", get(back_office))
        // A setup link's page: the token is in the fragment, never sent.
        .route("/admin/setup", get(back_office))
        .route("/assets/{*path}", get(asset))
}

/// An asset under its hashed name: the name changes with the content.
const KEPT_FOR_GOOD: &str = "public, max-age=31536000, immutable";
/// An illustration under its plain name, as product data names it.
const KEPT_A_DAY: &str = "public, max-age=86400";
/// Pages, and scripts and styles under their plain names: asked again on
/// every use (a bodiless 304 when unchanged), so an upgraded binary never
/// meets a stale page.
const REVALIDATED: &str = "no-cache";

/// The pages load only their own files; nothing from another site runs,
/// and tokens in links never leave in a `Referer`.
const PAGE_POLICY: &str = "default-src 'self'; img-src 'self' data: https: http:; \
     style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

async fn storefront(headers: HeaderMap) -> Response {
    page(STOREFRONT, &headers)
}

async fn back_office(headers: HeaderMap) -> Response {
    page(BACK_OFFICE, &headers)
}

fn page(path: &str, headers: &HeaderMap) -> Response {
    match SITE.page(path) {
        Some(served) => serve(served, REVALIDATED, headers),
        None => ApiError::RouteNotFound.into_response(),
    }
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
    let mut response = page(NOT_FOUND, headers);
    if response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::NOT_FOUND;
    }
    response
}

async fn asset(Path(path): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    let (served, hashed) = SITE
        .asset(&format!("assets/{path}"))
        .ok_or(ApiError::RouteNotFound)?;
    let cache = match (hashed, served.content_type) {
        (true, _) => KEPT_FOR_GOOD,
        (false, SVG) => KEPT_A_DAY,
        (false, _) => REVALIDATED,
    };
    Ok(serve(served, cache, &headers))
}

/// The file in the encoding the client takes, with its type, its cache
/// rule and its ETag; 304 without a body when the client's copy is current.
fn serve(served: &Served, cache: &'static str, request: &HeaderMap) -> Response {
    let accepted = request
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok());
    let (encoding, bytes, etag) = served.body(&Encoding::preferred(accepted));
    let fresh = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| served.matches(tags));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        bytes.to_vec().into_response()
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(served.content_type),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, etag);
    }
    if served.varies() {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if let Some(coding) = encoding.header() {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if served.content_type == HTML {
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

    fn asking(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut request = HeaderMap::new();
        for (name, value) in pairs {
            request.insert(name.clone(), HeaderValue::from_str(value).expect("a value"));
        }
        request
    }

    #[test]
    fn a_matching_etag_answers_not_modified_without_a_body() {
        let first = page(STOREFRONT, &HeaderMap::new());
        assert_eq!(first.status(), StatusCode::OK);
        let etag = first.headers()[header::ETAG]
            .to_str()
            .expect("a tag")
            .to_owned();
        let again = page(STOREFRONT, &asking(&[(header::IF_NONE_MATCH, &etag)]));
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    }

    #[test]
    fn pages_are_revalidated_and_hashed_assets_kept_for_good() {
        let storefront = page(STOREFRONT, &HeaderMap::new());
        assert_eq!(storefront.headers()[header::CACHE_CONTROL], "no-cache");
        assert!(
            storefront
                .headers()
                .contains_key(header::CONTENT_SECURITY_POLICY)
        );
        let hashed = SITE.hashed_path("assets/shop.js").expect("hashed");
        let (served, kept) = SITE.asset(hashed).expect("served");
        assert!(kept);
        let cache = if kept { KEPT_FOR_GOOD } else { REVALIDATED };
        let answer = serve(served, cache, &HeaderMap::new());
        assert_eq!(
            answer.headers()[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        let (_, kept) = SITE.asset("assets/shop.js").expect("the plain name");
        assert!(!kept, "the plain name is revalidated");
    }

    #[test]
    fn a_browser_gets_brotli_and_every_answer_varies_by_accept_encoding() {
        SITE.compress_with_brotli();
        let br = page(
            STOREFRONT,
            &asking(&[(header::ACCEPT_ENCODING, "gzip, deflate, br")]),
        );
        assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(br.headers()[header::VARY], "accept-encoding");
        let plain = page(STOREFRONT, &HeaderMap::new());
        assert!(!plain.headers().contains_key(header::CONTENT_ENCODING));
        assert_eq!(plain.headers()[header::VARY], "accept-encoding");
        assert_ne!(br.headers()[header::ETAG], plain.headers()[header::ETAG]);
    }
}

//! Response headers that keep answers where they belong: private answers
//! are never stored by a browser or a shared cache, no answer is read as a
//! type it does not declare, and Swagger UI runs only its own files and is
//! never shown inside another site's page.

use axum::http::{HeaderValue, header};
use axum::response::Response;

/// Swagger UI's files (`/api/docs/`): its scripts and styles are its own
/// files (React sets inline `style` attributes, hence `'unsafe-inline'` for
/// styles only), its icons are `data:` images, and "Try it out" calls this
/// server only. No other site may frame it, so none can dress its buttons
/// up as something else (clickjacking).
const SWAGGER_UI_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; \
     connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// For the answers only their reader may see (an order and its access
/// token, everything under `/api/v1/admin/`, `audit.csv`): no cache, the
/// browser's own included, keeps a copy for the next user of the machine
/// or of the proxy.
pub async fn private(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// For every answer: a browser takes the declared content type as it is,
/// so JSON holding a buyer's text is never run as a script or a page.
pub async fn nosniff(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// For Swagger UI and the document it reads.
pub async fn swagger_ui(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(SWAGGER_UI_POLICY),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

//! What many operations share, said once here rather than on every handler:
//! the bearer schemes, the admin guard and the problems any operation of a
//! kind may answer.

use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, ToSchema};

use crate::http::problem::Problem;

/// The media type of every error answer.
const PROBLEM_JSON: &str = "application/problem+json";

/// The three bearer tokens: an admin's, an order's access token, and the
/// optional metrics token; and the back office's session cookie.
pub struct BearerSchemes;

impl Modify for BearerSchemes {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, what) in [
            (
                "admin_token",
                "An admin's token, from `stockroom admin create`.",
            ),
            ("order_token", "The `access_token` returned with the order."),
            ("metrics_token", "The `--metrics-token`, when one is set."),
        ] {
            let mut scheme = Http::new(HttpAuthScheme::Bearer);
            scheme.description = Some(what.to_owned());
            components.add_security_scheme(name, SecurityScheme::Http(scheme));
        }
        let cookie = ApiKeyValue::with_description(
            crate::http::auth::SESSION_COOKIE,
            "The session of `POST /api/v1/auth/login`. Writes with it also send \
             `X-CSRF-Token` (from `GET /api/v1/auth/me`) and, when they send an \
             `Origin`, the shop's own.",
        );
        components.add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(cookie)));
    }
}

/// The router puts every path under `/api/v1/admin/` (and one's own
/// password) behind the admin guard (`http/auth.rs`); the document says so
/// for each of them: an API token or the session, 401 without either, and
/// 403 for a session's write without its CSRF token or from another origin.
pub struct AdminGuard;

impl Modify for AdminGuard {
    fn modify(&self, openapi: &mut OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            if !path.starts_with("/api/v1/admin/") && path != "/api/v1/auth/password" {
                continue;
            }
            for operation in operations(item) {
                let token = SecurityRequirement::new("admin_token", Vec::<String>::new());
                let session = SecurityRequirement::new("session", Vec::<String>::new());
                operation.security = Some(vec![token, session]);
                add_problem(
                    operation,
                    "401",
                    "`unauthorized`: no valid API token nor session",
                );
            }
            let writes = [
                &mut item.put,
                &mut item.post,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in writes.into_iter().flatten() {
                add_problem(
                    operation,
                    "403",
                    "`forbidden`: a write with the session cookie but without its `X-CSRF-Token`, or from another origin",
                );
            }
        }
    }
}

/// Every error body is a `Problem`, sent as `application/problem+json`
/// (a handler's `body = Problem` would say `application/json`). Every JSON
/// body may be too large (413) or not JSON (415), every `/api/` operation
/// may find the database overloaded or unreachable (503), and with the
/// allowed-hosts check on, any operation may be asked for under another
/// host (421).
pub struct SharedProblems {
    /// The body limit of the running configuration, said in the 413.
    pub request_body_bytes_max: usize,
    /// Whether `--allowed-hosts` is set.
    pub host_check: bool,
}

impl Modify for SharedProblems {
    fn modify(&self, openapi: &mut OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            for operation in operations(item) {
                if operation.request_body.is_some() {
                    let too_large = format!(
                        "`payload_too_large`: the body is over {} bytes",
                        self.request_body_bytes_max
                    );
                    add_problem(operation, "413", &too_large);
                    add_problem(
                        operation,
                        "415",
                        "`unsupported_media_type`: the body is not `application/json`",
                    );
                }
                if self.host_check {
                    add_problem(
                        operation,
                        "421",
                        "`misdirected_request`: the `Host` is not one of the shop's (`--allowed-hosts`)",
                    );
                }
                if path.starts_with("/api/") {
                    add_problem(
                        operation,
                        "503",
                        "`unavailable`: overloaded or the database is unreachable; retry later",
                    );
                }
                for response in operation.responses.responses.values_mut() {
                    if let RefOr::T(response) = response {
                        problem_as_problem_json(response);
                    }
                }
            }
        }
    }
}

/// The operations of one path, whatever their methods.
fn operations(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.patch,
        &mut item.delete,
    ]
    .into_iter()
    .flatten()
}

/// Adds a problem answer for `status` unless the handler describes its own.
fn add_problem(operation: &mut Operation, status: &str, description: &str) {
    operation
        .responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| {
            let content = Content::new(Some(Ref::from_schema_name(Problem::name())));
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(PROBLEM_JSON, content)
                    .build(),
            )
        });
}

/// Moves a `Problem` body from `application/json` to `application/problem+json`.
fn problem_as_problem_json(response: &mut Response) {
    let problem = format!("#/components/schemas/{}", Problem::name());
    let is_problem = |content: &RefOr<Content>| matches!(content, RefOr::T(Content { schema: Some(RefOr::Ref(r)), .. }) if r.ref_location == problem);
    if response
        .content
        .get("application/json")
        .is_some_and(is_problem)
        && let Some(content) = response.content.shift_remove("application/json")
    {
        response.content.insert(PROBLEM_JSON.to_owned(), content);
    }
}

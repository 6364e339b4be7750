//! Every admin route × every kind of caller, with the status each cell
//! must have. The routes are read from the OpenAPI document the server
//! serves, so a route added tomorrow is in the matrix without anyone
//! adding it here; which routes are the owner's is decided by the
//! contract's rule (API.md, part two, details fixed 7), written below as a
//! function of the method and the path, never read from the server.

use std::fmt::Write as _;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use stockroom::domain::staff::Role;

use super::{CSRF_HEADER, Session};
use crate::helpers::{TestApp, spawn_app, test_config};

/// Who is calling, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Caller {
    Nobody,
    RevokedToken,
    StaffSession,
    OwnerSession,
    StaffToken,
    OwnerToken,
    /// The owner's session cookie, without the CSRF header.
    CookieWithoutCsrf,
    /// The owner's session cookie and CSRF token, from another site.
    CookieFromAnotherOrigin,
}

const CALLERS: [Caller; 8] = [
    Caller::Nobody,
    Caller::RevokedToken,
    Caller::StaffSession,
    Caller::OwnerSession,
    Caller::StaffToken,
    Caller::OwnerToken,
    Caller::CookieWithoutCsrf,
    Caller::CookieFromAnotherOrigin,
];

/// What a cell must answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expected {
    /// 401 `unauthorized`.
    Unauthorized,
    /// 403 `forbidden`.
    Forbidden,
    /// Let through: the route's own answer (a 404 for a placeholder, a 422
    /// for an empty body), never 401, 403, 405 nor a 5xx.
    LetThrough,
}

/// The contract's rule: owner only are settings and shop writes, staff,
/// webhooks (read and write), notifications, `audit/reset`, catalog
/// import and drops' writes (create, edit, end); everything else under
/// `/api/v1/admin` and one's own password are for owner and staff.
fn owner_only(method: &Method, path: &str) -> bool {
    let Some(rest) = path.strip_prefix("/api/v1/admin/") else {
        return false;
    };
    let write = *method != Method::GET && *method != Method::HEAD;
    let first = rest.split('/').next().unwrap_or_default();
    match first {
        "settings" | "shop" | "drops" => write,
        // A delivery's retry is the webhooks' and notifications' own.
        "staff" | "webhooks" | "notifications" | "deliveries" | "import" => true,
        "audit" => rest == "audit/reset",
        _ => false,
    }
}

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn expected(caller: Caller, method: &Method, path: &str) -> Expected {
    match caller {
        Caller::Nobody | Caller::RevokedToken => Expected::Unauthorized,
        Caller::StaffSession | Caller::StaffToken if owner_only(method, path) => {
            Expected::Forbidden
        }
        Caller::CookieWithoutCsrf | Caller::CookieFromAnotherOrigin if is_write(method) => {
            Expected::Forbidden
        }
        _ => Expected::LetThrough,
    }
}

/// Every method of every path under `/api/v1/admin/`, and of
/// `/api/v1/auth/password`, in the server's OpenAPI document.
async fn admin_routes(app: &TestApp) -> Vec<(Method, String)> {
    let document: Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("the OpenAPI document");
    let paths = document["paths"].as_object().expect("paths");
    let mut routes = Vec::new();
    for (path, operations) in paths {
        if !path.starts_with("/api/v1/admin/") && path != "/api/v1/auth/password" {
            continue;
        }
        for method in operations.as_object().expect("operations").keys() {
            if let Ok(method) = method.to_uppercase().parse::<Method>() {
                routes.push((method, path.clone()));
            }
        }
    }
    routes
}

/// The path with each `{parameter}` replaced by a value that names
/// nothing: a placeholder never reaches a real product, order or person,
/// so the matrix never revokes nor resets the people it uses.
fn placeholder_path(path: &str) -> String {
    path.split('/')
        .map(|segment| match segment.strip_prefix('{') {
            Some(name) => format!("no-such-{}", name.trim_end_matches('}')),
            None => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The people of the matrix: a session and an API token for each role,
/// and a token revoked before the first request.
struct Callers {
    staff_session: Session,
    owner_session: Session,
    staff_token: String,
    revoked_token: String,
}

async fn callers(app: &TestApp) -> Callers {
    let staff_session = app.member("aya", "staff").await;
    let owner_session = app.member("binta", "owner").await;
    let staff_token = app.store.create_admin("clerk", Role::Staff).await;
    let revoked = app.store.create_admin("gone", Role::Owner).await;
    let revoked_token = revoked.expect("an admin").token.expect("a token");
    app.store
        .revoke_admin("gone", "test-admin")
        .await
        .expect("revoked");
    Callers {
        staff_session,
        owner_session,
        staff_token: staff_token.expect("an admin").token.expect("a token"),
        revoked_token,
    }
}

/// One cell's request: the route's placeholder path, `{}` for a body.
async fn send(
    app: &TestApp,
    who: &Callers,
    caller: Caller,
    method: &Method,
    path: &str,
) -> (u16, Value) {
    let own_origin = test_config().public_url.origin();
    let path = placeholder_path(path);
    let request = match caller {
        Caller::Nobody => app.request(method.clone(), &path),
        Caller::RevokedToken => app
            .request(method.clone(), &path)
            .bearer_auth(&who.revoked_token),
        Caller::StaffToken => app
            .request(method.clone(), &path)
            .bearer_auth(&who.staff_token),
        Caller::OwnerToken => app.admin(method.clone(), &path),
        Caller::StaffSession | Caller::OwnerSession => {
            let session = if caller == Caller::StaffSession {
                &who.staff_session
            } else {
                &who.owner_session
            };
            // The shop's own origin, as its pages send it.
            app.as_session(session, method.clone(), &path)
                .header("Origin", &own_origin)
        }
        Caller::CookieWithoutCsrf => app.with_cookie(&who.owner_session, method.clone(), &path),
        Caller::CookieFromAnotherOrigin => app
            .with_cookie(&who.owner_session, method.clone(), &path)
            .header(CSRF_HEADER, &who.owner_session.csrf)
            .header("Origin", "https://evil.example"),
    };
    let request = if is_write(method) {
        request.json(&json!({}))
    } else {
        request
    };
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    let streams = response
        .headers()
        .get("content-type")
        .is_some_and(|t| t.as_bytes().starts_with(b"text/event-stream"));
    if streams {
        // The event stream stays open: its status says what the cell asks.
        return (status, Value::Null);
    }
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// Whether an answer is what the cell expects.
fn as_expected(expected: Expected, status: u16, body: &Value) -> bool {
    match expected {
        Expected::Unauthorized => status == 401 && body["code"] == "unauthorized",
        Expected::Forbidden => status == 403 && body["code"] == "forbidden",
        Expected::LetThrough => !matches!(status, 401 | 403 | 405) && status < 500,
    }
}

#[tokio::test]
async fn every_admin_route_answers_every_caller_as_the_roles_and_csrf_rules_say() {
    let app = spawn_app().await;
    let who = callers(&app).await;
    let routes = admin_routes(&app).await;
    // The document is read right: the routes of every kind are in it.
    for (method, path) in [
        (Method::GET, "/api/v1/admin/orders"),
        (Method::PUT, "/api/v1/admin/settings"),
        (Method::DELETE, "/api/v1/admin/staff/{name}"),
        (Method::POST, "/api/v1/auth/password"),
    ] {
        assert!(
            routes.contains(&(method.clone(), path.to_owned())),
            "{method} {path} is not among {routes:?}"
        );
    }

    let mut table = format!("{:<50}", "route");
    for caller in CALLERS {
        let _ = write!(table, " | {caller:?}");
    }
    let mut wrong = 0;
    for (method, path) in &routes {
        let _ = write!(table, "\n{:<50}", format!("{method} {path}"));
        for caller in CALLERS {
            let expected = expected(caller, method, path);
            let (status, body) = send(&app, &who, caller, method, path).await;
            if as_expected(expected, status, &body) {
                let _ = write!(table, " | {status}");
            } else {
                wrong += 1;
                let _ = write!(table, " | {status} WRONG, expected {expected:?}");
            }
        }
    }
    assert_eq!(wrong, 0, "{wrong} wrong cells:\n{table}");

    // Nobody the matrix used was revoked or signed out by it.
    for session in [&who.staff_session, &who.owner_session] {
        assert_eq!(app.session_status(session).await, StatusCode::OK);
    }
    let staff_token = app
        .request(Method::GET, "/api/v1/admin/orders")
        .bearer_auth(&who.staff_token)
        .send()
        .await
        .expect("sent");
    assert_eq!(staff_token.status(), StatusCode::OK);
}

#[test]
fn the_owners_routes_are_those_the_contract_names() {
    let owner = |method: Method, path: &str| owner_only(&method, path);
    assert!(owner(Method::PUT, "/api/v1/admin/settings"));
    assert!(!owner(Method::GET, "/api/v1/admin/settings"));
    assert!(owner(Method::PUT, "/api/v1/admin/shop"));
    assert!(owner(Method::GET, "/api/v1/admin/staff"));
    assert!(owner(Method::POST, "/api/v1/admin/staff/{name}/reset"));
    assert!(owner(Method::GET, "/api/v1/admin/webhooks/{id}/deliveries"));
    assert!(owner(Method::GET, "/api/v1/admin/notifications"));
    assert!(owner(Method::POST, "/api/v1/admin/audit/reset"));
    assert!(!owner(Method::GET, "/api/v1/admin/audit"));
    assert!(owner(Method::POST, "/api/v1/admin/import/catalog"));
    assert!(owner(Method::POST, "/api/v1/admin/drops/{id}/end"));
    assert!(owner(Method::PATCH, "/api/v1/admin/drops/{id}"));
    assert!(!owner(Method::GET, "/api/v1/admin/drops"));
    assert!(!owner(Method::POST, "/api/v1/admin/stock/{sku}/restock"));
    assert!(!owner(Method::POST, "/api/v1/auth/password"));
    assert_eq!(
        placeholder_path("/api/v1/admin/staff/{name}/reset"),
        "/api/v1/admin/staff/no-such-name/reset"
    );
}

//! Staff accounts (issue #15): who may call which admin route, sign-in and
//! its limits, setup links and passwords, sessions and their cookie, the
//! team the owner runs, and that no secret reaches a log. The helpers
//! below sign people in the way the back office does: an invitation by the
//! owner, a password chosen through the setup link, a session cookie and
//! the CSRF token `/api/v1/auth/me` gives.

mod logs;
mod matrix;
mod sessions;
mod setup;
mod sign_in;
mod team;

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// The password every person of these tests chooses, unless a test says.
pub const PASSWORD: &str = "une phrase assez longue";

/// The cookie a session lives in, and the header its writes carry.
pub const SESSION_COOKIE: &str = "stockroom_session";
pub const CSRF_HEADER: &str = "X-CSRF-Token";

/// A signed-in browser: the session cookie's token and the CSRF token of
/// its writes.
#[derive(Clone, Debug)]
pub struct Session {
    pub token: String,
    pub csrf: String,
}

impl Session {
    /// The `Cookie` header a browser sends with this session.
    pub fn cookie(&self) -> String {
        format!("{SESSION_COOKIE}={}", self.token)
    }
}

/// The value of the session cookie a response sets, if it sets one.
pub fn session_token(response: &Response) -> Option<String> {
    let set_cookie = set_cookie(response)?;
    let (pair, _) = set_cookie.split_once(';').unwrap_or((&set_cookie, ""));
    let (name, value) = pair.trim().split_once('=')?;
    (name == SESSION_COOKIE && !value.is_empty()).then(|| value.to_owned())
}

/// The `Set-Cookie` header of a response, if any.
pub fn set_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get(reqwest::header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

impl TestApp {
    /// `POST /api/v1/admin/staff` with the owner's API token; the answer's body.
    pub async fn invite(&self, name: &str, role: &str) -> Value {
        let response = self
            .admin_post("/api/v1/admin/staff", &json!({"name": name, "role": role}))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "inviting {name}");
        response.json().await.expect("an invitation")
    }

    /// `POST /api/v1/auth/setup`: chooses `password` with a setup link's token.
    pub async fn set_up(&self, token: &str, password: &str) -> Response {
        self.request(Method::POST, "/api/v1/auth/setup")
            .header("Accept-Language", "en")
            .json(&json!({"token": token, "password": password}))
            .send()
            .await
            .expect("sent")
    }

    /// `POST /api/v1/auth/login`.
    pub async fn sign_in(&self, name: &str, password: &str) -> Response {
        self.request(Method::POST, "/api/v1/auth/login")
            .json(&json!({"name": name, "password": password}))
            .send()
            .await
            .expect("sent")
    }

    /// `GET /api/v1/auth/me` with a session token in the cookie.
    pub async fn me(&self, token: &str) -> Response {
        self.request(Method::GET, "/api/v1/auth/me")
            .header(reqwest::header::COOKIE, format!("{SESSION_COOKIE}={token}"))
            .send()
            .await
            .expect("sent")
    }

    /// The session a sign-in or a setup answered with, and its CSRF token.
    pub async fn session_of(&self, response: Response) -> Session {
        let status = response.status();
        let token = session_token(&response)
            .unwrap_or_else(|| panic!("no session cookie in an answer {status}"));
        let me = self.me(&token).await;
        assert_eq!(me.status(), StatusCode::OK);
        let me: Value = me.json().await.expect("json");
        let csrf = me["csrf_token"].as_str().expect("a CSRF token").to_owned();
        Session { token, csrf }
    }

    /// Someone invited with `role` who chose [`PASSWORD`] through the
    /// setup link, which signed them in.
    pub async fn member(&self, name: &str, role: &str) -> Session {
        let invited = self.invite(name, role).await;
        let token = invited["setup_token"].as_str().expect("a setup token");
        let response = self.set_up(token, PASSWORD).await;
        assert_eq!(
            response.status(),
            StatusCode::NO_CONTENT,
            "setting up {name}"
        );
        self.session_of(response).await
    }

    /// Signs in with a name and a password that must be right.
    pub async fn signed_in(&self, name: &str, password: &str) -> Session {
        let response = self.sign_in(name, password).await;
        assert_eq!(response.status(), StatusCode::OK, "signing in as {name}");
        self.session_of(response).await
    }

    /// A request with the session cookie and nothing else.
    pub fn with_cookie(&self, session: &Session, method: Method, path: &str) -> RequestBuilder {
        self.request(method, path)
            .header(reqwest::header::COOKIE, session.cookie())
    }

    /// A request as the back office sends it: the cookie, and for a write
    /// the CSRF token.
    pub fn as_session(&self, session: &Session, method: Method, path: &str) -> RequestBuilder {
        let write = method != Method::GET;
        let request = self.with_cookie(session, method, path);
        if write {
            request.header(CSRF_HEADER, &session.csrf)
        } else {
            request
        }
    }

    /// The status of `GET /api/v1/admin/orders` with a session: 200 while
    /// it is open, 401 once it has ended.
    pub async fn session_status(&self, session: &Session) -> StatusCode {
        self.with_cookie(session, Method::GET, "/api/v1/admin/orders")
            .send()
            .await
            .expect("sent")
            .status()
    }
}

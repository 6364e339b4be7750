//! No secret of signing in reaches a log: the real binary runs with every
//! log line on (`RUST_LOG=trace`, JSON, the drivers' own lines included)
//! while people sign in, choose and change passwords and scripts use
//! their tokens; then its output is searched for every secret sent or
//! received.

use reqwest::{Method, StatusCode};
use serde_json::json;
use stockroom::domain::staff::Role;

use super::{PASSWORD, Session, session_token};
use crate::helpers::{TestApp, spawn_app};
use crate::operations::{Server, command, database_url, serve_logging};

/// `stockroom serve` on the app's database, logging everything to
/// `log_path`; the address it serves on.
async fn serve(app: &TestApp, log_path: &std::path::Path) -> (Server, String) {
    let mut serve = command();
    serve
        .args(["serve", "--database-url", &database_url(app)])
        .args(["--listen", "127.0.0.1:0", "--log-format", "json"])
        .env("RUST_LOG", "trace");
    serve_logging(serve, log_path).await
}

/// `POST /api/v1/auth/password` with a session; its status.
async fn change_password(app: &TestApp, session: &Session, current: &str, new: &str) -> StatusCode {
    app.as_session(session, Method::POST, "/api/v1/auth/password")
        .json(&json!({"current": current, "new": new}))
        .send()
        .await
        .expect("sent")
        .status()
}

#[tokio::test]
async fn no_password_session_setup_link_csrf_or_api_token_reaches_the_logs() {
    let mut app = spawn_app().await;
    let clerk = app
        .store
        .create_admin("clerk", Role::Staff)
        .await
        .expect("an admin");
    let staff_token = clerk.token.expect("a token");
    let dir = tempfile::tempdir().expect("a folder");
    let log_path = dir.path().join("stderr.log");
    let (server, base) = serve(&app, &log_path).await;
    // From here on every request of the app's helpers goes to the binary.
    app.address = base;

    let mut secrets = vec![app.admin_token.clone(), staff_token.clone()];
    for token in [&app.admin_token, &staff_token] {
        let response = app
            .request(Method::GET, "/api/v1/admin/orders")
            .bearer_auth(token)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::OK);
    }
    let invited = app.invite("aya", "staff").await;
    let first_link = invited["setup_token"].as_str().expect("a token").to_owned();
    let setup = app.set_up(&first_link, PASSWORD).await;
    let first = app.session_of(setup).await;
    let guess = "un essai au hasard";
    assert_eq!(
        app.sign_in("aya", guess).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let second = app.signed_in("aya", PASSWORD).await;
    let changed = "une autre phrase longue";
    assert_eq!(
        change_password(&app, &second, guess, changed).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        change_password(&app, &second, PASSWORD, changed).await,
        StatusCode::NO_CONTENT
    );
    let reset = app
        .admin_post("/api/v1/admin/staff/aya/reset", &json!({}))
        .await;
    let reset: serde_json::Value = reset.json().await.expect("json");
    let second_link = reset["setup_token"].as_str().expect("a token").to_owned();
    assert_eq!(
        app.set_up(&first_link, PASSWORD).await.status(),
        StatusCode::NOT_FOUND
    );
    let third_password = "une troisieme phrase";
    let setup = app.set_up(&second_link, third_password).await;
    let third = session_token(&setup).expect("a session");
    let logout = app
        .request(Method::POST, "/api/v1/auth/logout")
        .header(
            reqwest::header::COOKIE,
            format!("{}={third}", super::SESSION_COOKIE),
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    drop(server);

    let logs = std::fs::read_to_string(&log_path).expect("the logs");
    // The logs were on: the sign-ins and the password change are there.
    for said in [
        "signed in",
        "sign-in refused",
        "password changed",
        "request answered",
    ] {
        assert!(logs.contains(said), "no `{said}` in the logs:\n{logs}");
    }
    secrets.extend([PASSWORD, guess, changed, third_password].map(str::to_owned));
    secrets.extend([first_link, second_link, third]);
    secrets.extend([first.token, first.csrf, second.token, second.csrf]);
    for secret in &secrets {
        assert!(
            !logs.contains(secret.as_str()),
            "`{secret}` is in the logs:\n{logs}"
        );
    }
}

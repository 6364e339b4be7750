//! Sessions: kept on the server, ended by signing out, by revocation, by
//! idleness and by age; a cookie a page's script cannot read, sent by no
//! other site, and never taken from a url.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};

use super::{PASSWORD, SESSION_COOKIE, set_cookie};
use crate::helpers::{spawn_app, spawn_app_with, test_config};

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server_and_clears_the_cookie() {
    let app = spawn_app().await;
    let session = app.member("aya", "staff").await;
    let other = app.signed_in("aya", PASSWORD).await;

    let response = app
        .with_cookie(&session, Method::POST, "/api/v1/auth/logout")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let cleared = set_cookie(&response).expect("the cookie is cleared");
    assert!(
        cleared.starts_with(&format!("{SESSION_COOKIE}=;")) && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    // The browser forgets the cookie; a copy kept elsewhere is worth nothing.
    assert_eq!(app.session_status(&session).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.me(&session.token).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.session_status(&other).await, StatusCode::OK);
}

#[tokio::test]
async fn a_revoked_persons_session_is_refused_at_once() {
    let app = spawn_app().await;
    let session = app.member("aya", "staff").await;
    assert_eq!(app.session_status(&session).await, StatusCode::OK);

    let response = app
        .admin(Method::DELETE, "/api/v1/admin/staff/aya")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.session_status(&session).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.me(&session.token).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let write = app
        .as_session(&session, Method::POST, "/api/v1/auth/password")
        .json(&serde_json::json!({"current": PASSWORD, "new": "une autre phrase"}))
        .send()
        .await
        .expect("sent");
    app.problem(write, StatusCode::UNAUTHORIZED, "unauthorized")
        .await;
    let again = app.sign_in("aya", PASSWORD).await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
}

// Idle time is 2 s here. One session is used every 400 ms for 3.2 s, past
// the idle time counted from its sign-in, and must stay open; the other,
// unused, must have ended.
#[tokio::test]
async fn a_session_unused_for_its_idle_time_ends_and_one_in_use_goes_on() {
    let mut config = test_config();
    config.sign_in.session_idle = chrono::Duration::seconds(2);
    let app = spawn_app_with(config).await;
    let used = app.member("aya", "staff").await;
    let unused = app.signed_in("aya", PASSWORD).await;

    for _ in 0..8 {
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(app.session_status(&used).await, StatusCode::OK);
    }
    assert_eq!(app.session_status(&unused).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.me(&unused.token).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.session_status(&used).await, StatusCode::OK);
}

#[tokio::test]
async fn a_session_ends_at_its_age_limit_even_in_use() {
    let mut config = test_config();
    config.sign_in.session_max = chrono::Duration::seconds(2);
    let app = spawn_app_with(config).await;
    let session = app.member("aya", "staff").await;
    let started = Instant::now();

    while started.elapsed() < Duration::from_millis(1_500) {
        assert_eq!(app.session_status(&session).await, StatusCode::OK);
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(app.session_status(&session).await, StatusCode::UNAUTHORIZED);
    app.signed_in("aya", PASSWORD).await;
}

/// The attributes of a `Set-Cookie`, lower-cased, value first.
fn attributes(set_cookie: &str) -> Vec<String> {
    set_cookie
        .split(';')
        .map(|a| a.trim().to_ascii_lowercase())
        .collect()
}

#[tokio::test]
async fn the_cookie_is_http_only_strict_site_wide_and_secure_when_the_shop_is_https() {
    for (public_url, secure) in [(None, false), (Some("https://shop.example"), true)] {
        let mut config = test_config();
        if let Some(url) = public_url {
            config.public_url = url.parse().expect("a url");
        }
        let app = spawn_app_with(config).await;
        app.member("aya", "staff").await;
        let response = app.sign_in("aya", PASSWORD).await;
        let cookie = set_cookie(&response).expect("a cookie");
        let attributes = attributes(&cookie);
        assert!(
            attributes[0].starts_with("stockroom_session=srs_"),
            "{cookie}"
        );
        for wanted in ["httponly", "samesite=strict", "path=/"] {
            assert!(
                attributes.iter().any(|a| a == wanted),
                "{wanted} in {cookie}"
            );
        }
        assert_eq!(attributes.iter().any(|a| a == "secure"), secure, "{cookie}");
    }
}

#[tokio::test]
async fn a_session_token_in_the_query_string_is_never_accepted() {
    let app = spawn_app().await;
    let session = app.member("aya", "staff").await;
    let query = format!("{SESSION_COOKIE}={}", session.token);

    for (method, path) in [
        (Method::GET, "/api/v1/admin/orders"),
        (Method::GET, "/api/v1/auth/me"),
        (Method::POST, "/api/v1/auth/password"),
    ] {
        let mut request = app.request(method.clone(), &format!("{path}?{query}"));
        if method == Method::POST {
            let body = serde_json::json!({"current": PASSWORD, "new": "une autre phrase"});
            request = request
                .header(super::CSRF_HEADER, &session.csrf)
                .json(&body);
        }
        let response = request.send().await.expect("sent");
        app.problem(response, StatusCode::UNAUTHORIZED, "unauthorized")
            .await;
    }
    // The same token in the cookie opens them: the refusals were the url's doing.
    assert_eq!(app.session_status(&session).await, StatusCode::OK);
    assert_eq!(app.me(&session.token).await.status(), StatusCode::OK);
}

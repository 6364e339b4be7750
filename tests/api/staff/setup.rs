//! Setup links and passwords: the rules a password obeys, a link that works
//! once and for 48 hours (here: a second), and one's own password changed.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{PASSWORD, session_token};
use crate::helpers::{TestApp, spawn_app, spawn_app_with, test_config};

/// Passwords that break a rule, each with words of the rule's English
/// sentence. 513 `é` are 513 characters but 1,026 bytes: the limit is in
/// bytes.
fn bad_passwords(name: &str) -> Vec<(String, &'static str)> {
    vec![
        (String::new(), "required"),
        ("court".into(), "at least 10 characters"),
        ("é".repeat(513), "1024 bytes"),
        (name.to_uppercase(), "must not be your name"),
    ]
}

/// Checks a 422 naming `field`, whose sentence says `rule`.
async fn refused_for(app: &TestApp, response: reqwest::Response, field: &str, rule: &str) {
    let problem = app.validation_problem(response, field).await;
    let said = problem["errors"][0]["detail"].as_str().unwrap_or_default();
    assert!(said.contains(rule), "`{rule}` not in {problem}");
}

#[tokio::test]
async fn a_setup_password_that_breaks_a_rule_is_refused_naming_it_and_the_link_still_works() {
    let app = spawn_app().await;
    let invited = app.invite("aya-kouassi", "staff").await;
    let token = invited["setup_token"].as_str().expect("a token");

    for (password, rule) in bad_passwords("aya-kouassi") {
        let response = app.set_up(token, &password).await;
        assert!(session_token(&response).is_none());
        refused_for(&app, response, "password", rule).await;
    }
    let response = app.set_up(token, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_used_an_expired_and_a_guessed_setup_link_get_the_same_404() {
    let mut config = test_config();
    config.sign_in.setup_link_valid_for = chrono::Duration::seconds(1);
    let app = spawn_app_with(config).await;
    let used = app.invite("aya", "staff").await["setup_token"].clone();
    let used = used.as_str().expect("a token");
    assert_eq!(
        app.set_up(used, PASSWORD).await.status(),
        StatusCode::NO_CONTENT
    );
    let expired = app.invite("binta", "staff").await["setup_token"].clone();
    let expired = expired.as_str().expect("a token");
    tokio::time::sleep(Duration::from_millis(1_100)).await;

    let guessed = format!("sru_{}", "A".repeat(43));
    let mut answers: Vec<Value> = Vec::new();
    for token in [used, expired, guessed.as_str(), "", &"x".repeat(300)] {
        // A password that breaks a rule too: the link is judged first, and
        // the answer gives no hint that the password was looked at.
        for password in [PASSWORD, "court"] {
            let response = app.set_up(token, password).await;
            assert!(session_token(&response).is_none());
            let problem = app
                .problem(response, StatusCode::NOT_FOUND, "not_found")
                .await;
            answers.push(problem);
        }
    }
    for answer in &answers {
        for field in ["status", "code", "title", "detail", "type"] {
            assert_eq!(answer[field], answers[0][field], "{field}: {answers:?}");
        }
    }
    // Nobody signs in with what the refused links tried to set.
    let response = app.sign_in("binta", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_invitation_gives_a_setup_link_on_the_shop_whose_use_signs_in() {
    let app = spawn_app().await;
    let invited = app.invite("aya", "staff").await;
    assert_eq!(invited["name"], "aya");
    assert_eq!(invited["role"], "staff");
    let token = invited["setup_token"].as_str().expect("a token");
    assert!(token.len() >= 32, "{token}");
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
        "{token}"
    );
    assert_eq!(
        invited["setup_url"],
        format!("{}/admin/setup#{token}", test_config().public_url)
    );

    let response = app.set_up(token, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let cookie = session_token(&response).expect("a session cookie");
    let me: Value = app.me(&cookie).await.json().await.expect("json");
    assert_eq!(me["name"], "aya");
    assert_eq!(me["role"], "staff");
    assert!(
        me["csrf_token"].as_str().is_some_and(|t| t.len() >= 32),
        "{me}"
    );
    // With an API token there is no CSRF token: none is needed.
    let me: Value = app
        .admin_get("/api/v1/auth/me")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        me,
        json!({"name": "test-admin", "role": "owner", "csrf_token": null})
    );
}

/// `POST /api/v1/auth/password` with a session.
async fn change_password(
    app: &TestApp,
    session: &super::Session,
    current: &str,
    new: &str,
) -> reqwest::Response {
    app.as_session(session, Method::POST, "/api/v1/auth/password")
        .header("Accept-Language", "en")
        .json(&json!({"current": current, "new": new}))
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn ones_password_changes_with_the_current_one_and_ones_other_sessions_end() {
    let app = spawn_app().await;
    let here = app.member("aya-kouassi", "staff").await;
    let elsewhere = app.signed_in("aya-kouassi", PASSWORD).await;
    let new = "une autre phrase longue";

    let response = change_password(&app, &here, "pas le bon mot", new).await;
    refused_for(&app, response, "current", "current password is wrong").await;
    for (password, rule) in bad_passwords("aya-kouassi") {
        let response = change_password(&app, &here, PASSWORD, &password).await;
        refused_for(&app, response, "new", rule).await;
    }
    assert_eq!(app.session_status(&elsewhere).await, StatusCode::OK);

    let response = change_password(&app, &here, PASSWORD, new).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.session_status(&elsewhere).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.session_status(&here).await, StatusCode::OK);
    let old = app.sign_in("aya-kouassi", PASSWORD).await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    app.signed_in("aya-kouassi", new).await;
}

//! Signing in with a name and a password: past 10 failures for a name, or
//! 30 from an address, every attempt waits, the right password too; an
//! unknown name and a wrong password cannot be told apart.

use std::time::{Duration, Instant};

use reqwest::{Response, StatusCode};
use serde_json::Value;

use super::{PASSWORD, session_token};
use crate::helpers::{TestApp, spawn_app, spawn_app_with, test_config};

/// The `Retry-After` of a 429 `too_many_attempts`, in seconds.
async fn retry_after(app: &TestApp, response: Response) -> u64 {
    let seconds = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .expect("a Retry-After in seconds");
    app.problem(response, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts")
        .await;
    seconds
}

// The wait past the threshold is made short (2 s) so that the test can
// wait it out; everything else is the default: 10 failures for a name.
#[tokio::test]
async fn fifty_wrong_passwords_are_refused_past_ten_and_the_right_one_waits_its_turn() {
    let mut config = test_config();
    config.sign_in.limits.first_wait = chrono::Duration::seconds(2);
    let app = spawn_app_with(config).await;
    app.member("aya", "staff").await;

    for attempt in 1..=50 {
        let response = app.sign_in("aya", &format!("pas le bon {attempt}")).await;
        if attempt <= 10 {
            app.problem(response, StatusCode::UNAUTHORIZED, "unauthorized")
                .await;
        } else {
            let wait = retry_after(&app, response).await;
            assert!((1..=2).contains(&wait), "attempt {attempt}: wait {wait} s");
        }
    }
    let response = app.sign_in("aya", PASSWORD).await;
    assert!(session_token(&response).is_none(), "a cookie with a 429");
    let wait = retry_after(&app, response).await;

    tokio::time::sleep(Duration::from_secs(wait) + Duration::from_millis(100)).await;
    let response = app.sign_in("aya", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(session_token(&response).is_some());
}

#[tokio::test]
async fn thirty_failures_from_one_address_make_every_name_wait_the_right_password_too() {
    let app = spawn_app().await;
    app.member("aya", "staff").await;

    for name in 1..=30 {
        let response = app.sign_in(&format!("personne-{name}"), "pas le bon").await;
        app.problem(response, StatusCode::UNAUTHORIZED, "unauthorized")
            .await;
    }
    let response = app.sign_in("personne-31", "pas le bon").await;
    retry_after(&app, response).await;
    let response = app.sign_in("aya", PASSWORD).await;
    assert!(session_token(&response).is_none(), "a cookie with a 429");
    let wait = retry_after(&app, response).await;
    assert!(
        wait > 60,
        "the default first wait is 15 minutes, not {wait} s"
    );
}

// Each attempt is counted as a failure before its password is checked; a
// sign-in that succeeds must take its count back, or a shop whose staff
// share one address would lock itself out by signing in.
#[tokio::test]
async fn sign_ins_that_succeed_are_not_counted_against_the_address() {
    let mut config = test_config();
    config.sign_in.limits.address_failures_max = 3;
    let app = spawn_app_with(config).await;
    app.member("aya", "staff").await;

    for _ in 0..5 {
        app.signed_in("aya", PASSWORD).await;
    }
    for attempt in 1..=3 {
        let response = app.sign_in("aya", "pas le bon mot").await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    let response = app.sign_in("binta", "pas le bon mot").await;
    retry_after(&app, response).await;
}

/// A refused sign-in's problem, and how long it took.
async fn refusal(app: &TestApp, name: &str, language: &str) -> (Value, Duration) {
    let started = Instant::now();
    let response = app
        .request(reqwest::Method::POST, "/api/v1/auth/login")
        .header("Accept-Language", language)
        .json(&serde_json::json!({"name": name, "password": "pas le bon mot"}))
        .send()
        .await
        .expect("sent");
    let took = started.elapsed();
    let problem = app
        .problem(response, StatusCode::UNAUTHORIZED, "unauthorized")
        .await;
    (problem, took)
}

// Timing is compared loosely: each refusal must take the time of a
// password hash (tens of milliseconds), while an answer that skips the hash
// takes about a millisecond. The shortest of three tries is kept, so that a
// pause of a busy machine does not decide.
#[tokio::test]
async fn an_unknown_name_and_a_wrong_password_get_the_same_answer_after_a_hash() {
    let app = spawn_app().await;
    app.member("aya", "staff").await;
    app.invite("binta", "staff").await; // invited, no password yet

    for language in ["fr", "en"] {
        let (wrong, _) = refusal(&app, "aya", language).await;
        for other in ["nobody", "binta", "AYA-KOUASSI"] {
            let (unknown, _) = refusal(&app, other, language).await;
            for field in ["status", "code", "title", "detail", "type"] {
                assert_eq!(wrong[field], unknown[field], "{field} for {other}");
            }
        }
    }
    let shortest = |times: &[Duration]| times.iter().min().copied().unwrap_or_default();
    let (mut wrong, mut unknown, mut skipped) = (vec![], vec![], vec![]);
    for _ in 0..3 {
        wrong.push(refusal(&app, "aya", "fr").await.1);
        unknown.push(refusal(&app, "nobody", "fr").await.1);
        let started = Instant::now();
        let too_long = app.sign_in(&"x".repeat(65), "pas le bon mot").await;
        assert_eq!(too_long.status(), StatusCode::UNPROCESSABLE_ENTITY);
        skipped.push(started.elapsed());
    }
    let (wrong, unknown, skipped) = (shortest(&wrong), shortest(&unknown), shortest(&skipped));
    let floor = Duration::from_millis(5).max(skipped * 3);
    assert!(
        wrong > floor && unknown > floor,
        "wrong password {wrong:?}, unknown name {unknown:?}, no hash {skipped:?}"
    );
    assert!(
        unknown * 4 > wrong && wrong * 4 > unknown,
        "wrong password {wrong:?}, unknown name {unknown:?}"
    );
}

// Thirty wrong passwords sent at once: the server hashes two at a time, so
// all thirty are in flight before the first is answered. Had each attempt
// been counted only once its password was checked, all thirty would have
// been checked; counted before, ten are and the rest wait.
#[tokio::test]
async fn wrong_passwords_sent_at_once_are_counted_one_by_one() {
    let app = spawn_app().await;
    app.member("aya", "staff").await;

    let attempts = (0..30).map(|attempt| {
        let app = &app;
        async move {
            let response = app.sign_in("aya", &format!("pas le bon {attempt}")).await;
            response.status()
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    let count = |status| statuses.iter().filter(|s| **s == status).count();
    assert_eq!(
        (
            count(StatusCode::UNAUTHORIZED),
            count(StatusCode::TOO_MANY_REQUESTS)
        ),
        (10, 20),
        "{statuses:?}"
    );
    let response = app.sign_in("aya", PASSWORD).await;
    retry_after(&app, response).await;
}

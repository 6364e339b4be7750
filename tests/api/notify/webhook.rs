//! Webhooks: signed deliveries a Standard Webhooks receiver accepts, and
//! every way a delivery fails, each with its reason and never a secret.

use std::time::{Duration, Instant};

use stockroom::domain::events::{Event, EventType, NewEvent};
use stockroom::notify::{NotifyError, WebhookSecret, WebhookUrl, send_webhook};

use super::{ARRIVAL, impatient, outbound};
use crate::receivers::{Answer, HttpReceiver};

fn event(id: i64) -> Event {
    Event {
        id,
        kind: EventType::OrderCreated,
        created_at: "2026-12-07T10:00:00.000Z".into(),
        data: NewEvent::order(EventType::OrderCreated, "0190a1b2", "SR-1042", "pending").data,
    }
}

fn url(receiver: &HttpReceiver, path: &str) -> WebhookUrl {
    WebhookUrl::parse(&receiver.url(path), true).expect("a receiver's URL")
}

#[tokio::test]
async fn a_signed_event_reaches_its_receiver_which_verifies_the_signature() {
    let receiver = HttpReceiver::start().await;
    let secret = WebhookSecret::generate();
    let sent = send_webhook(
        &url(&receiver, "/hooks/in"),
        &secret,
        &event(42),
        &outbound(),
    )
    .await
    .expect("delivered");
    assert_eq!(sent.status, 200);
    let got = receiver.wait_for(1, ARRIVAL).await;
    assert_eq!(got.len(), 1);
    let request = &got[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path_and_query, "/hooks/in");
    assert_eq!(request.header("webhook-id"), Some("42"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    request
        .verify_webhook(&secret.expose())
        .expect("a valid signature");
    let other = WebhookSecret::generate();
    assert!(
        request.verify_webhook(&other.expose()).is_err(),
        "another key does not verify"
    );
    assert_eq!(request.body, event(42).to_json());
    assert_eq!(request.json()["data"]["number"], "SR-1042");
}

#[tokio::test]
async fn a_receiver_that_answers_500_fails_the_delivery_with_its_status() {
    let receiver = HttpReceiver::start_answering(Answer::Status(500)).await;
    let target = WebhookUrl::parse(&receiver.url("/in?token=s3cr3t"), true).expect("url");
    let failed = send_webhook(&target, &WebhookSecret::generate(), &event(1), &outbound())
        .await
        .expect_err("a 500 is no delivery");
    assert_eq!(failed.status(), Some(500));
    assert_eq!(failed.kind(), "status");
    let shown = format!(
        "{failed} {failed:?} {}",
        failed.message(stockroom::domain::Lang::Fr)
    );
    assert!(!shown.contains("s3cr3t"), "{shown}");
    assert!(
        shown.contains(&format!("http://{}/in", receiver.address())),
        "{shown}"
    );
    assert_eq!(receiver.wait_for(1, ARRIVAL).await.len(), 1);
}

#[tokio::test]
async fn a_receiver_that_never_answers_times_out_at_the_deadline() {
    let receiver = HttpReceiver::start_answering(Answer::Hang).await;
    let deadline = Duration::from_millis(400);
    let started = Instant::now();
    let failed = send_webhook(
        &url(&receiver, "/in"),
        &WebhookSecret::generate(),
        &event(1),
        &impatient(deadline),
    )
    .await
    .expect_err("no answer");
    let took = started.elapsed();
    assert!(
        matches!(failed, NotifyError::Timeout { after, .. } if after == deadline),
        "{failed:?}"
    );
    assert!(
        took >= deadline && took < Duration::from_secs(3),
        "took {took:?}"
    );
    assert_eq!(receiver.received().len(), 1, "the request went out");
}

#[tokio::test]
async fn a_slow_receiver_within_the_deadline_is_a_delivery() {
    let receiver = HttpReceiver::start_answering(Answer::Slow {
        status: 204,
        delay: Duration::from_millis(200),
    })
    .await;
    let sent = send_webhook(
        &url(&receiver, "/in"),
        &WebhookSecret::generate(),
        &event(1),
        &outbound(),
    )
    .await
    .expect("delivered");
    assert_eq!(sent.status, 204);
}

#[tokio::test]
async fn a_redirect_is_a_failure_and_is_never_followed() {
    let elsewhere = HttpReceiver::start().await;
    let redirecting = HttpReceiver::start_answering(Answer::Redirect(elsewhere.url("/in"))).await;
    let failed = send_webhook(
        &url(&redirecting, "/in"),
        &WebhookSecret::generate(),
        &event(1),
        &outbound(),
    )
    .await
    .expect_err("a redirect is no delivery");
    assert_eq!(failed.status(), Some(302));
    assert!(
        failed
            .message(stockroom::domain::Lang::Fr)
            .contains("jamais suivie")
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(elsewhere.received().is_empty(), "the redirect was followed");
}

#[tokio::test]
async fn a_private_target_is_refused_at_send_when_the_server_does_not_allow_it() {
    let receiver = HttpReceiver::start().await;
    let mut strict = outbound();
    strict.allow_private = false;
    // Saved while private targets were allowed; refused once they are not.
    for target in [
        receiver.url("/in"),
        format!("http://localhost:{}/in", receiver.address().port()),
    ] {
        let saved = WebhookUrl::parse(&target, true).expect("saved");
        let failed = send_webhook(&saved, &WebhookSecret::generate(), &event(1), &strict)
            .await
            .expect_err("refused");
        assert_eq!(failed.kind(), "private_address", "{target}: {failed:?}");
    }
    assert!(
        receiver.received().is_empty(),
        "nothing reached the private address"
    );
}

#[tokio::test]
async fn a_name_is_resolved_and_its_checked_address_is_the_one_connected_to() {
    let receiver = HttpReceiver::start().await;
    let named = WebhookUrl::parse(
        &format!("http://localhost:{}/in", receiver.address().port()),
        true,
    )
    .expect("url");
    let sent = send_webhook(&named, &WebhookSecret::generate(), &event(7), &outbound()).await;
    // localhost may resolve to ::1 first, where nothing listens; the
    // resolver's every address is offered, so 127.0.0.1 is reached.
    assert_eq!(sent.expect("delivered").status, 200);
    let got = receiver.wait_for(1, ARRIVAL).await;
    assert_eq!(
        got[0].header("host"),
        Some(format!("localhost:{}", receiver.address().port()).as_str())
    );
}

#[tokio::test]
async fn a_port_where_nothing_listens_is_a_connection_failure() {
    let receiver = HttpReceiver::start().await;
    let target = url(&receiver, "/in");
    receiver.stop().await;
    let failed = send_webhook(&target, &WebhookSecret::generate(), &event(1), &outbound())
        .await
        .expect_err("nothing listens");
    assert_eq!(failed.kind(), "connection", "{failed:?}");
    assert_eq!(failed.status(), None);
}

#[tokio::test]
async fn a_stopped_receiver_started_again_on_its_port_gets_the_next_delivery() {
    let receiver = HttpReceiver::start().await;
    let (address, target) = (receiver.address(), url(&receiver, "/in"));
    receiver.stop().await;
    let secret = WebhookSecret::generate();
    assert!(
        send_webhook(&target, &secret, &event(1), &outbound())
            .await
            .is_err()
    );
    let again = HttpReceiver::start_on(address, Answer::Status(200))
        .await
        .expect("the same port");
    send_webhook(&target, &secret, &event(2), &outbound())
        .await
        .expect("delivered");
    let got = again.wait_for(1, ARRIVAL).await;
    assert_eq!(got[0].header("webhook-id"), Some("2"));
}

#[tokio::test]
async fn the_receiver_sees_one_id_delivered_twice_at_once() {
    // The receiver the lead's multi-instance test relies on must itself
    // see an overlap: two deliveries of one id while it answers slowly.
    let receiver = HttpReceiver::start_answering(Answer::Slow {
        status: 200,
        delay: Duration::from_millis(300),
    })
    .await;
    let (target, secret) = (url(&receiver, "/in"), WebhookSecret::generate());
    let (nine, outbound) = (event(9), outbound());
    let (a, b) = tokio::join!(
        send_webhook(&target, &secret, &nine, &outbound),
        send_webhook(&target, &secret, &nine, &outbound),
    );
    assert!(a.is_ok() && b.is_ok());
    assert_eq!(receiver.overlapping_ids(), ["9"]);
    let ten = event(10);
    send_webhook(&target, &secret, &ten, &outbound)
        .await
        .expect("delivered");
    assert_eq!(
        receiver.overlapping_ids(),
        ["9"],
        "one at a time is no overlap"
    );
}

#[tokio::test]
async fn an_https_target_is_spoken_to_in_tls() {
    // The receiver speaks plain HTTP: a client with TLS compiled in fails
    // the handshake, where one without would refuse the scheme.
    let receiver = HttpReceiver::start().await;
    let target =
        WebhookUrl::parse(&format!("https://{}/in", receiver.address()), true).expect("url");
    let failed = send_webhook(&target, &WebhookSecret::generate(), &event(1), &outbound())
        .await
        .expect_err("no TLS on the other side");
    assert_eq!(failed.kind(), "tls", "{failed:?}");
}

//! SMS gateways: the owner's templates filled and sent as each kind of
//! gateway reads them, and every way a text fails, never with a secret.

use std::time::{Duration, Instant};

use serde_json::json;
use stockroom::domain::Lang;
use stockroom::domain::events::EventType;
use stockroom::domain::notifications::{SmsChannel, SmsSettings};
use stockroom::domain::phone::Country;
use stockroom::notify::messages::{OrderNotice, OrderNoticeLine, order_link, order_sms};
use stockroom::notify::{NotifyError, send_sms};

use super::{ARRIVAL, impatient, outbound};
use crate::receivers::{Answer, HttpReceiver};

fn channel(settings: serde_json::Value) -> SmsChannel {
    let settings: SmsSettings = serde_json::from_value(settings).expect("settings");
    SmsChannel::check(&settings, Country::DEFAULT).expect("a valid channel")
}

fn json_gateway(receiver: &HttpReceiver) -> SmsChannel {
    channel(json!({
        "url": receiver.url("/v1/messages?apikey=s3cr3t"),
        "headers": {"Authorization": "Bearer t0k3n"},
        "body": r#"{"to": "{to}", "text": "{message}", "sender": "AWA"}"#,
        "to": ["07 00 00 00 00"],
        "events": ["order.created"]
    }))
}

/// The SMS of a new order, as the delivery worker writes it.
fn new_order_text() -> String {
    let notice = OrderNotice {
        order_id: "0190a1b2".into(),
        number: "SR-1042".into(),
        status: "pending".into(),
        customer_name: "Awa Koné".into(),
        customer_phone: "07 00 00 00 00".into(),
        lines: vec![OrderNoticeLine {
            title: "Robe d'été".into(),
            size: "M".into(),
            color: None,
            quantity: 2,
            line_total: 20_000,
        }],
        delivery_fee: 1_500,
        total: 21_500,
        payment: None,
        currency: "XOF".into(),
        link: order_link("https://boutique.example.ci", "0190a1b2"),
    };
    order_sms(EventType::OrderCreated, &notice)
}

#[tokio::test]
async fn a_json_gateway_gets_the_french_text_escaped_with_its_headers() {
    let receiver = HttpReceiver::start().await;
    let gateway = json_gateway(&receiver);
    let text = new_order_text();
    let to = gateway.to()[0].as_str().to_owned();
    let sent = send_sms(&gateway, &to, &text, &outbound())
        .await
        .expect("sent");
    assert_eq!(sent.status, 200);
    let got = receiver.wait_for(1, ARRIVAL).await;
    let request = &got[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path_and_query, "/v1/messages?apikey=s3cr3t");
    assert_eq!(request.header("authorization"), Some("Bearer t0k3n"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.json(),
        json!({"to": "+2250700000000", "sender": "AWA",
               "text": "Nouvelle commande SR-1042 : 2 articles, 21 500 FCFA. Awa K., 07 00 00 00 00."})
    );
}

#[tokio::test]
async fn a_get_gateway_gets_the_values_percent_encoded_in_its_url() {
    let receiver = HttpReceiver::start().await;
    let gateway = channel(json!({
        "url": receiver.url("/send?user=awa&to={to}&msg={message}"),
        "method": "GET",
        "to": ["+225 07 00 00 00 00"]
    }));
    let text = "Stock faible : Robe d'été taille M, plus que 2 articles en stock. 100% & plus?";
    send_sms(&gateway, "+2250700000000", text, &outbound())
        .await
        .expect("sent");
    let got = receiver.wait_for(1, ARRIVAL).await;
    assert_eq!(got[0].method, "GET");
    assert_eq!(got[0].body, "");
    assert_eq!(
        got[0].query(),
        [
            ("user".to_owned(), "awa".to_owned()),
            ("to".into(), "+2250700000000".into()),
            ("msg".into(), text.into())
        ]
    );
}

#[tokio::test]
async fn a_form_gateway_gets_a_form() {
    let receiver = HttpReceiver::start().await;
    let gateway = channel(json!({
        "url": receiver.url("/2010-04-01/Accounts/AC1/Messages.json"),
        "headers": {"Authorization": "Basic QUMxOnRva2Vu"},
        "body": "To={to}&From=%2B2250100000000&Body={message}",
        "to": ["0700000000"]
    }));
    send_sms(
        &gateway,
        "+2250700000000",
        "Rupture de stock : Robe d'été taille M.",
        &outbound(),
    )
    .await
    .expect("sent");
    let got = receiver.wait_for(1, ARRIVAL).await;
    assert_eq!(
        got[0].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let form: Vec<(String, String)> = url::form_urlencoded::parse(got[0].body.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(
        form,
        [
            ("To".to_owned(), "+2250700000000".to_owned()),
            ("From".into(), "+2250100000000".into()),
            (
                "Body".into(),
                "Rupture de stock : Robe d'été taille M.".into()
            )
        ]
    );
}

#[tokio::test]
async fn a_gateway_that_answers_500_fails_without_showing_its_keys() {
    let receiver = HttpReceiver::start_answering(Answer::Status(500)).await;
    let failed = send_sms(
        &json_gateway(&receiver),
        "+2250700000000",
        "Test",
        &outbound(),
    )
    .await
    .expect_err("a 500 is no delivery");
    assert_eq!(failed.status(), Some(500));
    let shown = format!(
        "{failed} {failed:?} {} {}",
        failed.message(Lang::Fr),
        failed.message(Lang::En)
    );
    for secret in ["s3cr3t", "t0k3n", "apikey"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}

#[tokio::test]
async fn a_gateway_that_never_answers_times_out_at_the_deadline() {
    let receiver = HttpReceiver::start_answering(Answer::Hang).await;
    let deadline = Duration::from_millis(400);
    let started = Instant::now();
    let failed = send_sms(
        &json_gateway(&receiver),
        "+2250700000000",
        "Test",
        &impatient(deadline),
    )
    .await
    .expect_err("no answer");
    assert!(matches!(failed, NotifyError::Timeout { .. }), "{failed:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(
        failed.message(Lang::Fr),
        format!(
            "http://{}/v1/messages n'a pas répondu en 400 millisecondes.",
            receiver.address()
        )
    );
}

#[tokio::test]
async fn a_gateway_that_redirects_fails_and_is_not_followed() {
    let elsewhere = HttpReceiver::start().await;
    let redirecting =
        HttpReceiver::start_answering(Answer::Redirect(elsewhere.url("/v1/messages"))).await;
    let failed = send_sms(
        &json_gateway(&redirecting),
        "+2250700000000",
        "Test",
        &outbound(),
    )
    .await
    .expect_err("a redirect is no delivery");
    assert_eq!(failed.status(), Some(302));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(elsewhere.received().is_empty());
}

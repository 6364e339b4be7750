//! E-mail: a message in French delivered to a real SMTP server, and every
//! way a server fails, each with its reason and never the password.

use std::time::{Duration, Instant};

use serde_json::json;
use stockroom::domain::Lang;
use stockroom::domain::events::EventType;
use stockroom::domain::notifications::{EmailChannel, EmailSettings};
use stockroom::notify::messages::{
    BackInStock, StockNotice, back_in_stock_email, product_link, stock_email,
};
use stockroom::notify::{NotifyError, send_email};

use super::{ARRIVAL, impatient, outbound};
use crate::receivers::{SmtpBehaviour, SmtpReceiver};

const PASSWORD: &str = "m0t-de-passe-secret";

fn channel(receiver: &SmtpReceiver, tls: &str, with_login: bool) -> EmailChannel {
    let mut settings = json!({
        "host": "127.0.0.1", "port": receiver.port(), "tls": tls,
        "from": "Chez Awa <boutique@example.ci>",
        "to": ["awa@example.ci", "staff@example.ci"],
        "events": ["stock.low"]
    });
    if with_login {
        settings["user"] = json!("boutique@example.ci");
        settings["password"] = json!(PASSWORD);
    }
    let settings: EmailSettings = serde_json::from_value(settings).expect("settings");
    EmailChannel::check(&settings).expect("a valid channel")
}

fn low_stock() -> stockroom::notify::messages::EmailText {
    let notice = StockNotice::new(
        "https://boutique.example.ci",
        "ROBE-ETE-M",
        "Robe d'été",
        "M",
        Some("Rouge"),
        2,
    );
    stock_email(EventType::StockLow, &notice)
}

#[tokio::test]
async fn a_french_message_reaches_the_smtp_server_after_logging_in() {
    let receiver = SmtpReceiver::start().await;
    let channel = channel(&receiver, "none", true);
    let text = low_stock();
    send_email(&channel, channel.to(), &text, &outbound())
        .await
        .expect("sent");
    let mails = receiver.wait_for(1, ARRIVAL).await;
    let mail = &mails[0];
    assert_eq!(
        mail.login,
        Some(("boutique@example.ci".to_owned(), PASSWORD.to_owned()))
    );
    assert_eq!(mail.from, "boutique@example.ci");
    assert_eq!(mail.to, ["awa@example.ci", "staff@example.ci"]);
    assert_eq!(mail.subject(), "Stock faible : Robe d'été taille M");
    assert_eq!(mail.text(), text.body);
    assert!(mail.text().contains("plus que 2 articles en stock"));
    assert_eq!(
        mail.header("From").as_deref(),
        Some("\"Chez Awa\" <boutique@example.ci>")
    );
    assert!(
        mail.header("Content-Type")
            .is_some_and(|t| t.contains("charset=utf-8"))
    );
    assert!(mail.header("Date").is_some());
    let id = mail.header("Message-ID").expect("a Message-ID");
    assert!(id.starts_with('<') && id.ends_with("@example.ci>"), "{id}");
}

#[tokio::test]
async fn a_buyer_gets_the_back_in_stock_message_at_their_own_address() {
    let receiver = SmtpReceiver::start().await;
    let channel = channel(&receiver, "none", false);
    let item = BackInStock {
        shop_name: "Chez Awa".into(),
        title: "Robe d'été".into(),
        size: "M".into(),
        color: None,
        product_link: product_link("https://boutique.example.ci", "robe-d-ete"),
        unsubscribe_link: "https://boutique.example.ci/waitlist/off/T0k".into(),
    };
    let text = back_in_stock_email(&item);
    send_email(&channel, &["aya@example.ci".to_owned()], &text, &outbound())
        .await
        .expect("sent");
    let mails = receiver.wait_for(1, ARRIVAL).await;
    assert_eq!(mails[0].login, None);
    assert_eq!(mails[0].to, ["aya@example.ci"]);
    assert_eq!(
        mails[0].subject(),
        "De retour en stock : Robe d'été taille M"
    );
    assert!(
        mails[0]
            .text()
            .contains("https://boutique.example.ci/#/produit/robe-d-ete")
    );
    assert!(
        mails[0]
            .text()
            .contains("https://boutique.example.ci/waitlist/off/T0k")
    );
}

#[tokio::test]
async fn a_server_that_closes_the_connection_fails_the_send_at_once() {
    let receiver = SmtpReceiver::start_with(SmtpBehaviour::CloseAtConnect).await;
    let started = Instant::now();
    let failed = send_email(
        &channel(&receiver, "none", true),
        &["a@example.ci".into()],
        &low_stock(),
        &outbound(),
    )
    .await
    .expect_err("closed");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(
        matches!(failed, NotifyError::Connection { .. }),
        "{failed:?}"
    );
    assert!(failed.message(Lang::Fr).starts_with(&format!(
        "La connexion à smtp://127.0.0.1:{} a échoué",
        receiver.port()
    )));
    assert!(!format!("{failed:?}").contains(PASSWORD));
}

#[tokio::test]
async fn a_server_that_never_speaks_times_out_at_the_deadline() {
    let receiver = SmtpReceiver::start_with(SmtpBehaviour::Hang).await;
    let deadline = Duration::from_millis(400);
    let started = Instant::now();
    let failed = send_email(
        &channel(&receiver, "none", false),
        &["a@example.ci".into()],
        &low_stock(),
        &impatient(deadline),
    )
    .await
    .expect_err("no greeting");
    assert!(matches!(failed, NotifyError::Timeout { .. }), "{failed:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(
        failed.message(Lang::Fr),
        format!(
            "smtp://127.0.0.1:{} n'a pas répondu en 400 millisecondes.",
            receiver.port()
        )
    );
}

#[tokio::test]
async fn refused_recipients_fail_with_the_server_reply_code() {
    let receiver = SmtpReceiver::start_with(SmtpBehaviour::RefuseRecipients).await;
    let failed = send_email(
        &channel(&receiver, "none", false),
        &["a@example.ci".into()],
        &low_stock(),
        &outbound(),
    )
    .await
    .expect_err("refused");
    assert_eq!(failed.status(), Some(550));
    assert!(failed.message(Lang::Fr).starts_with(&format!(
        "Le serveur d'e-mail smtp://127.0.0.1:{} a refusé l'envoi",
        receiver.port()
    )));
    assert!(receiver.received().is_empty());
}

#[tokio::test]
async fn a_refused_login_fails_without_the_password_anywhere() {
    let receiver = SmtpReceiver::start_with(SmtpBehaviour::RefuseLogin).await;
    let failed = send_email(
        &channel(&receiver, "none", true),
        &["a@example.ci".into()],
        &low_stock(),
        &outbound(),
    )
    .await
    .expect_err("refused");
    assert_eq!(failed.status(), Some(535));
    let shown = format!("{failed} {failed:?} {}", failed.message(Lang::Fr));
    assert!(!shown.contains(PASSWORD), "{shown}");
    assert_eq!(receiver.logins().len(), 1, "the login was tried");
}

#[tokio::test]
async fn starttls_required_by_the_channel_is_never_skipped() {
    // The receiver offers no STARTTLS: the message must not go in clear,
    // and the password must not be sent.
    let receiver = SmtpReceiver::start().await;
    let failed = send_email(
        &channel(&receiver, "starttls", true),
        &["a@example.ci".into()],
        &low_stock(),
        &outbound(),
    )
    .await
    .expect_err("no STARTTLS");
    assert!(
        matches!(failed, NotifyError::StarttlsUnavailable { .. }),
        "{failed:?}"
    );
    assert!(
        failed
            .message(Lang::Fr)
            .contains("ne propose pas STARTTLS : rien n'a été envoyé en clair")
    );
    assert!(!format!("{failed:?}").contains(PASSWORD));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(receiver.logins().is_empty(), "the password went in clear");
    assert!(receiver.received().is_empty(), "the message went in clear");
}

#[tokio::test]
async fn a_tls_channel_does_not_speak_to_a_server_in_clear() {
    let receiver = SmtpReceiver::start().await;
    let failed = send_email(
        &channel(&receiver, "tls", true),
        &["a@example.ci".into()],
        &low_stock(),
        &outbound(),
    )
    .await
    .expect_err("no TLS on the other side");
    assert_eq!(failed.kind(), "tls", "{failed:?}");
    assert!(receiver.logins().is_empty() && receiver.received().is_empty());
}

//! E-mail through the owner's SMTP server with lettre: STARTTLS (required,
//! never silently skipped), TLS from the first byte, or none for a relay
//! on this machine or the shop's network; one connection per message, the
//! whole exchange within [`SMTP_TIMEOUT`].

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::Outbound;
use super::error::{NotifyError, causes, is_tls_failure, scrubbed};
use super::messages::EmailText;
use crate::domain::notifications::{EmailChannel, SmtpTls};

/// The whole exchange with the mail server, connection to `QUIT`.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(15);
/// The connection, and each command's answer, within that.
pub const SMTP_COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

/// Sends `text` to `to` (the channel's own recipients, or a buyer's
/// address for "Me prévenir") through `channel`'s server.
pub async fn send_email(
    channel: &EmailChannel,
    to: &[String],
    text: &EmailText,
    outbound: &Outbound,
) -> Result<(), NotifyError> {
    let target = format!("smtp://{}:{}", channel.host(), channel.port());
    let message = message(channel, to, text)?;
    let transport =
        transport(channel, outbound).map_err(|e| failure(&target, channel, &e, outbound))?;
    let timeout = outbound.smtp_timeout;
    match tokio::time::timeout(timeout, transport.send(message)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(error)) => Err(failure(&target, channel, &error, outbound)),
        Err(_) => Err(NotifyError::Timeout {
            target,
            after: timeout,
        }),
    }
}

fn message(
    channel: &EmailChannel,
    to: &[String],
    text: &EmailText,
) -> Result<Message, NotifyError> {
    let invalid = |what: &str| NotifyError::Message {
        detail: what.to_owned(),
    };
    let from: Mailbox = channel
        .from()
        .parse()
        .map_err(|_| invalid("the sender is not an address"))?;
    // Named after the sender's domain, as its server would name it, rather
    // than after this machine.
    let message_id = format!("<{}@{}>", uuid::Uuid::new_v4(), from.email.domain());
    let mut builder = Message::builder()
        .from(from)
        .message_id(Some(message_id))
        .subject(text.subject.clone());
    if to.is_empty() {
        return Err(invalid("no recipient"));
    }
    for one in to {
        let mailbox: Mailbox = one
            .parse()
            .map_err(|_| invalid("a recipient is not an address"))?;
        builder = builder.to(mailbox);
    }
    builder
        .header(ContentType::TEXT_PLAIN)
        .body(text.body.clone())
        .map_err(|e| invalid(&e.to_string()))
}

fn transport(
    channel: &EmailChannel,
    outbound: &Outbound,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, lettre::transport::smtp::Error> {
    let parameters = || TlsParameters::new(channel.host().to_owned());
    let tls = match channel.tls() {
        SmtpTls::Starttls => Tls::Required(parameters()?),
        SmtpTls::Tls => Tls::Wrapper(parameters()?),
        SmtpTls::None => Tls::None,
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(channel.host())
        .port(channel.port())
        .tls(tls)
        .timeout(Some(outbound.smtp_command_timeout));
    if let Some(login) = channel.login() {
        builder = builder.credentials(Credentials::new(
            login.user.clone(),
            login.password.expose().to_owned(),
        ));
    }
    Ok(builder.build())
}

/// The password as it may be echoed: in clear, and base64-encoded as
/// `AUTH LOGIN` and `AUTH PLAIN` send it.
fn login_secrets(channel: &EmailChannel) -> Vec<String> {
    let Some(login) = channel.login() else {
        return Vec::new();
    };
    let password = login.password.expose();
    vec![
        password.to_owned(),
        STANDARD.encode(password),
        STANDARD.encode(format!("\0{}\0{password}", login.user)),
    ]
}

/// The error as the owner reads it: the server's reply code when it gave
/// one, what it said cut short, and never the account's password.
fn failure(
    target: &str,
    channel: &EmailChannel,
    error: &lettre::transport::smtp::Error,
    outbound: &Outbound,
) -> NotifyError {
    let target = target.to_owned();
    let detail = scrubbed(
        &causes(error),
        &login_secrets(channel)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    if error.is_timeout() {
        NotifyError::Timeout {
            target,
            after: outbound.smtp_command_timeout,
        }
    } else if let Some(code) = error.status() {
        NotifyError::Smtp {
            target,
            code: Some(u16::from(code)),
            detail,
        }
    } else if error.is_tls() || is_tls_failure(error) {
        NotifyError::Tls { target, detail }
    } else if error.is_client() && detail.contains(STARTTLS_MISSING) {
        NotifyError::StarttlsUnavailable { target }
    } else if error.is_client() {
        NotifyError::Smtp {
            target,
            code: None,
            detail,
        }
    } else {
        // Network errors, and answers cut short or not in SMTP: a server
        // that closed the connection.
        NotifyError::Connection { target, detail }
    }
}

/// What lettre says when the server does not offer STARTTLS (checked by
/// the tests against a server without it).
const STARTTLS_MISSING: &str = "STARTTLS is not supported";

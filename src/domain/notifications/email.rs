//! The e-mail channel: the SMTP server the shop sends through, who it
//! writes as, to whom, and for which events.

use serde::{Deserialize, Serialize};

use super::email_checks::{login, mailbox, recipients, smtp_host, tls_mode};
use super::events::event_types;
use super::{Reveal, SecretText};
use crate::domain::events::EventType;
use crate::domain::invalid::{Checker, FieldError, ValidationError, integer_in};

/// An e-mail address: RFC 5321's limit on a path.
pub const ADDRESS_CHARS_MAX: usize = 254;

/// How the connection to the SMTP server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SmtpTls {
    /// Plain at first, then TLS before anything else is said (port 587);
    /// a server that does not offer it is refused.
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: for a relay on this machine or the shop's network.
    None,
}

impl SmtpTls {
    pub const ALL: [SmtpTls; 3] = [SmtpTls::Starttls, SmtpTls::Tls, SmtpTls::None];

    pub fn as_str(self) -> &'static str {
        match self {
            SmtpTls::Starttls => "starttls",
            SmtpTls::Tls => "tls",
            SmtpTls::None => "none",
        }
    }

    pub fn parse(raw: &str) -> Option<SmtpTls> {
        SmtpTls::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(raw.trim()))
    }

    /// The port a server listens on for this mode when none is given.
    pub fn default_port(self) -> u16 {
        match self {
            SmtpTls::Starttls => 587,
            SmtpTls::Tls => 465,
            SmtpTls::None => 25,
        }
    }
}

/// The e-mail channel as the API reads and shows it, and as it is stored.
#[derive(Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EmailSettings {
    /// The SMTP server's name or address, without a scheme.
    #[schema(example = "smtp.example.ci")]
    pub host: Option<String>,
    /// 1 to 65535; when absent, 587 for `starttls`, 465 for `tls`, 25 for `none`.
    #[schema(example = 587)]
    pub port: Option<i64>,
    /// `starttls` (the default), `tls`, or `none` for a relay on this
    /// machine or the shop's network.
    #[schema(example = "starttls")]
    pub tls: Option<String>,
    /// The account on the server, when it asks for one.
    pub user: Option<String>,
    /// Shown as `********`; sent back as `********`, the stored password is
    /// kept (while the host and the TLS mode stay the same).
    pub password: Option<String>,
    /// The sender: `boutique@example.ci` or `Chez Awa <boutique@example.ci>`.
    #[schema(example = "Chez Awa <boutique@example.ci>")]
    pub from: Option<String>,
    /// Who receives the shop's notifications: 1 to 10 addresses.
    pub to: Option<Vec<String>>,
    /// The event types this channel sends (`order.created`…).
    pub events: Option<Vec<String>>,
}

impl std::fmt::Debug for EmailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .field("to", &self.to)
            .field("events", &self.events)
            .finish()
    }
}

/// An account on the SMTP server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmtpLogin {
    pub user: String,
    pub password: SecretText,
}

/// A checked e-mail channel: a server that can be reached as written, a
/// sender and recipients that are addresses, events that exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailChannel {
    pub(super) host: String,
    port: u16,
    pub(super) tls: SmtpTls,
    pub(super) login: Option<SmtpLogin>,
    from: String,
    to: Vec<String>,
    events: Vec<EventType>,
}

impl EmailChannel {
    /// The channel `settings` describe, with no stored channel to keep a
    /// masked password from: for tests and tools; a `PUT` goes through
    /// [`super::NotificationsBody::apply_to`].
    pub fn check(settings: &EmailSettings) -> Result<EmailChannel, ValidationError> {
        let mut checker = Checker::default();
        let channel = EmailChannel::check_into(settings, None, &mut checker);
        checker.finish()?;
        channel.ok_or_else(|| ValidationError::one(FieldError::required("email")))
    }

    /// The channel, or `None` with every refusal in `checker`; a masked
    /// password is taken from `kept` when it goes to the same server.
    pub(super) fn check_into(
        settings: &EmailSettings,
        kept: Option<&EmailChannel>,
        checker: &mut Checker,
    ) -> Option<EmailChannel> {
        let host = checker.check(smtp_host("email.host", settings.host.as_deref()));
        let tls = checker.check(tls_mode(settings.tls.as_deref()));
        let port = match settings.port {
            Some(port) => checker
                .check(integer_in("email.port", port, 1, i64::from(u16::MAX)))
                .and_then(|p| u16::try_from(p).ok()),
            None => tls.map(SmtpTls::default_port),
        };
        let from = checker.check(mailbox("email.from", settings.from.as_deref()));
        let to = recipients(settings.to.as_deref(), checker);
        let events = event_types("email.events", settings.events.as_deref(), checker);
        let login = login(settings, kept, host.as_deref(), tls, checker);
        Some(EmailChannel {
            host: host?,
            port: port?,
            tls: tls?,
            login: login?,
            from: from?,
            to: to?,
            events,
        })
    }

    /// The settings as an answer shows them or as the database keeps them.
    pub fn settings(&self, reveal: Reveal) -> EmailSettings {
        EmailSettings {
            host: Some(self.host.clone()),
            port: Some(i64::from(self.port)),
            tls: Some(self.tls.as_str().to_owned()),
            user: self.login.as_ref().map(|l| l.user.clone()),
            password: self.login.as_ref().map(|l| l.password.shown(reveal)),
            from: Some(self.from.clone()),
            to: Some(self.to.clone()),
            events: Some(self.events.iter().map(|e| e.as_str().to_owned()).collect()),
        }
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn tls(&self) -> SmtpTls {
        self.tls
    }

    pub fn login(&self) -> Option<&SmtpLogin> {
        self.login.as_ref()
    }

    /// The sender, as the owner wrote it (a display name allowed).
    pub fn from(&self) -> &str {
        &self.from
    }

    /// The shop's recipients of notifications.
    pub fn to(&self) -> &[String] {
        &self.to
    }

    pub fn events(&self) -> &[EventType] {
        &self.events
    }

    pub fn sends(&self, kind: EventType) -> bool {
        self.events.contains(&kind)
    }
}

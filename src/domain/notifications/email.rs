//! The e-mail channel: the SMTP server the shop sends through, who it
//! writes as, to whom, and for which events.

use std::net::IpAddr;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::events::event_types;
use super::{RECIPIENTS_MAX, Reveal, SECRET_MASK, SecretText};
use crate::domain::events::EventType;
use crate::domain::invalid::{Checker, FieldError, ValidationError, integer_in, optional_text};

/// An e-mail address: RFC 5321's limit on a path.
pub const ADDRESS_CHARS_MAX: usize = 254;
/// A host name (RFC 1035's limit) or an address.
const HOST_CHARS_MAX: usize = 253;
/// The sender with its display name: `Chez Awa <boutique@example.ci>`.
const FROM_CHARS_MAX: usize = 320;
const USER_CHARS_MAX: usize = 254;
const PASSWORD_CHARS_MAX: usize = 256;

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
    host: String,
    port: u16,
    tls: SmtpTls,
    login: Option<SmtpLogin>,
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

/// `Some(None)` for no account, `Some(Some(login))` for one, `None` when
/// refused (the refusal is in `checker`).
fn login(
    settings: &EmailSettings,
    kept: Option<&EmailChannel>,
    host: Option<&str>,
    tls: Option<SmtpTls>,
    checker: &mut Checker,
) -> Option<Option<SmtpLogin>> {
    let user = checker.check(optional_text(
        "email.user",
        settings.user.as_deref(),
        USER_CHARS_MAX,
        false,
    ))?;
    let password = settings.password.as_deref().filter(|p| !p.is_empty());
    let password = match password {
        Some(SECRET_MASK) => {
            let same_server = kept.filter(|k| Some(k.host.as_str()) == host && Some(k.tls) == tls);
            match same_server.and_then(|k| k.login.as_ref()) {
                Some(login) => Some(login.password.clone()),
                None => {
                    checker.push(mask_without_password(
                        kept.is_some_and(|k| k.login.is_some()),
                    ));
                    return None;
                }
            }
        }
        Some(password) => Some(SecretText::new(checker.check(password_text(password))?)),
        None => None,
    };
    match (user, password) {
        (Some(user), Some(password)) => Some(Some(SmtpLogin { user, password })),
        (None, None) => Some(None),
        (Some(_), None) => {
            checker.push(FieldError::new(
                "email.password",
                "Le mot de passe est obligatoire avec un utilisateur.",
                "A password is required with a user.",
            ));
            None
        }
        (None, Some(_)) => {
            checker.push(FieldError::new(
                "email.user",
                "Indiquez l'utilisateur du serveur SMTP qui va avec ce mot de passe.",
                "Give the SMTP server's user that goes with this password.",
            ));
            None
        }
    }
}

fn mask_without_password(server_changed: bool) -> FieldError {
    if server_changed {
        FieldError::new(
            "email.password",
            "Le serveur ou le mode de chiffrement a changé : saisissez à nouveau le mot de passe.",
            "The server or the encryption mode changed: type the password again.",
        )
    } else {
        FieldError::new(
            "email.password",
            "Aucun mot de passe n'est enregistré : saisissez-le.",
            "No password is stored: type it in.",
        )
    }
}

fn password_text(password: &str) -> Result<String, FieldError> {
    if password.chars().count() > PASSWORD_CHARS_MAX {
        return Err(FieldError::too_long("email.password", PASSWORD_CHARS_MAX));
    }
    if password.chars().any(char::is_control) {
        return Err(FieldError::control_characters("email.password"));
    }
    Ok(password.to_owned())
}

fn tls_mode(raw: Option<&str>) -> Result<SmtpTls, FieldError> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(SmtpTls::Starttls);
    };
    SmtpTls::parse(raw).ok_or_else(|| {
        let shown: String = raw.chars().take(32).collect();
        FieldError::new(
            "email.tls",
            format!("Le mode « {shown} » n'existe pas : choisissez starttls, tls ou none."),
            format!("The mode `{shown}` does not exist: choose starttls, tls or none."),
        )
    })
}

/// A host name (letters, digits, dashes, dots) or an IP address, as typed
/// without a scheme or a port.
fn smtp_host(field: &str, raw: Option<&str>) -> Result<String, FieldError> {
    let host = optional_text(field, raw, HOST_CHARS_MAX, false)?
        .ok_or_else(|| FieldError::required(field))?
        .to_ascii_lowercase();
    let unbracketed = host.trim_start_matches('[').trim_end_matches(']');
    if unbracketed.parse::<IpAddr>().is_ok() {
        return Ok(unbracketed.to_owned());
    }
    let label_fits = |label: &str| {
        (1..=63).contains(&label.len())
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if host.trim_end_matches('.').split('.').all(label_fits) {
        Ok(host)
    } else {
        Err(FieldError::new(
            field,
            format!(
                "« {host} » n'est pas un nom de serveur : écrivez seulement son nom ou son adresse, sans « smtp:// » ni port (par exemple smtp.example.ci)."
            ),
            format!(
                "`{host}` is not a server name: write only its name or address, without `smtp://` or a port (for example smtp.example.ci)."
            ),
        ))
    }
}

/// An e-mail address as the sender will accept it (lettre's own parser,
/// so a saved address is always one it can send to; a value with no I/O,
/// which the domain may hold), trimmed, at most [`ADDRESS_CHARS_MAX`].
pub fn email_address(field: &str, raw: &str) -> Result<String, FieldError> {
    let text = optional_text(field, Some(raw), ADDRESS_CHARS_MAX, false)?
        .ok_or_else(|| FieldError::required(field))?;
    match lettre::Address::from_str(&text) {
        Ok(address) => Ok(address.to_string()),
        Err(_) => Err(FieldError::new(
            field,
            format!(
                "L'adresse e-mail « {text} » n'est pas valide (exemple : boutique@example.ci)."
            ),
            format!("The e-mail address `{text}` is not valid (for example boutique@example.ci)."),
        )),
    }
}

/// A sender: an address, or a name and an address in angle brackets.
fn mailbox(field: &str, raw: Option<&str>) -> Result<String, FieldError> {
    let text = optional_text(field, raw, FROM_CHARS_MAX, false)?
        .ok_or_else(|| FieldError::required(field))?;
    if lettre::message::Mailbox::from_str(&text).is_ok() {
        return Ok(text);
    }
    Err(FieldError::new(
        field,
        format!(
            "L'expéditeur « {text} » n'est pas valide : écrivez une adresse (boutique@example.ci) ou un nom suivi de l'adresse entre chevrons (Chez Awa <boutique@example.ci>)."
        ),
        format!(
            "The sender `{text}` is not valid: write an address (boutique@example.ci) or a name followed by the address in angle brackets (Chez Awa <boutique@example.ci>)."
        ),
    ))
}

fn recipients(raw: Option<&[String]>, checker: &mut Checker) -> Option<Vec<String>> {
    let raw = raw.unwrap_or_default();
    if raw.is_empty() || raw.len() > RECIPIENTS_MAX {
        checker.push(FieldError::new(
            "email.to",
            format!("Indiquez de 1 à {RECIPIENTS_MAX} adresses e-mail de destinataires."),
            format!("Give 1 to {RECIPIENTS_MAX} recipients' e-mail addresses."),
        ));
        return None;
    }
    let mut kept: Vec<String> = Vec::new();
    let mut refused = false;
    for (i, one) in raw.iter().enumerate() {
        let field = format!("email.to[{i}]");
        match email_address(&field, one) {
            Ok(a) if kept.iter().any(|k| k.eq_ignore_ascii_case(&a)) => {
                refused = true;
                checker.push(FieldError::new(
                    field,
                    format!("L'adresse « {a} » apparaît deux fois."),
                    format!("The address `{a}` appears twice."),
                ));
            }
            Ok(a) => kept.push(a),
            Err(error) => {
                refused = true;
                checker.push(error);
            }
        }
    }
    (!refused).then_some(kept)
}

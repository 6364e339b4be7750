//! The checks of an e-mail channel's fields: the server, its TLS mode,
//! the account and its password kept by a mask, the sender and the
//! recipients.

use std::net::IpAddr;
use std::str::FromStr;

use super::email::{ADDRESS_CHARS_MAX, EmailChannel, EmailSettings, SmtpLogin, SmtpTls};
use super::{RECIPIENTS_MAX, SECRET_MASK, SecretText};
use crate::domain::invalid::{Checker, FieldError, optional_text};

/// A host name (RFC 1035's limit) or an address.
const HOST_CHARS_MAX: usize = 253;
/// The sender with its display name: `Chez Awa <boutique@example.ci>`.
const FROM_CHARS_MAX: usize = 320;
const USER_CHARS_MAX: usize = 254;
const PASSWORD_CHARS_MAX: usize = 256;

/// `Some(None)` for no account, `Some(Some(login))` for one, `None` when
/// refused (the refusal is in `checker`).
pub(super) fn login(
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

pub(super) fn tls_mode(raw: Option<&str>) -> Result<SmtpTls, FieldError> {
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
pub(super) fn smtp_host(field: &str, raw: Option<&str>) -> Result<String, FieldError> {
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
pub(super) fn mailbox(field: &str, raw: Option<&str>) -> Result<String, FieldError> {
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

pub(super) fn recipients(raw: Option<&[String]>, checker: &mut Checker) -> Option<Vec<String>> {
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

//! The checks of an SMS channel's fields: the gateway's URL, method,
//! headers and numbers, and its templates as they will be filled.

use std::collections::BTreeMap;

use super::sms::{
    SMS_HEADER_NAME_CHARS_MAX, SMS_HEADER_VALUE_CHARS_MAX, SMS_HEADERS_MAX, SMS_URL_CHARS_MAX,
    SmsChannel, SmsMethod,
};
use super::template::{
    self, SmsBodyKind, fill, masked_query_names, query_value, unknown_placeholders, url_component,
    with_query_values,
};
use super::{RECIPIENTS_MAX, SECRET_MASK, SecretText};
use crate::domain::invalid::{Checker, FieldError, optional_text};
use crate::domain::phone::{Country, Phone};

/// Headers the HTTP client writes itself: one set by the owner would
/// contradict the request it frames.
const RESERVED_HEADERS: [&str; 8] = [
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "upgrade",
    "te",
    "trailer",
];

/// A number and a text the templates are tried with when they are checked.
const SAMPLE_TO: &str = "+2250700000000";
const SAMPLE_MESSAGE: &str = "Nouvelle commande SR-1042 : \"2\" articles & 21 500 FCFA.";

/// `scheme://host:port` of a URL template, filled with samples.
pub(super) fn origin_of(template: &str) -> Option<String> {
    let filled = fill(template, SAMPLE_TO, SAMPLE_MESSAGE, url_component);
    url::Url::parse(&filled)
        .ok()
        .map(|u| u.origin().ascii_serialization())
}

/// The URL template, trimmed, its masked query values taken from `kept`
/// when the origin is the same.
pub(super) fn gateway_url(
    raw: Option<&str>,
    kept: Option<&SmsChannel>,
    checker: &mut Checker,
) -> Option<String> {
    let field = "sms.url";
    let url = checker
        .check(optional_text(field, raw, SMS_URL_CHARS_MAX, false))?
        .or_else(|| {
            checker.push(FieldError::required(field));
            None
        })?;
    let masked = masked_query_names(&url);
    if masked.is_empty() {
        return Some(url);
    }
    let same_origin =
        kept.filter(|k| origin_of(&k.url).is_some() && origin_of(&k.url) == origin_of(&url));
    let mut values: Vec<(&str, &str)> = Vec::new();
    for name in masked {
        match same_origin.and_then(|k| query_value(&k.url, name)) {
            Some(value) => values.push((name, value)),
            None => {
                let (fr, en) = if kept.is_some() && same_origin.is_none() {
                    (
                        format!(
                            "L'adresse de la passerelle a changé : saisissez à nouveau la valeur de « {name} »."
                        ),
                        format!("The gateway's address changed: type the value of `{name}` again."),
                    )
                } else {
                    (
                        format!("Aucune valeur n'est enregistrée pour « {name} » : saisissez-la."),
                        format!("No value is stored for `{name}`: type it in."),
                    )
                };
                checker.push(FieldError::new(field, fr, en));
                return None;
            }
        }
    }
    Some(with_query_values(&url, &values))
}

pub(super) fn method(raw: Option<&str>) -> Result<SmsMethod, FieldError> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(SmsMethod::Post),
        Some(m) if m.eq_ignore_ascii_case("POST") => Ok(SmsMethod::Post),
        Some(m) if m.eq_ignore_ascii_case("GET") => Ok(SmsMethod::Get),
        Some(m) => {
            let shown: String = m.chars().take(16).collect();
            Err(FieldError::new(
                "sms.method",
                format!(
                    "La méthode « {shown} » n'est pas prise en charge : choisissez GET ou POST."
                ),
                format!("The method `{shown}` is not supported: choose GET or POST."),
            ))
        }
    }
}

/// Each header checked: a token for a name, visible ASCII for a value, a
/// masked value taken from `kept` (already filtered to the same origin).
pub(super) fn headers(
    raw: Option<&BTreeMap<String, String>>,
    kept: Option<&SmsChannel>,
    checker: &mut Checker,
) -> Option<Vec<(String, SecretText)>> {
    let Some(raw) = raw else {
        return Some(Vec::new());
    };
    if raw.len() > SMS_HEADERS_MAX {
        checker.push(FieldError::new(
            "sms.headers",
            format!("La passerelle reçoit au plus {SMS_HEADERS_MAX} en-têtes."),
            format!("The gateway gets at most {SMS_HEADERS_MAX} headers."),
        ));
        return None;
    }
    let mut checked: Vec<(String, SecretText)> = Vec::new();
    let mut refused = false;
    for (name, value) in raw {
        match header(name, value, kept, &checked) {
            Ok(header) => checked.push(header),
            Err(error) => {
                refused = true;
                checker.push(error);
            }
        }
    }
    (!refused).then_some(checked)
}

fn header(
    name: &str,
    value: &str,
    kept: Option<&SmsChannel>,
    checked: &[(String, SecretText)],
) -> Result<(String, SecretText), FieldError> {
    let shown: String = name.chars().take(SMS_HEADER_NAME_CHARS_MAX).collect();
    let field = format!("sms.headers.{shown}");
    let is_token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty()
        || name.chars().count() > SMS_HEADER_NAME_CHARS_MAX
        || !name.chars().all(is_token)
    {
        return Err(FieldError::new(
            field,
            format!(
                "« {shown} » n'est pas un nom d'en-tête : lettres, chiffres et tirets, {SMS_HEADER_NAME_CHARS_MAX} caractères au plus."
            ),
            format!(
                "`{shown}` is not a header name: letters, digits and dashes, {SMS_HEADER_NAME_CHARS_MAX} characters at most."
            ),
        ));
    }
    if RESERVED_HEADERS
        .iter()
        .any(|r| r.eq_ignore_ascii_case(name))
    {
        return Err(FieldError::new(
            field,
            format!("L'en-tête « {name} » est écrit par stockroom lui-même : retirez-le."),
            format!("The header `{name}` is written by stockroom itself: remove it."),
        ));
    }
    if checked.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
        return Err(FieldError::new(
            field,
            format!("L'en-tête « {name} » apparaît deux fois."),
            format!("The header `{name}` appears twice."),
        ));
    }
    if value == SECRET_MASK {
        let stored =
            kept.and_then(|k| k.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)));
        return match stored {
            Some((_, value)) => Ok((name.to_owned(), value.clone())),
            None => Err(FieldError::new(
                field,
                format!(
                    "Aucune valeur n'est enregistrée pour l'en-tête « {name} » avec cette adresse de passerelle : saisissez-la."
                ),
                format!(
                    "No value is stored for the header `{name}` with this gateway address: type it in."
                ),
            )),
        };
    }
    let value = value.trim();
    if value.chars().count() > SMS_HEADER_VALUE_CHARS_MAX {
        return Err(FieldError::too_long(&field, SMS_HEADER_VALUE_CHARS_MAX));
    }
    if value.is_empty()
        || !value
            .chars()
            .all(|c| c == ' ' || c == '\t' || c.is_ascii_graphic())
    {
        return Err(FieldError::new(
            field,
            format!(
                "La valeur de l'en-tête « {name} » doit être du texte ASCII visible sur une ligne, sans accents."
            ),
            format!(
                "The value of the header `{name}` must be visible ASCII text on one line, without accents."
            ),
        ));
    }
    Ok((name.to_owned(), SecretText::new(value)))
}

pub(super) fn phones(
    raw: Option<&[String]>,
    country: Country,
    checker: &mut Checker,
) -> Option<Vec<Phone>> {
    let raw = raw.unwrap_or_default();
    if raw.is_empty() || raw.len() > RECIPIENTS_MAX {
        checker.push(FieldError::new(
            "sms.to",
            format!("Indiquez de 1 à {RECIPIENTS_MAX} numéros de téléphone à prévenir."),
            format!("Give 1 to {RECIPIENTS_MAX} phone numbers to notify."),
        ));
        return None;
    }
    let mut kept: Vec<Phone> = Vec::new();
    let mut refused = false;
    for (i, one) in raw.iter().enumerate() {
        let field = format!("sms.to[{i}]");
        match Phone::normalise(one, country) {
            Ok(phone) if kept.contains(&phone) => {
                refused = true;
                checker.push(FieldError::new(
                    field,
                    format!("Le numéro {} apparaît deux fois.", phone.as_str()),
                    format!("The number {} appears twice.", phone.as_str()),
                ));
            }
            Ok(phone) => kept.push(phone),
            Err(error) => {
                refused = true;
                checker.push(FieldError { field, ..error });
            }
        }
    }
    (!refused).then_some(kept)
}

/// The URL and body templates together, as they will be filled.
pub(super) struct Templates<'a> {
    pub url: &'a str,
    pub method: SmsMethod,
    pub body: &'a str,
    pub kind: SmsBodyKind,
}

impl Templates<'_> {
    pub fn check(&self) -> Result<(), FieldError> {
        for (field, text) in [("sms.url", self.url), ("sms.body", self.body)] {
            if let Some(unknown) = unknown_placeholders(text).first() {
                return Err(FieldError::new(
                    field,
                    format!(
                        "Le modèle nomme {unknown}, qui n'existe pas : seuls {{to}} et {{message}} sont remplacés."
                    ),
                    format!(
                        "The template names {unknown}, which does not exist: only {{to}} and {{message}} are replaced."
                    ),
                ));
            }
        }
        self.check_url()?;
        if self.method == SmsMethod::Get && !self.body.is_empty() {
            return Err(FieldError::new(
                "sms.body",
                "Une requête GET n'envoie pas de corps : mettez {to} et {message} dans l'adresse, ou choisissez POST.",
                "A GET request sends no body: put {to} and {message} in the URL, or choose POST.",
            ));
        }
        for placeholder in template::PLACEHOLDERS {
            if !self.url.contains(placeholder) && !self.body.contains(placeholder) {
                let field = if self.method == SmsMethod::Get {
                    "sms.url"
                } else {
                    "sms.body"
                };
                return Err(FieldError::new(
                    field,
                    format!(
                        "Le modèle doit contenir {placeholder}, dans l'adresse ou dans le corps."
                    ),
                    format!("The template must hold {placeholder}, in the URL or in the body."),
                ));
            }
        }
        let kind = self.kind;
        let filled = fill(self.body, SAMPLE_TO, SAMPLE_MESSAGE, |v| kind.encode(v));
        if kind == SmsBodyKind::Json && serde_json::from_str::<serde_json::Value>(&filled).is_err()
        {
            return Err(FieldError::new(
                "sms.body",
                r#"Le corps n'est pas du JSON valide une fois {to} et {message} remplacés : mettez-les entre guillemets, par exemple {"to": "{to}", "text": "{message}"}."#,
                r#"The body is not valid JSON once {to} and {message} are replaced: put them in quotes, for example {"to": "{to}", "text": "{message}"}."#,
            ));
        }
        Ok(())
    }

    fn check_url(&self) -> Result<(), FieldError> {
        let filled = fill(self.url, SAMPLE_TO, SAMPLE_MESSAGE, url_component);
        let refused = |fr: &str, en: &str| Err(FieldError::new("sms.url", fr, en));
        let Ok(url) = url::Url::parse(&filled) else {
            return refused(
                "L'adresse de la passerelle n'est pas une adresse web (exemple : https://sms.example.ci/send?to={to}&text={message}).",
                "The gateway's URL is not a web address (for example https://sms.example.ci/send?to={to}&text={message}).",
            );
        };
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return refused(
                "L'adresse de la passerelle doit commencer par https:// ou http:// et nommer un serveur.",
                "The gateway's URL must start with https:// or http:// and name a server.",
            );
        }
        if !url.username().is_empty() || url.password().is_some() {
            return refused(
                "L'adresse ne doit pas contenir d'identifiants : mettez-les dans un en-tête (par exemple Authorization).",
                "The URL must not hold credentials: put them in a header (for example Authorization).",
            );
        }
        if url.fragment().is_some() {
            return refused(
                "L'adresse de la passerelle ne doit pas contenir de « # » : il n'est jamais envoyé au serveur.",
                "The gateway's URL must not hold a `#`: it is never sent to the server.",
            );
        }
        Ok(())
    }
}

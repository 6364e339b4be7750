//! The SMS gateway's templates: `{to}` and `{message}` put in the URL and
//! the body, each encoded for where it lands.
//!
//! In the URL a value is percent-encoded as a URL component (a space is
//! `%20`, `+` is `%2B`), in the path as in the query. In the body, the
//! body's kind decides:
//!
//! - a `Content-Type` header given by the owner names it: `application/json`
//!   or any `…+json` is JSON, `application/x-www-form-urlencoded` is a form,
//!   anything else is text;
//! - without one, the body's shape decides: one that starts with `{` or `[`
//!   is JSON, one word of `name=value` pairs joined by `&` is a form,
//!   anything else is text; the request then carries the matching
//!   `Content-Type`.
//!
//! In JSON a value is escaped as inside a JSON string (the template puts
//! the quotes: `{"to": "{to}"}`); in a form it is encoded as a form's
//! value (a space is `+`); in text it goes in as it is.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// What a gateway's template may name.
pub const PLACEHOLDERS: [&str; 2] = ["{to}", "{message}"];

/// Bytes a URL component keeps as they are: RFC 3986's unreserved ones,
/// as JavaScript's `encodeURIComponent` leaves them.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// How the gateway reads the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmsBodyKind {
    Json,
    Form,
    Text,
}

impl SmsBodyKind {
    /// The body's kind: by the owner's `Content-Type` when there is one,
    /// else by its shape (see the module's rule).
    pub fn of(content_type: Option<&str>, body: &str) -> SmsBodyKind {
        if let Some(content_type) = content_type {
            let essence = content_type
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            return if essence == "application/json" || essence.ends_with("+json") {
                SmsBodyKind::Json
            } else if essence == "application/x-www-form-urlencoded" {
                SmsBodyKind::Form
            } else {
                SmsBodyKind::Text
            };
        }
        let shape = body.trim_start();
        if shape.starts_with('{') || shape.starts_with('[') {
            SmsBodyKind::Json
        } else if is_form_shaped(body.trim()) {
            SmsBodyKind::Form
        } else {
            SmsBodyKind::Text
        }
    }

    /// The `Content-Type` sent when the owner gave none.
    pub fn content_type(self) -> &'static str {
        match self {
            SmsBodyKind::Json => "application/json",
            SmsBodyKind::Form => "application/x-www-form-urlencoded",
            SmsBodyKind::Text => "text/plain; charset=utf-8",
        }
    }

    /// `value` encoded to stand in this kind of body.
    pub fn encode(self, value: &str) -> String {
        match self {
            SmsBodyKind::Json => {
                let quoted = serde_json::Value::String(value.to_owned()).to_string();
                quoted[1..quoted.len() - 1].to_owned()
            }
            SmsBodyKind::Form => form_urlencoded::byte_serialize(value.as_bytes()).collect(),
            SmsBodyKind::Text => value.to_owned(),
        }
    }
}

/// `to=+225…&text=Bonjour`: one word of `name=value` pairs.
fn is_form_shaped(body: &str) -> bool {
    !body.is_empty()
        && !body.contains(char::is_whitespace)
        && body.split('&').all(|pair| {
            pair.split_once('=')
                .is_some_and(|(name, _)| !name.is_empty())
        })
}

/// `value` encoded as a URL component.
pub fn url_component(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// `template` with `{to}` and `{message}` replaced by `encode`d values, in
/// one pass: a message that holds `{to}` is not read as a template again.
pub fn fill(template: &str, to: &str, message: &str, encode: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(template.len() + message.len() * 3);
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("{to}") {
            out.push_str(&encode(to));
            rest = after;
        } else if let Some(after) = tail.strip_prefix("{message}") {
            out.push_str(&encode(message));
            rest = after;
        } else {
            out.push('{');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders `template` names that do not exist (`{phone}`,
/// `{text}`): a word of letters and underscores between braces. JSON's own
/// braces hold quotes or nothing, so they never read as one.
pub fn unknown_placeholders(template: &str) -> Vec<String> {
    let mut unknown = Vec::new();
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        let tail = &rest[at + 1..];
        let word_len = tail
            .find(|c: char| !(c.is_ascii_alphabetic() || c == '_'))
            .unwrap_or(tail.len());
        let name = &tail[..word_len];
        let closed = tail[word_len..].starts_with('}');
        if closed && !name.is_empty() && name != "to" && name != "message" {
            let placeholder = format!("{{{name}}}");
            if !unknown.contains(&placeholder) {
                unknown.push(placeholder);
            }
        }
        rest = tail;
    }
    unknown
}

/// The URL as an answer shows it: each query value masked but for those
/// holding a placeholder, as a gateway's key is often a query parameter
/// (`?apikey=…`).
pub fn masked_url(template: &str) -> String {
    let Some((base, query)) = template.split_once('?') else {
        return template.to_owned();
    };
    let pairs = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if !value.is_empty() && !has_placeholder(value) => {
                format!("{name}={}", super::SECRET_MASK)
            }
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>();
    format!("{base}?{}", pairs.join("&"))
}

fn has_placeholder(text: &str) -> bool {
    PLACEHOLDERS.iter().any(|p| text.contains(p))
}

/// The value of the query parameter `name` in a URL template, as written.
pub fn query_value<'a>(template: &'a str, name: &str) -> Option<&'a str> {
    let (_, query) = template.split_once('?')?;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

/// The query parameters of `template` whose value is the mask, by name.
pub fn masked_query_names(template: &str) -> Vec<&str> {
    let Some((_, query)) = template.split_once('?') else {
        return Vec::new();
    };
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .filter(|(_, value)| *value == super::SECRET_MASK)
        .map(|(name, _)| name)
        .collect()
}

/// `template` with the query value of each name in `values` replaced.
pub fn with_query_values(template: &str, values: &[(&str, &str)]) -> String {
    let Some((base, query)) = template.split_once('?') else {
        return template.to_owned();
    };
    let pairs = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) => match values.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => format!("{name}={value}"),
                None => pair.to_owned(),
            },
            None => pair.to_owned(),
        })
        .collect::<Vec<_>>();
    format!("{base}?{}", pairs.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_once_each_encoded_for_its_place() {
        let url = fill(
            "https://sms.example/send/{to}?text={message}&to={to}",
            "+2250700000000",
            "Robe d'été & co {to}",
            url_component,
        );
        assert_eq!(
            url,
            "https://sms.example/send/%2B2250700000000?text=Robe%20d%27%C3%A9t%C3%A9%20%26%20co%20%7Bto%7D&to=%2B2250700000000"
        );
        let json = fill(
            r#"{"to": "{to}", "text": "{message}"}"#,
            "+225",
            "Il a dit \"oui\"\nà 10 h",
            |v| SmsBodyKind::Json.encode(v),
        );
        let parsed: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(parsed["text"], "Il a dit \"oui\"\nà 10 h");
        let form = fill("to={to}&text={message}", "+225", "a b&c=d", |v| {
            SmsBodyKind::Form.encode(v)
        });
        assert_eq!(form, "to=%2B225&text=a+b%26c%3Dd");
    }

    #[test]
    fn the_content_type_decides_the_kind_and_else_the_shape_does() {
        let json = r#"{"to": "{to}"}"#;
        assert_eq!(SmsBodyKind::of(None, json), SmsBodyKind::Json);
        assert_eq!(SmsBodyKind::of(None, " [1]"), SmsBodyKind::Json);
        assert_eq!(
            SmsBodyKind::of(None, "to={to}&text={message}"),
            SmsBodyKind::Form
        );
        assert_eq!(
            SmsBodyKind::of(None, "SMS {to} {message}"),
            SmsBodyKind::Text
        );
        assert_eq!(
            SmsBodyKind::of(Some("application/vnd.api+json; charset=utf-8"), "x"),
            SmsBodyKind::Json
        );
        assert_eq!(
            SmsBodyKind::of(Some("Application/X-WWW-Form-Urlencoded"), json),
            SmsBodyKind::Form
        );
        assert_eq!(SmsBodyKind::of(Some("text/plain"), json), SmsBodyKind::Text);
    }

    #[test]
    fn unknown_placeholders_are_found_but_json_braces_are_not() {
        assert_eq!(
            unknown_placeholders(r#"{"to": "{phone}", "t": "{message}", "x": {}, "y": {"a": 1}}"#),
            ["{phone}"]
        );
        assert!(unknown_placeholders("to={to}&m={message}").is_empty());
    }

    #[test]
    fn query_values_are_masked_unless_they_hold_a_placeholder() {
        let url = "https://sms.example/send?apikey=s3cr3t&to={to}&text={message}&flag";
        assert_eq!(
            masked_url(url),
            "https://sms.example/send?apikey=********&to={to}&text={message}&flag"
        );
        assert_eq!(
            masked_url("https://sms.example/send"),
            "https://sms.example/send"
        );
        assert_eq!(query_value(url, "apikey"), Some("s3cr3t"));
        let sent_back = masked_url(url);
        assert_eq!(masked_query_names(&sent_back), ["apikey"]);
        assert_eq!(with_query_values(&sent_back, &[("apikey", "s3cr3t")]), url);
    }
}

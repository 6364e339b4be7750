//! Why a message was not delivered, in words that never hold a secret:
//! targets are named without their query or credentials, and what a
//! server said is cut short and cleared of the channel's secrets.

use std::net::IpAddr;
use std::time::Duration;

use crate::domain::Lang;

/// What is kept of what a server or a library said about a failure.
const DETAIL_CHARS_MAX: usize = 200;

/// A delivery that failed: the delivery worker records it on the attempt
/// (its `error` text and `response_status`) and tries again later.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotifyError {
    /// The host resolves to an address stockroom does not reach without
    /// `--webhook-allow-private`.
    #[error(
        "{target}: refused, its host resolves to {address}, a private, loopback or reserved address"
    )]
    PrivateAddress { target: String, address: IpAddr },
    #[error("{target}: the host could not be resolved ({detail})")]
    Resolve { target: String, detail: String },
    #[error("{target}: no answer within {} ms", .after.as_millis())]
    Timeout { target: String, after: Duration },
    #[error("{target}: the connection failed ({detail})")]
    Connection { target: String, detail: String },
    #[error("{target}: TLS failed ({detail})")]
    Tls { target: String, detail: String },
    /// The channel requires STARTTLS and the server does not offer it:
    /// nothing was sent in clear.
    #[error("{target}: the mail server does not offer STARTTLS; nothing was sent in clear")]
    StarttlsUnavailable { target: String },
    /// An HTTP answer other than 2xx; a redirect is one, never followed.
    #[error("{target}: answered HTTP {status}")]
    Status { target: String, status: u16 },
    /// The mail server refused a command (its reply code, when it gave one).
    #[error("{target}: the mail server refused ({detail})")]
    Smtp {
        target: String,
        code: Option<u16>,
        detail: String,
    },
    /// The message could not be written (an address the sender refuses).
    #[error("the message could not be built ({detail})")]
    Message { detail: String },
}

impl NotifyError {
    /// The status the receiver answered: HTTP for webhooks and gateways,
    /// the SMTP reply code for e-mail.
    pub fn status(&self) -> Option<u16> {
        match self {
            NotifyError::Status { status, .. } => Some(*status),
            NotifyError::Smtp { code, .. } => *code,
            _ => None,
        }
    }

    /// A short name of the failure, for a metric's label or a log field.
    pub fn kind(&self) -> &'static str {
        match self {
            NotifyError::PrivateAddress { .. } => "private_address",
            NotifyError::Resolve { .. } => "resolve",
            NotifyError::Timeout { .. } => "timeout",
            NotifyError::Connection { .. } => "connection",
            NotifyError::Tls { .. } | NotifyError::StarttlsUnavailable { .. } => "tls",
            NotifyError::Status { .. } => "status",
            NotifyError::Smtp { .. } => "smtp",
            NotifyError::Message { .. } => "message",
        }
    }

    /// The failure as the owner reads it on the deliveries' page.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (NotifyError::PrivateAddress { target, address }, Lang::Fr) => format!(
                "Refusé : {target} mène à l'adresse {address}, privée, locale ou réservée. Le serveur n'envoie vers ces adresses qu'avec --webhook-allow-private."
            ),
            (NotifyError::Resolve { target, detail }, Lang::Fr) => {
                format!("Le nom du serveur de {target} est introuvable ({detail}).")
            }
            (NotifyError::Timeout { target, after }, Lang::Fr) => {
                format!("{target} n'a pas répondu en {}.", seconds_fr(*after))
            }
            (NotifyError::Connection { target, detail }, Lang::Fr) => {
                format!("La connexion à {target} a échoué ({detail}).")
            }
            (NotifyError::Tls { target, detail }, Lang::Fr) => {
                format!("La connexion chiffrée avec {target} a échoué ({detail}).")
            }
            (NotifyError::StarttlsUnavailable { target }, Lang::Fr) => format!(
                "Le serveur d'e-mail {target} ne propose pas STARTTLS : rien n'a été envoyé en clair. Choisissez le mode « tls » (port 465) si le serveur le prend en charge, ou « none » pour un relais sur cette machine ou le réseau de la boutique."
            ),
            (NotifyError::Status { target, status }, Lang::Fr) if (300..400).contains(status) => {
                format!(
                    "{target} a répondu {status}, une redirection : elle n'est jamais suivie, indiquez l'adresse finale."
                )
            }
            (NotifyError::Status { target, status }, Lang::Fr) => {
                format!("{target} a répondu {status} au lieu d'un succès (2xx).")
            }
            (NotifyError::Smtp { target, detail, .. }, Lang::Fr) => {
                format!("Le serveur d'e-mail {target} a refusé l'envoi ({detail}).")
            }
            (NotifyError::Message { detail }, Lang::Fr) => {
                format!("Le message n'a pas pu être écrit ({detail}).")
            }
            (NotifyError::Status { target, status }, Lang::En) if (300..400).contains(status) => {
                format!(
                    "{target} answered {status}, a redirect: it is never followed, give the final address."
                )
            }
            (error, Lang::En) => format!("{error}."),
        }
    }
}

fn seconds_fr(after: Duration) -> String {
    let ms = after.as_millis();
    if ms.is_multiple_of(1000) {
        let s = ms / 1000;
        if s == 1 {
            "1 seconde".to_owned()
        } else {
            format!("{s} secondes")
        }
    } else {
        format!("{ms} millisecondes")
    }
}

/// A target as errors and logs name it: scheme, host, port and path, never
/// the credentials, query or fragment, where keys are often put.
pub fn shown_url(url: &url::Url) -> String {
    let mut shown = url.clone();
    // Clearing parts of a parsed http(s) URL cannot fail; a URL that
    // refuses is shown by its origin alone.
    if shown.set_username("").is_err() || shown.set_password(None).is_err() {
        return url.origin().ascii_serialization();
    }
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}

/// What a library or a server said, cut to [`DETAIL_CHARS_MAX`] and with
/// every one of `secrets` (passwords, tokens, header values) masked.
pub fn scrubbed(detail: &str, secrets: &[&str]) -> String {
    let mut text = detail
        .split(['\r', '\n'])
        .filter(|line| !line.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    for secret in secrets.iter().filter(|s| s.len() >= 3) {
        text = text.replace(secret, "***");
    }
    match text.char_indices().nth(DETAIL_CHARS_MAX) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

/// Whether a TLS handshake or certificate check failed somewhere among
/// the causes of `error`. rustls' error travels inside `io::Error`s, whose
/// `source` skips what they wrap, so each one is opened instead.
pub fn is_tls_failure(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(current) = cause {
        if current.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        let wrapped = current
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref());
        cause = match wrapped {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => current.source(),
        };
    }
    false
}

/// The causes of an error, outermost first, joined: `reqwest` and `hyper`
/// say little at the top ("error sending request") and the reason below.
pub fn causes(error: &dyn std::error::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_shown_without_credentials_query_or_fragment() {
        let url =
            url::Url::parse("https://user:pw@hooks.example/in/abc?token=s3cr3t#frag").expect("url");
        assert_eq!(shown_url(&url), "https://hooks.example/in/abc");
    }

    #[test]
    fn what_a_server_says_is_cut_and_cleared_of_secrets() {
        let said = format!("535 auth failed for hunter22\r\n{}", "x".repeat(500));
        let text = scrubbed(&said, &["hunter22", ""]);
        assert!(text.starts_with("535 auth failed for *** xxx"));
        assert!(!text.contains("hunter22"));
        assert_eq!(text.chars().count(), DETAIL_CHARS_MAX + 1);
    }

    #[test]
    fn each_failure_reads_in_french_with_its_status() {
        let target = "https://hooks.example/in".to_owned();
        let status = NotifyError::Status {
            target: target.clone(),
            status: 500,
        };
        assert_eq!(status.status(), Some(500));
        assert_eq!(
            status.message(Lang::Fr),
            "https://hooks.example/in a répondu 500 au lieu d'un succès (2xx)."
        );
        assert_eq!(
            status.message(Lang::En),
            "https://hooks.example/in: answered HTTP 500."
        );
        let redirect = NotifyError::Status {
            target: target.clone(),
            status: 302,
        };
        assert!(
            redirect
                .message(Lang::Fr)
                .contains("une redirection : elle n'est jamais suivie")
        );
        let timeout = NotifyError::Timeout {
            target,
            after: Duration::from_secs(10),
        };
        assert_eq!(
            timeout.message(Lang::Fr),
            "https://hooks.example/in n'a pas répondu en 10 secondes."
        );
        assert_eq!(timeout.kind(), "timeout");
        assert_eq!(timeout.status(), None);
    }
}

//! The people who run the shop: their roles, the rules a password obeys,
//! and the secrets a browser holds for them (a session, its CSRF token, a
//! one-time setup link); no I/O.

use std::fmt;
use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use utoipa::ToSchema;

use super::invalid::FieldError;
use super::tokens::new_token;

/// What a person may do. The owner does everything; staff run the
/// catalog, the stock and the orders, but not the settings nor the staff.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Staff,
    Owner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Staff => "staff",
        }
    }
}

impl FromStr for Role {
    type Err = FieldError;

    fn from_str(value: &str) -> Result<Role, FieldError> {
        match value {
            "owner" => Ok(Role::Owner),
            "staff" => Ok(Role::Staff),
            _ => Err(FieldError::new(
                "role",
                "Le rôle doit être « owner » (propriétaire) ou « staff » (employé).",
                "The role must be `owner` or `staff`.",
            )),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A password is at least this many characters long…
pub const PASSWORD_CHARS_MIN: usize = 10;
/// …and at most this many bytes: Argon2 hashes any length, but a megabyte
/// of password is an attack on the CPU, not a password.
pub const PASSWORD_BYTES_MAX: usize = 1024;

/// A password as typed, checked against the rules; `field` names the field
/// of the form (`password`, `new`) in the error.
pub fn check_password(field: &str, password: &str, name: &str) -> Result<(), FieldError> {
    if password.is_empty() {
        return Err(FieldError::required(field));
    }
    if password.len() > PASSWORD_BYTES_MAX {
        return Err(FieldError::new(
            field,
            format!("Le mot de passe dépasse {PASSWORD_BYTES_MAX} octets."),
            format!("The password is longer than {PASSWORD_BYTES_MAX} bytes."),
        ));
    }
    if password.chars().count() < PASSWORD_CHARS_MIN {
        return Err(FieldError::new(
            field,
            format!("Le mot de passe doit compter au moins {PASSWORD_CHARS_MIN} caractères."),
            format!("The password must be at least {PASSWORD_CHARS_MIN} characters long."),
        ));
    }
    if password.trim().to_lowercase() == name.trim().to_lowercase() {
        return Err(FieldError::new(
            field,
            "Le mot de passe ne doit pas être votre identifiant.",
            "The password must not be your name.",
        ));
    }
    Ok(())
}

/// What a session token starts with (the cookie's value).
const SESSION_TOKEN_PREFIX: &str = "srs_";
/// What a setup token starts with (the fragment of a setup link).
const SETUP_TOKEN_PREFIX: &str = "sru_";

/// A new session token: 256 random bits, kept by the browser in a cookie
/// and by the database only as a hash.
pub fn new_session_token() -> String {
    new_token(SESSION_TOKEN_PREFIX)
}

/// A new one-time setup token, made of `[A-Za-z0-9_-]` as the contract says.
pub fn new_setup_token() -> String {
    new_token(SETUP_TOKEN_PREFIX)
}

/// The CSRF token of a session: derived from the shop's secret and the
/// session's hash, so that every instance computes the same one and none
/// is stored. A page on another site cannot read it, so cannot send it.
pub fn csrf_token(shop_secret: &str, session_hash: &str) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(shop_secret.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(b"csrf:");
    mac.update(session_hash.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// Whether `presented` is the session's CSRF token, compared in constant time.
pub fn is_csrf_token(shop_secret: &str, session_hash: &str, presented: &str) -> bool {
    csrf_token(shop_secret, session_hash)
        .as_bytes()
        .ct_eq(presented.as_bytes())
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_obeys_every_rule_and_each_refusal_names_it() {
        assert!(check_password("password", "une bonne phrase", "aya").is_ok());
        let refused = |p: &str| check_password("password", p, "Aya Kouassi").expect_err("refused");
        assert!(refused("").fr.contains("obligatoire"));
        assert!(refused("court").fr.contains("au moins 10"));
        assert!(refused(&"x".repeat(1025)).fr.contains("1024 octets"));
        assert!(refused("aya kouassi").fr.contains("identifiant"));
        // Ten characters, not ten bytes: accents count once.
        assert!(check_password("password", "ééééééééé", "aya").is_err());
        assert!(check_password("password", "éééééééééé", "aya").is_ok());
    }

    #[test]
    fn a_role_reads_its_two_names_only() {
        assert_eq!("owner".parse::<Role>().ok(), Some(Role::Owner));
        assert_eq!("staff".parse::<Role>().ok(), Some(Role::Staff));
        assert!("admin".parse::<Role>().is_err());
        assert!(Role::Owner > Role::Staff, "an owner may do what staff may");
    }

    #[test]
    fn a_csrf_token_belongs_to_one_session_and_one_shop() {
        let token = csrf_token("secret", "session-a");
        assert!(is_csrf_token("secret", "session-a", &token));
        assert!(!is_csrf_token("secret", "session-b", &token));
        assert!(!is_csrf_token("other", "session-a", &token));
        assert!(!is_csrf_token("secret", "session-a", ""));
    }

    #[test]
    fn setup_tokens_are_made_of_url_safe_characters() {
        let token = new_setup_token();
        assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        );
        assert_ne!(token, new_setup_token());
    }
}

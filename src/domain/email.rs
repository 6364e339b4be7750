//! E-mail addresses: what the shop takes as one, wherever it takes one (an
//! order's customer, a waiting list, a notification's recipients).
//!
//! The grammar is RFC 5322's, as the `email_address` crate reads it, with
//! what a shop can write to: a domain name of at least two labels made of
//! letters, digits and dashes (no `[192.0.2.1]` literal, no `localhost`), no
//! display name (`Awa <awa@example.ci>`), no space anywhere.

use email_address::{EmailAddress, Options};

use super::invalid::{FieldError, optional_text};

/// The document's pattern of an e-mail address: a part of what
/// [`optional_email`] accepts (a property test says so), short enough to
/// stay under every length limit.
pub const EMAIL_PATTERN: &str = r"^[A-Za-z0-9_+-]{1,32}(?:\.[A-Za-z0-9_+-]{1,15})?@[A-Za-z0-9](?:[A-Za-z0-9-]{0,20}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,20}[A-Za-z0-9])?){1,3}$";

/// The crate's grammar, narrowed to addresses a message can be sent to.
const OPTIONS: Options = Options {
    minimum_sub_domains: 2,
    allow_domain_literal: false,
    allow_display_text: false,
    allow_long_local_parts: false,
};

/// The address in `field`, trimmed, if one is given: at most `max`
/// characters, and an address by the rules above, or refused with a
/// sentence that says what is wrong with it.
pub fn optional_email(
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    let Some(email) = optional_text(field, raw, max, false)? else {
        return Ok(None);
    };
    match flaw(&email) {
        None => Ok(Some(email)),
        Some(flaw) => Err(FieldError::new(
            field,
            format!(
                "L'adresse e-mail « {email} » n'est pas valide : {} (par exemple awa@example.ci).",
                flaw.fr()
            ),
            format!(
                "The e-mail address `{email}` is not valid: {} (for example awa@example.ci).",
                flaw.en()
            ),
        )),
    }
}

/// What keeps a text from being an address, in the words of its writer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flaw {
    NoAt,
    NoName,
    NoDomain,
    NoDot,
    Space,
    Other,
}

impl Flaw {
    fn fr(self) -> &'static str {
        match self {
            Flaw::NoAt => "il manque le « @ »",
            Flaw::NoName => "il manque le nom avant le « @ »",
            Flaw::NoDomain => "il manque le domaine après le « @ »",
            Flaw::NoDot => "le domaine après le « @ » doit contenir un point",
            Flaw::Space => "une adresse ne contient pas d'espace",
            Flaw::Other => "elle contient un caractère qu'une adresse n'a pas à cet endroit",
        }
    }

    fn en(self) -> &'static str {
        match self {
            Flaw::NoAt => "the `@` is missing",
            Flaw::NoName => "the name before the `@` is missing",
            Flaw::NoDomain => "the domain after the `@` is missing",
            Flaw::NoDot => "the domain after the `@` must contain a dot",
            Flaw::Space => "an address holds no space",
            Flaw::Other => "it holds a character an address cannot have there",
        }
    }
}

fn flaw(email: &str) -> Option<Flaw> {
    use email_address::Error;
    if email.contains(char::is_whitespace) {
        return Some(Flaw::Space);
    }
    let Some((_, domain)) = email.rsplit_once('@') else {
        return Some(Flaw::NoAt);
    };
    // The crate lets a domain label hold any of `!#$%&'*+/=?^_{|}~`, which
    // no domain name has.
    let label_chars = |c: char| c.is_alphanumeric() || c == '-' || c == '.';
    match EmailAddress::parse_with_options(email, OPTIONS) {
        Ok(_) if domain.chars().all(label_chars) => None,
        Ok(_) => Some(Flaw::Other),
        Err(Error::MissingSeparator) => Some(Flaw::NoAt),
        Err(Error::LocalPartEmpty) => Some(Flaw::NoName),
        Err(Error::DomainEmpty) => Some(Flaw::NoDomain),
        Err(Error::DomainTooFew) => Some(Flaw::NoDot),
        Err(_) => Some(Flaw::Other),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::invalid::matching;

    fn check(raw: &str) -> Result<Option<String>, FieldError> {
        optional_email("customer.email", Some(raw), 254)
    }

    #[test]
    fn an_address_with_a_name_and_a_domain_is_accepted_and_trimmed() {
        for good in [
            "awa@example.ci",
            " awa.kone+boutique@mail.example.ci ",
            "AWA@EXAMPLE.CI",
            "awa@exemple-boutique.ci",
            "aïcha@école.ci",
        ] {
            assert_eq!(check(good), Ok(Some(good.trim().to_owned())), "{good}");
        }
        assert_eq!(check("   "), Ok(None), "blank is no address");
        assert_eq!(optional_email("customer.email", None, 254), Ok(None));
    }

    #[test]
    fn each_refusal_says_what_is_missing_in_french_and_english() {
        let said = |raw: &str| check(raw).expect_err(raw);
        let awa = said("awa@");
        assert_eq!(awa.field, "customer.email");
        assert_eq!(
            awa.fr,
            "L'adresse e-mail « awa@ » n'est pas valide : il manque le domaine après le « @ » (par exemple awa@example.ci)."
        );
        assert!(
            awa.en.contains("the domain after the `@` is missing"),
            "{}",
            awa.en
        );
        assert!(said("awa.example.ci").fr.contains("il manque le « @ »"));
        assert!(said("@example.ci").fr.contains("il manque le nom avant"));
        assert!(said("awa@localhost").fr.contains("doit contenir un point"));
        assert!(said("awa kone@example.ci").fr.contains("pas d'espace"));
    }

    #[test]
    fn what_no_message_can_be_sent_to_is_refused() {
        for bad in [
            "awa@@example.ci",
            "awa..kone@example.ci",
            ".awa@example.ci",
            "awa@example..ci",
            "awa@-example.ci",
            "awa@exa_mple.ci",
            "awa@exa!mple.ci",
            "awa@[192.0.2.1]",
            "Awa <awa@example.ci>",
            "awa@example.ci.",
            "awa,kone@example.ci",
        ] {
            assert!(check(bad).is_err(), "{bad} accepted");
        }
        let long_name = format!("{}@example.ci", "a".repeat(65));
        assert!(check(&long_name).is_err(), "a name of 65 characters");
    }

    #[test]
    fn the_length_limit_is_checked_first() {
        let long = format!("awa@{}.ci", "e".repeat(60));
        let refused = optional_email("email", Some(&long), 20).expect_err("too long");
        assert_eq!(refused, FieldError::too_long("email", 20));
    }

    proptest! {
        #[test]
        fn every_address_the_document_allows_is_accepted(raw in matching(EMAIL_PATTERN)) {
            prop_assert!(check(&raw).is_ok(), "{raw}");
        }
    }
}

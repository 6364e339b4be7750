//! Phone numbers: how the shop recognises a customer for the per-customer order limit.

use super::invalid::FieldError;

/// The document's pattern of a phone number: a subset of what
/// [`Phone::check_shape`] accepts that [`Phone::normalise`] also accepts
/// whatever the shop's country code: `+` or `00` and 8 to 15 digits, or a
/// local number of 7 to 11 digits that does not start with `00`, with at
/// most one separator between two digits.
pub const PHONE_PATTERN: &str = r"^(?:(?:\+|00)(?:[ .()-]?[0-9]){8,15}|[1-9](?:[ .()-]?[0-9]){6,10}|0[1-9](?:[ .()-]?[0-9]){5,9})$";

/// The document's pattern of a country code, as [`is_country_code`] accepts it.
pub const COUNTRY_CODE_PATTERN: &str = r"^\+[0-9]{1,4}$";

/// A phone number in international form: `+` then 8 to 15 digits.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Phone(String);

impl Phone {
    /// Drops spaces, dashes, dots and parentheses; a leading `00` becomes `+`;
    /// a number with neither `+` nor `00` gets the shop's country code, so
    /// `07 00 00 00 00` and `+2250700000000` are one customer.
    pub fn normalise(raw: &str, default_country_code: &str) -> Result<Phone, FieldError> {
        let compact: String = raw.chars().filter(|c| !SEPARATORS.contains(c)).collect();
        let international = if let Some(rest) = compact.strip_prefix('+') {
            format!("+{rest}")
        } else if let Some(rest) = compact.strip_prefix("00") {
            format!("+{rest}")
        } else {
            format!("{default_country_code}{compact}")
        };
        // Not `&international[1..]`: with an empty or non-ASCII country code
        // (the settings refuse them, the constructor must not trust that)
        // there may be no `+`, nor a character boundary at 1. cargo fuzz found it.
        let valid = international.strip_prefix('+').is_some_and(|digits| {
            (8..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
        });
        if valid {
            Ok(Phone(international))
        } else {
            Err(invalid(raw))
        }
    }

    /// Whether `raw` can be a phone number at all, whatever the shop's
    /// country code: separators, an optional `+` or `00`, then 6 to 15 digits.
    pub fn check_shape(raw: &str) -> Result<(), FieldError> {
        let compact: String = raw.chars().filter(|c| !SEPARATORS.contains(c)).collect();
        let digits = compact
            .strip_prefix('+')
            .or_else(|| compact.strip_prefix("00"))
            .unwrap_or(&compact);
        if (6..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()) {
            Ok(())
        } else {
            Err(invalid(raw))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Characters people put between digits; dropped before anything else.
const SEPARATORS: [char; 6] = [' ', '-', '.', '(', ')', '\u{a0}'];

fn invalid(raw: &str) -> FieldError {
    FieldError::new(
        "customer.phone",
        format!(
            "Le numéro de téléphone « {} » n'est pas valide (exemple : +225 07 00 00 00 00).",
            raw.trim()
        ),
        format!(
            "The phone number `{}` is not valid (for example +225 07 00 00 00 00).",
            raw.trim()
        ),
    )
}

/// Whether a country code setting is `+` then 1 to 4 digits.
pub fn is_country_code(code: &str) -> bool {
    code.strip_prefix('+')
        .is_some_and(|d| (1..=4).contains(&d.len()) && d.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::invalid::matching;

    fn normalised(raw: &str) -> Option<String> {
        Phone::normalise(raw, "+225").ok().map(|p| p.0)
    }

    #[test]
    fn local_and_international_forms_of_one_number_are_one_customer() {
        let expected = Some("+2250700000000".to_owned());
        assert_eq!(normalised("07 00 00 00 00"), expected);
        assert_eq!(normalised("+225 07-00-00-00-00"), expected);
        assert_eq!(normalised("00225.07.00.00.00.00"), expected);
        assert_eq!(normalised("(+225) 0700000000"), expected);
    }

    #[test]
    fn letters_and_wrong_lengths_are_refused() {
        assert_eq!(normalised("07 00 AB"), None);
        assert_eq!(normalised("+1234567"), None);
        assert_eq!(normalised("+1234567890123456"), None);
        assert_eq!(normalised(""), None);
        assert_eq!(normalised("++2250700000000"), None);
    }

    #[test]
    fn a_bad_country_code_makes_a_number_invalid_rather_than_a_panic() {
        assert!(Phone::normalise("", "").is_err());
        assert!(Phone::normalise("é0700000000", "").is_err());
        assert!(Phone::normalise("0700000000", "é").is_err());
        assert!(Phone::normalise("0700000000", "225").is_err());
        assert!(Phone::normalise("+2250700000000", "").is_ok());
    }

    #[test]
    fn a_country_code_is_a_plus_and_up_to_four_digits() {
        assert!(is_country_code("+225"));
        assert!(!is_country_code("225"));
        assert!(!is_country_code("+22500"));
    }

    proptest! {
        #[test]
        fn every_phone_the_document_allows_is_one_customer_whatever_the_country_code(
            raw in matching(PHONE_PATTERN),
            code in matching(COUNTRY_CODE_PATTERN),
        ) {
            prop_assert!(is_country_code(&code));
            prop_assert!(Phone::check_shape(&raw).is_ok());
            prop_assert!(Phone::normalise(&raw, &code).is_ok(), "{raw} with {code}");
        }
    }
}

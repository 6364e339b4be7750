//! The shop's country: whose numbering plan reads a phone written without
//! an international prefix.

use std::str::FromStr;

use phonenumber::country::Id;
use phonenumber::metadata::DATABASE;
use serde::{Serialize, Serializer};

use crate::domain::invalid::FieldError;

/// The document's pattern of a country, as [`Country::parse`] accepts it
/// (the country must also be one libphonenumber knows).
pub const COUNTRY_PATTERN: &str = r"^[A-Za-z]{2}$";

/// The document's pattern of a country code, as [`is_country_code`] accepts it.
pub const COUNTRY_CODE_PATTERN: &str = r"^\+[0-9]{1,4}$";

/// A country libphonenumber has metadata for, by its ISO 3166 code (`CI`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Country(Id);

impl Country {
    /// Côte d'Ivoire, the shop's country unless its settings say otherwise.
    pub const DEFAULT: Country = Country(Id::CI);

    /// An ISO 3166 code of a country libphonenumber knows, in either case.
    /// Checked against the crate's list of countries, which is exactly the
    /// countries its metadata has, without loading the metadata.
    pub fn parse(raw: &str) -> Result<Country, FieldError> {
        let code = raw.trim().to_ascii_uppercase();
        match Id::from_str(&code) {
            Ok(id) if code.len() == 2 => Ok(Country(id)),
            _ => Err(FieldError::new(
                "default_country",
                format!(
                    "« {} » n'est pas le code ISO 3166 d'un pays connu (par exemple CI).",
                    raw.trim()
                ),
                format!(
                    "`{}` is not the ISO 3166 code of a known country (for example CI).",
                    raw.trim()
                ),
            )),
        }
    }

    /// The country a calling code names, as the older setting
    /// `default_country_code` gave it: the one libphonenumber calls the
    /// main country of the code (`+1` is the United States, `+7` Russia,
    /// `+44` the United Kingdom).
    pub fn of_calling_code(raw: &str) -> Result<Country, FieldError> {
        let code = raw.trim();
        let main = code
            .strip_prefix('+')
            .filter(|_| is_country_code(code))
            .and_then(|digits| digits.parse::<u16>().ok())
            .and_then(|digits| DATABASE.region(&digits))
            .and_then(|regions| regions.first().and_then(|r| Id::from_str(r).ok()));
        match main {
            Some(id) => Ok(Country(id)),
            None if !is_country_code(code) => Err(FieldError::new(
                "default_country_code",
                "L'indicatif doit être « + » suivi de 1 à 4 chiffres (par exemple +225).",
                "The country code must be `+` and 1 to 4 digits (for example +225).",
            )),
            None => Err(FieldError::new(
                "default_country_code",
                format!("Aucun pays n'a l'indicatif {code}."),
                format!("No country has the calling code {code}."),
            )),
        }
    }

    /// The ISO 3166 code, `CI`.
    pub fn code(&self) -> &str {
        self.0.as_ref()
    }

    /// The calling code, `+225`.
    pub fn calling_code(&self) -> String {
        let digits = DATABASE.by_id(self.code()).map(|m| m.country_code());
        // Every `Id` has metadata (a unit test checks it); the fallback only
        // keeps this total.
        format!("+{}", digits.unwrap_or_default())
    }

    pub(super) fn id(&self) -> Id {
        self.0
    }
}

impl Default for Country {
    fn default() -> Self {
        Country::DEFAULT
    }
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// Whether a country code setting is `+` then 1 to 4 digits.
pub fn is_country_code(code: &str) -> bool {
    code.strip_prefix('+')
        .is_some_and(|d| (1..=4).contains(&d.len()) && d.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_is_its_iso_code_in_either_case() {
        assert_eq!(Country::parse("CI"), Ok(Country::DEFAULT));
        assert_eq!(
            Country::parse(" fr ").map(|c| c.code().to_owned()),
            Ok("FR".into())
        );
        for unknown in ["", "C", "CIV", "XX", "001", "é", "+225"] {
            let refused = Country::parse(unknown).expect_err(unknown);
            assert_eq!(refused.field, "default_country");
        }
    }

    #[test]
    fn a_calling_code_names_its_main_country() {
        let named = |code: &str| Country::of_calling_code(code).map(|c| c.code().to_owned());
        assert_eq!(named("+225"), Ok("CI".into()));
        assert_eq!(named("+33"), Ok("FR".into()));
        assert_eq!(named("+1"), Ok("US".into()));
        assert_eq!(named("+7"), Ok("RU".into()));
        assert_eq!(named("+44"), Ok("GB".into()));
        for refused in ["225", "+", "+99999", "+999", "+0", ""] {
            let error = Country::of_calling_code(refused).expect_err(refused);
            assert_eq!(error.field, "default_country_code");
        }
    }

    #[test]
    fn every_country_the_crate_names_has_metadata_and_a_calling_code() {
        for a in 'A'..='Z' {
            for b in 'A'..='Z' {
                let code = format!("{a}{b}");
                if let Ok(country) = Country::parse(&code) {
                    assert!(DATABASE.by_id(&code).is_some(), "{code}");
                    assert_ne!(country.calling_code(), "+0", "{code}");
                }
            }
        }
        assert_eq!(Country::DEFAULT.calling_code(), "+225");
    }

    #[test]
    fn a_country_code_is_a_plus_and_up_to_four_digits() {
        assert!(is_country_code("+225"));
        assert!(!is_country_code("225"));
        assert!(!is_country_code("+22500"));
    }
}

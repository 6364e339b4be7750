//! Phone numbers: how the shop recognises a customer for the per-customer order limit.
//!
//! One customer is one valid number in E.164 form (`+2250700000007`), as
//! libphonenumber's metadata (the `phonenumber` crate) reads what the buyer
//! typed for the shop's country. A spelling of a number either reads as
//! that number or is refused: none may count as another customer, or the
//! limit would be bypassed with spellings of one's own number.

mod country;
mod samples;

use phonenumber::Mode;
use phonenumber::metadata::DATABASE;

pub use country::{COUNTRY_CODE_PATTERN, COUNTRY_PATTERN, Country, is_country_code};
pub use samples::SampleNumbers;

use super::invalid::FieldError;

/// The document's pattern of a phone number: a subset of what
/// [`Phone::check_shape`] accepts (`+` or `00` and 8 to 15 digits, or a
/// local number of 7 to 11 digits that does not start with `00`, with at
/// most one separator between two digits). It gives the shape only: whether
/// the digits are a number is for libphonenumber's metadata to say, at the
/// checkout, for the shop's country.
pub const PHONE_PATTERN: &str = r"^(?:(?:\+|00)(?:[ .()-]?[0-9]){8,15}|[1-9](?:[ .()-]?[0-9]){6,10}|0[1-9](?:[ .()-]?[0-9]){5,9})$";

/// Digits a typed phone may hold, separators dropped: room for `00`, a
/// country code, a stray zero and the longest national number (17), and a
/// bound on the work of reading it.
const TYPED_DIGITS_MAX: usize = 24;

/// A valid phone number in E.164 form: `+`, the country code, the national
/// number, 15 digits at most.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Phone(String);

impl Phone {
    /// The number `raw` spells, for a shop in `country`: separators
    /// (spaces, dashes, dots, parentheses) are dropped, then libphonenumber
    /// reads it (`+` or the country's international prefix then a country
    /// code, else a national number, its trunk `0` included where the
    /// country has one) and must call it valid.
    ///
    /// Digits that read as a valid number once a slip is undone (a stray
    /// `0` in front or after the country code) and as
    /// another valid number as typed are refused: `0 05 37 12 34 56`, an
    /// Ivorian number with one zero too many, is also `00 53 7123456`, a
    /// Cuban one; `+39 0 310 000 0000`, an Italian mobile with a trunk zero
    /// Italy does not have, is also a fixed line of Como.
    pub fn normalise(raw: &str, country: Country) -> Result<Phone, FieldError> {
        let typed = compact(raw).ok_or_else(|| invalid(raw))?;
        let (number, code) = read(&typed, country).ok_or_else(|| invalid(raw))?;
        let ambiguous = slips(&typed, country, code)
            .iter()
            .filter_map(|undone| read(undone, country))
            .any(|(other, _)| other != number);
        if ambiguous {
            Err(invalid(raw))
        } else {
            Ok(number)
        }
    }

    /// A customer's phone as versions before libphonenumber stored it (`+`
    /// and the digits typed, the country code put before a local number),
    /// read again: the number it is, or `None` if it is none (an Ivorian
    /// number of the 8-digit plan, say). Zeros that rule kept where no
    /// number has them (`+0225 07…`, `+225 0 07…`, `0 07…`) are dropped when
    /// exactly one way of dropping them leaves a valid number. For stored
    /// phones only: a buyer's typing is read by [`Phone::normalise`], which
    /// refuses those spellings.
    pub fn recover(stored: &str, country: Country) -> Option<Phone> {
        // A stored number libphonenumber reads as valid is that number, even
        // one the checkout now refuses as two (an Italian fixed line whose
        // digits after its 0 are a mobile's): its orders stay its own.
        if let Some((phone, _)) = compact(stored).and_then(|typed| read(&typed, country)) {
            return Some(phone);
        }
        let digits = stored.strip_prefix('+')?.trim_start_matches('0');
        // Calling codes are prefix-free: at most one length names one.
        let (code, national) = (1..=3)
            .filter_map(|len| digits.split_at_checked(len))
            .find(|(code, _)| Country::of_calling_code(&format!("+{code}")).is_ok())?;
        let zeros = national.len() - national.trim_start_matches('0').len();
        let mut found: Option<Phone> = None;
        for dropped in 0..=zeros {
            let again = format!("+{code}{}", &national[dropped..]);
            if let Some((phone, _)) = read(&again, country) {
                if found.as_ref().is_some_and(|f| *f != phone) {
                    return None;
                }
                found = Some(phone);
            }
        }
        found
    }

    /// The number a stored phone reads as (see [`Phone::recover`]), if it
    /// is another string: a stored phone that is no number stays as it was.
    pub fn renamed(stored: &str, country: Country) -> Option<Phone> {
        Phone::recover(stored, country).filter(|new| new.as_str() != stored)
    }

    /// Whether `raw` can be a phone number at all, whatever the shop's
    /// country: separators, an optional `+` or `00`, then 6 to 15 digits.
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

/// `raw` without its separators, if what is left is an optional `+` and
/// digits only: no letters (libphonenumber would read `07 00 AB` as keypad
/// digits), no extension, no `tel:` form.
fn compact(raw: &str) -> Option<String> {
    let compact: String = raw.chars().filter(|c| !SEPARATORS.contains(c)).collect();
    let digits = compact.strip_prefix('+').unwrap_or(&compact);
    let digits_only = !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit());
    (digits_only && digits.len() <= TYPED_DIGITS_MAX).then_some(compact)
}

/// libphonenumber's reading of `typed` for a shop in `country`, if it
/// calls it valid, with its country code.
fn read(typed: &str, country: Country) -> Option<(Phone, u16)> {
    // A number written with its country code is read by that code's
    // metadata alone: given the shop's country as well, the crate would
    // strip the shop's trunk prefix from another country's number.
    let parsed = match international(typed, country) {
        Some(digits) => phonenumber::parse(None, format!("+{digits}")),
        None => phonenumber::parse(Some(country.id()), typed),
    };
    let number = parsed.ok()?;
    if number.extension().is_some() || !phonenumber::is_valid(&number) {
        return None;
    }
    let e164 = number.format().mode(Mode::E164).to_string();
    let digits = e164.strip_prefix('+')?;
    let is_e164 = (2..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit());
    is_e164.then(|| (Phone(e164), number.code().value()))
}

/// The digits after `+`, or after the international prefix of `country`
/// (`00` in Côte d'Ivoire, `011` in the United States), if `typed` starts
/// with either: a country code and a national number. A `0` right after
/// the prefix starts no country code: `0000225…` is no international number.
fn international(typed: &str, country: Country) -> Option<&str> {
    if let Some(digits) = typed.strip_prefix('+') {
        return Some(digits);
    }
    let idd = DATABASE.by_id(country.code())?.international_prefix()?;
    let found = idd.find(typed)?;
    let digits = &typed[found.end()..];
    (found.start() == 0 && !digits.starts_with('0')).then_some(digits)
}

/// The same digits with a slip undone: a leading `0` too many, or a `0`
/// after the country code (`code`, as read). No number starts with `+0`,
/// so that slip needs no undoing: the crate refuses it.
fn slips(typed: &str, country: Country, code: u16) -> Vec<String> {
    let mut undone = Vec::new();
    if let Some(rest) = typed.strip_prefix('0') {
        undone.push(rest.to_owned());
    }
    if let Some(digits) = international(typed, country) {
        let code = code.to_string();
        if let Some(rest) = digits.strip_prefix(&code).and_then(|r| r.strip_prefix('0')) {
            let prefix = &typed[..typed.len() - digits.len()];
            undone.push(format!("{prefix}{code}{rest}"));
        }
    }
    undone
}

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

#[cfg(test)]
mod tests;

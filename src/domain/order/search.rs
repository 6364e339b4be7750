//! The desk's one search box: what a typed text may name. "SR-1042" or
//! "1042" is an order number, "07 00 00 00 00" a phone in any spelling,
//! "aicha" part of a name (case and accents ignored), "A-77" a pickup
//! number; an order matches when any reading of the text names it.

use crate::domain::invalid::FieldError;
use crate::domain::limits::SEARCH_CHARS_MAX;
use crate::domain::phone::{Country, Phone};
use crate::domain::product::folded;

use super::sequence_of;

/// Every reading of one search text, each matched against its own column.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderSearch {
    /// The order of this sequence, when the text is a number.
    pub seq: Option<i64>,
    /// The buyer's phone in E.164, when the text reads as one.
    pub phone: Option<String>,
    /// The folded name contains this (a `like` pattern, its `%` and `_`
    /// escaped with `\`).
    pub name_pattern: String,
    /// The pickup number, in lower case.
    pub pickup_number: String,
}

impl OrderSearch {
    /// The readings of `q` for a shop of `country`; `None` for a blank text.
    pub fn parse(q: &str, country: Country) -> Result<Option<OrderSearch>, FieldError> {
        if q.chars().count() > SEARCH_CHARS_MAX {
            return Err(FieldError::too_long("q", SEARCH_CHARS_MAX));
        }
        if q.chars().any(char::is_control) {
            return Err(FieldError::control_characters("q"));
        }
        let q = q.trim();
        if q.is_empty() {
            return Ok(None);
        }
        let phone = Phone::check_shape(q)
            .ok()
            .and_then(|()| Phone::normalise(q, country).ok())
            .map(|phone| phone.as_str().to_owned());
        Ok(Some(OrderSearch {
            seq: sequence_of(q),
            phone,
            name_pattern: format!("%{}%", like_escaped(&folded(q))),
            pickup_number: q.to_lowercase(),
        }))
    }
}

/// `text` as a literal inside a `like` pattern whose escape is `\`.
fn like_escaped(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ci() -> Country {
        Country::parse("CI").expect("a country")
    }

    #[test]
    fn a_number_reads_as_its_order_and_a_phone_as_its_e164_form() {
        let search = OrderSearch::parse("1042", ci())
            .expect("valid")
            .expect("a search");
        assert_eq!(search.seq, Some(42));
        let search = OrderSearch::parse("07 00 00 00 00", ci())
            .expect("valid")
            .expect("a search");
        assert_eq!(search.phone.as_deref(), Some("+2250700000000"));
        assert_eq!(search.seq, None);
    }

    #[test]
    fn a_name_is_found_without_its_accents_and_its_wildcards_are_literal() {
        let search = OrderSearch::parse(" Aïcha ", ci())
            .expect("valid")
            .expect("a search");
        assert_eq!(search.name_pattern, "%aicha%");
        assert_eq!(search.phone, None);
        let search = OrderSearch::parse("50%_off", ci())
            .expect("valid")
            .expect("a search");
        assert_eq!(search.name_pattern, r"%50\%\_off%");
    }

    #[test]
    fn a_blank_text_is_no_search_and_a_long_one_is_refused() {
        assert_eq!(OrderSearch::parse("   ", ci()), Ok(None));
        let long = "a".repeat(SEARCH_CHARS_MAX + 1);
        assert_eq!(
            OrderSearch::parse(&long, ci()).expect_err("too long").field,
            "q"
        );
        assert!(OrderSearch::parse(&"a".repeat(SEARCH_CHARS_MAX), ci()).is_ok());
    }
}

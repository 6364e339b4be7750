//! An order's short number, as people read it: `SR-1001` is the order of
//! sequence 1 (`'SR-' || (1000 + seq)` in the database).

/// The prefix of every order number.
pub const NUMBER_PREFIX: &str = "SR-";
/// What the first order's number adds to its sequence.
const NUMBER_OFFSET: i64 = 1000;

/// The sequence of the order numbered `raw`, written as people copy it:
/// `SR-1001`, `sr 1001`, `#1001` or `1001`. `None` when it cannot be one.
pub fn sequence_of(raw: &str) -> Option<i64> {
    let trimmed = raw.trim().trim_start_matches('#');
    let digits = match trimmed.get(..2) {
        Some(prefix) if prefix.eq_ignore_ascii_case("SR") => {
            trimmed[2..].trim_start_matches(['-', ' '])
        }
        _ => trimmed,
    };
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number: i64 = digits.parse().ok()?;
    Some(number - NUMBER_OFFSET).filter(|seq| *seq >= 1)
}

#[cfg(test)]
mod tests {
    use super::sequence_of;

    #[test]
    fn the_ways_people_copy_a_number_all_name_the_order() {
        for raw in ["SR-1001", "sr-1001", " SR 1001 ", "#1001", "1001", "SR1001"] {
            assert_eq!(sequence_of(raw), Some(1), "{raw}");
        }
        assert_eq!(sequence_of("SR-1234"), Some(234));
    }

    #[test]
    fn what_cannot_be_a_number_names_no_order() {
        for raw in [
            "",
            "SR-",
            "SR-1000",
            "SR-999",
            "SR-12a",
            "AB-1001",
            "99999999999999999999",
        ] {
            assert_eq!(sequence_of(raw), None, "{raw}");
        }
    }
}

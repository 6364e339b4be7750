//! `Phone::normalise` and `Phone::check_shape` on any text and any of the
//! country codes a shop may set: a normalised phone is `+` and 8 to 15
//! digits, and normalises to itself; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stockroom::domain::phone::{Phone, is_country_code};

/// Valid settings, and the invalid ones the settings check refuses, since
/// `normalise` must not panic on either.
const COUNTRY_CODES: [&str; 8] = ["+225", "+33", "+1", "+2250", "", "225", "+", "é"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(raw) = std::str::from_utf8(rest) else {
        return;
    };
    let code = COUNTRY_CODES[usize::from(pick) % COUNTRY_CODES.len()];
    let _ = Phone::check_shape(raw);
    let Ok(phone) = Phone::normalise(raw, code) else {
        return;
    };
    let digits = phone.as_str().strip_prefix('+').expect("a leading +");
    assert!((8..=15).contains(&digits.len()), "{phone:?}");
    assert!(digits.chars().all(|c| c.is_ascii_digit()), "{phone:?}");
    for code in COUNTRY_CODES.iter().filter(|c| is_country_code(c)) {
        assert_eq!(Phone::normalise(phone.as_str(), code).as_ref(), Ok(&phone));
    }
});

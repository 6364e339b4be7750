//! `Phone::normalise` and `Phone::check_shape` on any text and any of a few
//! shops' countries: a normalised phone is `+` and at most 15 digits, and
//! normalises to itself in its shop's country; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stockroom::domain::phone::{Country, Phone};

/// Shops' countries: trunk `0` or none, `00` or `011` as international prefix.
const COUNTRIES: [&str; 5] = ["CI", "FR", "US", "IT", "DE"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(raw) = std::str::from_utf8(rest) else {
        return;
    };
    let code = COUNTRIES[usize::from(pick) % COUNTRIES.len()];
    let country = Country::parse(code).expect("a known country");
    let _ = Phone::check_shape(raw);
    let _ = Phone::recover(raw, country);
    let Ok(phone) = Phone::normalise(raw, country) else {
        return;
    };
    let digits = phone.as_str().strip_prefix('+').expect("a leading +");
    assert!((2..=15).contains(&digits.len()), "{phone:?}");
    assert!(digits.chars().all(|c| c.is_ascii_digit()), "{phone:?}");
    assert_eq!(Phone::normalise(phone.as_str(), country).as_ref(), Ok(&phone));
});

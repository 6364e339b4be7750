use phonenumber::Mode;
use proptest::prelude::*;

use super::*;
use crate::domain::invalid::matching;

fn country(code: &str) -> Country {
    Country::parse(code).expect("a country")
}

fn normalised(raw: &str) -> Option<String> {
    Phone::normalise(raw, Country::DEFAULT).ok().map(|p| p.0)
}

#[test]
fn local_and_international_forms_of_one_number_are_one_customer() {
    let expected = Some("+2250700000000".to_owned());
    assert_eq!(normalised("07 00 00 00 00"), expected);
    assert_eq!(normalised("+225 07-00-00-00-00"), expected);
    assert_eq!(normalised("00225.07.00.00.00.00"), expected);
    assert_eq!(normalised("(+225) 0700000000"), expected);
    assert_eq!(normalised("225 07 00 00 00 00"), expected);
}

#[test]
fn the_spellings_that_made_new_customers_are_refused() {
    for spelling in [
        "+0225 07 00 00 00 07",
        "0000225 07 00 00 00 07",
        "0 07 00 00 00 07",
        "+225 0 07 00 00 00 07",
        "00225 0 07 00 00 00 07",
        "+07 00 00 00 07",
        "+00 225 07 00 00 00 07",
    ] {
        assert_eq!(normalised(spelling), None, "{spelling}");
    }
}

#[test]
fn an_ivorian_number_of_the_eight_digit_plan_is_refused() {
    for old in [
        "07 00 00 07",
        "+225 07 00 00 07",
        "00225 20 21 22 23",
        "22 44 55 66",
    ] {
        assert_eq!(normalised(old), None, "{old}");
    }
}

#[test]
fn a_trunk_zero_is_dropped_where_the_country_has_one() {
    let france = country("FR");
    let one = Phone::normalise("06 12 34 56 78", france).expect("a French mobile");
    assert_eq!(one.as_str(), "+33612345678");
    for spelling in [
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
    ] {
        assert_eq!(
            Phone::normalise(spelling, france).as_ref(),
            Ok(&one),
            "{spelling}"
        );
    }
    // In Côte d'Ivoire the leading 0 belongs to the number: it is no trunk prefix.
    assert_eq!(normalised("+225 7 00 00 00 07"), None);
}

#[test]
fn digits_that_read_as_two_numbers_are_refused() {
    // An Ivorian mobile with a zero too many, or a Cuban number dialled
    // with 00: either reading would be a guess.
    let cuban = Phone::normalise("+53 7 123 456", Country::DEFAULT).expect("a Cuban number");
    let ivorian = Phone::normalise("05 37 12 34 56", Country::DEFAULT).expect("an Ivorian one");
    assert_ne!(cuban, ivorian);
    assert_eq!(normalised("0 05 37 12 34 56"), None);
    assert_eq!(normalised("00 53 7 123 456"), None);
    // Italy keeps its leading zeros: one after the country code makes another number.
    let italy = country("IT");
    assert!(Phone::normalise("+39 310 000 0000", italy).is_ok());
    assert!(Phone::normalise("+39 0 310 000 0000", italy).is_err());
}

#[test]
fn numbers_of_other_countries_are_customers_too() {
    assert_eq!(
        normalised("+33 6 12 34 56 78"),
        Some("+33612345678".to_owned())
    );
    assert_eq!(
        normalised("00 221 77 123 45 67"),
        Some("+221771234567".to_owned())
    );
}

#[test]
fn letters_wrong_lengths_and_other_forms_are_refused() {
    for raw in [
        "07 00 AB",
        "07 00 00 00 0A",
        "+1234567",
        "+1234567890123456",
        "",
        "+",
        "++2250700000000",
        "tel:+2250700000000",
        "0700000000 ext 5",
        "0700000000;ext=5",
        "0000000000000000000000000000000",
    ] {
        assert_eq!(normalised(raw), None, "{raw}");
    }
}

#[test]
fn stored_phones_of_the_old_rule_are_read_again_as_their_number() {
    let recovered = |stored: &str| Phone::recover(stored, Country::DEFAULT).map(|p| p.0);
    let one = Some("+2250700000007".to_owned());
    // As the old rule stored `+2250700000007`, `+0225…`, `0000225…`, `0 07…`, `+225 0 07…`.
    for stored in [
        "+2250700000007",
        "+02250700000007",
        "+002250700000007",
        "+22500700000007",
    ] {
        assert_eq!(recovered(stored), one, "{stored}");
    }
    assert_eq!(recovered("+22507000007"), None, "the eight-digit plan");
    assert_eq!(recovered("+33"), None);
    assert_eq!(recovered("not a phone"), None);
    let france = country("FR");
    assert_eq!(
        Phone::recover("+330612345678", france).map(|p| p.0),
        Some("+33612345678".to_owned())
    );
    // A valid number stays itself, even one a buyer would now have to
    // write otherwise: an Italian fixed line is not merged into the mobile
    // its digits after the 0 make.
    let italy = country("IT");
    assert_eq!(
        Phone::recover("+3903100000000", italy).map(|p| p.0),
        Some("+3903100000000".to_owned())
    );
}

#[test]
fn only_a_stored_phone_that_reads_as_another_string_is_renamed() {
    let renamed = |stored: &str| Phone::renamed(stored, Country::DEFAULT).map(|p| p.0);
    assert_eq!(
        renamed("+02250700000007").as_deref(),
        Some("+2250700000007")
    );
    assert_eq!(renamed("+2250700000007"), None, "already its number");
    assert_eq!(renamed("+22507000007"), None, "no number: kept as it was");
}

/// Countries whose numbers the spellings are made of: the shop's, its
/// neighbours, countries with a trunk `0` (France, the United Kingdom,
/// Germany), with significant leading zeros (Italy), with `011` as their
/// international prefix (the United States), and Cuba, whose short
/// numbers an Ivorian mobile with a stray zero can spell.
const COUNTRIES: [&str; 11] = [
    "CI", "FR", "SN", "BF", "GB", "DE", "IT", "US", "CU", "BE", "CM",
];

/// A valid number of one of `COUNTRIES`, with its country.
fn number() -> impl Strategy<Value = (Country, Phone)> {
    (0..COUNTRIES.len(), any::<u64>()).prop_filter_map("a valid sample", |(c, n)| {
        let country = country(COUNTRIES[c]);
        let numbers = SampleNumbers::of(country);
        numbers.nth(n % numbers.len()).map(|phone| (country, phone))
    })
}

/// An Ivorian fixed line or mobile, any of them.
fn ivorian_number() -> impl Strategy<Value = (Country, Phone)> {
    "(0[157]|2[157])[0-9]{8}".prop_filter_map("a valid number", |national| {
        Phone::normalise(&national, Country::DEFAULT)
            .ok()
            .map(|phone| (Country::DEFAULT, phone))
    })
}

/// How a number is written: its national form (trunk `0` included), its
/// country code and national significant number.
fn parts(phone: &Phone) -> (String, String, String) {
    let parsed = phonenumber::parse(None, phone.as_str()).expect("an E.164 number");
    let national: String = parsed
        .format()
        .mode(Mode::National)
        .to_string()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let code = parsed.code().value().to_string();
    let significant = phone.as_str()[1 + code.len()..].to_owned();
    (national, code, significant)
}

/// The ways people write one number, slips included: `+`, `00`, `+00`,
/// `+0`, `0000`, a `0` after the country code, national, with a `0` too
/// many, with a stray `+0`, the country code without `+`. `local` says
/// whether the buyer is in the number's country (national forms mean
/// something only there).
fn prefixed(phone: &Phone, form: usize, local: bool) -> String {
    let (national, code, significant) = parts(phone);
    let forms = [
        format!("+{code}{significant}"),
        format!("+{code}0{significant}"),
        format!("00{code}{significant}"),
        format!("00{code}0{significant}"),
        format!("+00{code}{significant}"),
        format!("+0{code}{significant}"),
        format!("0000{code}{significant}"),
        national.clone(),
        format!("0{national}"),
        format!("+0{national}"),
        format!("{code}{significant}"),
    ];
    let international = 7;
    forms[if local { form } else { form % international }].clone()
}

/// `digits` with one of the separators people use (or none) after each character.
fn separated(digits: &str, separators: &[usize]) -> String {
    const SEPARATORS: [&str; 7] = ["", "", " ", ".", "-", "(", ")"];
    digits
        .chars()
        .zip(separators.iter().cycle())
        .map(|(c, s)| format!("{c}{}", SEPARATORS[s % SEPARATORS.len()]))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_spelling_of_a_number_is_that_customer_or_refused(
        (home, phone) in prop_oneof![number(), ivorian_number()],
        shop in prop_oneof![Just(None), (0..COUNTRIES.len()).prop_map(Some)],
        form in 0..11usize,
        separators in proptest::collection::vec(0..7usize, 1..20),
    ) {
        let shop = shop.map_or(home, |c| country(COUNTRIES[c]));
        let spelling = separated(&prefixed(&phone, form, shop == home), &separators);
        match Phone::normalise(&spelling, shop) {
            Ok(read) => prop_assert_eq!(&read, &phone, "{} in {}", spelling, shop.code()),
            Err(refused) => prop_assert_eq!(refused.field, "customer.phone"),
        }
    }

    #[test]
    fn a_number_written_as_usual_is_its_customer(
        (home, phone) in prop_oneof![number(), ivorian_number()],
        separators in proptest::collection::vec(0..7usize, 1..20),
    ) {
        for form in [0, 7] {
            let spelling = separated(&prefixed(&phone, form, true), &separators);
            prop_assert_eq!(Phone::normalise(&spelling, home), Ok(phone.clone()), "{}", spelling);
        }
        // A normalised phone normalises to itself, wherever the shop is
        // (an Italian fixed line whose digits after its 0 are a mobile
        // number excepted, refused as two numbers).
        for shop in COUNTRIES {
            let read = Phone::normalise(phone.as_str(), country(shop));
            prop_assert_eq!(read, Ok(phone.clone()), "in {}", shop);
        }
    }

    #[test]
    fn every_phone_the_document_allows_has_a_valid_shape_and_an_answer(
        raw in matching(PHONE_PATTERN),
        shop in 0..COUNTRIES.len(),
    ) {
        prop_assert!(Phone::check_shape(&raw).is_ok());
        if let Ok(phone) = Phone::normalise(&raw, country(COUNTRIES[shop])) {
            prop_assert!(phone.as_str().starts_with('+'));
        }
    }
}

//! `Sku::parse` on any text: a sku is 1 to 64 upper-case ASCII letters,
//! digits, `-`, `_` and `.`; it parses to itself, and case does not matter.
//! `Sku::generate` always makes a sku that parses. Never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stockroom::domain::sku::{SKU_LENGTH_MAX, Sku};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(sku) = Sku::parse("sku", &text) {
        let s = sku.as_str();
        assert!((1..=SKU_LENGTH_MAX).contains(&s.len()));
        assert!(
            s.chars().all(|c| c.is_ascii_uppercase()
                || c.is_ascii_digit()
                || matches!(c, '-' | '_' | '.'))
        );
        assert_eq!(Sku::parse("sku", s).as_ref(), Ok(&sku));
        assert_eq!(
            Sku::parse("sku", &text.to_ascii_lowercase()).as_ref(),
            Ok(&sku)
        );
    }
    // Split the text in three for generate's slug, size and colour; the
    // slug is one that parse_slug accepted, as generate's callers ensure.
    let mut parts = text.splitn(3, '\u{1f}');
    let (slug, size, color) = (parts.next(), parts.next(), parts.next());
    if let (Some(slug), Some(size)) = (slug, size)
        && stockroom::domain::product::parse_slug(slug).is_ok()
    {
        let sku = Sku::generate(slug.trim(), size, color);
        assert_eq!(
            Sku::parse("sku", sku.as_str()).as_ref(),
            Ok(&sku),
            "{slug:?} {size:?} {color:?}"
        );
    }
});

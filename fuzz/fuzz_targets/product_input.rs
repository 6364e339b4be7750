//! `POST /api/v1/admin/products` bodies: a product that validates has a good
//! slug, 1 to 100 variants with distinct, valid skus, and prices and stock
//! within their limits; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stockroom::domain::limits::{PRICE_MAX, STOCK_LEVEL_MAX, VARIANTS_PER_PRODUCT_MAX};
use stockroom::domain::product::{ProductInput, parse_slug};
use stockroom::domain::sku::Sku;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<ProductInput>(data) else {
        return;
    };
    let product = match input.validate() {
        Ok(product) => product,
        Err(invalid) => {
            assert!(!invalid.0.is_empty());
            return;
        }
    };
    let fields = &product.fields;
    assert_eq!(parse_slug(&fields.slug).as_ref(), Ok(&fields.slug));
    assert!((0..=PRICE_MAX).contains(&fields.price));
    assert!(
        fields
            .old_price
            .is_none_or(|p| (0..=PRICE_MAX).contains(&p))
    );
    let variants = &product.variants;
    assert!((1..=VARIANTS_PER_PRODUCT_MAX).contains(&variants.len()));
    for (i, variant) in variants.iter().enumerate() {
        // A generated sku is as valid as a given one.
        assert_eq!(
            Sku::parse("sku", variant.sku.as_str()).as_ref(),
            Ok(&variant.sku)
        );
        assert!((0..=STOCK_LEVEL_MAX).contains(&variant.stock));
        assert!(variants[..i].iter().all(|v| v.sku != variant.sku));
    }
    assert_eq!(input.validate(), Ok(product));
});

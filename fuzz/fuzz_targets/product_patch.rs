//! `PATCH /api/v1/admin/products/{id}` bodies applied to a product: the
//! result is within every limit, and applying the same patch again changes
//! nothing; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stockroom::domain::limits::PRICE_MAX;
use stockroom::domain::product::{ProductFields, ProductPatch, ProductStatus, parse_slug};

fuzz_target!(|data: &[u8]| {
    let Ok(patch) = serde_json::from_slice::<ProductPatch>(data) else {
        return;
    };
    let current = ProductFields {
        slug: "robe-ete".into(),
        title: "Robe d'été".into(),
        description: "Coton".into(),
        category: "robes".into(),
        image_url: Some("/assets/img/robe.svg".into()),
        price: 15000,
        old_price: Some(18000),
        status: ProductStatus::Active,
    };
    let Ok(next) = patch.apply_to(&current) else {
        return;
    };
    assert_eq!(parse_slug(&next.slug).as_ref(), Ok(&next.slug));
    assert!(!next.title.trim().is_empty());
    assert!((0..=PRICE_MAX).contains(&next.price));
    assert!(next.old_price.is_none_or(|p| (0..=PRICE_MAX).contains(&p)));
    assert_eq!(patch.apply_to(&next), Ok(next));
});

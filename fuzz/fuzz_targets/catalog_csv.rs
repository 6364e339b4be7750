//! The catalog CSV of `stockroom import`: any bytes are either a list of
//! checked products or a list of line errors, never a panic; and a catalog
//! it accepts, written back with `stockroom export`'s writer, reads the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stockroom::domain::catalog_csv::{ImportProduct, parse, write};
use stockroom::domain::product::{Product, Variant};

fn as_product(import: &ImportProduct) -> Product {
    let f = &import.fields;
    Product {
        id: "fuzz".into(),
        slug: f.slug.clone(),
        title: f.title.clone(),
        description: f.description.clone(),
        category: f.category.clone(),
        image_url: f.image_url.clone(),
        price: f.price,
        old_price: f.old_price,
        currency: "XOF".into(),
        in_stock: true,
        variants: import
            .variants
            .iter()
            .map(|v| Variant {
                sku: v.sku.clone(),
                size: v.size.clone(),
                color: v.color.clone(),
                available: v.stock.unwrap_or(0),
            })
            .collect(),
        version: 1,
    }
}

fuzz_target!(|data: &[u8]| {
    let products = match parse(data) {
        Ok(products) => products,
        Err(errors) => {
            assert!(!errors.is_empty());
            return;
        }
    };
    let exported: Vec<Product> = products.iter().map(as_product).collect();
    let mut file = Vec::new();
    write(&exported, true, &mut file).expect("writing to memory");
    let again = parse(&file).unwrap_or_else(|e| panic!("an exported catalog is refused: {e:?}"));
    assert_eq!(again.len(), products.len());
    for (a, b) in again.iter().zip(&products) {
        assert_eq!(a.fields, b.fields);
        let variants = |p: &ImportProduct| {
            p.variants
                .iter()
                .map(|v| {
                    (
                        v.sku.clone(),
                        v.size.clone(),
                        v.color.clone(),
                        v.stock.unwrap_or(0),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(variants(a), variants(b));
    }
});

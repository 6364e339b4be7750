//! The catalog CSV of `stockroom import`: any bytes are either a list of
//! checked products or a list of line errors, never a panic; and a catalog
//! it accepts, written back with `stockroom export`'s writer, reads the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stockroom::domain::Lang;
use stockroom::domain::catalog_csv::{ImportProduct, parse, write};
use stockroom::domain::csv_rules::CsvStyle;
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
        images: Vec::new(),
        price: f.price,
        old_price: f.old_price,
        currency: "XOF".into(),
        status: f.status,
        in_stock: true,
        variants: import
            .variants
            .iter()
            .map(|v| Variant {
                sku: v.sku.clone(),
                size: v.size.clone(),
                color: v.color.clone(),
                available: v.stock.unwrap_or(0),
                retired: false,
                low_stock_threshold: None,
                position: 0,
                low: false,
                received: v.stock.unwrap_or(0),
                preorder: None,
            })
            .collect(),
        version: 1,
    }
}

fuzz_target!(|data: &[u8]| {
    let products = match parse(data) {
        Ok(file) => file.products,
        Err(errors) => {
            assert!(!errors.is_empty());
            return;
        }
    };
    let exported: Vec<Product> = products.iter().map(as_product).collect();
    // Every style an export may have: French or English, plain or for Excel.
    let style = CsvStyle {
        lang: if data.len() % 2 == 0 { Lang::Fr } else { Lang::En },
        excel: data.len() % 3 == 0,
    };
    let file = write(&exported, true, style);
    let again = parse(&file)
        .unwrap_or_else(|e| panic!("an exported catalog is refused: {e:?}"))
        .products;
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

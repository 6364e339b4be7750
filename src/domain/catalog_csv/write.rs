//! The catalog as an export writes it, by the CSV rules.

use super::{COLUMNS, status_word};
use crate::domain::csv_rules::{Cell, CsvOut, CsvStyle};
use crate::domain::product::Product;

/// Every variant of `products`, in their order; the `stock` column is
/// left empty unless `with_stock`, so that importing a catalog-only file
/// changes no stock.
pub fn write(products: &[Product], with_stock: bool, style: CsvStyle) -> Vec<u8> {
    let mut out = CsvOut::new(style, &COLUMNS);
    for product in products {
        let status = status_word(product.status, style.lang);
        for variant in &product.variants {
            let optional = |n: Option<i64>| n.map_or(Cell::Text(""), Cell::Number);
            out.row(&[
                Cell::Text(&product.slug),
                Cell::Text(&product.title),
                Cell::Text(&product.category),
                Cell::Text(&product.description),
                Cell::Number(product.price),
                optional(product.old_price),
                Cell::Text(product.image_url.as_deref().unwrap_or("")),
                Cell::Text(status),
                Cell::Text(&variant.size),
                Cell::Text(variant.color.as_deref().unwrap_or("")),
                Cell::Text(&variant.sku),
                optional(with_stock.then_some(variant.available)),
            ]);
        }
    }
    out.finish()
}

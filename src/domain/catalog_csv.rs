//! The catalog as CSV, one line per variant: what `stockroom import` reads
//! and `stockroom export` writes. Columns (docs/OPERATIONS.md):
//! `slug,title,category,description,price,old_price,image_url,size,color,sku,stock`.
//!
//! Product fields repeat on every line of the product and must agree. An
//! empty `stock` leaves a variant's stock as it is (0 for a new one); an
//! empty `sku` is made from slug, colour and size as the API does.

use std::collections::HashMap;
use std::io::Write;

use serde::Deserialize;

use super::product::{Product, ProductFields, ProductInput, VariantInput};

pub const COLUMNS: [&str; 11] = [
    "slug",
    "title",
    "category",
    "description",
    "price",
    "old_price",
    "image_url",
    "size",
    "color",
    "sku",
    "stock",
];
const REQUIRED_COLUMNS: [&str; 3] = ["title", "price", "size"];

/// One product of an import, in the file's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportProduct {
    pub fields: ProductFields,
    pub variants: Vec<ImportVariant>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportVariant {
    /// The file's line, for errors found against the database.
    pub line: u64,
    pub sku: String,
    pub size: String,
    pub color: Option<String>,
    /// `None` leaves the stock as it is (0 for a new variant).
    pub stock: Option<i64>,
}

/// A rejected line of the file and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub reason: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

#[derive(Debug, Default, Deserialize)]
struct Row {
    slug: Option<String>,
    title: Option<String>,
    category: Option<String>,
    description: Option<String>,
    price: Option<String>,
    old_price: Option<String>,
    image_url: Option<String>,
    size: Option<String>,
    color: Option<String>,
    sku: Option<String>,
    stock: Option<String>,
}

/// Reads and checks the whole file; every bad line is reported, and nothing
/// is returned to apply unless every line is good.
pub fn parse(data: &[u8]) -> Result<Vec<ImportProduct>, Vec<LineError>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(data);
    let headers = reader
        .headers()
        .map_err(|e| vec![line_error(1, format!("unreadable header: {e}"))])?
        .clone();
    check_headers(&headers)?;
    let mut errors = Vec::new();
    let mut products: Vec<(u64, ImportProduct)> = Vec::new();
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    let mut sku_lines: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(line_error(line, format!("unreadable line: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let row: Row = match record.deserialize(Some(&headers)) {
            Ok(row) => row,
            Err(e) => {
                errors.push(line_error(line, e.to_string()));
                continue;
            }
        };
        let (fields, variant) = match check_row(line, &row) {
            Ok(checked) => checked,
            Err(reasons) => {
                errors.extend(reasons);
                continue;
            }
        };
        if let Some(first) = sku_lines.insert(variant.sku.clone(), line) {
            errors.push(line_error(
                line,
                format!("sku {} is already on line {first}", variant.sku),
            ));
            continue;
        }
        match by_slug.get(&fields.slug) {
            None => {
                by_slug.insert(fields.slug.clone(), products.len());
                products.push((
                    line,
                    ImportProduct {
                        fields,
                        variants: vec![variant],
                    },
                ));
            }
            Some(&index) => {
                let (first, product) = &mut products[index];
                if product.fields != fields {
                    errors.push(line_error(line, format!(
                        "the product fields of `{}` differ from its line {first}; they must be the same on every line",
                        fields.slug
                    )));
                } else if let Some(twin) = product
                    .variants
                    .iter()
                    .find(|v| v.size == variant.size && v.color == variant.color)
                {
                    errors.push(line_error(
                        line,
                        format!("the same size and colour as line {}", twin.line),
                    ));
                } else {
                    product.variants.push(variant);
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(products.into_iter().map(|(_, p)| p).collect())
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

fn line_error(line: u64, reason: String) -> LineError {
    LineError { line, reason }
}

fn check_headers(headers: &csv::StringRecord) -> Result<(), Vec<LineError>> {
    let mut errors: Vec<LineError> = headers
        .iter()
        .filter(|h| !COLUMNS.contains(h))
        .map(|h| {
            line_error(
                1,
                format!("unknown column `{h}` (known: {})", COLUMNS.join(", ")),
            )
        })
        .collect();
    errors.extend(
        REQUIRED_COLUMNS
            .iter()
            .filter(|c| !headers.iter().any(|h| h == **c))
            .map(|c| line_error(1, format!("the column `{c}` is missing"))),
    );
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// One line checked by the same rules as `POST /api/v1/admin/products`.
fn check_row(line: u64, row: &Row) -> Result<(ProductFields, ImportVariant), Vec<LineError>> {
    let mut errors = Vec::new();
    let mut integer = |field: &str, raw: &Option<String>| match raw.as_deref() {
        None | Some("") => None,
        Some(text) => match text.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(line_error(
                    line,
                    format!("{field}: `{text}` is not a whole number"),
                ));
                None
            }
        },
    };
    let price = integer("price", &row.price);
    let old_price = integer("old_price", &row.old_price);
    let stock = integer("stock", &row.stock);
    let input = ProductInput {
        slug: row.slug.clone().filter(|s| !s.is_empty()),
        title: row.title.clone(),
        description: row.description.clone(),
        category: row.category.clone(),
        image_url: row.image_url.clone(),
        price,
        old_price,
        variants: Some(vec![VariantInput {
            sku: row.sku.clone().filter(|s| !s.is_empty()),
            size: row.size.clone(),
            color: row.color.clone(),
            stock,
            ..Default::default()
        }]),
        ..Default::default()
    };
    let checked = input.validate();
    if let Err(invalid) = &checked {
        let price_unreadable =
            row.price.as_deref().is_some_and(|p| !p.is_empty()) && price.is_none();
        errors.extend(
            invalid
                .0
                .iter()
                // A price that is not a number is reported once, above.
                .filter(|e| !(price_unreadable && e.field == "price"))
                .map(|e| {
                    let field = e.field.strip_prefix("variants[0].").unwrap_or(&e.field);
                    let reason = e.en.trim_end_matches('.');
                    line_error(line, format!("{field}: {reason}"))
                }),
        );
    }
    match checked {
        Ok(mut product) if errors.is_empty() => {
            let variant = product.variants.remove(0);
            Ok((
                product.fields,
                ImportVariant {
                    line,
                    sku: variant.sku.to_string(),
                    size: variant.size,
                    color: variant.color,
                    stock,
                },
            ))
        }
        _ => Err(errors),
    }
}

/// Writes every variant of `products`, in their order; the `stock` column is
/// left empty unless `with_stock`, so that importing a catalog-only file
/// changes no stock.
pub fn write(products: &[Product], with_stock: bool, out: impl Write) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(COLUMNS)?;
    for product in products {
        for variant in &product.variants {
            let price = product.price.to_string();
            let old_price = product.old_price.map(|p| p.to_string()).unwrap_or_default();
            let stock = if with_stock {
                variant.available.to_string()
            } else {
                String::new()
            };
            writer.write_record([
                product.slug.as_str(),
                &product.title,
                &product.category,
                &product.description,
                &price,
                &old_price,
                product.image_url.as_deref().unwrap_or(""),
                &variant.size,
                variant.color.as_deref().unwrap_or(""),
                &variant.sku,
                &stock,
            ])?;
        }
    }
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "slug,title,category,description,price,old_price,image_url,size,color,sku,stock\n";

    #[test]
    fn lines_of_one_slug_make_one_product_with_its_variants() {
        let file = format!(
            "{HEADER}robe-ete,Robe d'été,robes,,15000,,,M,,,5\nrobe-ete,Robe d'été,robes,,15000,,,L,,,\n"
        );
        let products = parse(file.as_bytes()).expect("a good file");
        assert_eq!(products.len(), 1);
        let variants = &products[0].variants;
        assert_eq!(variants[0].sku, "ROBE-ETE-M");
        assert_eq!((variants[0].stock, variants[1].stock), (Some(5), None));
        assert_eq!((variants[0].line, variants[1].line), (2, 3));
    }

    #[test]
    fn every_bad_line_is_named_with_its_reason() {
        let file = format!(
            "{HEADER}a,A,,,abc,,,M,,,1\nb,B,,,100,,,,,,1\nc,C,,,100,,,M,,,-4\nd,D,,,100,,,M,,A B,1\ne,E,,,100,,,M,,,1\ne,E2,,,100,,,L,,,1\n"
        );
        let errors = parse(file.as_bytes()).expect_err("bad lines");
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 7], "{errors:?}");
        assert!(errors[0].reason.contains("price"), "{errors:?}");
        assert!(errors[1].reason.contains("size"), "{errors:?}");
        assert!(errors[2].reason.contains("stock"), "{errors:?}");
        assert!(errors[3].reason.contains("sku"), "{errors:?}");
        assert!(errors[4].reason.contains("differ"), "{errors:?}");
    }

    #[test]
    fn an_unknown_or_missing_column_is_refused() {
        let errors = parse(b"slug,title,prix\n").expect_err("bad header");
        assert!(errors.iter().any(|e| e.reason.contains("`prix`")));
        assert!(errors.iter().any(|e| e.reason.contains("`price`")));
    }
}

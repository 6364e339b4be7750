//! One line of a catalog file checked by the API's own rules, and the words
//! of a product's status in either language.

use super::{Layout, LineError};
use crate::domain::Lang;
use crate::domain::product::{ProductFields, ProductInput, ProductStatus, VariantInput};

use super::ImportVariant;

/// A whole number as a person may type it: `15000`, `15 000`.
fn integer(text: &str) -> Option<i64> {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    digits.parse().ok()
}

/// A status in either language, whatever the case.
fn status(text: &str) -> Option<ProductStatus> {
    let text = text.to_lowercase();
    let english = ProductStatus::parse(&text);
    english.or_else(|| {
        [
            ProductStatus::Active,
            ProductStatus::Draft,
            ProductStatus::Archived,
        ]
        .into_iter()
        .find(|s| status_word(*s, Lang::Fr).to_lowercase() == text)
    })
}

/// A status as a CSV in `lang` writes it.
pub fn status_word(status: ProductStatus, lang: Lang) -> &'static str {
    match (status, lang) {
        (ProductStatus::Active, Lang::Fr) => "Actif",
        (ProductStatus::Draft, Lang::Fr) => "Brouillon",
        (ProductStatus::Archived, Lang::Fr) => "Archivé",
        (status, Lang::En) => status.as_str(),
    }
}

/// One line checked by the same rules as `POST /api/v1/admin/products`.
pub(super) fn check_row(
    line: u64,
    layout: &Layout,
    record: &csv::StringRecord,
) -> Result<(ProductFields, bool, ImportVariant), Vec<LineError>> {
    let mut errors = Vec::new();
    let cell = |key: &str| layout.cell(record, key).map(str::to_owned);
    let mut number = |key: &str| {
        let text = layout.cell(record, key)?;
        let parsed = integer(text);
        if parsed.is_none() {
            errors.push(LineError::new(
                line,
                Some(&layout.name(key)),
                format!("« {text} » n'est pas un nombre entier."),
                format!("`{text}` is not a whole number."),
            ));
        }
        parsed
    };
    let (price, old_price, stock) = (number("price"), number("old_price"), number("stock"));
    let unreadable: Vec<String> = errors.iter().filter_map(|e| e.field.clone()).collect();
    let status_text = layout.cell(record, "status");
    let status = status_text.and_then(status);
    if let (Some(text), None) = (status_text, status) {
        errors.push(LineError::new(
            line,
            Some(&layout.name("status")),
            format!("Statut inconnu « {text} » (Actif, Brouillon ou Archivé)."),
            format!("Unknown status `{text}` (active, draft or archived)."),
        ));
    }
    let input = ProductInput {
        slug: cell("slug"),
        title: cell("title"),
        description: cell("description"),
        category: cell("category"),
        image_url: cell("image_url"),
        price,
        old_price,
        status,
        variants: Some(vec![VariantInput {
            sku: cell("sku"),
            size: cell("size"),
            color: cell("color"),
            stock,
            ..Default::default()
        }]),
    };
    let checked = input.validate();
    if let Err(invalid) = &checked {
        for e in &invalid.0 {
            let key = e.field.strip_prefix("variants[0].").unwrap_or(&e.field);
            let name = layout.name(key);
            // A number that could not be read is reported once, above.
            if !unreadable.contains(&name) {
                // The API's sentences name its fields; a file's reader knows its columns.
                let fr =
                    e.fr.replace(&format!("« {} »", e.field), &format!("« {name} »"));
                let en =
                    e.en.replace(&format!("`{}`", e.field), &format!("`{name}`"));
                errors.push(LineError::new(line, Some(&name), fr, en));
            }
        }
    }
    match checked {
        Ok(mut product) if errors.is_empty() => {
            let variant = product.variants.remove(0);
            let variant = ImportVariant {
                line,
                sku: variant.sku.to_string(),
                size: variant.size,
                color: variant.color,
                stock,
            };
            Ok((product.fields, status.is_some(), variant))
        }
        _ => Err(errors),
    }
}

//! A new product as an admin sends it, checked field by field.

use serde::Deserialize;

use crate::domain::invalid::{
    Checker, FieldError, ValidationError, integer_in, optional_text, required_text,
};
use crate::domain::limits::*;
use crate::domain::sku::Sku;

use super::ProductStatus;

/// The body of `POST /api/v1/admin/products`, before validation.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ProductInput {
    /// Made from the title when missing.
    #[schema(example = "robe-ete")]
    pub slug: Option<String>,
    #[schema(value_type = String, required, example = "Robe d'été")]
    pub title: Option<String>,
    pub description: Option<String>,
    pub category: Option<String>,
    /// `https://…`, `http://…` or a path on this server.
    #[schema(example = "/assets/img/robe.svg")]
    pub image_url: Option<String>,
    /// In minor units of the shop's currency.
    #[schema(value_type = i64, required, example = 15000)]
    pub price: Option<i64>,
    pub old_price: Option<i64>,
    /// `active` when missing.
    pub status: Option<ProductStatus>,
    /// The sizes (and colours); no two with the same sku, nor with the same
    /// size and colour.
    #[schema(value_type = Vec<VariantInput>, required)]
    pub variants: Option<Vec<VariantInput>>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct VariantInput {
    /// Made from slug, colour and size when missing.
    pub sku: Option<String>,
    #[schema(value_type = String, required, example = "M")]
    pub size: Option<String>,
    pub color: Option<String>,
    /// The initial stock; 0 when missing.
    #[schema(example = 10)]
    pub stock: Option<i64>,
    /// Low at or below this many units; the shop's rule when missing.
    pub low_stock_threshold: Option<i64>,
}

impl VariantInput {
    /// One variant checked, its fields named after `prefix` (`variants[2].`
    /// in a product, nothing alone); its sku made from `slug` when missing.
    pub fn checked(&self, prefix: &str, slug: &str) -> Result<NewVariant, Vec<FieldError>> {
        let field = |name: &str| format!("{prefix}{name}");
        let size = required_text(&field("size"), self.size.as_deref(), SIZE_CHARS_MAX);
        let color = optional_text(
            &field("color"),
            self.color.as_deref(),
            COLOR_CHARS_MAX,
            false,
        );
        let stock = integer_in(&field("stock"), self.stock.unwrap_or(0), 0, STOCK_LEVEL_MAX);
        let threshold = self
            .low_stock_threshold
            .map(|t| integer_in(&field("low_stock_threshold"), t, 0, STOCK_LEVEL_MAX))
            .transpose();
        let (size, color, stock, low_stock_threshold) = match (size, color, stock, threshold) {
            (Ok(size), Ok(color), Ok(stock), Ok(threshold)) => (size, color, stock, threshold),
            (size, color, stock, threshold) => {
                let errors = size.err().into_iter().chain(color.err()).chain(stock.err());
                return Err(errors.chain(threshold.err()).collect());
            }
        };
        let sku = match &self.sku {
            Some(raw) => Sku::parse(&field("sku"), raw).map_err(|e| vec![e])?,
            None => Sku::generate(slug, &size, color.as_deref()),
        };
        Ok(NewVariant {
            sku,
            size,
            color,
            stock,
            low_stock_threshold,
        })
    }
}

/// A product ready to be written: every field checked, skus made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewProduct {
    pub fields: ProductFields,
    pub variants: Vec<NewVariant>,
}

/// The fields an admin edits; the ETag covers exactly these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductFields {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub image_url: Option<String>,
    pub price: i64,
    pub old_price: Option<i64>,
    pub status: ProductStatus,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewVariant {
    pub sku: Sku,
    pub size: String,
    pub color: Option<String>,
    pub stock: i64,
    pub low_stock_threshold: Option<i64>,
}

impl ProductInput {
    pub fn validate(&self) -> Result<NewProduct, ValidationError> {
        let mut checker = Checker::default();
        let title = checker.check(required_text(
            "title",
            self.title.as_deref(),
            TITLE_CHARS_MAX,
        ));
        let slug = match (&self.slug, &title) {
            (Some(slug), _) => checker.check(parse_slug(slug)),
            (None, Some(title)) => checker.check(slug_from_title(title)),
            (None, None) => None,
        };
        let description = checker.check(text(
            "description",
            &self.description,
            DESCRIPTION_CHARS_MAX,
            true,
        ));
        let category = checker.check(text("category", &self.category, CATEGORY_CHARS_MAX, false));
        let image_url = checker.check(image_url(self.image_url.as_deref()));
        let price = match self.price {
            Some(price) => checker.check(integer_in("price", price, 0, PRICE_MAX)),
            None => {
                checker.push(FieldError::required("price"));
                None
            }
        };
        let old_price = checker.check(
            self.old_price
                .map(|p| integer_in("old_price", p, 0, PRICE_MAX))
                .transpose(),
        );
        if let (Some(price), Some(old_price)) = (price, old_price) {
            checker.check(old_price_above(price, old_price));
        }
        let inputs = self.variants.as_deref().unwrap_or_default();
        let variants = slug
            .as_deref()
            .and_then(|slug| match validate_variants(slug, inputs) {
                Ok(variants) => Some(variants),
                Err(errors) => {
                    errors.into_iter().for_each(|e| checker.push(e));
                    None
                }
            });
        checker.finish()?;
        match (
            slug,
            title,
            description,
            category,
            image_url,
            price,
            old_price,
            variants,
        ) {
            (
                Some(slug),
                Some(title),
                Some(description),
                Some(category),
                Some(image_url),
                Some(price),
                Some(old_price),
                Some(variants),
            ) => Ok(NewProduct {
                fields: ProductFields {
                    slug,
                    title,
                    description,
                    category,
                    image_url,
                    price,
                    old_price,
                    status: self.status.unwrap_or_default(),
                },
                variants,
            }),
            // The checker holds an error for every field that is None.
            _ => Err(ValidationError::one(FieldError::required("variants"))),
        }
    }
}

/// A product's old price is the one shown struck through beside its price,
/// as a sale's "before": one that is not higher than the price would tell
/// the buyer of a discount that does not exist.
pub fn old_price_above(price: i64, old_price: Option<i64>) -> Result<(), FieldError> {
    match old_price {
        Some(old) if old <= price => Err(FieldError::new(
            "old_price",
            format!(
                "L'ancien prix ({old}) doit être plus élevé que le prix ({price}) : il s'affiche barré, comme le prix d'avant une promotion. Laissez-le vide s'il n'y a pas de promotion."
            ),
            format!(
                "The old price ({old}) must be higher than the price ({price}): it is shown struck through, as the price before a sale. Leave it empty when there is no sale."
            ),
        )),
        _ => Ok(()),
    }
}

pub(super) fn text(
    field: &str,
    value: &Option<String>,
    max: usize,
    multiline: bool,
) -> Result<String, FieldError> {
    Ok(optional_text(field, value.as_deref(), max, multiline)?.unwrap_or_default())
}

pub(super) fn image_url(value: Option<&str>) -> Result<Option<String>, FieldError> {
    image_url_in("image_url", value, IMAGE_URL_CHARS_MAX)
}

/// An image's address in `field`: `https://…`, `http://…` or a path on this server.
pub fn image_url_in(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    let url = optional_text(field, value, max, false)?;
    match url {
        Some(url)
            if !(url.starts_with("https://")
                || url.starts_with("http://")
                || url.starts_with('/')) =>
        {
            Err(FieldError::new(
                field,
                "L'adresse de l'image doit commencer par https://, http:// ou /.",
                "The image address must start with https://, http:// or /.",
            ))
        }
        url => Ok(url),
    }
}

/// The document's pattern of a slug, as [`parse_slug`] accepts it.
pub const SLUG_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

/// The document's pattern of an image address, as [`image_url`] accepts it.
pub const IMAGE_URL_PATTERN: &str =
    r"^(https?://|/)[^\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$";

/// A slug: lower-case ASCII letters and digits joined by single dashes.
pub fn parse_slug(raw: &str) -> Result<String, FieldError> {
    let slug = raw.trim();
    if slug.is_empty() {
        return Err(FieldError::required("slug"));
    }
    if slug.len() > SLUG_CHARS_MAX {
        return Err(FieldError::too_long("slug", SLUG_CHARS_MAX));
    }
    if slug::slugify(slug) != slug {
        return Err(FieldError::new(
            "slug",
            format!(
                "Le slug « {slug} » ne peut contenir que des minuscules sans accent, des chiffres et des tirets (par exemple « robe-ete »)."
            ),
            format!(
                "The slug `{slug}` may only contain lower-case ASCII letters, digits and single dashes (for example `robe-ete`)."
            ),
        ));
    }
    Ok(slug.to_owned())
}

/// `Robe d'été` becomes `robe-d-ete`.
fn slug_from_title(title: &str) -> Result<String, FieldError> {
    let mut slug = slug::slugify(title);
    slug.truncate(SLUG_CHARS_MAX);
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        return Err(FieldError::new(
            "slug",
            "Impossible de tirer un slug de ce titre : indiquez un slug.",
            "No slug can be made from this title: give a slug.",
        ));
    }
    Ok(slug)
}

fn validate_variants(
    slug: &str,
    inputs: &[VariantInput],
) -> Result<Vec<NewVariant>, Vec<FieldError>> {
    let mut errors = Vec::new();
    if inputs.is_empty() {
        errors.push(FieldError::new(
            "variants",
            "Un produit a au moins une variante (une taille).",
            "A product has at least one variant (a size).",
        ));
    }
    if inputs.len() > VARIANTS_PER_PRODUCT_MAX {
        errors.push(FieldError::new(
            "variants",
            format!("Un produit a au plus {VARIANTS_PER_PRODUCT_MAX} variantes."),
            format!("A product has at most {VARIANTS_PER_PRODUCT_MAX} variants."),
        ));
    }
    let mut variants: Vec<NewVariant> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let field = |name: &str| format!("variants[{i}].{name}");
        let variant = match input.checked(&format!("variants[{i}]."), slug) {
            Ok(variant) => variant,
            Err(e) => {
                errors.extend(e);
                continue;
            }
        };
        let (sku, size, color) = (&variant.sku, &variant.size, &variant.color);
        if variants.iter().any(|v| &v.sku == sku) {
            errors.push(FieldError::new(
                field("sku"),
                format!("La référence {sku} apparaît deux fois dans ce produit."),
                format!("The sku {sku} appears twice in this product."),
            ));
        } else if variants
            .iter()
            .any(|v| &v.size == size && &v.color == color)
        {
            errors.push(FieldError::new(
                field("size"),
                format!("La taille {size} apparaît deux fois avec la même couleur."),
                format!("The size {size} appears twice with the same colour."),
            ));
        } else {
            variants.push(variant);
        }
    }
    if errors.is_empty() {
        Ok(variants)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::invalid::matching;
    use crate::domain::product::ProductPatch;

    proptest! {
        #[test]
        fn every_slug_the_document_allows_is_accepted_up_to_its_length(
            raw in matching(SLUG_PATTERN)
        ) {
            let expected = if raw.len() <= SLUG_CHARS_MAX {
                Ok(raw.clone())
            } else {
                Err(FieldError::too_long("slug", SLUG_CHARS_MAX))
            };
            prop_assert_eq!(parse_slug(&raw), expected);
        }

        #[test]
        fn every_image_address_the_document_allows_is_accepted(
            raw in matching(IMAGE_URL_PATTERN)
        ) {
            prop_assert!(image_url(Some(&raw)).is_ok(), "{}", raw);
        }
    }

    #[test]
    fn an_old_price_not_above_the_price_is_refused_with_both_named() {
        let product = |price, old_price| ProductInput {
            title: Some("Robe".into()),
            price: Some(price),
            old_price,
            variants: Some(vec![VariantInput {
                size: Some("M".into()),
                stock: Some(1),
                ..Default::default()
            }]),
            ..Default::default()
        };
        let equal = product(15000, Some(15000)).validate().expect_err("equal");
        assert_eq!(equal.0.len(), 1);
        assert_eq!(equal.0[0].field, "old_price");
        assert!(
            equal.0[0]
                .fr
                .contains("(15000) doit être plus élevé que le prix (15000)")
        );
        let lower = product(15000, Some(12000)).validate().expect_err("lower");
        assert_eq!(lower.0[0].field, "old_price");
        assert!(lower.0[0].en.contains("must be higher than the price"));
        assert!(product(15000, Some(18000)).validate().is_ok());
        assert!(product(15000, None).validate().is_ok());
    }

    #[test]
    fn an_edit_compares_the_prices_it_leaves_and_only_when_it_changes_one() {
        let current = ProductFields {
            slug: "robe".into(),
            title: "Robe".into(),
            description: String::new(),
            category: String::new(),
            image_url: None,
            price: 15000,
            old_price: Some(18000),
            status: ProductStatus::Active,
        };
        let raise = ProductPatch {
            price: Some(20000),
            ..Default::default()
        };
        let refused = raise.apply_to(&current).expect_err("above the old price");
        assert_eq!(refused.0[0].field, "old_price");
        let raise_and_clear = ProductPatch {
            price: Some(20000),
            old_price: Some(None),
            ..Default::default()
        };
        assert!(raise_and_clear.apply_to(&current).is_ok());
        let lower_old = ProductPatch {
            old_price: Some(Some(9000)),
            ..Default::default()
        };
        assert_eq!(
            lower_old.apply_to(&current).expect_err("below").0[0].field,
            "old_price"
        );
        // A row written before the rule still takes an edit of its title.
        let older = ProductFields {
            old_price: Some(15000),
            ..current
        };
        let rename = ProductPatch {
            title: Some("Robe longue".into()),
            ..Default::default()
        };
        assert!(rename.apply_to(&older).is_ok());
    }
}

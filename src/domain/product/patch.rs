//! An admin's edit of a product: only the fields given change.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};

use super::input::{image_url, old_price_above, parse_slug, text};
use super::preorder::PreorderPatch;
use super::{ProductFields, ProductStatus};
use crate::domain::invalid::{Checker, ValidationError, integer_in, required_text};
use crate::domain::limits::*;

/// The body of `PATCH /api/v1/admin/products/{id}`: only the fields given change.
/// Stock and read-only fields are not patched here and are ignored.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ProductPatch {
    pub slug: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub category: Option<String>,
    /// `null` removes the image.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub image_url: Option<Option<String>>,
    pub price: Option<i64>,
    /// `null` removes the old price.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub old_price: Option<Option<i64>>,
    pub status: Option<ProductStatus>,
}

/// Tells `"field": null` (clear it) from a missing field (keep it).
pub(super) fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

impl ProductPatch {
    /// The product's fields after this patch, all checked again.
    pub fn apply_to(&self, current: &ProductFields) -> Result<ProductFields, ValidationError> {
        let mut checker = Checker::default();
        let mut next = current.clone();
        if let Some(slug) = &self.slug {
            next.slug = checker.check(parse_slug(slug)).unwrap_or_default();
        }
        if let Some(title) = &self.title {
            next.title = checker
                .check(required_text("title", Some(title), TITLE_CHARS_MAX))
                .unwrap_or_default();
        }
        if self.description.is_some() {
            next.description = checker
                .check(text(
                    "description",
                    &self.description,
                    DESCRIPTION_CHARS_MAX,
                    true,
                ))
                .unwrap_or_default();
        }
        if self.category.is_some() {
            next.category = checker
                .check(text("category", &self.category, CATEGORY_CHARS_MAX, false))
                .unwrap_or_default();
        }
        if let Some(url) = &self.image_url {
            next.image_url = checker.check(image_url(url.as_deref())).flatten();
        }
        // Both prices are compared once each is valid on its own.
        let mut prices_valid = true;
        if let Some(price) = self.price {
            let price = checker.check(integer_in("price", price, 0, PRICE_MAX));
            prices_valid &= price.is_some();
            next.price = price.unwrap_or_default();
        }
        if let Some(old_price) = self.old_price {
            let old_price = checker.check(
                old_price
                    .map(|p| integer_in("old_price", p, 0, PRICE_MAX))
                    .transpose(),
            );
            prices_valid &= old_price.is_some();
            next.old_price = old_price.flatten();
        }
        if let Some(status) = self.status {
            next.status = status;
        }
        // Checked when either price changes: an edit of the title alone
        // never trips on a row written before the rule.
        let prices_changed = self.price.is_some() || self.old_price.is_some();
        if prices_changed && prices_valid {
            checker.check(old_price_above(next.price, next.old_price));
        }
        checker.finish()?;
        Ok(next)
    }
}

/// The body of `PATCH /api/v1/admin/variants/{sku}`: only the fields given change.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct VariantPatch {
    /// `true` hides it from the storefront and stops its sale; its ledger stays.
    pub retired: Option<bool>,
    /// `null`: the shop's rule.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub low_stock_threshold: Option<Option<i64>>,
    /// Its place among the product's variants, from 0; the others move to make room.
    pub position: Option<i64>,
    /// Its preorders: only the fields given change; checked against the
    /// shop's today in the store, where the current settings are read.
    pub preorder: Option<PreorderPatch>,
}

impl VariantPatch {
    /// Refuses values out of range, naming each field, on a shop whose
    /// today is `today`.
    pub fn check(&self, today: NaiveDate) -> Result<(), ValidationError> {
        let mut checker = Checker::default();
        if let Some(Some(threshold)) = self.low_stock_threshold {
            checker.check(integer_in(
                "low_stock_threshold",
                threshold,
                0,
                STOCK_LEVEL_MAX,
            ));
        }
        if let Some(position) = self.position {
            let last = VARIANTS_PER_PRODUCT_MAX as i64 - 1;
            checker.check(integer_in("position", position, 0, last));
        }
        if let Some(preorder) = &self.preorder {
            preorder.check_fields(&mut checker, today);
        }
        checker.finish()
    }
}

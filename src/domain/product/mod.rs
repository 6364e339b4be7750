//! Products and their variants: what the shop sells, as buyers and admins see it.

mod filter;
mod images;
mod input;
mod patch;
mod preorder;

use serde::{Deserialize, Serialize};

use super::stock::LowStockRule;

pub use filter::*;
pub use images::*;
pub use input::*;
pub use patch::*;
pub use preorder::*;

/// A product as the API shows it, with the stock of each variant.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Product {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub image_url: Option<String>,
    pub price: i64,
    pub old_price: Option<i64>,
    pub currency: String,
    /// Only `active` products are public and can be ordered.
    pub status: ProductStatus,
    pub in_stock: bool,
    /// By `position`; the storefront's answers leave retired ones out.
    pub variants: Vec<Variant>,
    /// The photos, in gallery order; the storefront shows the first in
    /// lists, else `image_url`.
    pub images: Vec<ProductImage>,
    /// Bumped by every edit of the fields above (not by stock); the ETag.
    #[serde(skip)]
    pub version: i64,
}

/// Where a product stands: only `active` ones are public and can be
/// ordered; a `draft` is being prepared, an `archived` one kept for the record.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProductStatus {
    #[default]
    Active,
    Draft,
    Archived,
}

impl ProductStatus {
    /// The name the API and the database use.
    pub fn as_str(self) -> &'static str {
        match self {
            ProductStatus::Active => "active",
            ProductStatus::Draft => "draft",
            ProductStatus::Archived => "archived",
        }
    }

    pub fn parse(text: &str) -> Option<ProductStatus> {
        match text {
            "active" => Some(ProductStatus::Active),
            "draft" => Some(ProductStatus::Draft),
            "archived" => Some(ProductStatus::Archived),
            _ => None,
        }
    }
}

/// One size (and colour) of a product, with the units left.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Variant {
    pub sku: String,
    pub size: String,
    pub color: Option<String>,
    pub available: i64,
    /// Hidden from the storefront and not for sale; kept in the ledger and the audit.
    pub retired: bool,
    /// Low at or below this many units; `null`: the shop's rule.
    pub low_stock_threshold: Option<i64>,
    /// Where it is listed among the product's variants.
    pub position: i64,
    /// Low by the shop's one rule (`low_stock_threshold`, else the shop's
    /// units, else its percent of what was received); false at 0.
    pub low: bool,
    /// Units received: initial plus restocked; what the percent rule reads.
    #[serde(skip)]
    pub received: i64,
    /// Its preorders: always in the back office; on the storefront only
    /// when enabled, without the units waiting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preorder: Option<VariantPreorder>,
}

impl Variant {
    /// Marks the variant low or not by `rule`.
    pub fn judged(mut self, rule: &LowStockRule) -> Variant {
        self.low = self.available > 0
            && rule.is_low(self.available, self.low_stock_threshold, self.received);
        self
    }
}

impl Product {
    /// What the storefront shows: variants at 0 hidden.
    pub fn without_sold_out_variants(mut self) -> Product {
        self.variants.retain(|v| v.available > 0);
        self
    }

    /// What buyers see of it: retired variants hidden.
    pub fn without_retired_variants(mut self) -> Product {
        self.variants.retain(|v| !v.retired);
        self
    }

    /// The product as the storefront shows it: retired variants hidden,
    /// preorders shown only when enabled, without the units waiting.
    pub fn for_buyers(self) -> Product {
        let mut product = self.without_retired_variants();
        for variant in &mut product.variants {
            variant.preorder = variant
                .preorder
                .take()
                .and_then(VariantPreorder::for_buyers);
        }
        product
    }

    /// The product with its variants; in stock when any of them not
    /// retired is.
    pub fn with_variants(mut self, variants: Vec<Variant>) -> Product {
        self.in_stock = variants.iter().any(|v| v.available > 0 && !v.retired);
        self.variants = variants;
        self
    }

    /// The fields an admin edits, as they are now.
    pub fn fields(&self) -> ProductFields {
        ProductFields {
            slug: self.slug.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            category: self.category.clone(),
            image_url: self.image_url.clone(),
            price: self.price,
            old_price: self.old_price,
            status: self.status,
        }
    }

    pub fn etag(&self) -> String {
        format!(
            "\"{}-{}\"",
            self.id.get(..8).unwrap_or(&self.id),
            self.version
        )
    }
}

//! Products and their variants: what the shop sells, as buyers and admins see it.

mod input;
mod patch;

use serde::Serialize;

pub use input::*;
pub use patch::*;

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
    pub in_stock: bool,
    pub variants: Vec<Variant>,
    /// Bumped by every edit of the fields above (not by stock); the ETag.
    #[serde(skip)]
    pub version: i64,
}

/// One size (and colour) of a product, with the units left.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Variant {
    pub sku: String,
    pub size: String,
    pub color: Option<String>,
    pub available: i64,
}

impl Product {
    /// What the storefront shows: variants at 0 hidden.
    pub fn without_sold_out_variants(mut self) -> Product {
        self.variants.retain(|v| v.available > 0);
        self
    }

    /// The product with its variants; in stock when any of them is.
    pub fn with_variants(mut self, variants: Vec<Variant>) -> Product {
        self.in_stock = variants.iter().any(|v| v.available > 0);
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

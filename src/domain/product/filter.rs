//! Which products the back office lists: words to find, a status, a state
//! of stock.

use serde::Deserialize;

use super::{Product, ProductStatus};

/// A state of stock to list products by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StockState {
    /// A variant for sale is low (the shop's one rule).
    Low,
    /// A variant for sale is at 0.
    SoldOut,
}

/// The back office's product filter; every part given must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProductFilter {
    /// Words found in the title, the slug, the category or a sku, in any
    /// case and with or without accents ("ete" finds "Robe d'été").
    pub words: Vec<String>,
    pub status: Option<ProductStatus>,
    pub stock: Option<StockState>,
}

impl ProductFilter {
    pub fn new(q: Option<&str>, status: Option<ProductStatus>, stock: Option<StockState>) -> Self {
        let words = q
            .map(|q| q.split_whitespace().map(folded).collect())
            .unwrap_or_default();
        ProductFilter {
            words,
            status,
            stock,
        }
    }

    /// Whether the product's own fields can pass, before its variants are read.
    pub fn keeps_status(&self, product: &Product) -> bool {
        self.status.is_none_or(|status| product.status == status)
    }

    /// Whether the product, with its variants, passes.
    pub fn keeps(&self, product: &Product) -> bool {
        self.keeps_status(product) && self.keeps_words(product) && self.keeps_stock(product)
    }

    fn keeps_words(&self, product: &Product) -> bool {
        if self.words.is_empty() {
            return true;
        }
        let mut haystack = [&product.title, &product.slug, &product.category]
            .map(|text| folded(text))
            .join(" ");
        for variant in &product.variants {
            haystack.push(' ');
            haystack.push_str(&folded(&variant.sku));
        }
        self.words
            .iter()
            .all(|word| haystack.contains(word.as_str()))
    }

    fn keeps_stock(&self, product: &Product) -> bool {
        let for_sale = || product.variants.iter().filter(|v| !v.retired);
        match self.stock {
            None => true,
            Some(StockState::Low) => for_sale().any(|v| v.low),
            Some(StockState::SoldOut) => for_sale().any(|v| v.available == 0),
        }
    }
}

/// Lower case, without accents: what a search compares.
pub fn folded(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_without_accents_or_case() {
        assert_eq!(folded("Robe d'ÉTÉ Aïcha"), "robe d'ete aicha");
    }
}

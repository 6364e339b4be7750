//! Stock-keeping units: the name of one variant (a size, a colour) of a product.

use super::invalid::FieldError;

/// The longest sku accepted, in characters.
pub const SKU_LENGTH_MAX: usize = 64;

/// The document's pattern of a sku as [`Sku::parse`] accepts it (with at most
/// [`SKU_LENGTH_MAX`] characters).
pub const SKU_PATTERN: &str = "^[A-Za-z0-9._-]+$";

/// A sku: upper-case ASCII letters, digits, `-`, `_` and `.`, 1 to 64 long.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sku(String);

impl Sku {
    /// Accepts a sku in any case and keeps it upper-case, so `robe-ete-m` and
    /// `ROBE-ETE-M` name the same variant.
    pub fn parse(field: &str, raw: &str) -> Result<Sku, FieldError> {
        let sku = raw.trim().to_ascii_uppercase();
        let valid_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        if sku.is_empty() {
            return Err(FieldError::required(field));
        }
        if sku.len() > SKU_LENGTH_MAX {
            return Err(FieldError::too_long(field, SKU_LENGTH_MAX));
        }
        if !sku.chars().all(valid_char) {
            return Err(FieldError::new(
                field,
                format!(
                    "La référence « {} » ne peut contenir que des lettres, chiffres, « - », « _ » et « . ».",
                    raw.trim()
                ),
                format!(
                    "The sku `{}` may only contain letters, digits, `-`, `_` and `.`.",
                    raw.trim()
                ),
            ));
        }
        Ok(Sku(sku))
    }

    /// The sku made for a variant given without one: slug, colour and size, upper-case.
    pub fn generate(slug: &str, size: &str, color: Option<&str>) -> Sku {
        let mut parts = vec![slug.to_owned()];
        parts.extend(color.map(slug::slugify));
        parts.push(slug::slugify(size));
        let joined = parts
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        let mut sku = joined.to_ascii_uppercase();
        sku.truncate(SKU_LENGTH_MAX);
        Sku(sku)
    }

    /// Trusts a sku that was validated before it was stored.
    pub fn from_stored(sku: String) -> Sku {
        Sku(sku)
    }

    /// The error for an order line naming a sku the catalog does not have.
    pub fn unknown(sku: &str) -> FieldError {
        FieldError::new(
            "lines",
            format!("Aucun article ne porte la référence {sku}."),
            format!("No article has the sku {sku}."),
        )
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Sku {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::invalid::matching;

    #[test]
    fn a_sku_is_kept_upper_case() {
        assert_eq!(
            Sku::parse("sku", " robe-ete-m ").map(|s| s.0),
            Ok("ROBE-ETE-M".into())
        );
    }

    #[test]
    fn spaces_and_accents_are_refused_in_a_sku() {
        assert!(Sku::parse("sku", "ROBE ETE").is_err());
        assert!(Sku::parse("sku", "ROBE-ÉTÉ").is_err());
        assert!(Sku::parse("sku", "").is_err());
        assert!(Sku::parse("sku", &"A".repeat(65)).is_err());
    }

    #[test]
    fn a_missing_sku_is_made_from_slug_colour_and_size() {
        assert_eq!(Sku::generate("robe-ete", "M", None).0, "ROBE-ETE-M");
        assert_eq!(
            Sku::generate("robe-ete", "XL", Some("Rouge vif")).0,
            "ROBE-ETE-ROUGE-VIF-XL"
        );
    }

    proptest! {
        #[test]
        fn every_sku_the_document_allows_is_accepted_up_to_its_length(
            raw in matching(SKU_PATTERN)
        ) {
            let parsed = Sku::parse("sku", &raw);
            prop_assert_eq!(parsed.is_ok(), raw.len() <= SKU_LENGTH_MAX);
        }
    }
}

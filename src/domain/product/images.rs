//! A product's photos as the API shows them, and an admin's edit of one:
//! its alternative text and its place among the others.

use serde::{Deserialize, Serialize};

use crate::domain::invalid::{Checker, FieldError, ValidationError, integer_in, optional_text};
use crate::domain::limits::{IMAGE_ALT_CHARS_MAX, IMAGES_PER_PRODUCT_MAX};

/// Where a stored image is served: `/media/{name}`.
pub const MEDIA_PATH: &str = "/media/";

/// One photo of a product, at its place in the gallery.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct ProductImage {
    /// The large image (at most 1600 pixels a side): `/media/{hash}.jpg`.
    #[schema(
        example = "/media/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.jpg"
    )]
    pub url: String,
    /// The thumbnail (at most 400 pixels a side), for lists and the gallery's buttons.
    pub thumbnail_url: String,
    /// What the photo shows, read out in its place; empty when not set.
    pub alt: String,
}

impl ProductImage {
    /// The image of the stored media `large` and `thumbnail`.
    pub fn of_media(large: &str, thumbnail: &str, alt: String) -> ProductImage {
        ProductImage {
            url: format!("{MEDIA_PATH}{large}"),
            thumbnail_url: format!("{MEDIA_PATH}{thumbnail}"),
            alt,
        }
    }
}

/// A photo's alternative text, trimmed and checked: one line of at most
/// `IMAGE_ALT_CHARS_MAX` characters; empty when absent.
pub fn checked_alt(alt: Option<&str>) -> Result<String, ValidationError> {
    let alt = optional_text("alt", alt, IMAGE_ALT_CHARS_MAX, false);
    Ok(alt.map_err(ValidationError::one)?.unwrap_or_default())
}

/// A product already showing the most photos it may.
pub fn too_many_images() -> ValidationError {
    let max = IMAGES_PER_PRODUCT_MAX;
    ValidationError::one(FieldError::new(
        "file",
        format!(
            "Ce produit a déjà {max} photos, le maximum : supprimez-en une avant d'en ajouter une autre."
        ),
        format!(
            "This product already has {max} photos, the most it can have: delete one before adding another."
        ),
    ))
}

/// The body of `PATCH /api/v1/admin/products/{id}/images/{n}`: only the
/// fields given change.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ImagePatch {
    /// What the photo shows; `""` clears it.
    pub alt: Option<String>,
    /// Its place among the product's photos, from 0 (the first is the
    /// one lists show); the others move to make room. Past the last
    /// place, it goes last.
    pub position: Option<i64>,
}

/// An `ImagePatch` checked: the alt text trimmed, the position in range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageChange {
    pub alt: Option<String>,
    pub position: Option<usize>,
}

impl ImagePatch {
    /// Refuses values out of range, naming each field.
    pub fn checked(&self) -> Result<ImageChange, ValidationError> {
        let mut checker = Checker::default();
        let alt = match &self.alt {
            Some(alt) => checker
                .check(optional_text("alt", Some(alt), IMAGE_ALT_CHARS_MAX, false))
                .map(Option::unwrap_or_default),
            None => None,
        };
        let last = IMAGES_PER_PRODUCT_MAX as i64 - 1;
        let position = self
            .position
            .and_then(|p| checker.check(integer_in("position", p, 0, last)))
            .map(|p| p as usize);
        checker.finish()?;
        Ok(ImageChange { alt, position })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alt_text_is_trimmed_and_an_empty_one_clears_it() {
        let patch = ImagePatch {
            alt: Some("  Robe rouge, vue de dos ".into()),
            position: Some(1),
        };
        let change = patch.checked().expect("valid");
        assert_eq!(change.alt.as_deref(), Some("Robe rouge, vue de dos"));
        assert_eq!(change.position, Some(1));
        let cleared = ImagePatch {
            alt: Some("   ".into()),
            position: None,
        };
        assert_eq!(cleared.checked().expect("valid").alt.as_deref(), Some(""));
    }

    #[test]
    fn a_position_out_of_range_and_a_long_alt_are_both_named() {
        let patch = ImagePatch {
            alt: Some("x".repeat(IMAGE_ALT_CHARS_MAX + 1)),
            position: Some(-1),
        };
        let error = patch.checked().expect_err("refused");
        let fields: Vec<_> = error.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["alt", "position"]);
    }

    #[test]
    fn an_image_is_served_under_media() {
        let image = ProductImage::of_media("a.jpg", "b.jpg", String::new());
        assert_eq!(image.url, "/media/a.jpg");
        assert_eq!(image.thumbnail_url, "/media/b.jpg");
    }
}

//! The shop itself: its name and how to reach it, as its pages, slips and
//! messages show them, and the delivery zones a buyer picks at checkout.

use serde::{Deserialize, Deserializer, Serialize};

use super::invalid::{Checker, FieldError, ValidationError, integer_in, optional_text};
use super::limits::{IMAGE_URL_CHARS_MAX, PRICE_MAX};
use super::product::image_url_in;

/// Short texts of the shop: its name, tagline, phones, hours.
pub const SHOP_LINE_CHARS_MAX: usize = 120;
/// The welcome text and the address, several lines allowed.
pub const SHOP_TEXT_CHARS_MAX: usize = 1000;
/// Delivery zones a shop may list.
pub const DELIVERY_ZONES_MAX: usize = 50;
/// A zone's name.
pub const ZONE_NAME_CHARS_MAX: usize = 80;
/// A zone's id: the owner's, lower-case letters, digits and dashes.
pub const ZONE_ID_PATTERN: &str = "^[a-z0-9-]{1,40}$";

/// The shop as `GET /api/v1/shop` shows it. Empty text is "not set".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Shop {
    pub name: String,
    pub tagline: String,
    /// A short welcome on the home page.
    pub welcome: String,
    pub logo_url: Option<String>,
    pub phone: String,
    /// The number buyers write to on WhatsApp.
    pub whatsapp: String,
    pub address: String,
    pub opening_hours: String,
    /// Whether an order must give `delivery.pickup_number`, so the
    /// storefront asks for it: the owner's setting
    /// (`PUT /api/v1/admin/settings`), not edited here.
    pub pickup_number_required: bool,
    /// ISO 4217 code of every price: the server's setting, not edited here.
    pub currency: String,
    /// In the order the owner lists them.
    pub delivery_zones: Vec<DeliveryZone>,
}

/// Where the shop delivers, and what it costs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeliveryZone {
    /// The owner's id: `[a-z0-9-]{1,40}`, unique.
    #[schema(example = "cocody")]
    pub id: String,
    #[schema(example = "Cocody")]
    pub name: String,
    /// In minor units of the shop's currency; 0 for pickup in store.
    #[schema(example = 1500)]
    pub fee: i64,
}

/// The body of `PUT /api/v1/admin/shop`: the fields given are merged;
/// `delivery_zones`, when given, replaces the list.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ShopPatch {
    pub name: Option<String>,
    pub tagline: Option<String>,
    pub welcome: Option<String>,
    /// `null` removes the logo; `https://…`, `http://…` or a path on this server.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub logo_url: Option<Option<String>>,
    pub phone: Option<String>,
    pub whatsapp: Option<String>,
    pub address: Option<String>,
    pub opening_hours: Option<String>,
    pub delivery_zones: Option<Vec<DeliveryZone>>,
    /// Refused: the currency is the server's setting (`currency`).
    #[serde(default)]
    #[schema(ignore)]
    pub currency: Option<serde::de::IgnoredAny>,
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

impl ShopPatch {
    /// The shop after this patch, every field checked; each refusal names
    /// its field (`delivery_zones[2].fee`).
    pub fn apply_to(&self, current: &Shop) -> Result<Shop, ValidationError> {
        let mut checker = Checker::default();
        let mut next = current.clone();
        let lines: [(&str, &Option<String>, &mut String, usize, bool); 7] = [
            (
                "name",
                &self.name,
                &mut next.name,
                SHOP_LINE_CHARS_MAX,
                false,
            ),
            (
                "tagline",
                &self.tagline,
                &mut next.tagline,
                SHOP_LINE_CHARS_MAX,
                false,
            ),
            (
                "welcome",
                &self.welcome,
                &mut next.welcome,
                SHOP_TEXT_CHARS_MAX,
                true,
            ),
            (
                "phone",
                &self.phone,
                &mut next.phone,
                SHOP_LINE_CHARS_MAX,
                false,
            ),
            (
                "whatsapp",
                &self.whatsapp,
                &mut next.whatsapp,
                SHOP_LINE_CHARS_MAX,
                false,
            ),
            (
                "address",
                &self.address,
                &mut next.address,
                SHOP_TEXT_CHARS_MAX,
                true,
            ),
            (
                "opening_hours",
                &self.opening_hours,
                &mut next.opening_hours,
                SHOP_LINE_CHARS_MAX,
                true,
            ),
        ];
        for (field, given, target, max, multiline) in lines {
            if let Some(text) = given {
                let text = optional_text(field, Some(text), max, multiline);
                *target = checker.check(text).flatten().unwrap_or_default();
            }
        }
        if let Some(logo) = &self.logo_url {
            let logo = image_url_in("logo_url", logo.as_deref(), IMAGE_URL_CHARS_MAX);
            next.logo_url = checker.check(logo).flatten();
        }
        if let Some(zones) = &self.delivery_zones {
            next.delivery_zones = checked_zones(zones, &mut checker);
        }
        if self.currency.is_some() {
            checker.push(FieldError::new(
                "currency",
                "La devise est un réglage du serveur (`currency`) : elle ne se change pas ici.",
                "The currency is the server's setting (`currency`): it is not changed here.",
            ));
        }
        checker.finish()?;
        Ok(next)
    }
}

fn checked_zones(zones: &[DeliveryZone], checker: &mut Checker) -> Vec<DeliveryZone> {
    if zones.len() > DELIVERY_ZONES_MAX {
        checker.push(FieldError::new(
            "delivery_zones",
            format!("La boutique peut avoir au plus {DELIVERY_ZONES_MAX} zones de livraison."),
            format!("A shop has at most {DELIVERY_ZONES_MAX} delivery zones."),
        ));
    }
    let mut kept: Vec<DeliveryZone> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (i, zone) in zones.iter().enumerate() {
        let field = |name: &str| format!("delivery_zones[{i}].{name}");
        let id = zone_id(&field("id"), &zone.id).and_then(|id| {
            if seen.contains(&id) {
                return Err(FieldError::new(
                    field("id"),
                    format!("La zone « {id} » apparaît deux fois."),
                    format!("The zone `{id}` appears twice."),
                ));
            }
            seen.push(id.clone());
            Ok(id)
        });
        let name = optional_text(&field("name"), Some(&zone.name), ZONE_NAME_CHARS_MAX, false)
            .and_then(|n| n.ok_or_else(|| FieldError::required(&field("name"))));
        let fee = integer_in(&field("fee"), zone.fee, 0, PRICE_MAX);
        if let (Some(id), Some(name), Some(fee)) =
            (checker.check(id), checker.check(name), checker.check(fee))
        {
            kept.push(DeliveryZone { id, name, fee });
        }
    }
    kept
}

/// A zone's id as the owner wrote it, checked.
pub fn zone_id(field: &str, raw: &str) -> Result<String, FieldError> {
    let id = raw.trim();
    let fits = (1..=40).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if fits {
        Ok(id.to_owned())
    } else {
        Err(FieldError::new(
            field,
            format!(
                "L'identifiant de zone « {id} » doit faire de 1 à 40 caractères : minuscules sans accent, chiffres et tirets (par exemple « cocody »)."
            ),
            format!(
                "The zone id `{id}` must be 1 to 40 lower-case letters, digits and dashes (for example `cocody`)."
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patched(patch: serde_json::Value) -> Result<Shop, ValidationError> {
        let patch: ShopPatch = serde_json::from_value(patch).expect("a patch");
        patch.apply_to(&Shop::default())
    }

    #[test]
    fn fields_given_are_merged_and_zones_replace_the_list() {
        let shop = patched(serde_json::json!({
            "name": "  Chez Awa ", "phone": "+225 07 00 00 00 01",
            "delivery_zones": [{"id": "cocody", "name": "Cocody", "fee": 1500},
                               {"id": "boutique", "name": "Retrait en boutique", "fee": 0}]
        }))
        .expect("saved");
        assert_eq!(shop.name, "Chez Awa");
        assert_eq!(shop.tagline, "");
        assert_eq!(shop.delivery_zones.len(), 2);
        assert_eq!(shop.delivery_zones[1].fee, 0);
    }

    #[test]
    fn a_bad_zone_is_refused_naming_its_place() {
        let refused = patched(serde_json::json!({
            "delivery_zones": [{"id": "cocody", "name": "Cocody", "fee": 1500},
                               {"id": "Cocody 2", "name": "", "fee": -1},
                               {"id": "cocody", "name": "Encore", "fee": 10}]
        }))
        .expect_err("refused");
        let fields: Vec<&str> = refused.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "delivery_zones[1].id",
                "delivery_zones[1].name",
                "delivery_zones[1].fee",
                "delivery_zones[2].id"
            ]
        );
    }
}

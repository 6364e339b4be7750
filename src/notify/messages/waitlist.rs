//! What a buyer who asked "Me prévenir" is told when the size comes back:
//! once, with the product's link and a link to unsubscribe.

use super::EmailText;
use super::french::{variant, variant_short};
use super::gsm::first_fitting;

/// A size back in stock, as the buyer's message tells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackInStock {
    /// The shop's name, as its pages show it; empty when not set.
    pub shop_name: String,
    pub title: String,
    pub size: String,
    pub color: Option<String>,
    /// The product's page in the storefront ([`super::product_link`]).
    pub product_link: String,
    /// The link that takes this person off the list.
    pub unsubscribe_link: String,
}

/// The buyer's SMS: the shop, the size, the links. The links make it
/// longer than one SMS on most shops' addresses; the rest is kept short.
pub fn back_in_stock_sms(item: &BackInStock) -> String {
    let what = variant_short(&item.title, &item.size, item.color.as_deref());
    let bare = format!("{} taille {}", item.title, item.size);
    let from = if item.shop_name.trim().is_empty() {
        String::new()
    } else {
        format!("{} : ", item.shop_name.trim())
    };
    let say = |what: &str| {
        format!(
            "{from}{what} est de retour en stock. {} Se désinscrire : {}",
            item.product_link, item.unsubscribe_link
        )
    };
    first_fitting(&[say(&what), say(&bare)])
}

/// The buyer's e-mail.
pub fn back_in_stock_email(item: &BackInStock) -> EmailText {
    let what = variant(&item.title, &item.size, item.color.as_deref());
    let shop = item.shop_name.trim();
    let at_shop = if shop.is_empty() {
        String::new()
    } else {
        format!(" à la boutique {shop}")
    };
    EmailText {
        subject: format!("De retour en stock : {} taille {}", item.title, item.size),
        body: format!(
            "Bonjour,\n\n\
             Vous nous aviez demandé de vous prévenir : {what} est de nouveau en stock{at_shop}.\n\n\
             Pour le commander :\n{}\n\n\
             Ce message ne réserve pas d'article : les premiers à commander sont servis. \
             Vous ne recevrez pas d'autre message pour cet article.\n\n\
             Pour ne plus être prévenu :\n{}\n",
            item.product_link, item.unsubscribe_link
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::french::product_link;
    use super::*;

    fn item() -> BackInStock {
        BackInStock {
            shop_name: "Chez Awa".into(),
            title: "Robe d'été".into(),
            size: "M".into(),
            color: Some("Rouge".into()),
            product_link: product_link("https://awa.ci", "robe-d-ete"),
            unsubscribe_link: "https://awa.ci/api/v1/waitlist/off/T0k".into(),
        }
    }

    #[test]
    fn the_buyer_is_told_the_size_the_product_and_how_to_unsubscribe() {
        assert_eq!(
            back_in_stock_sms(&item()),
            "Chez Awa : Robe d'été taille M, Rouge est de retour en stock. https://awa.ci/#/produit/robe-d-ete Se désinscrire : https://awa.ci/api/v1/waitlist/off/T0k"
        );
        let email = back_in_stock_email(&item());
        assert_eq!(email.subject, "De retour en stock : Robe d'été taille M");
        assert!(email.body.contains(
            "Vous nous aviez demandé de vous prévenir : Robe d'été (taille M, couleur Rouge) est de nouveau en stock à la boutique Chez Awa."
        ));
        assert!(
            email
                .body
                .contains("Pour le commander :\nhttps://awa.ci/#/produit/robe-d-ete\n")
        );
        assert!(
            email
                .body
                .ends_with("Pour ne plus être prévenu :\nhttps://awa.ci/api/v1/waitlist/off/T0k\n")
        );
    }

    #[test]
    fn a_shop_without_a_name_is_not_named() {
        let mut nameless = item();
        nameless.shop_name = " ".into();
        assert!(
            back_in_stock_sms(&nameless).starts_with("Robe d'été taille M, Rouge est de retour")
        );
        assert!(
            back_in_stock_email(&nameless)
                .body
                .contains("est de nouveau en stock.\n")
        );
    }
}

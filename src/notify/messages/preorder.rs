//! What a buyer is told when a restock serves their preorder: the order's
//! number, the article, how many of its units arrived, and the link that
//! follows the order.

use super::EmailText;
use super::french::{variant, variant_short};
use super::gsm::first_fitting;

/// A preorder line served, as the buyer's message tells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreorderArrived {
    /// The shop's name, as its pages show it; empty when not set.
    pub shop_name: String,
    /// `SR-1042`.
    pub number: String,
    pub title: String,
    pub size: String,
    pub color: Option<String>,
    /// Units of the line given by restocks so far, of its `quantity`.
    pub allocated: i64,
    pub quantity: i64,
    /// The order's page in the storefront, with its access token.
    pub tracking_link: String,
}

impl PreorderArrived {
    fn whole(&self) -> bool {
        self.allocated >= self.quantity
    }

    /// "votre précommande SR-1042 est arrivée" for a whole line, "2 des 3
    /// articles de votre précommande SR-1042 sont arrivés" for a part.
    fn arrived(&self) -> String {
        let number = &self.number;
        if self.whole() {
            return format!("votre précommande {number} est arrivée");
        }
        let verb = if self.allocated > 1 {
            "sont arrivés"
        } else {
            "est arrivé"
        };
        format!(
            "{} des {} articles de votre précommande {number} {verb}",
            self.allocated, self.quantity
        )
    }

    /// ", le reste suivra" after a part.
    fn rest(&self) -> &'static str {
        if self.whole() {
            ""
        } else {
            ", le reste suivra"
        }
    }
}

/// The buyer's SMS: the shop, what arrived, the link to follow the order.
pub fn preorder_arrived_sms(item: &PreorderArrived) -> String {
    let from = match item.shop_name.trim() {
        "" => String::new(),
        shop => format!("{shop} : "),
    };
    let sentence = capitalised(&item.arrived());
    let say = |what: &str| {
        format!(
            "{from}{sentence} ({what}){}. Suivi : {}",
            item.rest(),
            item.tracking_link
        )
    };
    let short = variant_short(&item.title, &item.size, item.color.as_deref());
    let bare = format!("{} taille {}", item.title, item.size);
    first_fitting(&[say(&short), say(&bare)])
}

/// The buyer's e-mail.
pub fn preorder_arrived_email(item: &PreorderArrived) -> EmailText {
    let number = &item.number;
    let subject = if item.whole() {
        format!("Votre précommande {number} est arrivée")
    } else {
        format!(
            "Votre précommande {number} : {} articles sur {} arrivés",
            item.allocated, item.quantity
        )
    };
    let at_shop = match item.shop_name.trim() {
        "" => String::new(),
        shop => format!(" à la boutique {shop}"),
    };
    let kept = if item.allocated > 1 {
        "Ils vous sont réservés"
    } else {
        "Il vous est réservé"
    };
    EmailText {
        subject,
        body: format!(
            "Bonjour,\n\n\
             Bonne nouvelle : {}{at_shop}{}.\n\n\
             Article : {}\n\n\
             {kept} : la boutique prépare votre commande.\n\n\
             Suivre votre commande :\n{}\n",
            item.arrived(),
            item.rest(),
            variant(&item.title, &item.size, item.color.as_deref()),
            item.tracking_link
        ),
    }
}

/// `text` with its first letter in capitals.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(allocated: i64, quantity: i64) -> PreorderArrived {
        PreorderArrived {
            shop_name: "Chez Awa".into(),
            number: "SR-1042".into(),
            title: "Robe d'été".into(),
            size: "M".into(),
            color: None,
            allocated,
            quantity,
            tracking_link: "https://awa.ci/#/suivi/0190/T0k".into(),
        }
    }

    #[test]
    fn a_whole_line_served_tells_the_buyer_the_preorder_arrived() {
        assert_eq!(
            preorder_arrived_sms(&item(2, 2)),
            "Chez Awa : Votre précommande SR-1042 est arrivée (Robe d'été taille M). Suivi : https://awa.ci/#/suivi/0190/T0k"
        );
        let email = preorder_arrived_email(&item(1, 1));
        assert_eq!(email.subject, "Votre précommande SR-1042 est arrivée");
        assert_eq!(
            email.body,
            "Bonjour,\n\n\
             Bonne nouvelle : votre précommande SR-1042 est arrivée à la boutique Chez Awa.\n\n\
             Article : Robe d'été (taille M)\n\n\
             Il vous est réservé : la boutique prépare votre commande.\n\n\
             Suivre votre commande :\nhttps://awa.ci/#/suivi/0190/T0k\n"
        );
    }

    #[test]
    fn a_part_served_says_how_many_of_how_many_and_that_the_rest_follows() {
        assert_eq!(
            preorder_arrived_sms(&item(1, 3)),
            "Chez Awa : 1 des 3 articles de votre précommande SR-1042 est arrivé (Robe d'été taille M), le reste suivra. Suivi : https://awa.ci/#/suivi/0190/T0k"
        );
        let mut nameless = item(2, 3);
        nameless.shop_name = String::new();
        assert!(
            preorder_arrived_sms(&nameless)
                .starts_with("2 des 3 articles de votre précommande SR-1042 sont arrivés")
        );
        let email = preorder_arrived_email(&item(2, 3));
        assert_eq!(
            email.subject,
            "Votre précommande SR-1042 : 2 articles sur 3 arrivés"
        );
        assert!(email.body.contains(
            "Bonne nouvelle : 2 des 3 articles de votre précommande SR-1042 sont arrivés à la boutique Chez Awa, le reste suivra.\n"
        ));
        assert!(email.body.contains("Ils vous sont réservés"));
    }
}

//! What the owner is told about an order: created, its status changed,
//! cancelled, returned, a preorder served by a restock, a payment recorded.

use super::EmailText;
use super::french::{articles, de, order_link, short_name, variant};
use super::gsm::first_fitting;
use crate::domain::Lang;
use crate::domain::events::EventType;
use crate::domain::messages::amount;
use crate::domain::order::Order;

/// An order as its notifications tell it, in plain values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderNotice {
    pub order_id: String,
    /// `SR-1042`.
    pub number: String,
    /// The status the event carries (`confirmed`…).
    pub status: String,
    pub customer_name: String,
    /// As the order shows it.
    pub customer_phone: String,
    pub lines: Vec<OrderNoticeLine>,
    /// In minor units, as every amount.
    pub delivery_fee: i64,
    pub total: i64,
    /// A payment's amount, for `payment.recorded`.
    pub payment: Option<i64>,
    pub currency: String,
    /// The order's page in the back office ([`super::order_link`]).
    pub link: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderNoticeLine {
    pub title: String,
    pub size: String,
    pub color: Option<String>,
    pub quantity: i64,
    pub line_total: i64,
}

impl OrderNotice {
    /// The notice of an order as the API shows it, for a shop at `public_url`.
    pub fn from_order(order: &Order, public_url: &str) -> OrderNotice {
        OrderNotice {
            order_id: order.id.clone(),
            number: order.number.clone(),
            status: order.status.as_str().to_owned(),
            customer_name: order.customer.name.clone(),
            customer_phone: order.customer.phone.clone(),
            lines: order
                .lines
                .iter()
                .map(|l| OrderNoticeLine {
                    title: l.title.clone(),
                    size: l.size.clone(),
                    color: l.color.clone(),
                    quantity: l.quantity,
                    line_total: l.line_total,
                })
                .collect(),
            delivery_fee: order.delivery_fee,
            total: order.total,
            payment: order.payment.as_ref().map(|p| p.amount),
            currency: order.currency.clone(),
            link: order_link(public_url, &order.id),
        }
    }

    fn units(&self) -> i64 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    fn money(&self, minor: i64) -> String {
        amount(Lang::Fr, minor, &self.currency)
    }
}

/// A status as a sentence ends with it: `confirmée`. An order is feminine.
pub fn status_fr(status: &str) -> &str {
    match status {
        "pending" => "en attente",
        "confirmed" => "confirmée",
        "processing" => "en préparation",
        "shipped" => "expédiée",
        "delivered" => "livrée",
        "cancelled" => "annulée",
        "returned" => "retournée",
        other => other,
    }
}

/// The SMS of an order event, one message where it fits: the buyer's
/// phone goes first when room is short, then the name.
pub fn order_sms(kind: EventType, order: &OrderNotice) -> String {
    let number = &order.number;
    let total = order.money(order.total);
    let name = short_name(&order.customer_name);
    let phone = order.customer_phone.trim();
    let who = match (name.is_empty(), phone.is_empty()) {
        (false, false) => vec![
            format!(" {name}, {phone}."),
            // "Awa K." ends its own sentence.
            format!(" {}.", name.trim_end_matches('.')),
            String::new(),
        ],
        (false, true) => vec![format!(" {}.", name.trim_end_matches('.')), String::new()],
        (true, false) => vec![format!(" {phone}."), String::new()],
        (true, true) => vec![String::new()],
    };
    let head = match kind {
        EventType::OrderCreated => {
            format!(
                "Nouvelle commande {number} : {}, {total}.",
                articles(order.units())
            )
        }
        EventType::OrderCancelled => {
            format!("Commande {number} annulée, ses articles sont remis en stock ({total}).")
        }
        EventType::OrderReturned if order.status == "returned" => {
            format!("Commande {number} retournée ({total}).")
        }
        EventType::OrderReturned => format!("Retour d'articles de la commande {number} ({total})."),
        EventType::OrderPreorderAllocated => {
            format!("Arrivage attribué à la précommande {number}, à préparer ({total}).")
        }
        EventType::PaymentRecorded => match order.payment {
            Some(paid) => format!(
                "Paiement enregistré pour la commande {number} : {} sur {total}.",
                order.money(paid)
            ),
            None => format!("Paiement enregistré pour la commande {number} ({total})."),
        },
        _ => format!(
            "Commande {number} : {} ({total}).",
            status_fr(&order.status)
        ),
    };
    let candidates: Vec<String> = who.iter().map(|w| format!("{head}{w}")).collect();
    first_fitting(&candidates)
}

/// The e-mail of an order event: what happened, the buyer, every line,
/// the total, and the link to the order in the back office.
pub fn order_email(kind: EventType, order: &OrderNotice) -> EmailText {
    let number = &order.number;
    let total = order.money(order.total);
    let of_buyer = de(&order.customer_name);
    let (subject, opening) = match kind {
        EventType::OrderCreated => (
            format!("Nouvelle commande {number} : {total}"),
            format!("Nouvelle commande {number} {of_buyer}."),
        ),
        EventType::OrderCancelled => (
            format!("Commande {number} annulée"),
            format!(
                "La commande {number} {of_buyer} a été annulée : ses articles sont remis en stock."
            ),
        ),
        EventType::OrderReturned if order.status == "returned" => (
            format!("Commande {number} retournée"),
            format!("La commande {number} {of_buyer} a été retournée."),
        ),
        EventType::OrderReturned => (
            format!("Retour d'articles : commande {number}"),
            format!("Des articles de la commande {number} {of_buyer} sont revenus."),
        ),
        EventType::OrderPreorderAllocated => (
            format!("Arrivage attribué : précommande {number}"),
            format!(
                "Un arrivage a servi la précommande {number} {of_buyer} : les articles arrivés lui sont réservés."
            ),
        ),
        EventType::PaymentRecorded => (
            format!("Paiement enregistré : commande {number}"),
            match order.payment {
                Some(paid) => format!(
                    "Un paiement de {} a été enregistré pour la commande {number} {of_buyer}.",
                    order.money(paid)
                ),
                None => {
                    format!("Un paiement a été enregistré pour la commande {number} {of_buyer}.")
                }
            },
        ),
        _ => {
            let status = status_fr(&order.status);
            (
                format!("Commande {number} : {status}"),
                format!("La commande {number} {of_buyer} est maintenant {status}."),
            )
        }
    };
    let mut body = format!(
        "{opening}\n\nClient : {}, {}\n\n{} :\n",
        order.customer_name,
        order.customer_phone,
        if order.lines.len() > 1 {
            "Articles"
        } else {
            "Article"
        }
    );
    for line in &order.lines {
        body.push_str(&format!(
            "- {} × {} : {}\n",
            line.quantity,
            variant(&line.title, &line.size, line.color.as_deref()),
            order.money(line.line_total)
        ));
    }
    if order.delivery_fee > 0 {
        body.push_str(&format!(
            "Livraison : {}\n",
            order.money(order.delivery_fee)
        ));
    }
    body.push_str(&format!(
        "Total : {total}\n\nVoir la commande dans l'espace boutique :\n{}\n",
        order.link
    ));
    EmailText { subject, body }
}

#[cfg(test)]
mod tests {
    use super::super::gsm::fits_one_sms;
    use super::*;

    pub(crate) fn notice() -> OrderNotice {
        OrderNotice {
            order_id: "0190a1b2".into(),
            number: "SR-1042".into(),
            status: "pending".into(),
            customer_name: "Awa Koné".into(),
            customer_phone: "07 00 00 00 00".into(),
            lines: vec![
                OrderNoticeLine {
                    title: "Robe d'été".into(),
                    size: "M".into(),
                    color: Some("Rouge".into()),
                    quantity: 1,
                    line_total: 15_000,
                },
                OrderNoticeLine {
                    title: "Sac en pagne".into(),
                    size: "TU".into(),
                    color: None,
                    quantity: 1,
                    line_total: 5_000,
                },
            ],
            delivery_fee: 1_500,
            total: 21_500,
            payment: None,
            currency: "XOF".into(),
            link: order_link("https://boutique.example.ci", "0190a1b2"),
        }
    }

    #[test]
    fn a_new_order_fits_one_sms_with_the_buyer_and_the_total() {
        let sms = order_sms(EventType::OrderCreated, &notice());
        assert_eq!(
            sms,
            "Nouvelle commande SR-1042 : 2 articles, 21 500 FCFA. Awa K., 07 00 00 00 00."
        );
        assert!(fits_one_sms(&sms));
    }

    #[test]
    fn every_order_event_has_a_short_french_sms() {
        let mut order = notice();
        order.status = "confirmed".into();
        assert_eq!(
            order_sms(EventType::OrderStatusChanged, &order),
            "Commande SR-1042 : confirmée (21 500 FCFA). Awa K., 07 00 00 00 00."
        );
        assert!(order_sms(EventType::OrderCancelled, &order).starts_with(
            "Commande SR-1042 annulée, ses articles sont remis en stock (21 500 FCFA)."
        ));
        order.payment = Some(10_000);
        assert!(order_sms(EventType::PaymentRecorded, &order).starts_with(
            "Paiement enregistré pour la commande SR-1042 : 10 000 FCFA sur 21 500 FCFA."
        ));
        for kind in EventType::ALL.into_iter().take(6) {
            assert!(fits_one_sms(&order_sms(kind, &order)), "{kind:?}");
        }
    }

    #[test]
    fn a_long_name_gives_way_to_keep_one_sms() {
        let mut order = notice();
        let first = "Marie-Christine-Éléonore-Françoise-Henriette";
        order.customer_name = format!("{} Koné", first.repeat(2));
        order.customer_phone = "+225 07 00 00 00 00 00 00 00 00 00".into();
        let sms = order_sms(EventType::OrderCreated, &order);
        assert!(fits_one_sms(&sms), "{sms}");
        assert_eq!(
            sms,
            "Nouvelle commande SR-1042 : 2 articles, 21 500 FCFA. Marie-Christine-Éléonore-Francoise-HenrietteMarie-Christine-Éléonore-Francoise-Henriette K."
        );
        order.customer_name = format!("{} Koné", first.repeat(4));
        let sms = order_sms(EventType::OrderCreated, &order);
        assert_eq!(sms, "Nouvelle commande SR-1042 : 2 articles, 21 500 FCFA.");
    }

    #[test]
    fn the_order_email_lists_every_line_and_links_to_the_back_office() {
        let email = order_email(EventType::OrderCreated, &notice());
        assert_eq!(
            email.subject,
            "Nouvelle commande SR-1042 : 21\u{a0}500\u{a0}FCFA"
        );
        assert_eq!(
            email.body,
            "Nouvelle commande SR-1042 d'Awa Koné.\n\n\
             Client : Awa Koné, 07 00 00 00 00\n\n\
             Articles :\n\
             - 1 × Robe d'été (taille M, couleur Rouge) : 15\u{a0}000\u{a0}FCFA\n\
             - 1 × Sac en pagne (taille TU) : 5\u{a0}000\u{a0}FCFA\n\
             Livraison : 1\u{a0}500\u{a0}FCFA\n\
             Total : 21\u{a0}500\u{a0}FCFA\n\n\
             Voir la commande dans l'espace boutique :\n\
             https://boutique.example.ci/admin#/commandes/0190a1b2\n"
        );
    }

    #[test]
    fn a_status_change_reads_as_a_sentence() {
        let mut order = notice();
        order.status = "shipped".into();
        order.customer_name = "Koffi Yao".into();
        order.lines.truncate(1);
        let email = order_email(EventType::OrderStatusChanged, &order);
        assert_eq!(email.subject, "Commande SR-1042 : expédiée");
        assert!(
            email
                .body
                .starts_with("La commande SR-1042 de Koffi Yao est maintenant expédiée.")
        );
        assert!(email.body.contains("\nArticle :\n"));
    }
}

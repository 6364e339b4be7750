//! The French texts of notifications: for each event an SMS that fits one
//! message where it can (160 characters of the GSM alphabet), and an
//! e-mail with the details and a link to the back office; and the
//! buyer's messages: "back in stock", and a preorder that arrived. Every value comes in plain (numbers,
//! names, lines, links), so the texts are written and tested without a
//! database.

mod french;
mod gsm;
mod order;
mod preorder;
mod stock;
mod waitlist;

pub use french::{audit_link, movements_link, order_link, product_link};
pub use gsm::{SMS_GSM_CHARS_MAX, SMS_UCS2_CHARS_MAX, fits_one_sms, gsm_folded, gsm_units};
pub use order::{OrderNotice, OrderNoticeLine, order_email, order_sms, status_fr};
pub use preorder::{PreorderArrived, preorder_arrived_email, preorder_arrived_sms};
pub use stock::{AnomalyNotice, StockNotice, anomaly_email, anomaly_sms, stock_email, stock_sms};
pub use waitlist::{BackInStock, back_in_stock_email, back_in_stock_sms};

use crate::domain::events::EventType;

/// An e-mail's subject and its plain-text body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailText {
    pub subject: String,
    pub body: String,
}

/// What an event tells the owner, with the details its texts need: the
/// delivery worker reads them for the event's kind and gets both texts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// `order.*` and `payment.recorded`.
    Order(OrderNotice),
    /// `stock.*`.
    Stock(StockNotice),
    /// `audit.anomaly`.
    Anomaly(AnomalyNotice),
}

impl Notice {
    /// The owner's SMS for an event of `kind`.
    pub fn sms(&self, kind: EventType) -> String {
        match self {
            Notice::Order(order) => order_sms(kind, order),
            Notice::Stock(stock) => stock_sms(kind, stock),
            Notice::Anomaly(anomaly) => anomaly_sms(anomaly),
        }
    }

    /// The owner's e-mail for an event of `kind`.
    pub fn email(&self, kind: EventType) -> EmailText {
        match self {
            Notice::Order(order) => order_email(kind, order),
            Notice::Stock(stock) => stock_email(kind, stock),
            Notice::Anomaly(anomaly) => anomaly_email(anomaly),
        }
    }
}

/// The test message of `POST /api/v1/admin/notifications/test`.
pub fn test_sms(shop_name: &str) -> String {
    gsm_folded(&format!(
        "Test de {} : les notifications par SMS fonctionnent.",
        shop_or_stockroom(shop_name)
    ))
}

/// The test e-mail of `POST /api/v1/admin/notifications/test`.
pub fn test_email(shop_name: &str, public_url: &str) -> EmailText {
    let shop = shop_or_stockroom(shop_name);
    EmailText {
        subject: format!("Test des notifications de {shop}"),
        body: format!(
            "Ce message de test montre que les notifications par e-mail fonctionnent.\n\n\
             Les réglages des notifications sont dans l'espace boutique :\n{}/admin#/reglages\n",
            public_url.trim_end_matches('/')
        ),
    }
}

fn shop_or_stockroom(shop_name: &str) -> &str {
    match shop_name.trim() {
        "" => "stockroom",
        name => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_type_has_an_sms_and_an_email_in_french() {
        let order = Notice::Order(OrderNotice {
            order_id: "o1".into(),
            number: "SR-1".into(),
            status: "delivered".into(),
            customer_name: "Awa".into(),
            customer_phone: "0700000000".into(),
            lines: vec![],
            delivery_fee: 0,
            total: 1000,
            payment: None,
            currency: "EUR".into(),
            link: order_link("http://127.0.0.1:8080", "o1"),
        });
        let stock = Notice::Stock(StockNotice::new(
            "http://127.0.0.1:8080",
            "A-M",
            "A",
            "M",
            None,
            2,
        ));
        let anomaly = Notice::Anomaly(AnomalyNotice {
            skus: vec!["A-M".into()],
            link: audit_link("http://127.0.0.1:8080"),
        });
        for kind in EventType::ALL {
            let notice = match kind.as_str().split('.').next() {
                Some("stock") => &stock,
                Some("audit") => &anomaly,
                _ => &order,
            };
            let sms = notice.sms(kind);
            assert!(fits_one_sms(&sms), "{kind:?}: {sms}");
            assert!(gsm_units(&sms).is_some(), "{kind:?}: {sms}");
            let email = notice.email(kind);
            assert!(
                !email.subject.is_empty() && email.body.contains("http://127.0.0.1:8080/admin#/")
            );
            for text in [&sms, &email.subject, &email.body] {
                assert!(
                    !text.contains("(s)") && !text.contains("  "),
                    "{kind:?}: {text}"
                );
            }
        }
    }

    #[test]
    fn the_test_messages_name_the_shop() {
        assert_eq!(
            test_sms("Chez Awa"),
            "Test de Chez Awa : les notifications par SMS fonctionnent."
        );
        assert_eq!(
            test_sms(""),
            "Test de stockroom : les notifications par SMS fonctionnent."
        );
        assert!(
            test_email("Chez Awa", "https://awa.ci/")
                .body
                .ends_with("https://awa.ci/admin#/reglages\n")
        );
    }
}

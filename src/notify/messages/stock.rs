//! What the owner is told about stock: a size running low, sold out, back
//! in stock, and an anomaly the stock check found.

use super::EmailText;
use super::french::{articles, movements_link, variant, variant_short};
use super::gsm::first_fitting;
use crate::domain::events::EventType;

/// A variant's stock as its notifications tell it, in plain values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StockNotice {
    pub sku: String,
    pub title: String,
    pub size: String,
    pub color: Option<String>,
    /// Units on hand after the change.
    pub available: i64,
    /// The sku's movements in the back office ([`super::movements_link`]).
    pub link: String,
}

impl StockNotice {
    pub fn new(
        public_url: &str,
        sku: &str,
        title: &str,
        size: &str,
        color: Option<&str>,
        available: i64,
    ) -> StockNotice {
        StockNotice {
            sku: sku.to_owned(),
            title: title.to_owned(),
            size: size.to_owned(),
            color: color.map(str::to_owned),
            available,
            link: movements_link(public_url, sku),
        }
    }
}

/// The skus whose ledger disagrees with their stock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnomalyNotice {
    pub skus: Vec<String>,
    /// The stock check's page ([`super::audit_link`]).
    pub link: String,
}

/// `plus qu'un article en stock`, `plus que 2 articles en stock`.
fn left(available: i64) -> String {
    if available == 1 {
        "plus qu'un article en stock".to_owned()
    } else {
        format!("plus que {} en stock", articles(available))
    }
}

/// The SMS of a stock event: `Stock faible : Robe d'été taille M, plus que 2 articles en stock.`
pub fn stock_sms(kind: EventType, stock: &StockNotice) -> String {
    let full = variant_short(&stock.title, &stock.size, stock.color.as_deref());
    let bare = format!("{} taille {}", stock.title, stock.size);
    let say = |what: &str| match kind {
        EventType::StockSoldOut => format!("Rupture de stock : {what}."),
        EventType::StockBackInStock => {
            format!(
                "De retour en stock : {what}, {}.",
                articles(stock.available)
            )
        }
        _ => format!("Stock faible : {what}, {}.", left(stock.available)),
    };
    first_fitting(&[say(&full), say(&bare), say(&stock.sku)])
}

/// The e-mail of a stock event, with the sku and a link to its movements.
pub fn stock_email(kind: EventType, stock: &StockNotice) -> EmailText {
    let name = variant(&stock.title, &stock.size, stock.color.as_deref());
    let short = format!("{} taille {}", stock.title, stock.size);
    let sku = &stock.sku;
    let (subject, opening) = match kind {
        EventType::StockSoldOut => (
            format!("Rupture de stock : {short}"),
            format!("{name}, référence {sku}, n'a plus aucun article en stock."),
        ),
        EventType::StockBackInStock => (
            format!("De retour en stock : {short}"),
            format!(
                "{name}, référence {sku}, est de retour en stock : {}.",
                articles(stock.available)
            ),
        ),
        _ => (
            format!("Stock faible : {short}"),
            format!("{name}, référence {sku} : {}.", left(stock.available)),
        ),
    };
    EmailText {
        subject,
        body: format!(
            "{opening}\n\nVoir ses mouvements de stock dans l'espace boutique :\n{}\n",
            stock.link
        ),
    }
}

/// How many skus an SMS about anomalies names before `…`.
const ANOMALY_SKUS_IN_SMS: usize = 3;

/// The SMS of `audit.anomaly`.
pub fn anomaly_sms(anomaly: &AnomalyNotice) -> String {
    let skus = &anomaly.skus;
    let candidates: Vec<String> = (0..=ANOMALY_SKUS_IN_SMS.min(skus.len()))
        .rev()
        .map(|shown| anomaly_sentence(skus, shown))
        .collect();
    first_fitting(&candidates)
}

/// One sentence naming the first `shown` of `skus`.
fn anomaly_sentence(skus: &[String], shown: usize) -> String {
    match skus {
        [one] if shown == 1 => {
            format!("Anomalie de stock : {one} ne correspond pas à son historique.")
        }
        _ if shown == 0 => format!(
            "Anomalie de stock : {} à vérifier dans l'espace boutique.",
            references(skus.len())
        ),
        _ => {
            let more = if shown < skus.len() { ", ..." } else { "" };
            format!(
                "Anomalie de stock : {} ne correspondent pas à leur historique ({}{more}).",
                references(skus.len()),
                skus[..shown].join(", ")
            )
        }
    }
}

fn references(n: usize) -> String {
    if n == 1 {
        "1 référence".to_owned()
    } else {
        format!("{n} références")
    }
}

/// The e-mail of `audit.anomaly`: every sku, and the stock check's page.
pub fn anomaly_email(anomaly: &AnomalyNotice) -> EmailText {
    let n = anomaly.skus.len();
    let listed = anomaly
        .skus
        .iter()
        .map(|sku| format!("- {sku}\n"))
        .collect::<String>();
    let which = if n == 1 {
        "cette référence"
    } else {
        "ces références"
    };
    EmailText {
        subject: format!("Anomalie de stock : {}", references(n)),
        body: format!(
            "Le contrôle du stock a trouvé un écart entre le stock et l'historique des mouvements pour {which} :\n{listed}\nVoir la vérification dans l'espace boutique :\n{}\n",
            anomaly.link
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::french::audit_link;
    use super::super::gsm::fits_one_sms;
    use super::*;

    fn robe(available: i64, color: Option<&str>) -> StockNotice {
        StockNotice::new(
            "https://boutique.example.ci",
            "ROBE-ETE-M",
            "Robe d'été",
            "M",
            color,
            available,
        )
    }

    #[test]
    fn each_stock_event_has_its_short_sentence() {
        assert_eq!(
            stock_sms(EventType::StockLow, &robe(2, None)),
            "Stock faible : Robe d'été taille M, plus que 2 articles en stock."
        );
        assert_eq!(
            stock_sms(EventType::StockLow, &robe(1, Some("Rouge"))),
            "Stock faible : Robe d'été taille M, Rouge, plus qu'un article en stock."
        );
        assert_eq!(
            stock_sms(EventType::StockSoldOut, &robe(0, None)),
            "Rupture de stock : Robe d'été taille M."
        );
        assert_eq!(
            stock_sms(EventType::StockBackInStock, &robe(1500, None)),
            "De retour en stock : Robe d'été taille M, 1 500 articles."
        );
    }

    #[test]
    fn a_long_title_gives_way_to_the_sku_to_keep_one_sms() {
        let mut stock = robe(2, Some("Bleu nuit"));
        stock.title = "Robe longue ".repeat(15);
        let sms = stock_sms(EventType::StockLow, &stock);
        assert_eq!(
            sms,
            "Stock faible : ROBE-ETE-M, plus que 2 articles en stock."
        );
        assert!(fits_one_sms(&sms));
    }

    #[test]
    fn the_stock_email_names_the_sku_and_links_to_its_movements() {
        let email = stock_email(EventType::StockLow, &robe(2, Some("Rouge")));
        assert_eq!(email.subject, "Stock faible : Robe d'été taille M");
        assert_eq!(
            email.body,
            "Robe d'été (taille M, couleur Rouge), référence ROBE-ETE-M : plus que 2 articles en stock.\n\n\
             Voir ses mouvements de stock dans l'espace boutique :\n\
             https://boutique.example.ci/admin#/mouvements?sku=ROBE-ETE-M\n"
        );
        let sold_out = stock_email(EventType::StockSoldOut, &robe(0, None));
        assert!(sold_out.body.starts_with(
            "Robe d'été (taille M), référence ROBE-ETE-M, n'a plus aucun article en stock."
        ));
    }

    #[test]
    fn an_anomaly_names_its_skus_as_far_as_one_sms_goes() {
        let notice = |skus: &[&str]| AnomalyNotice {
            skus: skus.iter().map(|s| s.to_string()).collect(),
            link: audit_link("https://boutique.example.ci"),
        };
        assert_eq!(
            anomaly_sms(&notice(&["ROBE-ETE-M"])),
            "Anomalie de stock : ROBE-ETE-M ne correspond pas à son historique."
        );
        assert_eq!(
            anomaly_sms(&notice(&["A", "B", "C", "D"])),
            "Anomalie de stock : 4 références ne correspondent pas à leur historique (A, B, C, ...)."
        );
        let long: Vec<String> = (0..50)
            .map(|i| format!("SKU-TRES-LONG-{i:04}-XXXXXXXXXXXXXXXXXX"))
            .collect();
        let refs: Vec<&str> = long.iter().map(String::as_str).collect();
        let sms = anomaly_sms(&notice(&refs));
        assert!(fits_one_sms(&sms), "{sms}");
        let email = anomaly_email(&notice(&["A", "B"]));
        assert_eq!(email.subject, "Anomalie de stock : 2 références");
        assert!(email.body.contains("pour ces références :\n- A\n- B\n"));
        assert!(
            email
                .body
                .ends_with("https://boutique.example.ci/admin#/verification\n")
        );
    }
}

//! The shop's sentences about stock, word for word as the seed's buyers know them.

use super::Lang;
use super::order::{PriceChange, ShortLine, UnavailableLine};
use super::receiving::StaleLine;
use super::time;

fn variant_label(lang: Lang, title: &str, size: &str, color: Option<&str>) -> String {
    match (lang, color) {
        (Lang::Fr, None) => format!("{title} (taille {size})"),
        (Lang::Fr, Some(color)) => format!("{title} (taille {size}, couleur {color})"),
        (Lang::En, None) => format!("{title} (size {size})"),
        (Lang::En, Some(color)) => format!("{title} (size {size}, colour {color})"),
    }
}

/// One sentence for a line the stock cannot serve at checkout: what is
/// left, never a guess at why.
pub fn short_line(lang: Lang, line: &ShortLine) -> String {
    let label = variant_label(lang, &line.title, &line.size, line.color.as_deref());
    let asked = line.requested;
    match (lang, line.available) {
        (Lang::Fr, 0) => format!("{label} n'est plus disponible."),
        (Lang::En, 0) => format!("{label} is no longer available."),
        (Lang::Fr, 1) => format!(
            "Il ne reste plus qu'un article de {label}, pour {asked} demandés : ajustez votre panier."
        ),
        (Lang::En, 1) => {
            format!("Only one {label} is left, for {asked} asked: please adjust your cart.")
        }
        (Lang::Fr, n) => format!(
            "Il ne reste plus que {n} articles de {label}, pour {asked} demandés : ajustez votre panier."
        ),
        (Lang::En, n) => {
            format!("Only {n} of {label} are left, for {asked} asked: please adjust your cart.")
        }
    }
}

/// The detail of a 409 `insufficient_stock`: one sentence per short line.
pub fn short_lines(lang: Lang, lines: &[ShortLine]) -> String {
    lines
        .iter()
        .map(|l| short_line(lang, l))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lines not for sale (`product_unavailable`), each named.
pub fn unavailable_lines(lang: Lang, lines: &[UnavailableLine]) -> String {
    let named = lines
        .iter()
        .map(|l| {
            let color = l
                .color
                .as_deref()
                .map(|c| format!(", {c}"))
                .unwrap_or_default();
            match lang {
                Lang::Fr => format!("{} (taille {}{color})", l.title, l.size),
                Lang::En => format!("{} (size {}{color})", l.title, l.size),
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    match lang {
        Lang::Fr if lines.len() > 1 => format!(
            "Ces articles ne sont plus en vente : {named}. Retirez-les de votre panier pour continuer."
        ),
        Lang::Fr => format!(
            "Cet article n'est plus en vente : {named}. Retirez-le de votre panier pour continuer."
        ),
        Lang::En if lines.len() > 1 => {
            format!("No longer for sale: {named}. Please remove them from your cart to go on.")
        }
        Lang::En => {
            format!("No longer for sale: {named}. Please remove it from your cart to go on.")
        }
    }
}

/// `price_changed`: the total the buyer saw and the one the shop charges.
pub fn price_changed(lang: Lang, change: &PriceChange) -> String {
    let (shown, now) = (
        amount(lang, change.expected_total, &change.currency),
        amount(lang, change.total, &change.currency),
    );
    match lang {
        Lang::Fr => format!(
            "Les prix ont changé depuis que vous avez ouvert votre panier : le total est maintenant de {now} au lieu de {shown}. Vérifiez votre panier puis confirmez à nouveau."
        ),
        Lang::En => format!(
            "Prices changed since you opened your cart: the total is now {now} instead of {shown}. Please check your cart and confirm again."
        ),
    }
}

/// A count as a person reads it: `100 000` in French, `100,000` in English.
pub fn grouped(lang: Lang, n: i64) -> String {
    let text = n.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, c) in text.chars().enumerate() {
        if i > 0 && (text.len() - i).is_multiple_of(3) {
            grouped.push(match lang {
                Lang::Fr => '\u{a0}',
                Lang::En => ',',
            });
        }
        grouped.push(c);
    }
    if n < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// An amount in minor units, as a person reads it: `15 000 FCFA`, `12,50 EUR`.
pub fn amount(lang: Lang, minor: i64, currency: &str) -> String {
    let digits = |n: i64| grouped(lang, n);
    match currency {
        "XOF" | "XAF" => format!("{}\u{a0}FCFA", digits(minor)),
        _ => {
            let (units, cents) = (minor / 100, (minor % 100).abs());
            let separator = match lang {
                Lang::Fr => ',',
                Lang::En => '.',
            };
            format!("{}{separator}{cents:02}\u{a0}{currency}", digits(units))
        }
    }
}

/// The toast of the cart's levels 1-3: what is left in this size (and
/// colour, when the product has colours).
pub fn cart_toast(lang: Lang, available: i64, size: &str, color: Option<&str>) -> String {
    let which = match (lang, color) {
        (Lang::Fr, None) => format!("en taille {size}"),
        (Lang::Fr, Some(color)) => format!("en taille {size}, couleur {color}"),
        (Lang::En, None) => format!("in size {size}"),
        (Lang::En, Some(color)) => format!("in size {size}, colour {color}"),
    };
    match (lang, available) {
        (Lang::Fr, 0) => format!("Cet article n'est plus disponible {which}."),
        (Lang::En, 0) => format!("This item is no longer available {which}."),
        (Lang::Fr, 1) => format!("Stock insuffisant : il ne reste plus qu'un article {which}."),
        (Lang::En, 1) => format!("Not enough stock: only one item is left {which}."),
        (Lang::Fr, n) => format!("Stock insuffisant : il ne reste plus que {n} articles {which}."),
        (Lang::En, n) => format!("Not enough stock: only {n} items are left {which}."),
    }
}

/// `stale_stock`: the lines of a count whose stock moved since they were
/// counted, each with what the page showed and what is there now.
pub fn stale_stock(lang: Lang, lines: &[StaleLine]) -> String {
    let named = lines
        .iter()
        .map(|l| match lang {
            Lang::Fr => format!(
                "{} ({} au comptage, {} maintenant)",
                l.sku, l.expected_available, l.available
            ),
            Lang::En => format!(
                "{} ({} when counted, {} now)",
                l.sku, l.expected_available, l.available
            ),
        })
        .collect::<Vec<_>>()
        .join(", ");
    match (lang, lines.len()) {
        (Lang::Fr, 1) => format!(
            "Le stock de {named} a changé depuis votre comptage : une vente ou un autre mouvement a eu lieu entre-temps. Rien n'a été enregistré ; recomptez cette ligne puis envoyez à nouveau."
        ),
        (Lang::Fr, _) => format!(
            "Le stock de ces articles a changé depuis votre comptage : {named}. Rien n'a été enregistré ; recomptez ces lignes puis envoyez à nouveau."
        ),
        (Lang::En, 1) => format!(
            "The stock of {named} changed since you counted it: a sale or another movement happened meanwhile. Nothing was saved; count this line again and send it again."
        ),
        (Lang::En, _) => format!(
            "The stock of these articles changed since you counted them: {named}. Nothing was saved; count these lines again and send them again."
        ),
    }
}

/// The per-customer limit, as the shop words it.
pub fn order_limit(lang: Lang, limit: i64) -> String {
    match (lang, limit) {
        (Lang::Fr, 1) => "Vous avez atteint votre limite d'une commande. Pour commander davantage, contactez la boutique.".to_owned(),
        (Lang::En, 1) => "You have reached your limit of one order. To order more, please contact the shop.".to_owned(),
        (Lang::Fr, n) => format!(
            "Vous avez atteint votre limite de {n} commandes. Pour commander davantage, contactez la boutique."
        ),
        (Lang::En, n) => format!(
            "You have reached your limit of {n} orders. To order more, please contact the shop."
        ),
    }
}

/// A customer at a drop's cap of units per customer.
pub fn drop_limit(lang: Lang, drop: &str, limit: i64, bought: i64) -> String {
    let (fr_units, en_units) = match limit {
        1 => ("un article".to_owned(), "one item".to_owned()),
        n => (format!("{n} articles"), format!("{n} items")),
    };
    match (lang, bought) {
        (Lang::Fr, 0) => format!(
            "La vente « {drop} » est limitée à {fr_units} par personne : réduisez les quantités de votre panier."
        ),
        (Lang::En, 0) => format!(
            "The drop “{drop}” is limited to {en_units} per person: lower the quantities in your cart."
        ),
        (Lang::Fr, b) => format!(
            "La vente « {drop} » est limitée à {fr_units} par personne et vous en avez déjà commandé {b} : vous ne pouvez pas en prendre davantage."
        ),
        (Lang::En, b) => format!(
            "The drop “{drop}” is limited to {en_units} per person and you already ordered {b}: you cannot take more."
        ),
    }
}

/// An order placed from a drop's page before the drop opened.
pub fn drop_not_started(lang: Lang, drop: &str, starts_at: &str) -> String {
    let at = time::spoken(lang, starts_at);
    match lang {
        Lang::Fr => format!(
            "La vente « {drop} » n'a pas encore commencé : elle ouvre le {at}. Revenez à ce moment-là !"
        ),
        Lang::En => {
            format!("The drop “{drop}” has not started yet: it opens on {at}. Come back then!")
        }
    }
}

/// An order placed from a drop's page after the drop closed.
pub fn drop_ended(lang: Lang, drop: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "La vente « {drop} » est terminée : ses prix ne s'appliquent plus. Rechargez la page pour voir les articles à leur prix habituel."
        ),
        Lang::En => format!(
            "The drop “{drop}” has ended: its prices no longer apply. Reload the page to see the items at their usual price."
        ),
    }
}

/// A variant that cannot be retired while it holds stock.
pub fn variant_holds_stock(lang: Lang, sku: &str, available: i64) -> String {
    match (lang, available) {
        (Lang::Fr, 1) => format!(
            "La variante {sku} a encore un article en stock : ajustez son stock à 0 (vendu, abîmé, rendu au fournisseur…) avant de la retirer."
        ),
        (Lang::En, 1) => format!(
            "The variant {sku} still holds one unit: adjust its stock to 0 (sold, damaged, returned to the supplier…) before retiring it."
        ),
        (Lang::Fr, n) => format!(
            "La variante {sku} a encore {n} articles en stock : ajustez son stock à 0 (vendu, abîmé, rendu au fournisseur…) avant de la retirer."
        ),
        (Lang::En, n) => format!(
            "The variant {sku} still holds {n} units: adjust its stock to 0 (sold, damaged, returned to the supplier…) before retiring it."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn short(requested: i64, available: i64) -> ShortLine {
        ShortLine {
            sku: "ROBE-ETE-M".into(),
            title: "Robe d'été".into(),
            size: "M".into(),
            color: None,
            requested,
            available,
        }
    }

    fn in_colour(mut line: ShortLine, color: &str) -> ShortLine {
        line.title = "Chemise en lin".into();
        line.color = Some(color.into());
        line
    }

    #[test]
    fn a_short_line_says_what_is_left_for_none_one_and_several() {
        assert_eq!(
            short_line(Lang::Fr, &short(1, 0)),
            "Robe d'été (taille M) n'est plus disponible."
        );
        assert_eq!(
            short_line(Lang::Fr, &short(3, 1)),
            "Il ne reste plus qu'un article de Robe d'été (taille M), pour 3 demandés : ajustez votre panier."
        );
        assert_eq!(
            short_line(Lang::Fr, &short(5, 2)),
            "Il ne reste plus que 2 articles de Robe d'été (taille M), pour 5 demandés : ajustez votre panier."
        );
        assert_eq!(
            short_line(Lang::En, &short(1, 0)),
            "Robe d'été (size M) is no longer available."
        );
        assert_eq!(
            short_line(Lang::En, &short(3, 1)),
            "Only one Robe d'été (size M) is left, for 3 asked: please adjust your cart."
        );
        assert_eq!(
            short_line(Lang::En, &short(5, 2)),
            "Only 2 of Robe d'été (size M) are left, for 5 asked: please adjust your cart."
        );
    }

    #[test]
    fn a_stale_count_names_each_line_with_both_figures() {
        let line = |sku: &str, expected, available| StaleLine {
            sku: sku.into(),
            expected_available: expected,
            available,
        };
        assert_eq!(
            stale_stock(Lang::Fr, &[line("ROBE-M", 5, 3)]),
            "Le stock de ROBE-M (5 au comptage, 3 maintenant) a changé depuis votre comptage : une vente ou un autre mouvement a eu lieu entre-temps. Rien n'a été enregistré ; recomptez cette ligne puis envoyez à nouveau."
        );
        let two = stale_stock(Lang::Fr, &[line("A", 2, 1), line("B", 4, 0)]);
        assert!(two.contains("A (2 au comptage, 1 maintenant), B (4 au comptage, 0 maintenant)"));
    }

    #[test]
    fn a_short_line_of_a_product_in_colours_names_the_colour() {
        assert_eq!(
            short_line(Lang::Fr, &in_colour(short(2, 0), "Bleu")),
            "Chemise en lin (taille M, couleur Bleu) n'est plus disponible."
        );
        assert_eq!(
            short_line(Lang::En, &in_colour(short(4, 3), "Blue")),
            "Only 3 of Chemise en lin (size M, colour Blue) are left, for 4 asked: please adjust your cart."
        );
    }

    #[test]
    fn no_sentence_guesses_a_cause_or_writes_a_plural_in_brackets() {
        for available in [0, 1, 2] {
            for lang in [Lang::Fr, Lang::En] {
                let sentences = [
                    short_line(lang, &short(available + 3, available)),
                    cart_toast(lang, available, "M", Some("Bleu")),
                    variant_holds_stock(lang, "ROBE-ETE-M", available.max(1)),
                    order_limit(lang, available.max(1)),
                ];
                for sentence in sentences {
                    assert!(!sentence.contains("(s)"), "{sentence}");
                    assert!(!sentence.contains("vient de"), "{sentence}");
                    assert!(!sentence.contains("just ordered"), "{sentence}");
                    assert!(!sentence.contains(" 0 article"), "{sentence}");
                    assert!(!sentence.contains(" 0 item"), "{sentence}");
                }
            }
        }
    }

    #[test]
    fn the_cart_toast_names_the_size_and_the_colour() {
        assert_eq!(
            cart_toast(Lang::Fr, 0, "XL", None),
            "Cet article n'est plus disponible en taille XL."
        );
        assert_eq!(
            cart_toast(Lang::Fr, 1, "M", None),
            "Stock insuffisant : il ne reste plus qu'un article en taille M."
        );
        assert_eq!(
            cart_toast(Lang::Fr, 2, "M", Some("Bleu")),
            "Stock insuffisant : il ne reste plus que 2 articles en taille M, couleur Bleu."
        );
        assert_eq!(
            cart_toast(Lang::En, 1, "M", None),
            "Not enough stock: only one item is left in size M."
        );
        assert_eq!(
            cart_toast(Lang::En, 3, "L", Some("Blue")),
            "Not enough stock: only 3 items are left in size L, colour Blue."
        );
    }

    #[test]
    fn the_limit_and_a_variant_holding_stock_count_in_words() {
        assert_eq!(
            order_limit(Lang::Fr, 1),
            "Vous avez atteint votre limite d'une commande. Pour commander davantage, contactez la boutique."
        );
        assert!(order_limit(Lang::Fr, 2).contains("limite de 2 commandes."));
        assert!(order_limit(Lang::En, 1).contains("limit of one order."));
        assert!(variant_holds_stock(Lang::Fr, "A", 1).contains("encore un article en stock"));
        assert!(variant_holds_stock(Lang::Fr, "A", 4).contains("encore 4 articles en stock"));
        assert!(variant_holds_stock(Lang::En, "A", 1).contains("still holds one unit"));
    }
}

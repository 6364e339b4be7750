//! The shop's sentences about stock, word for word as the seed's buyers know them.

use super::Lang;
use super::order::{PriceChange, ShortLine, UnavailableLine};

fn variant_label(lang: Lang, title: &str, size: &str, color: Option<&str>) -> String {
    match (lang, color) {
        (Lang::Fr, None) => format!("{title} (taille {size})"),
        (Lang::Fr, Some(color)) => format!("{title} (taille {size}, couleur {color})"),
        (Lang::En, None) => format!("{title} (size {size})"),
        (Lang::En, Some(color)) => format!("{title} (size {size}, colour {color})"),
    }
}

/// One sentence for a line the stock cannot serve at checkout.
pub fn short_line(lang: Lang, line: &ShortLine) -> String {
    let label = variant_label(lang, &line.title, &line.size, line.color.as_deref());
    match (lang, line.available) {
        (Lang::Fr, 0) => format!(
            "{label} n'est plus disponible en stock. Un autre client vient de le commander."
        ),
        (Lang::En, 0) => {
            format!("{label} is no longer in stock. Another customer has just ordered it.")
        }
        (Lang::Fr, n) => format!(
            "{label} n'a plus que {n} article(s) en stock au lieu de {}. Veuillez ajuster votre panier.",
            line.requested
        ),
        (Lang::En, n) => format!(
            "{label} has only {n} item(s) left in stock instead of {}. Please adjust your cart.",
            line.requested
        ),
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

/// An amount in minor units, as a person reads it: `15 000 FCFA`, `12,50 EUR`.
pub fn amount(lang: Lang, minor: i64, currency: &str) -> String {
    let digits = |n: i64| {
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
    };
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

/// The toast of the cart's levels 1-3.
pub fn cart_toast(lang: Lang, available: i64, size: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "Stock insuffisant ! Il ne reste que {available} article(s) en stock pour la taille {size}."
        ),
        Lang::En => format!("Not enough stock! Only {available} item(s) left in size {size}."),
    }
}

/// The per-customer limit, as the shop words it.
pub fn order_limit(lang: Lang, limit: i64) -> String {
    match lang {
        Lang::Fr => format!(
            "Vous avez atteint votre limite de {limit} commande(s). Pour commander davantage, contactez la boutique."
        ),
        Lang::En => format!(
            "You have reached your limit of {limit} order(s). To order more, please contact the shop."
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

    #[test]
    fn a_partly_short_line_says_how_many_are_left() {
        assert_eq!(
            short_line(Lang::Fr, &short(5, 2)),
            "Robe d'été (taille M) n'a plus que 2 article(s) en stock au lieu de 5. Veuillez ajuster votre panier."
        );
    }

    #[test]
    fn a_sold_out_line_says_another_customer_took_it() {
        assert_eq!(
            short_line(Lang::Fr, &short(1, 0)),
            "Robe d'été (taille M) n'est plus disponible en stock. Un autre client vient de le commander."
        );
        assert!(short_line(Lang::En, &short(1, 0)).contains("is no longer in stock"));
    }

    #[test]
    fn the_cart_toast_names_the_size() {
        assert_eq!(
            cart_toast(Lang::Fr, 2, "M"),
            "Stock insuffisant ! Il ne reste que 2 article(s) en stock pour la taille M."
        );
    }
}

//! Small rules of written French the notifications share: numbers
//! grouped by thousands, plurals, elision, how an article is named, and
//! the links to the shop's pages.

use crate::domain::notifications::url_component;

/// `1500` → `1 500`, grouped by a no-break space as the storefront's
/// prices are (`common.js`); SMS texts fold it to a space.
pub fn number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    if n < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// `1 article`, `2 articles`: French puts 0 and 1 in the singular.
pub fn articles(n: i64) -> String {
    if n.abs() <= 1 {
        format!("{n} article")
    } else {
        format!("{} articles", number(n))
    }
}

/// "de" before a name, elided before a vowel sound: `d'Awa`, `de Koffi`.
/// An `h` is left alone, as whether it is mute depends on the name.
pub fn de(name: &str) -> String {
    let first = name
        .chars()
        .next()
        .map(|c| c.to_lowercase().next().unwrap_or(c));
    match first {
        Some('a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'à' | 'â' | 'é' | 'è' | 'ê' | 'î' | 'ô' | 'û') =>
        {
            format!("d'{name}")
        }
        _ => format!("de {name}"),
    }
}

/// A buyer's name as a short text shows it: the first name and the
/// initial of the last (`Awa K.`), a single name as it is.
pub fn short_name(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [first, .., last] => match last.chars().next() {
            Some(initial) if initial.is_alphabetic() => format!("{first} {initial}."),
            _ => (*first).to_owned(),
        },
    }
}

/// How an e-mail names a variant: `Robe d'été (taille M, couleur Rouge)`.
pub fn variant(title: &str, size: &str, color: Option<&str>) -> String {
    match color {
        Some(color) => format!("{title} (taille {size}, couleur {color})"),
        None => format!("{title} (taille {size})"),
    }
}

/// How an SMS names it, shorter: `Robe d'été taille M, Rouge`.
pub fn variant_short(title: &str, size: &str, color: Option<&str>) -> String {
    match color {
        Some(color) => format!("{title} taille {size}, {color}"),
        None => format!("{title} taille {size}"),
    }
}

/// The shop's address without a trailing `/`, for links.
fn base(public_url: &str) -> &str {
    public_url.trim_end_matches('/')
}

/// The order's page in the back office.
pub fn order_link(public_url: &str, order_id: &str) -> String {
    format!(
        "{}/admin#/commandes/{}",
        base(public_url),
        url_component(order_id)
    )
}

/// The stock movements of one sku in the back office.
pub fn movements_link(public_url: &str, sku: &str) -> String {
    format!(
        "{}/admin#/mouvements?sku={}",
        base(public_url),
        url_component(sku)
    )
}

/// The stock check's page in the back office.
pub fn audit_link(public_url: &str) -> String {
    format!("{}/admin#/verification", base(public_url))
}

/// A product's page in the storefront.
pub fn product_link(public_url: &str, slug: &str) -> String {
    format!("{}/#/produit/{}", base(public_url), url_component(slug))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands_with_a_no_break_space() {
        assert_eq!(number(7), "7");
        assert_eq!(number(1500), "1\u{a0}500");
        assert_eq!(number(1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(number(-21_500), "-21\u{a0}500");
        assert_eq!(articles(0), "0 article");
        assert_eq!(articles(1), "1 article");
        assert_eq!(articles(2), "2 articles");
        assert_eq!(articles(1200), "1\u{a0}200 articles");
    }

    #[test]
    fn de_is_elided_before_a_vowel_and_names_are_shortened() {
        assert_eq!(de("Awa Koné"), "d'Awa Koné");
        assert_eq!(de("Émile"), "d'Émile");
        assert_eq!(de("Yao"), "d'Yao");
        assert_eq!(de("Koffi"), "de Koffi");
        assert_eq!(de("Hélène"), "de Hélène");
        assert_eq!(short_name("Awa Koné"), "Awa K.");
        assert_eq!(short_name("  Awa   Marie  Koné "), "Awa K.");
        assert_eq!(short_name("Awa"), "Awa");
        assert_eq!(short_name("Awa 2"), "Awa");
    }

    #[test]
    fn links_lead_to_the_back_office_and_storefront_routes() {
        let shop = "https://boutique.example.ci/";
        assert_eq!(
            order_link(shop, "01J9 x"),
            "https://boutique.example.ci/admin#/commandes/01J9%20x"
        );
        assert_eq!(
            movements_link(shop, "ROBE-ETE-M"),
            "https://boutique.example.ci/admin#/mouvements?sku=ROBE-ETE-M"
        );
        assert_eq!(
            audit_link(shop),
            "https://boutique.example.ci/admin#/verification"
        );
        assert_eq!(
            product_link("http://127.0.0.1:8080", "robe-d-ete"),
            "http://127.0.0.1:8080/#/produit/robe-d-ete"
        );
    }
}

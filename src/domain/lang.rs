//! Language of the messages a person reads: French by default, English on request.

/// The language of a `detail` message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    /// The highest-weighted of `fr` and `en` in an `Accept-Language` header;
    /// French when neither is named. On equal weights the first named wins.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for range in header.split(',') {
            let mut params = range.split(';');
            let tag = params.next().unwrap_or("").trim();
            let primary = tag.split('-').next().unwrap_or("");
            let lang = if primary.eq_ignore_ascii_case("fr") {
                Lang::Fr
            } else if primary.eq_ignore_ascii_case("en") {
                Lang::En
            } else {
                continue;
            };
            let weight = params
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if weight > 0.0 && best.is_none_or(|(w, _)| weight > w) {
                best = Some((weight, lang));
            }
        }
        best.map_or(Lang::Fr, |(_, lang)| lang)
    }

    /// The language's code as stored: `fr` or `en`.
    pub fn code(self) -> &'static str {
        self.pick("fr", "en")
    }

    /// The language of a stored code; French for anything but `en`.
    pub fn from_code(code: &str) -> Lang {
        if code == "en" { Lang::En } else { Lang::Fr }
    }

    /// Picks the text written for this language.
    pub fn pick<T>(self, fr: T, en: T) -> T {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn french_is_the_default_when_neither_language_is_named() {
        assert_eq!(Lang::from_accept_language(""), Lang::Fr);
        assert_eq!(Lang::from_accept_language("de-DE, es;q=0.8"), Lang::Fr);
    }

    #[test]
    fn english_wins_when_it_is_weighted_higher() {
        assert_eq!(Lang::from_accept_language("en"), Lang::En);
        assert_eq!(Lang::from_accept_language("en-GB"), Lang::En);
        assert_eq!(Lang::from_accept_language("fr;q=0.5, en;q=0.9"), Lang::En);
        assert_eq!(Lang::from_accept_language("de, EN-us;q=0.7"), Lang::En);
    }

    #[test]
    fn french_wins_when_it_is_weighted_higher_or_first_on_a_tie() {
        assert_eq!(Lang::from_accept_language("fr-FR, en;q=0.9"), Lang::Fr);
        assert_eq!(Lang::from_accept_language("fr, en"), Lang::Fr);
        assert_eq!(Lang::from_accept_language("en;q=0, fr;q=0.1"), Lang::Fr);
    }
}

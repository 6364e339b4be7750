//! Texts that fit one SMS: 160 characters of the GSM 03.38 alphabet, or 70
//! of any other once a single character falls outside it (UCS-2). French
//! needs few characters the alphabet lacks (`ê`, `ç`, `ô`, `î`, `û`, the
//! typographer's apostrophe, the no-break space), so those are folded to
//! their nearest letter in the alphabet rather than cost the text more
//! than half its room; letters of other scripts (a buyer's name in Arabic)
//! are kept as they are.

/// Characters of one SMS in the GSM alphabet.
pub const SMS_GSM_CHARS_MAX: usize = 160;
/// Characters of one SMS once any character is outside it.
pub const SMS_UCS2_CHARS_MAX: usize = 70;

/// GSM 03.38's basic alphabet, one unit each.
const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// Its extension table, two units each (an escape, then the character).
const EXTENSION: &str = "^{}\\[~]|€\u{c}";

/// `text` with the characters the GSM alphabet lacks folded to their
/// nearest ones where a Latin reader would not miss the difference.
pub fn gsm_folded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if BASIC.contains(c) || EXTENSION.contains(c) {
            out.push(c);
            continue;
        }
        match c {
            '\u{a0}' | '\u{202f}' | '\u{2009}' | '\t' => out.push(' '),
            '’' | '‘' | '‚' | '′' => out.push('\''),
            '“' | '”' | '„' | '«' | '»' => out.push('"'),
            '–' | '—' | '‐' | '‑' => out.push('-'),
            '…' => out.push_str("..."),
            '×' => out.push('x'),
            'œ' => out.push_str("oe"),
            'Œ' => out.push_str("OE"),
            // Latin letters with a mark the alphabet lacks: the letter alone.
            'À'..='ɏ' => match deunicode::deunicode_char(c) {
                Some(plain) if !plain.is_empty() && plain.chars().all(|p| BASIC.contains(p)) => {
                    out.push_str(plain)
                }
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    out
}

/// The units `text` takes in the GSM alphabet, or `None` when a character
/// is outside it (the text then goes as UCS-2).
pub fn gsm_units(text: &str) -> Option<usize> {
    text.chars().try_fold(0, |units, c| {
        if BASIC.contains(c) {
            Some(units + 1)
        } else if EXTENSION.contains(c) {
            Some(units + 2)
        } else {
            None
        }
    })
}

/// Whether `text` goes as one SMS.
pub fn fits_one_sms(text: &str) -> bool {
    match gsm_units(text) {
        Some(units) => units <= SMS_GSM_CHARS_MAX,
        None => text.encode_utf16().count() <= SMS_UCS2_CHARS_MAX,
    }
}

/// The first of `candidates`, folded, that fits one SMS, else the last
/// (the shortest the caller could write).
pub fn first_fitting(candidates: &[String]) -> String {
    let folded: Vec<String> = candidates.iter().map(|c| gsm_folded(c)).collect();
    folded
        .iter()
        .find(|text| fits_one_sms(text))
        .or(folded.last())
        .cloned()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_letters_the_alphabet_lacks_are_folded_and_the_rest_kept() {
        assert_eq!(
            gsm_folded(
                "Fenêtre, reçu, côté, île, dû, Noël, « œuvre » – 21\u{a0}500\u{202f}FCFA… l’été"
            ),
            "Fenetre, recu, coté, ile, du, Noel, \" oeuvre \" - 21 500 FCFA... l'été"
        );
        assert_eq!(
            gsm_folded("Robe d'été à 5 € ; Ça va"),
            "Robe d'été à 5 € ; Ça va"
        );
        assert_eq!(gsm_folded("عائشة"), "عائشة");
    }

    #[test]
    fn units_count_the_extension_twice_and_other_scripts_not_at_all() {
        assert_eq!(gsm_units("été"), Some(3));
        assert_eq!(gsm_units("5 €"), Some(4));
        assert_eq!(gsm_units("ê"), None);
        assert!(fits_one_sms(&"a".repeat(160)));
        assert!(!fits_one_sms(&format!("{}€", "a".repeat(159))));
        assert!(fits_one_sms(&"ع".repeat(70)));
        assert!(!fits_one_sms(&"ع".repeat(71)));
    }

    #[test]
    fn the_first_candidate_that_fits_is_taken_else_the_last() {
        let long = "a".repeat(200);
        assert_eq!(first_fitting(&[long.clone(), "court".into()]), "court");
        assert_eq!(first_fitting(&[long.clone(), long.clone()]), long);
    }
}

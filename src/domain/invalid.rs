//! Validation errors: which field is wrong and why, in words for a person.

use super::Lang;

/// One rejected field, with its reason in French and in English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub fr: String,
    pub en: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, fr: impl Into<String>, en: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            fr: fr.into(),
            en: en.into(),
        }
    }

    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.fr, &self.en)
    }

    pub fn required(field: &str) -> Self {
        FieldError::new(
            field,
            format!("Le champ « {field} » est obligatoire."),
            format!("The field `{field}` is required."),
        )
    }

    pub fn too_long(field: &str, max: usize) -> Self {
        FieldError::new(
            field,
            format!("Le champ « {field} » dépasse {max} caractères."),
            format!("The field `{field}` is longer than {max} characters."),
        )
    }

    pub fn out_of_range(field: &str, min: i64, max: i64) -> Self {
        FieldError::new(
            field,
            format!("Le champ « {field} » doit être un entier entre {min} et {max}."),
            format!("The field `{field}` must be an integer from {min} to {max}."),
        )
    }

    pub fn control_characters(field: &str) -> Self {
        FieldError::new(
            field,
            format!("Le champ « {field} » contient des caractères de contrôle."),
            format!("The field `{field}` contains control characters."),
        )
    }

    pub fn direction_controls(field: &str) -> Self {
        FieldError::new(
            field,
            format!(
                "Le champ « {field} » contient des caractères qui changent le sens d'écriture du texte (U+202A à U+202E, U+2066 à U+2069)."
            ),
            format!(
                "The field `{field}` contains characters that change the direction of the text (U+202A to U+202E, U+2066 to U+2069)."
            ),
        )
    }

    pub fn no_letter(field: &str) -> Self {
        FieldError::new(
            field,
            format!(
                "Le champ « {field} » doit contenir au moins une lettre ou un chiffre visible."
            ),
            format!("The field `{field}` must contain at least one visible letter or digit."),
        )
    }
}

/// A request that breaks one or more rules; nothing was written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("validation failed: {}", .0.iter().map(|e| e.en.as_str()).collect::<Vec<_>>().join(" "))]
pub struct ValidationError(pub Vec<FieldError>);

impl ValidationError {
    pub fn one(error: FieldError) -> Self {
        ValidationError(vec![error])
    }

    /// Every reason, one sentence after the other.
    pub fn message(&self, lang: Lang) -> String {
        self.0
            .iter()
            .map(|e| e.message(lang))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Collects field errors so that a request reports all of its mistakes at once.
#[derive(Default)]
pub struct Checker(Vec<FieldError>);

impl Checker {
    /// Keeps the value when valid, remembers the error otherwise.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.0.push(error);
                None
            }
        }
    }

    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    pub fn finish(self) -> Result<(), ValidationError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ValidationError(self.0))
        }
    }
}

/// The OpenAPI patterns (ECMA 262 regular expressions) of the text
/// [`optional_text`] and [`required_text`] accept, for the document: one
/// line has no control character and no direction control at all; several
/// lines may hold tabs and line breaks; a required line has a letter or a
/// digit. The document names only Latin letters (ASCII, Latin-1 and Latin
/// Extended-A and B): `\p{L}` is not read alike by every tool that reads
/// the document, and a pattern may be narrower than its validator, never
/// wider.
pub const LINE_PATTERN: &str = r"^[^\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$";
pub const TEXT_PATTERN: &str =
    r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$";
pub const NON_BLANK_LINE_PATTERN: &str = r"^[^\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*[0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f][^\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$";

/// The direction controls: embeddings and overrides (U+202A to U+202E) and
/// isolates (U+2066 to U+2069). Each changes the direction of the text that
/// follows it until it is closed, so a name or a note holding one can read
/// as something else on the back office's screen, in a CSV opened in a
/// spreadsheet, or in a log line. The marks U+200E and U+200F change no
/// other character and are allowed: right-to-left scripts need them.
pub fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A trimmed free-text field: at most `max` characters, no control characters
/// (line breaks and tabs are allowed where `multiline`) and no direction
/// controls. Empty means absent. Every text field of the API and of the
/// catalog import goes through here, so each refusal names its field.
pub fn optional_text(
    field: &str,
    value: Option<&str>,
    max: usize,
    multiline: bool,
) -> Result<Option<String>, FieldError> {
    let Some(trimmed) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if trimmed.chars().count() > max {
        return Err(FieldError::too_long(field, max));
    }
    let allowed = |c: char| multiline && (c == '\n' || c == '\t' || c == '\r');
    if trimmed.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(FieldError::control_characters(field));
    }
    if trimmed.chars().any(is_direction_control) {
        return Err(FieldError::direction_controls(field));
    }
    Ok(Some(trimmed.to_owned()))
}

/// Like [`optional_text`], but the field must be present and hold a letter
/// or a digit (of any script): a value of spaces, punctuation or invisible
/// characters alone (zero-width spaces and joiners, U+200B to U+200D, a
/// byte order mark) names nobody and nothing.
pub fn required_text(field: &str, value: Option<&str>, max: usize) -> Result<String, FieldError> {
    let text =
        optional_text(field, value, max, false)?.ok_or_else(|| FieldError::required(field))?;
    if !text.chars().any(char::is_alphanumeric) {
        return Err(FieldError::no_letter(field));
    }
    Ok(text)
}

/// An integer within `min..=max`.
pub fn integer_in(field: &str, value: i64, min: i64, max: i64) -> Result<i64, FieldError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(FieldError::out_of_range(field, min, max))
    }
}

/// Strings that match a document pattern, for the tests that check each
/// pattern against the validator it describes.
#[cfg(test)]
pub fn matching(pattern: &str) -> impl proptest::strategy::Strategy<Value = String> {
    let unanchored = pattern.trim_start_matches('^').trim_end_matches('$');
    proptest::string::string_regex(unanchored).expect("a pattern proptest can generate from")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn blank_text_counts_as_absent_and_is_trimmed_otherwise() {
        assert_eq!(optional_text("notes", Some("   "), 10, true), Ok(None));
        assert_eq!(
            optional_text("notes", Some(" hi "), 10, true),
            Ok(Some("hi".into()))
        );
    }

    #[test]
    fn text_longer_than_its_limit_in_characters_is_refused() {
        assert!(optional_text("name", Some("ééé"), 3, false).is_ok());
        assert_eq!(
            optional_text("name", Some("éééé"), 3, false),
            Err(FieldError::too_long("name", 3))
        );
    }

    #[test]
    fn control_characters_are_refused_except_line_breaks_in_multiline_fields() {
        assert!(optional_text("name", Some("a\u{0}b"), 10, false).is_err());
        assert!(optional_text("name", Some("a\nb"), 10, false).is_err());
        assert!(optional_text("notes", Some("a\nb"), 10, true).is_ok());
    }

    #[test]
    fn direction_controls_are_refused_in_every_text_naming_the_field() {
        for c in ['\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}'] {
            let text = format!("Awa{c}gpj.exe");
            assert_eq!(
                optional_text("customer.name", Some(&text), 100, false),
                Err(FieldError::direction_controls("customer.name"))
            );
        }
        for c in ['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
            let text = format!("ligne 1\n{c}ligne 2");
            assert_eq!(
                optional_text("notes", Some(&text), 100, true),
                Err(FieldError::direction_controls("notes"))
            );
        }
        // The marks that right-to-left scripts need are not controls of this kind.
        assert!(optional_text("notes", Some("\u{200f}عائشة\u{200e} 12"), 100, false).is_ok());
    }

    #[test]
    fn a_required_field_needs_a_visible_letter_or_digit() {
        for invisible in [
            "\u{200b}\u{200b}",
            "\u{200c}\u{200d}",
            "\u{feff}",
            "\u{2060}",
            "-.-",
            "\u{00ad}",
        ] {
            assert_eq!(
                required_text("customer.name", Some(invisible), 100),
                Err(FieldError::no_letter("customer.name")),
                "{invisible:?}"
            );
        }
        for name in ["Awa", "عائشة", "李", "42", "Zoé\u{200d}"] {
            assert!(
                required_text("customer.name", Some(name), 100).is_ok(),
                "{name}"
            );
        }
    }

    #[test]
    fn a_required_field_cannot_be_blank() {
        assert_eq!(
            required_text("name", Some(" "), 10),
            Err(FieldError::required("name"))
        );
        assert_eq!(
            required_text("name", None, 10),
            Err(FieldError::required("name"))
        );
    }

    proptest! {
        #[test]
        fn every_line_the_document_allows_is_accepted(line in matching(LINE_PATTERN)) {
            prop_assert!(optional_text("f", Some(&line), usize::MAX, false).is_ok());
        }

        #[test]
        fn every_text_the_document_allows_is_accepted(text in matching(TEXT_PATTERN)) {
            prop_assert!(optional_text("f", Some(&text), usize::MAX, true).is_ok());
        }

        #[test]
        fn every_required_line_the_document_allows_is_accepted(
            line in matching(NON_BLANK_LINE_PATTERN)
        ) {
            prop_assert!(required_text("f", Some(&line), usize::MAX).is_ok());
        }
    }
}

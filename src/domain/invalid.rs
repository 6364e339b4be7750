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
/// line has no control character at all; several lines may hold tabs and
/// line breaks; a required line has a character that is not a space.
pub const LINE_PATTERN: &str = r"^[^\u0000-\u001f\u007f-\u009f]*$";
pub const TEXT_PATTERN: &str = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$";
pub const NON_BLANK_LINE_PATTERN: &str = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$";

/// A trimmed free-text field: at most `max` characters, no control characters
/// (line breaks and tabs are allowed where `multiline`). Empty means absent.
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
    Ok(Some(trimmed.to_owned()))
}

/// Like [`optional_text`], but the field must be present and not blank.
pub fn required_text(field: &str, value: Option<&str>, max: usize) -> Result<String, FieldError> {
    optional_text(field, value, max, false)?.ok_or_else(|| FieldError::required(field))
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

//! What a JSON body got wrong, in words a person reads: serde's messages
//! ("invalid type: floating point `12.5`, expected i64 at line 1 column 38")
//! never reach a page; the field's problem is said in French and English.

/// The problem with one field, as `(fr, en)`, from serde's error.
pub fn field_problem(error: &serde_json::Error) -> (String, String) {
    let message = error.to_string();
    // serde_json appends the position; the field's name says where.
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(before, _)| before);
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (given, expected) = rest.split_once("`, expected ").unwrap_or((rest, ""));
        let choices: Vec<&str> = expected
            .trim_start_matches("one of ")
            .split([',', ' '])
            .filter(|w| w.starts_with('`'))
            .map(|w| w.trim_matches('`'))
            .collect();
        let choices = choices.join(", ");
        return (
            format!("« {given} » n'est pas une valeur possible : {choices}."),
            format!("`{given}` is not a possible value: {choices}."),
        );
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        return (
            format!("Le champ « {field} » est obligatoire."),
            format!("The field `{field}` is required."),
        );
    }
    if message.starts_with("number out of range") {
        return (
            "Ce nombre est trop grand.".to_owned(),
            "This number is too large.".to_owned(),
        );
    }
    let expected = message
        .split_once(", expected ")
        .map_or("", |(_, expected)| expected);
    let negative = message.starts_with("invalid value: integer `-");
    match expected {
        e if is_integer(e) && negative => (
            "Indiquez un nombre entier positif.".to_owned(),
            "Give a whole number, zero or more.".to_owned(),
        ),
        e if is_integer(e) => (
            "Indiquez un nombre entier, sans virgule ni espace (par exemple 15000).".to_owned(),
            "Give a whole number, without a decimal point or spaces (for example 15000)."
                .to_owned(),
        ),
        e if e.contains("string") => ("Indiquez un texte.".to_owned(), "Give a text.".to_owned()),
        e if e.contains("bool") => (
            "Indiquez oui (true) ou non (false).".to_owned(),
            "Give yes (true) or no (false).".to_owned(),
        ),
        e if e.contains("sequence") => {
            ("Indiquez une liste.".to_owned(), "Give a list.".to_owned())
        }
        e if e.contains("struct") || e.contains("map") => (
            "Indiquez un objet ({…}).".to_owned(),
            "Give an object ({…}).".to_owned(),
        ),
        _ => (
            "Cette valeur n'a pas la forme attendue.".to_owned(),
            "This value does not have the expected form.".to_owned(),
        ),
    }
}

fn is_integer(expected: &str) -> bool {
    ["i64", "i32", "u64", "u32", "u16", "u8", "usize", "integer"]
        .iter()
        .any(|t| expected.contains(t))
}

/// A body that is not JSON at all, as `(fr, en)`: where it breaks, not how
/// the parser saw it.
pub fn body_problem(error: &serde_json::Error) -> (String, String) {
    let (line, column) = (error.line(), error.column());
    if error.is_eof() {
        return (
            "Le corps s'arrête avant la fin du JSON.".to_owned(),
            "The body ends before its JSON does.".to_owned(),
        );
    }
    (
        format!("Le corps n'est pas un JSON valide (ligne {line}, colonne {column})."),
        format!("The body is not valid JSON (line {line}, column {column})."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Body {
        price: Option<i64>,
        stock: Option<u32>,
        title: Option<String>,
        status: Option<Status>,
        lines: Option<Vec<i64>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Status {
        Active,
        Draft,
    }

    fn said(body: &str) -> String {
        let error = serde_json::from_str::<Body>(body).expect_err("refused");
        field_problem(&error).0
    }

    #[test]
    fn no_parser_word_reaches_a_person() {
        let bodies = [
            r#"{"price": 12.5}"#,
            r#"{"price": "douze"}"#,
            r#"{"stock": -1}"#,
            r#"{"title": 5}"#,
            r#"{"status": "vendu"}"#,
            r#"{"lines": 3}"#,
            r#"{"price": 99999999999999999999}"#,
        ];
        for body in bodies {
            let sentence = said(body);
            for jargon in [
                "invalid", "expected", "i64", "u32", "line ", "column", "variant",
            ] {
                assert!(!sentence.contains(jargon), "{body}: {sentence}");
            }
        }
    }

    #[test]
    fn each_shape_has_its_sentence() {
        assert_eq!(
            said(r#"{"price": 12.5}"#),
            "Indiquez un nombre entier, sans virgule ni espace (par exemple 15000)."
        );
        assert_eq!(
            said(r#"{"stock": -1}"#),
            "Indiquez un nombre entier positif."
        );
        assert_eq!(said(r#"{"title": 5}"#), "Indiquez un texte.");
        assert_eq!(
            said(r#"{"status": "vendu"}"#),
            "« vendu » n'est pas une valeur possible : active, draft."
        );
        assert_eq!(said(r#"{"lines": 3}"#), "Indiquez une liste.");
    }

    #[test]
    fn a_broken_body_says_where() {
        let error = serde_json::from_str::<Body>("{\"price\": }").expect_err("refused");
        assert_eq!(
            body_problem(&error).0,
            "Le corps n'est pas un JSON valide (ligne 1, colonne 11)."
        );
        let error = serde_json::from_str::<Body>("{\"price\": 1").expect_err("refused");
        assert_eq!(
            body_problem(&error).0,
            "Le corps s'arrête avant la fin du JSON."
        );
    }
}

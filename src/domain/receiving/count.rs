//! A count typed over many variants: its body checked, one line per sku,
//! and the lines whose stock moved since they were counted.

use serde::{Deserialize, Serialize};

use super::too_many_lines;
use crate::domain::invalid::{Checker, FieldError, ValidationError, integer_in, required_text};
use crate::domain::limits::{COUNT_LINES_MAX, NOTE_CHARS_MAX, STOCK_LEVEL_MAX};
use crate::domain::sku::Sku;
use crate::domain::stock::{AdjustBy, adjust_by};

/// The body of `POST /api/v1/admin/stock/adjustments`: a count, or any
/// set of adjustments applied together.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CountInput {
    /// Why the stock changed; kept as every movement's note.
    #[schema(value_type = String, required, example = "inventaire de décembre")]
    pub reason: Option<String>,
    /// One line per sku.
    #[schema(value_type = Vec<CountLineInput>, required)]
    pub lines: Option<Vec<CountLineInput>>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CountLineInput {
    #[schema(value_type = String, required, example = "ROBE-ETE-M")]
    pub sku: Option<String>,
    /// The units counted: the new stock level. Not with `delta`.
    #[schema(nullable = false, example = 7)]
    pub set: Option<i64>,
    /// Units to add (or remove, negative); not 0. Not with `set`.
    #[schema(nullable = false)]
    pub delta: Option<i64>,
    /// The stock the page showed when the line was counted: when the stock
    /// is no longer that, the whole count is refused with `stale_stock`.
    #[schema(nullable = false, example = 9)]
    pub expected_available: Option<i64>,
}

/// A checked count: lines in the order given, one per sku.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Count {
    pub reason: String,
    pub lines: Vec<CountLine>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountLine {
    /// Where the line is in the request, for refusals found in the store.
    pub index: usize,
    pub sku: Sku,
    pub by: AdjustBy,
    pub expected_available: Option<i64>,
}

impl CountInput {
    /// Checks the reason and every line; a sku named twice is refused (two
    /// counts of one variant cannot both be right).
    pub fn validate(&self) -> Result<Count, ValidationError> {
        let mut checker = Checker::default();
        let reason = checker.check(required_text(
            "reason",
            self.reason.as_deref(),
            NOTE_CHARS_MAX,
        ));
        let lines = self.lines.as_deref().unwrap_or_default();
        let mut counted: Vec<CountLine> = Vec::with_capacity(lines.len());
        if lines.is_empty() {
            checker.push(FieldError::new(
                "lines",
                "Le comptage ne contient aucune ligne.",
                "The count has no lines.",
            ));
        } else if lines.len() > COUNT_LINES_MAX {
            checker.push(too_many_lines(lines.len(), COUNT_LINES_MAX));
        } else {
            for (i, line) in lines.iter().enumerate() {
                if let Some(line) = count_line(&mut checker, i, line, &counted) {
                    counted.push(line);
                }
            }
        }
        checker.finish()?;
        match reason {
            Some(reason) => Ok(Count {
                reason,
                lines: counted,
            }),
            None => Err(ValidationError::one(FieldError::required("reason"))),
        }
    }
}

/// The line at `i` of a count, checked against the lines before it.
fn count_line(
    checker: &mut Checker,
    i: usize,
    line: &CountLineInput,
    before: &[CountLine],
) -> Option<CountLine> {
    let sku_field = format!("lines[{i}].sku");
    let sku = checker.check(Sku::parse(&sku_field, line.sku.as_deref().unwrap_or("")));
    let prefix = format!("lines[{i}].");
    let by = checker.check(adjust_by(&prefix, line.delta, line.set));
    let expected = line
        .expected_available
        .map(|e| {
            integer_in(
                &format!("{prefix}expected_available"),
                e,
                0,
                STOCK_LEVEL_MAX,
            )
        })
        .transpose();
    let expected = checker.check(expected);
    let (sku, by, expected_available) = (sku?, by?, expected?);
    if let Some(first) = before.iter().find(|l| l.sku == sku) {
        checker.push(FieldError::new(
            sku_field,
            format!(
                "{sku} apparaît deux fois (lignes {} et {i}) : une seule ligne par article.",
                first.index
            ),
            format!(
                "{sku} appears twice (lines {} and {i}): one line per article.",
                first.index
            ),
        ));
        return None;
    }
    Some(CountLine {
        index: i,
        sku,
        by,
        expected_available,
    })
}

/// A counted line whose stock changed since it was counted: what the page
/// showed and what the stock is now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StaleLine {
    pub sku: String,
    pub expected_available: i64,
    pub available: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(error: ValidationError) -> Vec<String> {
        error.0.into_iter().map(|e| e.field).collect()
    }

    fn count_line_input(sku: &str, set: Option<i64>, delta: Option<i64>) -> CountLineInput {
        CountLineInput {
            sku: Some(sku.into()),
            set,
            delta,
            expected_available: Some(3),
        }
    }

    #[test]
    fn a_count_refuses_a_sku_twice_and_lines_without_exactly_one_of_set_and_delta() {
        let input = CountInput {
            reason: Some("inventaire".into()),
            lines: Some(vec![
                count_line_input("A", Some(2), None),
                count_line_input("a", Some(3), None),
                count_line_input("B", Some(1), Some(1)),
                count_line_input("C", None, Some(0)),
                count_line_input("D", Some(-1), None),
            ]),
        };
        assert_eq!(
            fields(input.validate().expect_err("bad lines")),
            [
                "lines[1].sku",
                "lines[2].delta",
                "lines[3].delta",
                "lines[4].set"
            ]
        );
    }

    #[test]
    fn a_count_keeps_each_line_s_expected_stock() {
        let input = CountInput {
            reason: Some("inventaire".into()),
            lines: Some(vec![count_line_input("a", Some(2), None)]),
        };
        let count = input.validate().expect("valid");
        assert_eq!(count.lines[0].sku.as_str(), "A");
        assert_eq!(count.lines[0].by, AdjustBy::Set(2));
        assert_eq!(count.lines[0].expected_available, Some(3));
    }
}

//! A delivery received in one go: its body checked, its lines summed by
//! sku, and the receipt as the API shows it.

use serde::{Deserialize, Serialize};

use super::too_many_lines;
use crate::domain::invalid::{
    Checker, FieldError, ValidationError, integer_in, optional_text, required_text,
};
use crate::domain::limits::{
    Limits, NOTE_CHARS_MAX, RECEIPT_LINES_MAX, RECEIPT_REFERENCE_CHARS_MAX, SUPPLIER_CHARS_MAX,
};
use crate::domain::sku::Sku;

/// The longest receipt id accepted in a path or a filter (ids are UUIDs).
pub const RECEIPT_ID_CHARS_MAX: usize = 64;

/// The document's pattern of a receipt id as [`receipt_id`] accepts it.
pub const RECEIPT_ID_PATTERN: &str = "^[A-Za-z0-9-]+$";

/// A receipt id as a filter or a path names it: letters, digits and dashes.
pub fn receipt_id(field: &str, raw: String) -> Result<String, FieldError> {
    let valid = raw.len() <= RECEIPT_ID_CHARS_MAX
        && raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if valid {
        Ok(raw)
    } else {
        Err(FieldError::new(
            field,
            "Cet identifiant de réception n'est pas valide.",
            "This receipt id is not valid.",
        ))
    }
}

/// The body of `POST /api/v1/admin/receipts`, before validation.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ReceiptInput {
    /// The delivery note's number or name, as the supplier wrote it.
    #[schema(value_type = String, required, example = "BL-2026-114")]
    pub reference: Option<String>,
    #[schema(example = "Atelier Adjamé")]
    pub supplier: Option<String>,
    /// Several lines of text allowed.
    pub note: Option<String>,
    /// Lines of one sku are summed; the sum is what the restock limit bounds.
    #[schema(value_type = Vec<ReceiptLineInput>, required)]
    pub lines: Option<Vec<ReceiptLineInput>>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ReceiptLineInput {
    /// A catalog sku, in any case, of a variant that is not retired.
    #[schema(value_type = String, required, example = "ROBE-ETE-M")]
    pub sku: Option<String>,
    /// Units received, from 1 to the restock limit.
    #[schema(value_type = i64, required, example = 12)]
    pub quantity: Option<i64>,
}

/// A checked receipt: its lines summed by sku, in the order each sku first
/// appears.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReceipt {
    pub reference: String,
    pub supplier: Option<String>,
    pub note: Option<String>,
    pub lines: Vec<ReceivedLine>,
}

impl NewReceipt {
    /// The units received in all.
    pub fn total(&self) -> i64 {
        self.lines.iter().map(|l| l.quantity).sum()
    }
}

/// One sku received, with where it first appeared in the request (so a
/// refusal found in the store names `lines[i].sku`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedLine {
    pub index: usize,
    pub sku: Sku,
    pub quantity: i64,
}

impl ReceiptInput {
    /// Checks every field and every line, naming each mistake.
    pub fn validate(&self, limits: &Limits) -> Result<NewReceipt, ValidationError> {
        let mut checker = Checker::default();
        let reference = checker.check(required_text(
            "reference",
            self.reference.as_deref(),
            RECEIPT_REFERENCE_CHARS_MAX,
        ));
        let supplier = checker.check(optional_text(
            "supplier",
            self.supplier.as_deref(),
            SUPPLIER_CHARS_MAX,
            false,
        ));
        let note = checker.check(optional_text(
            "note",
            self.note.as_deref(),
            NOTE_CHARS_MAX,
            true,
        ));
        let lines = receipt_lines(&mut checker, self.lines.as_deref(), limits);
        checker.finish()?;
        match (reference, supplier, note) {
            (Some(reference), Some(supplier), Some(note)) => Ok(NewReceipt {
                reference,
                supplier,
                note,
                lines,
            }),
            // The checker holds an error for every field that is None.
            _ => Err(ValidationError::one(FieldError::required("reference"))),
        }
    }
}

/// The lines of a receipt, summed by sku; every mistake goes to `checker`.
fn receipt_lines(
    checker: &mut Checker,
    lines: Option<&[ReceiptLineInput]>,
    limits: &Limits,
) -> Vec<ReceivedLine> {
    let lines = lines.unwrap_or_default();
    if lines.is_empty() {
        checker.push(FieldError::new(
            "lines",
            "La réception ne contient aucune ligne.",
            "The receipt has no lines.",
        ));
        return Vec::new();
    }
    if lines.len() > RECEIPT_LINES_MAX {
        checker.push(too_many_lines(lines.len(), RECEIPT_LINES_MAX));
        return Vec::new();
    }
    let max = limits.restock_quantity_max;
    let mut merged: Vec<ReceivedLine> = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let sku = checker.check(Sku::parse(
            &format!("lines[{i}].sku"),
            line.sku.as_deref().unwrap_or(""),
        ));
        let field = format!("lines[{i}].quantity");
        let quantity = line
            .quantity
            .ok_or_else(|| FieldError::required(&field))
            .and_then(|q| integer_in(&field, q, 1, max));
        let (Some(sku), Some(quantity)) = (sku, checker.check(quantity)) else {
            continue;
        };
        match merged.iter_mut().find(|m| m.sku == sku) {
            Some(same) if same.quantity + quantity > max => checker.push(FieldError::new(
                field,
                format!("La quantité totale reçue de {sku} dépasse {max}."),
                format!("The total quantity received of {sku} is more than {max}."),
            )),
            Some(same) => same.quantity += quantity,
            None => merged.push(ReceivedLine {
                index: i,
                sku,
                quantity,
            }),
        }
    }
    merged
}

/// A receipt as the API shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Receipt {
    pub id: String,
    pub reference: String,
    pub supplier: Option<String>,
    pub note: Option<String>,
    /// The units received in all.
    pub total: i64,
    pub lines: Vec<ReceiptLine>,
    pub created_at: String,
    /// Who received it.
    pub actor: String,
}

/// One line of a receipt: the variant, the units received and its stock
/// right after the receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReceiptLine {
    pub sku: String,
    pub title: String,
    pub size: String,
    pub color: Option<String>,
    pub quantity: i64,
    /// Units on hand right after the receipt, once waiting preorders were served.
    pub available: i64,
    /// The line's `restock` movement.
    pub movement_id: String,
    /// Of the units received, those given at once to waiting preorders
    /// (`preorder_allocation` movements carrying the receipt's id).
    pub preorders: i64,
}

/// A receipt in the list: its lines counted, not shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReceiptSummary {
    pub id: String,
    pub reference: String,
    pub supplier: Option<String>,
    pub note: Option<String>,
    pub total: i64,
    /// How many variants the receipt names.
    pub line_count: i64,
    pub created_at: String,
    pub actor: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(sku: &str, quantity: i64) -> ReceiptLineInput {
        ReceiptLineInput {
            sku: Some(sku.into()),
            quantity: Some(quantity),
        }
    }

    fn receipt(lines: Vec<ReceiptLineInput>) -> ReceiptInput {
        ReceiptInput {
            reference: Some("BL-1".into()),
            lines: Some(lines),
            ..Default::default()
        }
    }

    fn fields(error: ValidationError) -> Vec<String> {
        error.0.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_receipt_sums_the_lines_of_one_sku_in_the_order_they_first_appear() {
        let checked = receipt(vec![line("b", 2), line("A", 1), line("B", 3)])
            .validate(&Limits::default())
            .expect("valid");
        let summary: Vec<_> = checked
            .lines
            .iter()
            .map(|l| (l.index, l.sku.as_str(), l.quantity))
            .collect();
        assert_eq!(summary, [(0, "B", 5), (1, "A", 1)]);
        assert_eq!(checked.total(), 6);
    }

    #[test]
    fn a_receipt_names_every_bad_line_at_once() {
        let error = receipt(vec![
            line("A", 0),
            line("B", -2),
            line("pas une référence", 1),
            line("C", 1_000_001),
            line("D", 600_000),
            line("D", 400_001),
        ])
        .validate(&Limits::default())
        .expect_err("bad lines");
        assert_eq!(
            fields(error),
            [
                "lines[0].quantity",
                "lines[1].quantity",
                "lines[2].sku",
                "lines[3].quantity",
                "lines[5].quantity"
            ]
        );
    }

    #[test]
    fn a_receipt_needs_a_reference_and_one_line_to_the_limit() {
        let empty = ReceiptInput::default().validate(&Limits::default());
        assert_eq!(fields(empty.expect_err("empty")), ["reference", "lines"]);
        let many: Vec<_> = (0..=RECEIPT_LINES_MAX)
            .map(|i| line(&format!("S{i}"), 1))
            .collect();
        let error = receipt(many).validate(&Limits::default());
        assert_eq!(fields(error.expect_err("too many")), ["lines"]);
        let most: Vec<_> = (0..RECEIPT_LINES_MAX)
            .map(|i| line(&format!("S{i}"), 1))
            .collect();
        assert!(receipt(most).validate(&Limits::default()).is_ok());
    }
}

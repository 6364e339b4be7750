//! An order's history as the desk reads it, and what staff add to it:
//! notes, and edits of the pickup number and the delivery address.

use serde::{Deserialize, Deserializer, Serialize};

use super::Order;
use crate::domain::invalid::{Checker, FieldError, ValidationError, optional_text};
use crate::domain::limits::Limits;

/// A staff note on an order.
pub const STAFF_NOTE_CHARS_MAX: usize = 2000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum HistoryKind {
    Created,
    Status,
    Payment,
    Note,
    Edit,
    Return,
}

impl HistoryKind {
    pub const STORED: [HistoryKind; 5] = [
        HistoryKind::Status,
        HistoryKind::Payment,
        HistoryKind::Note,
        HistoryKind::Edit,
        HistoryKind::Return,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HistoryKind::Created => "created",
            HistoryKind::Status => "status",
            HistoryKind::Payment => "payment",
            HistoryKind::Note => "note",
            HistoryKind::Edit => "edit",
            HistoryKind::Return => "return",
        }
    }

    pub fn parse(raw: &str) -> Option<HistoryKind> {
        HistoryKind::STORED.into_iter().find(|k| k.as_str() == raw)
    }
}

/// One step of an order's life, oldest first in its history. `from` and
/// `to` are the statuses of a status change, a payment or a return, and
/// the old and new values of an edit; `note` is a status step back's
/// reason, a staff note, or a return's note.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = OrderHistoryEvent)]
pub struct HistoryEvent {
    pub at: String,
    /// The staff member; null for the buyer's own order.
    pub actor: Option<String>,
    pub kind: HistoryKind,
    pub from: Option<String>,
    pub to: Option<String>,
    pub note: Option<String>,
    /// What the kind adds: a payment's `method`, `amount` and `reference`;
    /// an edit's `field` (`pickup_number` or `delivery.address`); a
    /// return's `lines`, `replacements`, `total_before` and `total_after`.
    #[schema(value_type = Option<Object>)]
    pub detail: Option<serde_json::Value>,
}

/// A note as staff write it.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = StaffNoteInput)]
pub struct NoteInput {
    /// Several lines allowed; at most 2,000 characters.
    #[schema(value_type = String, required, max_length = 2000)]
    pub note: Option<String>,
}

impl NoteInput {
    pub fn check(&self) -> Result<String, ValidationError> {
        optional_text("note", self.note.as_deref(), STAFF_NOTE_CHARS_MAX, true)
            .and_then(|note| note.ok_or_else(|| FieldError::required("note")))
            .map_err(ValidationError::one)
    }
}

/// A note once written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = StaffNote)]
pub struct StaffNote {
    pub id: String,
    pub at: String,
    pub actor: String,
    pub note: String,
}

/// `PATCH /api/v1/admin/orders/{id}`: a field absent stays as it is; `null`
/// or an empty text clears it.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = OrderEditInput)]
pub struct OrderEdit {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub pickup_number: Option<Option<String>>,
    pub delivery: Option<DeliveryEdit>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct DeliveryEdit {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// One field an edit changes: its name in the API, before and after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl OrderEdit {
    /// The fields this edit changes on `order`, checked like a checkout's;
    /// a value equal to the order's is no change.
    pub fn changes(
        &self,
        order: &Order,
        limits: &Limits,
    ) -> Result<Vec<FieldChange>, ValidationError> {
        let mut checker = Checker::default();
        let mut changes = Vec::new();
        let asked = [
            (
                "pickup_number",
                self.pickup_number.as_ref(),
                limits.pickup_number_chars_max,
                false,
                &order.delivery.pickup_number,
            ),
            (
                "delivery.address",
                self.delivery.as_ref().and_then(|d| d.address.as_ref()),
                limits.address_chars_max,
                true,
                &order.delivery.address,
            ),
        ];
        for (field, value, max, multiline, before) in asked {
            let Some(value) = value else { continue };
            if let Some(after) =
                checker.check(optional_text(field, value.as_deref(), max, multiline))
                && after != *before
            {
                changes.push(FieldChange {
                    field,
                    before: before.clone(),
                    after,
                });
            }
        }
        checker.finish()?;
        Ok(changes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_required_and_bounded() {
        let field = |note: Option<&str>| {
            NoteInput {
                note: note.map(Into::into),
            }
            .check()
            .map_err(|e| e.0[0].field.clone())
        };
        assert_eq!(
            field(Some(" Appelée, livre demain ")),
            Ok("Appelée, livre demain".into())
        );
        assert_eq!(field(Some("  ")), Err("note".into()));
        assert_eq!(field(None), Err("note".into()));
        assert_eq!(field(Some(&"a".repeat(2001))), Err("note".into()));
        assert!(field(Some(&"a".repeat(2000))).is_ok());
    }

    #[test]
    fn an_edit_reads_absent_apart_from_null() {
        let edit: OrderEdit = serde_json::from_str(r#"{"pickup_number": null}"#).expect("json");
        assert_eq!(edit.pickup_number, Some(None));
        let edit: OrderEdit = serde_json::from_str(r#"{"delivery": {}}"#).expect("json");
        assert_eq!(edit.pickup_number, None);
        assert_eq!(edit.delivery.expect("delivery").address, None);
    }
}

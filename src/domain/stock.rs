//! The stock ledger: every unit that enters or leaves, as append-only movements.

use serde::{Deserialize, Serialize};

use super::invalid::{FieldError, ValidationError, integer_in, optional_text, required_text};
use super::limits::{Limits, NOTE_CHARS_MAX, STOCK_LEVEL_MAX};

/// When a variant is low, one rule everywhere (the audit's status, the
/// storefront's "only N left", the back office's chips and filters): at or
/// below its own threshold when it has one, else at or below the shop's
/// `units`, else at or below `percent` % of the units it received (initial
/// plus restocked).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LowStockRule {
    pub units: Option<i64>,
    pub percent: i64,
}

impl LowStockRule {
    pub fn is_low(&self, available: i64, own_threshold: Option<i64>, received: i64) -> bool {
        match own_threshold.or(self.units) {
            Some(threshold) => available <= threshold,
            None => available * 100 <= self.percent * received,
        }
    }
}

/// Why a variant's stock moved. A variant's movements sum to its `available`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MovementKind {
    Initial,
    Restock,
    Adjustment,
    Sale,
    Cancellation,
    /// Units of a shipped or delivered order back on the shelf.
    Return,
    /// Units a restock gave to a waiting preorder line (negative).
    #[serde(rename = "preorder_allocation")]
    PreorderAllocation,
}

impl MovementKind {
    pub const ALL: [MovementKind; 7] = [
        MovementKind::Initial,
        MovementKind::Restock,
        MovementKind::Adjustment,
        MovementKind::Sale,
        MovementKind::Cancellation,
        MovementKind::Return,
        MovementKind::PreorderAllocation,
    ];

    pub fn parse(raw: &str) -> Option<MovementKind> {
        MovementKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Initial => "initial",
            MovementKind::Restock => "restock",
            MovementKind::Adjustment => "adjustment",
            MovementKind::Sale => "sale",
            MovementKind::Cancellation => "cancellation",
            MovementKind::Return => "return",
            MovementKind::PreorderAllocation => "preorder_allocation",
        }
    }
}

/// One row of the ledger. `quantity` is signed: a sale of 2 is `-2`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Movement {
    pub id: String,
    pub sku: String,
    pub kind: MovementKind,
    pub quantity: i64,
    pub available_after: i64,
    pub order_id: Option<String>,
    pub actor: Option<String>,
    pub note: Option<String>,
    pub created_at: String,
    /// The receipt (delivery) a `restock` belongs to; null otherwise.
    pub receipt_id: Option<String>,
    /// That receipt's reference, for people reading the ledger.
    pub receipt_reference: Option<String>,
    /// The variant as people name it: its product's title, its size and
    /// colour (null for a product in one colour); the sku is for labels
    /// and scripts.
    pub title: String,
    pub size: String,
    pub color: Option<String>,
    /// The number people read (`SR-1042`) of the order of a sale or a
    /// cancellation; null otherwise.
    pub order_number: Option<String>,
}

/// A variant as people name it: its product's title, its size, its colour.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VariantName {
    pub title: String,
    pub size: String,
    pub color: Option<String>,
}

/// The receipt a movement belongs to: its id and its reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReceiptOf<'a> {
    pub id: &'a str,
    pub reference: &'a str,
}

/// A ledger row about to be written.
pub struct NewMovement<'a> {
    pub sku: &'a str,
    pub kind: MovementKind,
    /// Signed: what the movement adds to the variant's stock.
    pub quantity: i64,
    pub available_after: i64,
    pub order_id: Option<&'a str>,
    pub actor: Option<&'a str>,
    pub note: Option<&'a str>,
    pub created_at: &'a str,
    pub receipt: Option<ReceiptOf<'a>>,
}

impl NewMovement<'_> {
    /// The movement once written, under the id the database gave it, with
    /// its variant's name and its order's number.
    pub fn written(&self, id: i64, variant: VariantName, order_number: Option<String>) -> Movement {
        Movement {
            id: id.to_string(),
            sku: self.sku.to_owned(),
            kind: self.kind,
            quantity: self.quantity,
            available_after: self.available_after,
            order_id: self.order_id.map(str::to_owned),
            actor: self.actor.map(str::to_owned),
            note: self.note.map(str::to_owned),
            created_at: self.created_at.to_owned(),
            receipt_id: self.receipt.map(|r| r.id.to_owned()),
            receipt_reference: self.receipt.map(|r| r.reference.to_owned()),
            title: variant.title,
            size: variant.size,
            color: variant.color,
            order_number,
        }
    }
}

/// A variant's stock after a restock or an adjustment, with the movement
/// written and, for a restock, the units it gave to waiting preorders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StockChange {
    pub sku: String,
    /// After everything: the movement and its allocations.
    pub available: i64,
    pub movement: Movement,
    /// The `preorder_allocation` movements a restock made, oldest order first.
    pub allocations: Vec<Movement>,
}

impl From<Movement> for StockChange {
    fn from(movement: Movement) -> StockChange {
        StockChange::with_allocations(movement, Vec::new())
    }
}

impl StockChange {
    /// A restock and the allocations that followed it.
    pub fn with_allocations(movement: Movement, allocations: Vec<Movement>) -> StockChange {
        let available = allocations
            .last()
            .map_or(movement.available_after, |m| m.available_after);
        StockChange {
            sku: movement.sku.clone(),
            available,
            movement,
            allocations,
        }
    }
}

/// The body of a restock: units that arrived.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct RestockInput {
    #[schema(value_type = i64, required, example = 10)]
    pub quantity: Option<i64>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restock {
    pub quantity: i64,
    pub note: Option<String>,
}

impl RestockInput {
    pub fn validate(&self, limits: &Limits) -> Result<Restock, ValidationError> {
        let quantity = self
            .quantity
            .ok_or_else(|| FieldError::required("quantity"));
        let quantity =
            quantity.and_then(|q| integer_in("quantity", q, 1, limits.restock_quantity_max));
        let note = optional_text("note", self.note.as_deref(), NOTE_CHARS_MAX, true);
        match (quantity, note) {
            (Ok(quantity), Ok(note)) => Ok(Restock { quantity, note }),
            (quantity, note) => Err(ValidationError(
                quantity.err().into_iter().chain(note.err()).collect(),
            )),
        }
    }
}

/// The body of an adjustment: exactly one of `delta` (not 0) and `set` (0 or
/// more), and a reason.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct AdjustInput {
    /// Units to add (or remove, negative); not 0. Not with `set`.
    #[schema(nullable = false, example = -2)]
    pub delta: Option<i64>,
    /// The new stock level. Not with `delta`.
    #[schema(nullable = false)]
    pub set: Option<i64>,
    /// Why the stock changed.
    #[schema(value_type = String, required, example = "damaged")]
    pub reason: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdjustBy {
    Delta(i64),
    Set(i64),
}

impl AdjustBy {
    /// The signed change this adjustment makes to a stock of `available`.
    pub fn delta_from(self, available: i64) -> i64 {
        match self {
            AdjustBy::Delta(delta) => delta,
            AdjustBy::Set(level) => level - available,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adjustment {
    pub by: AdjustBy,
    pub reason: String,
}

/// A restock or an adjustment: what an admin does to one variant's stock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StockEdit {
    Restock(Restock),
    Adjust(Adjustment),
}

/// What an edit does to a variant's stock: the movement's kind, its signed
/// quantity and the level it leaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StockStep {
    pub kind: MovementKind,
    pub quantity: i64,
    pub available_after: i64,
}

/// An edit refused because it would leave fewer than zero units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BelowZero {
    pub available: i64,
    pub delta: i64,
}

impl StockEdit {
    /// The step this edit takes from a stock of `available` units: a
    /// restock adds its units, an adjustment its delta or the difference
    /// with the level it sets; never below zero.
    pub fn step_from(&self, available: i64) -> Result<StockStep, BelowZero> {
        let (kind, delta) = match self {
            StockEdit::Restock(restock) => (MovementKind::Restock, restock.quantity),
            StockEdit::Adjust(adjustment) => (
                MovementKind::Adjustment,
                adjustment.by.delta_from(available),
            ),
        };
        let available_after = available + delta;
        if available_after < 0 {
            return Err(BelowZero { available, delta });
        }
        Ok(StockStep {
            kind,
            quantity: delta,
            available_after,
        })
    }

    /// The movement `actor`'s edit writes on the stock of `sku`, found at
    /// `available`, at `now`; refused when it would leave fewer than zero units.
    pub fn movement<'a>(
        &'a self,
        sku: &'a str,
        available: i64,
        actor: &'a str,
        now: &'a str,
    ) -> Result<NewMovement<'a>, BelowZero> {
        let step = self.step_from(available)?;
        Ok(NewMovement {
            sku,
            kind: step.kind,
            quantity: step.quantity,
            available_after: step.available_after,
            order_id: None,
            actor: Some(actor),
            note: self.note(),
            created_at: now,
            receipt: None,
        })
    }

    /// The note the movement keeps: a restock's optional note, an adjustment's reason.
    pub fn note(&self) -> Option<&str> {
        match self {
            StockEdit::Restock(restock) => restock.note.as_deref(),
            StockEdit::Adjust(adjustment) => Some(&adjustment.reason),
        }
    }
}

impl AdjustInput {
    pub fn validate(&self) -> Result<Adjustment, ValidationError> {
        let by = adjust_by("", self.delta, self.set);
        let reason = required_text("reason", self.reason.as_deref(), NOTE_CHARS_MAX);
        match (by, reason) {
            (Ok(by), Ok(reason)) => Ok(Adjustment { by, reason }),
            (by, reason) => Err(ValidationError(
                by.err().into_iter().chain(reason.err()).collect(),
            )),
        }
    }
}

/// Exactly one of `delta` (not 0) and `set` (0 or more), each within
/// `STOCK_LEVEL_MAX`; refusals name `{prefix}delta` or `{prefix}set`
/// (`lines[2].` in a count).
pub fn adjust_by(
    prefix: &str,
    delta: Option<i64>,
    set: Option<i64>,
) -> Result<AdjustBy, FieldError> {
    let (delta_field, set_field) = (format!("{prefix}delta"), format!("{prefix}set"));
    match (delta, set) {
        (Some(0), None) => Err(FieldError::new(
            delta_field,
            "Un ajustement de 0 ne change rien : indiquez un écart non nul.",
            "An adjustment of 0 changes nothing: give a non-zero delta.",
        )),
        (Some(delta), None) => {
            integer_in(&delta_field, delta, -STOCK_LEVEL_MAX, STOCK_LEVEL_MAX).map(AdjustBy::Delta)
        }
        (None, Some(set)) => integer_in(&set_field, set, 0, STOCK_LEVEL_MAX).map(AdjustBy::Set),
        _ => Err(FieldError::new(
            delta_field,
            "Indiquez soit « delta » (un écart), soit « set » (le nouveau stock), pas les deux.",
            "Give exactly one of `delta` (a change) and `set` (the new stock level).",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adjustment_takes_exactly_one_of_delta_and_set_and_a_reason() {
        let adjust = |delta, set, reason: Option<&str>| {
            AdjustInput {
                delta,
                set,
                reason: reason.map(Into::into),
            }
            .validate()
        };
        assert_eq!(
            adjust(Some(-2), None, Some("abîmé")).map(|a| a.by),
            Ok(AdjustBy::Delta(-2))
        );
        assert_eq!(
            adjust(None, Some(0), Some("inventaire")).map(|a| a.by),
            Ok(AdjustBy::Set(0))
        );
        assert!(adjust(Some(1), Some(1), Some("x")).is_err());
        assert!(adjust(None, None, Some("x")).is_err());
        assert!(adjust(Some(0), None, Some("x")).is_err());
        assert!(adjust(None, Some(-1), Some("x")).is_err());
        assert!(adjust(Some(1), None, None).is_err());
    }

    #[test]
    fn an_adjustment_to_a_level_is_the_difference_with_the_stock() {
        assert_eq!(AdjustBy::Set(7).delta_from(10), -3);
        assert_eq!(AdjustBy::Set(7).delta_from(2), 5);
        assert_eq!(AdjustBy::Delta(-2).delta_from(10), -2);
    }

    #[test]
    fn an_edit_steps_from_the_stock_it_finds_and_never_below_zero() {
        let restock = StockEdit::Restock(Restock {
            quantity: 5,
            note: Some("arrivage".into()),
        });
        let step = restock
            .step_from(2)
            .map(|s| (s.kind, s.quantity, s.available_after));
        assert_eq!(step, Ok((MovementKind::Restock, 5, 7)));
        assert_eq!(restock.note(), Some("arrivage"));
        let adjust = |by| {
            StockEdit::Adjust(Adjustment {
                by,
                reason: "inventaire".into(),
            })
        };
        let set = adjust(AdjustBy::Set(3)).step_from(10);
        assert_eq!(set.map(|s| (s.quantity, s.available_after)), Ok((-7, 3)));
        assert_eq!(
            adjust(AdjustBy::Delta(-4)).step_from(3),
            Err(BelowZero {
                available: 3,
                delta: -4
            })
        );
        assert_eq!(adjust(AdjustBy::Delta(-3)).note(), Some("inventaire"));
    }

    #[test]
    fn an_edit_s_movement_is_its_step_by_its_actor_with_its_note() {
        let edit = StockEdit::Adjust(Adjustment {
            by: AdjustBy::Set(3),
            reason: "inventaire".into(),
        });
        let movement = edit
            .movement("ROBE-M", 10, "amina", "2026-11-28T00:00:00.000000Z")
            .map(|m| m.written(7, VariantName::default(), None));
        let movement = movement.expect("3 units are left");
        assert_eq!((movement.quantity, movement.available_after), (-7, 3));
        assert_eq!(movement.id, "7");
        assert_eq!(movement.actor.as_deref(), Some("amina"));
        assert_eq!(movement.note.as_deref(), Some("inventaire"));
        assert_eq!(movement.order_id, None);
    }

    #[test]
    fn a_restock_brings_at_least_one_unit() {
        let limits = Limits::default();
        let restock = |q| {
            RestockInput {
                quantity: q,
                note: None,
            }
            .validate(&limits)
        };
        assert!(restock(Some(1)).is_ok());
        assert!(restock(Some(0)).is_err());
        assert!(restock(Some(-3)).is_err());
        assert!(restock(Some(1_000_001)).is_err());
        assert!(restock(None).is_err());
    }
}

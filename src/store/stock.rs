//! Stock above the backends: the SQL both databases run for levels and the
//! ledger's history, the movement a restock or an adjustment writes, and
//! the answer it gives.

use super::row::{StoredRow, unknown_value};
use super::{Resource, StockChange, StoreError};
use crate::domain::stock::{Movement, MovementKind, StockEdit};

/// Units on hand of the sku `$1`.
pub const AVAILABLE: &str = "select available from stock where sku = $1";

/// Sets the units on hand of the sku `$2` to `$1`.
pub const SET_AVAILABLE: &str = "update stock set available = $1 where sku = $2";

/// A page of the ledger, newest first, read by `movement_row`: sku `$1`,
/// kind `$2`, from `$3`, before `$4`, ids below `$5` (each when given),
/// at most `$6` rows.
pub const MOVEMENTS_PAGE: &str = "select id, sku, kind, quantity, available_after, order_id, actor, note, created_at
    from stock_movements
    where (cast($1 as text) is null or sku = $1) and (cast($2 as text) is null or kind = $2)
      and (cast($3 as text) is null or created_at >= $3) and (cast($4 as text) is null or created_at < $4)
      and (cast($5 as bigint) is null or id < $5)
    order by id desc limit $6";

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
}

impl NewMovement<'_> {
    /// The movement as written, under the id the database gave it.
    pub fn written(&self, id: i64) -> Movement {
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
        }
    }
}

/// The movement an admin's `edit` writes on the stock of `sku`, found at
/// `available`; refused when it would leave fewer than zero units.
pub fn edit_movement<'a>(
    sku: &'a str,
    edit: &'a StockEdit,
    available: i64,
    actor: &'a str,
    now: &'a str,
) -> Result<NewMovement<'a>, StoreError> {
    let step = edit
        .step_from(available)
        .map_err(|refused| StoreError::StockWouldGoNegative {
            sku: sku.to_owned(),
            available: refused.available,
            delta: refused.delta,
        })?;
    Ok(NewMovement {
        sku,
        kind: step.kind,
        quantity: step.quantity,
        available_after: step.available_after,
        order_id: None,
        actor: Some(actor),
        note: edit.note(),
        created_at: now,
    })
}

impl From<Movement> for StockChange {
    fn from(movement: Movement) -> StockChange {
        StockChange {
            sku: movement.sku.clone(),
            available: movement.available_after,
            movement,
        }
    }
}

/// The level read for `sku`, if its stock row was found.
pub fn level_of(found: Option<i64>, sku: &str) -> Result<i64, StoreError> {
    found.ok_or_else(|| StoreError::not_found(Resource::Sku, sku))
}

/// A row of `MOVEMENTS_PAGE` (or any query of its columns).
pub fn movement_row(row: &impl StoredRow) -> Result<Movement, StoreError> {
    let kind: String = row.value(2)?;
    Ok(Movement {
        id: row.value::<i64>(0)?.to_string(),
        sku: row.value(1)?,
        kind: MovementKind::parse(&kind).ok_or_else(|| unknown_value("kind", &kind))?,
        quantity: row.value(3)?,
        available_after: row.value(4)?,
        order_id: row.value(5)?,
        actor: row.value(6)?,
        note: row.value(7)?,
        created_at: row.value(8)?,
    })
}

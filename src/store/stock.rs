//! Stock above the backends: restocks and adjustments, a variant's level,
//! the ledger's movements written and read in pages, on either database.

use super::db::{Db, Param};
use super::events;
use super::row::{Row, pair_row, unknown_value};
use super::{Resource, StoreError};
use crate::domain::FieldError;
use crate::domain::page::{MovementFilter, Page, page, rows_for};
use crate::domain::sku::Sku;
use crate::domain::stock::{
    BelowZero, Movement, MovementKind, NewMovement, StockChange, StockEdit,
};
use crate::domain::time;

/// Units on hand of the sku `$1`.
const AVAILABLE: &str = "select available from stock where sku = $1";

/// Every sku's units on hand, for the metrics.
const LEVELS: &str = "select sku, available from stock order by sku";

/// Sets the units on hand of the sku `$2` to `$1`.
pub(super) const SET_AVAILABLE: &str = "update stock set available = $1 where sku = $2";

/// A page of the ledger, newest first, read by `movement_row`: sku `$1`,
/// kind `$2`, from `$3`, before `$4`, of the receipt `$5`, ids below `$6`
/// (each when given), at most `$7` rows; with each restock's receipt.
const MOVEMENTS_PAGE: &str = "select m.id, m.sku, m.kind, m.quantity, m.available_after, m.order_id,
      m.actor, m.note, m.created_at, m.receipt_id, r.reference
    from stock_movements m left join receipts r on r.id = m.receipt_id
    where (cast($1 as text) is null or m.sku = $1) and (cast($2 as text) is null or m.kind = $2)
      and (cast($3 as text) is null or m.created_at >= $3) and (cast($4 as text) is null or m.created_at < $4)
      and (cast($5 as text) is null or m.receipt_id = $5)
      and (cast($6 as bigint) is null or m.id < $6)
    order by m.id desc limit $7";

/// Appends one movement to the ledger.
const INSERT_MOVEMENT: &str = "insert into stock_movements
    (sku, kind, quantity, available_after, order_id, actor, note, created_at, receipt_id)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// A restock or an adjustment: the level read (locked until the
/// transaction ends where the database locks rows), the step decided, the
/// level written and the movement recorded.
pub async fn edit<D: Db>(
    db: &D,
    sku: &str,
    edit: &StockEdit,
    actor: &str,
) -> Result<StockChange, D::Error> {
    let available = level(db, sku, true).await?;
    let now = time::now();
    let movement = edit
        .movement(sku, available, actor, &now)
        .map_err(|refused| below_zero(sku, refused))?;
    db.write(SET_AVAILABLE, &[&movement.available_after, &sku])
        .await?;
    Ok(record(db, movement).await?.into())
}

/// The refusal of an edit that would leave `sku` below zero.
pub(super) fn below_zero(sku: &str, refused: BelowZero) -> StoreError {
    StoreError::StockWouldGoNegative {
        sku: sku.to_owned(),
        available: refused.available,
        delta: refused.delta,
    }
}

/// The refusal of a line (`lines[{index}].sku`) naming a sku nobody has.
pub(super) fn unknown_line_sku(index: usize, sku: &str) -> FieldError {
    FieldError::new(
        format!("lines[{index}].sku"),
        format!("Aucun article ne porte la référence « {sku} »."),
        format!("No article has the sku `{sku}`."),
    )
}

/// Units on hand of `sku`, its row `locked` where the database locks rows;
/// `NotFound` for an unknown sku.
pub async fn level<D: Db>(db: &D, sku: &str, locked: bool) -> Result<i64, D::Error> {
    let found = level_if_known(db, sku, locked).await?;
    Ok(found.ok_or_else(|| StoreError::not_found(Resource::Sku, sku))?)
}

/// Units on hand of `sku`, its row `locked` where the database locks rows;
/// `None` for an unknown sku.
pub async fn level_if_known<D: Db>(
    db: &D,
    sku: &str,
    locked: bool,
) -> Result<Option<i64>, D::Error> {
    let sql = D::locking(AVAILABLE, locked);
    db.first(&sql, &[&sku], |row| row.value(0)).await
}

/// Every sku's units on hand, in sku order.
pub async fn levels<D: Db>(db: &D) -> Result<Vec<(String, i64)>, D::Error> {
    db.all(LEVELS, &[], pair_row).await
}

/// Writes one movement of the ledger, and the event it raises when the
/// level crosses a threshold; every stock change but a checkout's goes
/// through here (a checkout's batch writes its own, as the engine decided).
pub async fn record<D: Db>(db: &D, m: NewMovement<'_>) -> Result<Movement, D::Error> {
    let kind = m.kind.as_str();
    let receipt_id = m.receipt.map(|r| r.id);
    let params: [&dyn Param; 9] = [
        &m.sku,
        &kind,
        &m.quantity,
        &m.available_after,
        &m.order_id,
        &m.actor,
        &m.note,
        &m.created_at,
        &receipt_id,
    ];
    let id = db.insert(INSERT_MOVEMENT, &params).await?;
    if m.kind != MovementKind::Initial {
        // A new variant's first units are not "back in stock".
        let before = m.available_after - m.quantity;
        events::stock_moved(db, m.sku, before, m.available_after, m.created_at).await?;
    }
    Ok(m.written(id))
}

/// A page of the ledger, newest first; the cursor is the last movement's id.
pub async fn movements<D: Db>(db: &D, filter: &MovementFilter) -> Result<Page<Movement>, D::Error> {
    let kind = filter.kind.map(MovementKind::as_str);
    let sku = filter.sku.as_ref().map(Sku::as_str);
    let (from, to) = (filter.from.map(time::format), filter.to.map(time::format));
    let params: [&dyn Param; 7] = [
        &sku,
        &kind,
        &from,
        &to,
        &filter.receipt,
        &filter.before_id,
        &rows_for(filter.limit),
    ];
    let rows = db.all(MOVEMENTS_PAGE, &params, movement_row).await?;
    Ok(page(rows, filter.limit, |m| m.id.clone()))
}

/// A row of `MOVEMENTS_PAGE`.
pub fn movement_row(row: &Row) -> Result<Movement, StoreError> {
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
        receipt_id: row.value(9)?,
        receipt_reference: row.value(10)?,
    })
}

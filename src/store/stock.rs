//! Stock above the backends: restocks and adjustments, a variant's level,
//! the ledger's movements written and read in pages, on either database.

use super::catalog::color_from_stored;
use super::db::{Db, Param};
use super::events;
use super::preorders::{self, Arrived};
use super::row::{Row, pair_row, unknown_value};
use super::{Resource, StoreError};
use crate::domain::FieldError;
use crate::domain::page::{MovementFilter, Page, page, rows_for};
use crate::domain::sku::Sku;
use crate::domain::stock::{
    BelowZero, Movement, MovementKind, NewMovement, StockChange, StockEdit, VariantName,
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
/// (each when given), of the skus in the JSON array `$7` when given
/// (`{skus}` is the database's subquery of its texts), at most `$8` rows; with
/// each variant's name, each restock's receipt and each sale's order number.
const MOVEMENTS_PAGE: &str = "select m.id, m.sku, m.kind, m.quantity, m.available_after, m.order_id,
      m.actor, m.note, m.created_at, m.receipt_id, r.reference, p.title, v.size, v.color, o.number
    from stock_movements m
      join variants v on v.sku = m.sku
      join products p on p.id = v.product_id
      left join receipts r on r.id = m.receipt_id
      left join orders o on o.id = m.order_id
    where (cast($1 as text) is null or m.sku = $1) and (cast($2 as text) is null or m.kind = $2)
      and (cast($3 as text) is null or m.created_at >= $3) and (cast($4 as text) is null or m.created_at < $4)
      and (cast($5 as text) is null or m.receipt_id = $5)
      and (cast($6 as bigint) is null or m.id < $6)
      and (cast($7 as text) is null or m.sku in ({skus}))
    order by m.id desc limit $8";

/// Every variant's sku and name, for a search of the ledger.
const VARIANT_NAMES: &str = "select v.sku, p.title, v.size, v.color
    from variants v join products p on p.id = v.product_id";

/// The number of the order `$1` if any, and the name of the variant `$2`.
const NAME_OF: &str = "select (select number from orders where id = $1), p.title, v.size, v.color
    from variants v join products p on p.id = v.product_id where v.sku = $2";

/// Appends one movement to the ledger.
const INSERT_MOVEMENT: &str = "insert into stock_movements
    (sku, kind, quantity, available_after, order_id, actor, note, created_at, receipt_id)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// A restock or an adjustment: the level read (locked until the
/// transaction ends where the database locks rows), the step decided, the
/// level written and the movement recorded. A restock's units serve the
/// waiting preorders first, in this transaction, before any sale sees them
/// (the orders waiting locked before the stock row: `store/preorders.rs`).
pub async fn edit<D: Db>(
    db: &D,
    sku: &str,
    edit: &StockEdit,
    actor: &str,
) -> Result<StockChange, D::Error> {
    if matches!(edit, StockEdit::Restock(_)) {
        preorders::lock_waiting_orders(db, &[sku]).await?;
    }
    let available = level(db, sku, true).await?;
    let now = time::now();
    let movement = edit
        .movement(sku, available, actor, &now)
        .map_err(|refused| below_zero(sku, refused))?;
    db.write(SET_AVAILABLE, &[&movement.available_after, &sku])
        .await?;
    if movement.kind != MovementKind::Restock {
        return Ok(record_named(db, movement).await?.into());
    }
    let id = insert_movement(db, &movement).await?;
    let arrived = Arrived {
        sku,
        before: available,
        actor,
        at: &now,
        receipt: None,
    };
    let allocations = preorders::serve_waiting(db, arrived).await?;
    let restock = named(db, movement, id).await?;
    Ok(StockChange::with_allocations(restock, allocations))
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
/// level crosses a threshold; every stock change but a checkout's and a
/// restock's goes through here (a checkout's batch writes its own, as the
/// engine decided; a restock tells its crossing once its units have
/// served the waiting preorders, `preorders::serve_waiting`). Answers the
/// movement's id.
pub async fn record<D: Db>(db: &D, m: &NewMovement<'_>) -> Result<i64, D::Error> {
    let id = insert_movement(db, m).await?;
    if m.kind != MovementKind::Initial {
        // A new variant's first units are not "back in stock".
        let before = m.available_after - m.quantity;
        events::stock_moved(db, m.sku, before, m.available_after, m.created_at).await?;
    }
    Ok(id)
}

/// Writes one movement of the ledger and nothing else: its caller tells
/// the level's crossing. Answers the movement's id.
pub async fn insert_movement<D: Db>(db: &D, m: &NewMovement<'_>) -> Result<i64, D::Error> {
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
    db.insert(INSERT_MOVEMENT, &params).await
}

/// Writes one movement, and answers it as the ledger shows it: with its
/// variant's name and its order's number.
pub async fn record_named<D: Db>(db: &D, m: NewMovement<'_>) -> Result<Movement, D::Error> {
    let id = record(db, &m).await?;
    named(db, m, id).await
}

/// The movement `m`, written under `id`, as the ledger shows it.
pub async fn named<D: Db>(db: &D, m: NewMovement<'_>, id: i64) -> Result<Movement, D::Error> {
    let (name, number) = db
        .one(NAME_OF, &[&m.order_id, &m.sku], |row| {
            let name = VariantName {
                title: row.value(1)?,
                size: row.value(2)?,
                color: color_from_stored(row.value(3)?),
            };
            Ok((name, row.value::<Option<String>>(0)?))
        })
        .await?;
    Ok(m.written(id, name, number))
}

/// A page of the ledger, newest first; the cursor is the last movement's
/// id. Searched words (`filter.words`) become the skus they name, read in
/// the same transaction.
pub async fn movements<D: Db>(db: &D, filter: &MovementFilter) -> Result<Page<Movement>, D::Error> {
    let kind = filter.kind.map(MovementKind::as_str);
    let sku = filter.sku.as_ref().map(Sku::as_str);
    let (from, to) = (filter.from.map(time::format), filter.to.map(time::format));
    let skus = if filter.words.is_empty() {
        None
    } else {
        let named = db.all(VARIANT_NAMES, &[], variant_name_row).await?;
        let found: Vec<&str> = named
            .iter()
            .filter(|(sku, name)| filter.names(sku, name))
            .map(|(sku, _)| sku.as_str())
            .collect();
        if found.is_empty() {
            return Ok(Page {
                items: Vec::new(),
                next_cursor: None,
            });
        }
        Some(serde_json::to_string(&found).map_err(|e| StoreError::Internal(e.to_string()))?)
    };
    let params: [&dyn Param; 8] = [
        &sku,
        &kind,
        &from,
        &to,
        &filter.receipt,
        &filter.before_id,
        &skus,
        &rows_for(filter.limit),
    ];
    let sql = MOVEMENTS_PAGE.replace("{skus}", &D::json_texts("$7"));
    let rows = db.all(&sql, &params, movement_row).await?;
    Ok(page(rows, filter.limit, |m| m.id.clone()))
}

/// A row of `VARIANT_NAMES`.
fn variant_name_row(row: &Row) -> Result<(String, VariantName), StoreError> {
    Ok((
        row.value(0)?,
        VariantName {
            title: row.value(1)?,
            size: row.value(2)?,
            color: color_from_stored(row.value(3)?),
        },
    ))
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
        title: row.value(11)?,
        size: row.value(12)?,
        color: color_from_stored(row.value(13)?),
        order_number: row.value(14)?,
    })
}

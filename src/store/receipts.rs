//! Deliveries above the backends: a receipt written with one `restock`
//! movement per line in one transaction, read back, listed in pages.

use super::db::{Db, Param};
use super::preorders::{self, Arrived};
use super::row::Row;
use super::stock::{SET_AVAILABLE, insert_movement, level_if_known, unknown_line_sku};
use super::{Resource, StoreError};
use crate::domain::page::{Page, ReceiptFilter, page, rows_for};
use crate::domain::receiving::{NewReceipt, Receipt, ReceiptLine, ReceiptSummary};
use crate::domain::stock::{MovementKind, NewMovement, ReceiptOf};
use crate::domain::{FieldError, ValidationError, time};

/// Whether the variant `$1` is retired (1) or not (0).
const RETIRED: &str = "select retired from variants where sku = $1";

const INSERT_RECEIPT: &str = "insert into receipts
    (id, reference, supplier, note, total, actor, created_at) values ($1, $2, $3, $4, $5, $6, $7)";

/// The columns `summary_row` reads, in its order.
macro_rules! receipt_columns {
    () => {
        "r.id, r.reference, r.supplier, r.note, r.total, r.actor, r.created_at,
         (select count(*) from stock_movements m where m.receipt_id = r.id and m.kind = 'restock')"
    };
}

/// The receipt `$1`.
const RECEIPT: &str = concat!(
    "select ",
    receipt_columns!(),
    " from receipts r where r.id = $1"
);

/// A page of receipts, newest first: before the time `$1` (or at `$1`
/// with an id below `$2`) when given, at most `$3` rows.
const RECEIPTS_PAGE: &str = concat!(
    "select ",
    receipt_columns!(),
    " from receipts r
    where cast($1 as text) is null or r.created_at < $1 or (r.created_at = $1 and r.id < $2)
    order by r.created_at desc, r.id desc limit $3"
);

/// The lines of the receipt `$1` in the order received, read by
/// `line_row`: each `restock` movement, with the units its receipt gave to
/// waiting preorders of its sku (its `preorder_allocation` movements).
const RECEIPT_LINES: &str = "select m.sku, p.title, v.size, v.color, m.quantity, m.available_after,
      m.id, cast(coalesce((select -sum(a.quantity) from stock_movements a
        where a.receipt_id = m.receipt_id and a.sku = m.sku
          and a.kind = 'preorder_allocation'), 0) as bigint)
    from stock_movements m join variants v on v.sku = m.sku join products p on p.id = v.product_id
    where m.receipt_id = $1 and m.kind = 'restock' order by m.id";

/// Receives a delivery: the orders its skus' preorders wait in locked
/// first, then every line's stock read (locked, in sku order, as a
/// checkout locks them), unknown and retired skus refused together, then
/// the receipt and one `restock` movement per line written, each line's
/// units serving its sku's waiting preorders first.
pub async fn receive<D: Db>(
    db: &D,
    receipt: &NewReceipt,
    actor: &str,
) -> Result<Receipt, D::Error> {
    let mut by_sku: Vec<_> = receipt.lines.iter().collect();
    by_sku.sort_by(|a, b| a.sku.cmp(&b.sku));
    let skus: Vec<&str> = by_sku.iter().map(|l| l.sku.as_str()).collect();
    preorders::lock_waiting_orders(db, &skus).await?;
    let mut levels = Vec::with_capacity(by_sku.len());
    let mut refused = Vec::new();
    for line in by_sku {
        let sku = line.sku.as_str();
        let Some(available) = level_if_known(db, sku, true).await? else {
            refused.push((line.index, unknown_line_sku(line.index, sku)));
            continue;
        };
        levels.push((sku, available));
        let retired: i64 = db.one(RETIRED, &[&sku], |r| r.value(0)).await?;
        if retired == 1 {
            refused.push(retired_sku(line.index, sku));
        }
    }
    if !refused.is_empty() {
        refused.sort_by_key(|(index, _)| *index);
        let fields = refused.into_iter().map(|(_, error)| error).collect();
        return Err(StoreError::from(ValidationError(fields)).into());
    }
    let id = uuid::Uuid::now_v7().to_string();
    let now = time::now();
    let total = receipt.total();
    let params: [&dyn Param; 7] = [
        &id,
        &receipt.reference,
        &receipt.supplier.as_deref().unwrap_or(""),
        &receipt.note,
        &total,
        &actor,
        &now,
    ];
    db.write(INSERT_RECEIPT, &params).await?;
    let of = ReceiptOf {
        id: &id,
        reference: &receipt.reference,
    };
    for line in &receipt.lines {
        let sku = line.sku.as_str();
        let before = levels
            .iter()
            .find(|(s, _)| *s == sku)
            .map_or(0, |(_, available)| *available);
        let available_after = before + line.quantity;
        db.write(SET_AVAILABLE, &[&available_after, &sku]).await?;
        let movement = NewMovement {
            sku,
            kind: MovementKind::Restock,
            quantity: line.quantity,
            available_after,
            order_id: None,
            actor: Some(actor),
            note: Some(&receipt.reference),
            created_at: &now,
            receipt: Some(of),
        };
        insert_movement(db, &movement).await?;
        let arrived = Arrived {
            sku,
            before,
            actor,
            at: &now,
            receipt: Some(of),
        };
        preorders::serve_waiting(db, arrived).await?;
    }
    load(db, &id).await
}

fn retired_sku(index: usize, sku: &str) -> (usize, FieldError) {
    let field = format!("lines[{index}].sku");
    let error = FieldError::new(
        field,
        format!(
            "L'article {sku} est retiré de la vente : remettez-le en vente avant de le recevoir."
        ),
        format!("The article {sku} is retired: put it back on sale before receiving it."),
    );
    (index, error)
}

/// The receipt `id` with its lines; `NotFound` when there is none.
pub async fn load<D: Db>(db: &D, id: &str) -> Result<Receipt, D::Error> {
    let summary = db
        .first(RECEIPT, &[&id], summary_row)
        .await?
        .ok_or_else(|| StoreError::not_found(Resource::Receipt, id))?;
    let lines = db.all(RECEIPT_LINES, &[&id], line_row).await?;
    Ok(Receipt {
        id: summary.id,
        reference: summary.reference,
        supplier: summary.supplier,
        note: summary.note,
        total: summary.total,
        lines,
        created_at: summary.created_at,
        actor: summary.actor,
    })
}

/// A page of receipts, newest first; the cursor is the last one's time and id.
pub async fn list<D: Db>(db: &D, filter: &ReceiptFilter) -> Result<Page<ReceiptSummary>, D::Error> {
    let (at, id) = match &filter.before {
        Some((at, id)) => (Some(at.as_str()), Some(id.as_str())),
        None => (None, None),
    };
    let params: [&dyn Param; 3] = [&at, &id, &rows_for(filter.limit)];
    let rows = db.all(RECEIPTS_PAGE, &params, summary_row).await?;
    Ok(page(rows, filter.limit, |r| {
        format!("{} {}", r.created_at, r.id)
    }))
}

/// A row of `RECEIPT` or `RECEIPTS_PAGE`.
fn summary_row(row: &Row) -> Result<ReceiptSummary, StoreError> {
    let supplier: String = row.value(2)?;
    Ok(ReceiptSummary {
        id: row.value(0)?,
        reference: row.value(1)?,
        supplier: Some(supplier).filter(|s| !s.is_empty()),
        note: row.value(3)?,
        total: row.value(4)?,
        actor: row.value(5)?,
        created_at: row.value(6)?,
        line_count: row.value(7)?,
    })
}

/// A row of `RECEIPT_LINES`.
fn line_row(row: &Row) -> Result<ReceiptLine, StoreError> {
    let color: Option<String> = row.value(3)?;
    Ok(ReceiptLine {
        sku: row.value(0)?,
        title: row.value(1)?,
        size: row.value(2)?,
        color: color.filter(|c| !c.is_empty()),
        quantity: row.value(4)?,
        // Right after the receipt: what its waiting preorders left.
        available: row.value::<i64>(5)? - row.value::<i64>(7)?,
        movement_id: row.value::<i64>(6)?.to_string(),
        preorders: row.value(7)?,
    })
}

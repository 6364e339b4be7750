//! The row locks a checkout takes, always in this order so that two
//! checkouts never deadlock: the customer's row, then each line's stock
//! row, in sku order.

use deadpool_postgres::Transaction;

use super::sql::{execute, query_one, query_opt};
use super::transaction::TxError;
use crate::domain::order::RequestedLine;
use crate::domain::phone::Phone;
use crate::store::{Resource, StoreError};

/// Takes the customer's row lock, creating the row on their first order,
/// and answers their count of orders toward the limit. Every checkout of
/// one customer passes here, one at a time.
pub async fn lock_customer(tx: &Transaction<'_>, phone: &Phone) -> Result<i64, TxError> {
    execute(
        tx,
        "insert into customers (phone) values ($1) on conflict (phone) do nothing",
        &[&phone.as_str()],
    )
    .await?;
    Ok(query_one(
        tx,
        "select orders_counted from customers where phone = $1 for update",
        &[&phone.as_str()],
    )
    .await?
    .try_get(0)?)
}

/// The conditional decrement: takes the units only if they are all there.
/// `Ok(left after)`, or `Err(available)` when the line is short.
///
/// A decrement that waited on another checkout's row lock sees the row as
/// that one left it (READ COMMITTED re-checks `available >= n` on the newest
/// version), so it is refused only when the units really are gone.
pub async fn take_stock(
    tx: &Transaction<'_>,
    line: &RequestedLine,
) -> Result<Result<i64, i64>, TxError> {
    let sku = line.sku.as_str();
    let taken = query_opt(
        tx,
        "update stock set available = available - $2 where sku = $1 and available >= $2 returning available",
        &[&sku, &line.quantity],
    )
    .await?;
    if let Some(row) = taken {
        return Ok(Ok(row.try_get(0)?));
    }
    // Short — unless units came back (a restock, a cancel) since the update
    // looked. Read under the row lock, which holds the level still, and
    // take the units after all if they are there now.
    let available: i64 = query_opt(
        tx,
        "select available from stock where sku = $1 for update",
        &[&sku],
    )
    .await?
    .ok_or_else(|| StoreError::not_found(Resource::Sku, sku))?
    .try_get(0)?;
    if available < line.quantity {
        return Ok(Err(available));
    }
    let left: i64 = query_one(
        tx,
        "update stock set available = available - $2 where sku = $1 returning available",
        &[&sku, &line.quantity],
    )
    .await?
    .try_get(0)?;
    Ok(Ok(left))
}

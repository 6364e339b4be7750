//! Running a statement on SQLite and reading its rows (each value is read
//! as `store/row.rs` says), plus the loads and writes several verbs share.

use rusqlite::{Connection, Params, Row, params};

use crate::domain::order::{Order, OrderLine};
use crate::domain::product::Product;
use crate::domain::stock::Movement;
use crate::store::admins::INSERT_ADMIN_ACTION;
use crate::store::catalog::{PRODUCT_BY_KEY, PRODUCTS, VARIANTS_OF, product_row, variant_row};
use crate::store::orders::{ORDER_BY_ID, ORDER_LINES, line_row, order_with_token_row};
pub use crate::store::stock::NewMovement;
use crate::store::{Resource, StoreError};

/// Every row `sql` answers, each read by `read`.
pub fn all<T>(
    conn: &Connection,
    sql: &str,
    params: impl Params,
    mut read: impl FnMut(&Row<'_>) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut statement = conn.prepare_cached(sql)?;
    let mut rows = statement.query(params)?;
    let mut values = Vec::new();
    while let Some(row) = rows.next()? {
        values.push(read(row)?);
    }
    Ok(values)
}

/// The first row `sql` answers, if any, read by `read`.
pub fn first<T>(
    conn: &Connection,
    sql: &str,
    params: impl Params,
    read: impl FnOnce(&Row<'_>) -> Result<T, StoreError>,
) -> Result<Option<T>, StoreError> {
    let mut statement = conn.prepare_cached(sql)?;
    let mut rows = statement.query(params)?;
    rows.next()?.map(read).transpose()
}

/// The one row `sql` always answers, read by `read`.
pub fn one<T>(
    conn: &Connection,
    sql: &str,
    params: impl Params,
    read: impl FnOnce(&Row<'_>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    first(conn, sql, params, read)?.ok_or_else(|| rusqlite::Error::QueryReturnedNoRows.into())
}

/// A product by id or slug, with its variants and their stock.
pub fn load_product(
    conn: &Connection,
    id_or_slug: &str,
    currency: &str,
) -> Result<Product, StoreError> {
    let product = first(conn, PRODUCT_BY_KEY, [id_or_slug], |row| {
        product_row(row, currency)
    })?
    .ok_or_else(|| StoreError::not_found(Resource::Product, id_or_slug))?;
    with_variants(conn, product)
}

/// Every product, newest first.
pub fn load_products(conn: &Connection, currency: &str) -> Result<Vec<Product>, StoreError> {
    all(conn, PRODUCTS, [], |row| product_row(row, currency))?
        .into_iter()
        .map(|product| with_variants(conn, product))
        .collect()
}

fn with_variants(conn: &Connection, product: Product) -> Result<Product, StoreError> {
    let variants = all(conn, VARIANTS_OF, [&product.id], |row| variant_row(row))?;
    Ok(product.with_variants(variants))
}

/// An order with its lines, and the hash of its access token.
pub fn load_order(conn: &Connection, id: &str) -> Result<(Order, String), StoreError> {
    let (mut order, token_hash) = first(conn, ORDER_BY_ID, [id], |row| order_with_token_row(row))?
        .ok_or_else(|| StoreError::not_found(Resource::Order, id))?;
    order.lines = order_lines(conn, id)?;
    Ok((order, token_hash))
}

pub fn order_lines(conn: &Connection, order_id: &str) -> Result<Vec<OrderLine>, StoreError> {
    all(conn, ORDER_LINES, [order_id], |row| line_row(row))
}

/// Writes one movement of the ledger; every stock change goes through here.
pub fn record_movement(conn: &Connection, m: NewMovement<'_>) -> Result<Movement, StoreError> {
    // No `returning`: SQLite builds a temporary table for it on every call.
    conn.prepare_cached(
        "insert into stock_movements (sku, kind, quantity, available_after, order_id, actor, note, created_at)
         values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![m.sku, m.kind.as_str(), m.quantity, m.available_after, m.order_id, m.actor, m.note, m.created_at])?;
    Ok(m.written(conn.last_insert_rowid()))
}

/// Remembers an admin action that changed something, with its actor.
pub fn record_admin_action(
    conn: &Connection,
    actor: &str,
    action: &str,
    subject: &str,
    at: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached(INSERT_ADMIN_ACTION)?
        .execute(params![actor, action, subject, at])?;
    Ok(())
}

/// Whether an error is a unique-key violation (a duplicate slug, sku or name).
pub fn is_unique_violation(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(e, _) if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
    )
}

/// A unique-key violation as `AlreadyExists { field, value }`, other errors as they are.
pub fn duplicate_or(error: rusqlite::Error, field: &'static str, value: &str) -> StoreError {
    if is_unique_violation(&error) {
        StoreError::AlreadyExists {
            field,
            value: value.to_owned(),
        }
    } else {
        error.into()
    }
}

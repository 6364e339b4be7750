//! Running a statement on PostgreSQL and reading its rows (each value is
//! read as `store/row.rs` says), plus the loads and writes several verbs
//! share.

use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use super::sql::{Params, execute, query, query_one, query_opt};
use super::transaction::TxError;
use crate::domain::order::Order;
use crate::domain::product::Product;
use crate::domain::stock::Movement;
use crate::store::admins::INSERT_ADMIN_ACTION;
pub use crate::store::catalog::color_from_stored;
use crate::store::catalog::{PRODUCT_BY_KEY, PRODUCTS, VARIANTS_OF, product_row, variant_row};
use crate::store::orders::{ORDER_BY_ID, ORDER_LINES, line_row, order_with_token_row};
use crate::store::row::StoredRow;
pub use crate::store::stock::NewMovement;
use crate::store::{Resource, StoreError};

/// Every row `sql` answers, each read by `read`.
pub async fn all<C: GenericClient, T>(
    client: &C,
    sql: &str,
    params: &Params<'_>,
    read: impl Fn(&Row) -> Result<T, StoreError>,
) -> Result<Vec<T>, TxError> {
    let rows = query(client, sql, params).await?;
    Ok(rows.iter().map(read).collect::<Result<_, _>>()?)
}

/// The first row `sql` answers, if any, read by `read`.
pub async fn first<C: GenericClient, T>(
    client: &C,
    sql: &str,
    params: &Params<'_>,
    read: impl FnOnce(&Row) -> Result<T, StoreError>,
) -> Result<Option<T>, TxError> {
    let row = query_opt(client, sql, params).await?;
    Ok(row.as_ref().map(read).transpose()?)
}

/// A product by id or slug, with its variants and their stock.
pub async fn load_product<C: GenericClient>(
    client: &C,
    id_or_slug: &str,
    currency: &str,
) -> Result<Product, TxError> {
    let product = first(client, PRODUCT_BY_KEY, &[&id_or_slug], |row| {
        product_row(row, currency)
    })
    .await?
    .ok_or_else(|| StoreError::not_found(Resource::Product, id_or_slug))?;
    with_variants(client, product).await
}

/// Every product, newest first.
pub async fn load_products<C: GenericClient>(
    client: &C,
    currency: &str,
) -> Result<Vec<Product>, TxError> {
    let mut products = Vec::new();
    for product in all(client, PRODUCTS, &[], |row| product_row(row, currency)).await? {
        products.push(with_variants(client, product).await?);
    }
    Ok(products)
}

async fn with_variants<C: GenericClient>(client: &C, product: Product) -> Result<Product, TxError> {
    let variants = all(client, VARIANTS_OF, &[&product.id], variant_row).await?;
    Ok(product.with_variants(variants))
}

/// An order with its lines, and the hash of its access token. With
/// `lock`, the order row stays locked until the transaction ends.
pub async fn load_order<C: GenericClient>(
    client: &C,
    id: &str,
    lock: bool,
) -> Result<(Order, String), TxError> {
    let locked;
    let sql = if lock {
        locked = format!("{ORDER_BY_ID} for update");
        locked.as_str()
    } else {
        ORDER_BY_ID
    };
    let (mut order, token_hash) = first(client, sql, &[&id], order_with_token_row)
        .await?
        .ok_or_else(|| StoreError::not_found(Resource::Order, id))?;
    order.lines = all(client, ORDER_LINES, &[&id], line_row).await?;
    Ok((order, token_hash))
}

/// Fills in the lines of many orders with one query.
pub async fn fill_order_lines<C: GenericClient>(
    client: &C,
    orders: &mut [Order],
) -> Result<(), TxError> {
    let ids: Vec<&str> = orders.iter().map(|o| o.id.as_str()).collect();
    let lines = all(
        client,
        "select sku, title, size, color, unit_price, quantity, line_total, order_id
         from order_lines where order_id = any($1) order by order_id, sku",
        &[&ids],
        |row| Ok((row.value::<String>(7)?, line_row(row)?)),
    )
    .await?;
    for (order_id, line) in lines {
        if let Some(order) = orders.iter_mut().find(|o| o.id == order_id) {
            order.lines.push(line);
        }
    }
    Ok(())
}

/// Appends one movement to the ledger; answers its id.
pub const INSERT_MOVEMENT: &str = "insert into stock_movements
    (sku, kind, quantity, available_after, order_id, actor, note, created_at)
    values ($1, $2, $3, $4, $5, $6, $7, $8) returning id";

/// Writes one movement of the ledger; every stock change goes through here.
pub async fn record_movement<C: GenericClient>(
    client: &C,
    m: NewMovement<'_>,
) -> Result<Movement, TxError> {
    let row = query_one(
        client,
        INSERT_MOVEMENT,
        &[
            &m.sku,
            &m.kind.as_str(),
            &m.quantity,
            &m.available_after,
            &m.order_id,
            &m.actor,
            &m.note,
            &m.created_at,
        ],
    )
    .await?;
    Ok(m.written(row.try_get(0)?))
}

/// Remembers an admin action that changed something, with its actor.
pub async fn record_admin_action<C: GenericClient>(
    client: &C,
    actor: &str,
    action: &str,
    subject: &str,
    at: &str,
) -> Result<(), TxError> {
    execute(
        client,
        INSERT_ADMIN_ACTION,
        &[&actor, &action, &subject, &at],
    )
    .await?;
    Ok(())
}

/// Whether an error is a unique-key violation (a duplicate slug, sku or name).
pub fn is_unique_violation(error: &TxError) -> bool {
    matches!(error, TxError::Db(e) if e.code().is_some_and(|c| c.code() == "23505"))
}

/// A unique-key violation as `AlreadyExists { field, value }`, other errors as they are.
pub fn duplicate_or(error: TxError, field: &'static str, value: &str) -> TxError {
    if is_unique_violation(&error) {
        StoreError::AlreadyExists {
            field,
            value: value.to_owned(),
        }
        .into()
    } else {
        error
    }
}

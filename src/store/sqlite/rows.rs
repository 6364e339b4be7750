//! Reading rows back into domain values; shared by reads and by writes that answer with what they wrote.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::domain::order::{CustomerView, Delivery, Order, OrderLine, OrderStatus};
use crate::domain::product::{Product, ProductFields, Variant};
use crate::domain::stock::{Movement, MovementKind};
use crate::store::{Resource, StoreError};

const PRODUCT_COLUMNS: &str =
    "id, slug, title, description, category, image_url, price, old_price, version";

fn product_row(row: &Row<'_>, currency: &str) -> rusqlite::Result<Product> {
    Ok(Product {
        id: row.get(0)?,
        slug: row.get(1)?,
        title: row.get(2)?,
        description: row.get(3)?,
        category: row.get(4)?,
        image_url: row.get(5)?,
        price: row.get(6)?,
        old_price: row.get(7)?,
        version: row.get(8)?,
        currency: currency.to_owned(),
        in_stock: false,
        variants: Vec::new(),
    })
}

fn color_from_stored(color: String) -> Option<String> {
    if color.is_empty() { None } else { Some(color) }
}

fn variants_of(conn: &Connection, product_id: &str) -> rusqlite::Result<Vec<Variant>> {
    let mut statement = conn.prepare_cached(
        "select v.sku, v.size, v.color, s.available
         from variants v join stock s on s.sku = v.sku
         where v.product_id = ?1 order by v.position",
    )?;
    let rows = statement.query_map([product_id], |row| {
        Ok(Variant {
            sku: row.get(0)?,
            size: row.get(1)?,
            color: color_from_stored(row.get(2)?),
            available: row.get(3)?,
        })
    })?;
    rows.collect()
}

fn with_variants(conn: &Connection, mut product: Product) -> rusqlite::Result<Product> {
    product.variants = variants_of(conn, &product.id)?;
    product.in_stock = product.variants.iter().any(|v| v.available > 0);
    Ok(product)
}

/// A product by id or slug, with its variants and their stock.
pub fn load_product(
    conn: &Connection,
    id_or_slug: &str,
    currency: &str,
) -> Result<Product, StoreError> {
    let sql = format!("select {PRODUCT_COLUMNS} from products where id = ?1 or slug = ?1");
    let product = conn
        .prepare_cached(&sql)?
        .query_row([id_or_slug], |row| product_row(row, currency))
        .optional()?
        .ok_or_else(|| StoreError::not_found(Resource::Product, id_or_slug))?;
    Ok(with_variants(conn, product)?)
}

/// Every product, newest first.
pub fn load_products(conn: &Connection, currency: &str) -> Result<Vec<Product>, StoreError> {
    let sql = format!("select {PRODUCT_COLUMNS} from products order by created_at desc, id");
    let mut statement = conn.prepare_cached(&sql)?;
    let products = statement
        .query_map([], |row| product_row(row, currency))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(products
        .into_iter()
        .map(|p| with_variants(conn, p))
        .collect::<rusqlite::Result<_>>()?)
}

pub fn fields_of(product: &Product) -> ProductFields {
    ProductFields {
        slug: product.slug.clone(),
        title: product.title.clone(),
        description: product.description.clone(),
        category: product.category.clone(),
        image_url: product.image_url.clone(),
        price: product.price,
        old_price: product.old_price,
    }
}

pub const MOVEMENT_COLUMNS: &str =
    "id, sku, kind, quantity, available_after, order_id, actor, note, created_at";

pub fn movement_row(row: &Row<'_>) -> rusqlite::Result<Movement> {
    let kind: String = row.get(2)?;
    Ok(Movement {
        id: row.get::<_, i64>(0)?.to_string(),
        sku: row.get(1)?,
        kind: MovementKind::parse(&kind).ok_or_else(|| unknown_value(2, &kind))?,
        quantity: row.get(3)?,
        available_after: row.get(4)?,
        order_id: row.get(5)?,
        actor: row.get(6)?,
        note: row.get(7)?,
        created_at: row.get(8)?,
    })
}

fn unknown_value(column: usize, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        column,
        rusqlite::types::Type::Text,
        format!("unknown stored value `{value}`").into(),
    )
}

pub const ORDER_COLUMNS: &str = "seq, id, number, status, created_at, currency, total, customer_name, \
     customer_phone, customer_email, delivery_address, pickup_number, notes";

/// An order row without its lines; `seq` comes first for pagination.
pub fn order_row(row: &Row<'_>) -> rusqlite::Result<(i64, Order)> {
    let status: String = row.get(3)?;
    let order = Order {
        id: row.get(1)?,
        number: row.get(2)?,
        status: OrderStatus::parse(&status).ok_or_else(|| unknown_value(3, &status))?,
        created_at: row.get(4)?,
        currency: row.get(5)?,
        total: row.get(6)?,
        customer: CustomerView {
            name: row.get(7)?,
            phone: row.get(8)?,
            email: row.get(9)?,
        },
        delivery: Delivery {
            address: row.get(10)?,
            pickup_number: row.get(11)?,
        },
        notes: row.get(12)?,
        lines: Vec::new(),
    };
    Ok((row.get(0)?, order))
}

pub fn order_lines(conn: &Connection, order_id: &str) -> rusqlite::Result<Vec<OrderLine>> {
    let mut statement = conn.prepare_cached(
        "select sku, title, size, color, unit_price, quantity, line_total
         from order_lines where order_id = ?1 order by sku",
    )?;
    let rows = statement.query_map([order_id], |row| {
        Ok(OrderLine {
            sku: row.get(0)?,
            title: row.get(1)?,
            size: row.get(2)?,
            color: row.get(3)?,
            unit_price: row.get(4)?,
            quantity: row.get(5)?,
            line_total: row.get(6)?,
        })
    })?;
    rows.collect()
}

/// An order with its lines, and the hash of its access token.
pub fn load_order(conn: &Connection, id: &str) -> Result<(Order, String), StoreError> {
    let sql = format!("select {ORDER_COLUMNS}, access_token_hash from orders where id = ?1");
    let found = conn
        .prepare_cached(&sql)?
        .query_row(params![id], |row| {
            Ok((order_row(row)?.1, row.get::<_, String>(13)?))
        })
        .optional()?;
    let (mut order, token_hash) =
        found.ok_or_else(|| StoreError::not_found(Resource::Order, id))?;
    order.lines = order_lines(conn, id)?;
    Ok((order, token_hash))
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
}

/// Writes one movement of the ledger; every stock change goes through here.
pub fn record_movement(conn: &Connection, m: NewMovement<'_>) -> Result<Movement, StoreError> {
    // No `returning`: SQLite builds a temporary table for it on every call.
    conn.prepare_cached(
        "insert into stock_movements (sku, kind, quantity, available_after, order_id, actor, note, created_at)
         values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![m.sku, m.kind.as_str(), m.quantity, m.available_after, m.order_id, m.actor, m.note, m.created_at])?;
    let id = conn.last_insert_rowid();
    Ok(Movement {
        id: id.to_string(),
        sku: m.sku.to_owned(),
        kind: m.kind,
        quantity: m.quantity,
        available_after: m.available_after,
        order_id: m.order_id.map(str::to_owned),
        actor: m.actor.map(str::to_owned),
        note: m.note.map(str::to_owned),
        created_at: m.created_at.to_owned(),
    })
}

/// Remembers an admin action that changed something, with its actor.
pub fn record_admin_action(
    conn: &Connection,
    actor: &str,
    action: &str,
    subject: &str,
    at: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "insert into admin_actions (actor, action, subject, created_at) values (?1, ?2, ?3, ?4)",
    )?
    .execute(params![actor, action, subject, at])?;
    Ok(())
}

/// Whether an error is a unique-key violation (a duplicate slug or sku).
pub fn is_unique_violation(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(e, _) if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
    )
}

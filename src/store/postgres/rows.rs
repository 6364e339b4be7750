//! Reading rows back into domain values; shared by reads and by writes that
//! answer with what they wrote.

use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use super::sql::{execute, query, query_one, query_opt};
use super::transaction::TxError;
use crate::domain::order::{CustomerView, Delivery, Order, OrderLine, OrderStatus};
use crate::domain::product::{Product, ProductFields, Variant};
use crate::domain::stock::{Movement, MovementKind};
use crate::store::{Resource, StoreError};

const PRODUCT_COLUMNS: &str =
    "id, slug, title, description, category, image_url, price, old_price, version";

fn product_row(row: &Row, currency: &str) -> Result<Product, tokio_postgres::Error> {
    Ok(Product {
        id: row.try_get(0)?,
        slug: row.try_get(1)?,
        title: row.try_get(2)?,
        description: row.try_get(3)?,
        category: row.try_get(4)?,
        image_url: row.try_get(5)?,
        price: row.try_get(6)?,
        old_price: row.try_get(7)?,
        version: row.try_get(8)?,
        currency: currency.to_owned(),
        in_stock: false,
        variants: Vec::new(),
    })
}

pub fn color_from_stored(color: String) -> Option<String> {
    if color.is_empty() { None } else { Some(color) }
}

async fn with_variants<C: GenericClient>(
    client: &C,
    mut product: Product,
) -> Result<Product, TxError> {
    let rows = query(
        client,
        "select v.sku, v.size, v.color, s.available
         from variants v join stock s on s.sku = v.sku
         where v.product_id = $1 order by v.position",
        &[&product.id],
    )
    .await?;
    product.variants = rows
        .iter()
        .map(|row| {
            Ok(Variant {
                sku: row.try_get(0)?,
                size: row.try_get(1)?,
                color: color_from_stored(row.try_get(2)?),
                available: row.try_get(3)?,
            })
        })
        .collect::<Result<_, tokio_postgres::Error>>()?;
    product.in_stock = product.variants.iter().any(|v| v.available > 0);
    Ok(product)
}

/// A product by id or slug, with its variants and their stock.
pub async fn load_product<C: GenericClient>(
    client: &C,
    id_or_slug: &str,
    currency: &str,
) -> Result<Product, TxError> {
    let sql = format!("select {PRODUCT_COLUMNS} from products where id = $1 or slug = $1");
    let row = query_opt(client, &sql, &[&id_or_slug])
        .await?
        .ok_or_else(|| StoreError::not_found(Resource::Product, id_or_slug))?;
    with_variants(client, product_row(&row, currency)?).await
}

/// Every product, newest first.
pub async fn load_products<C: GenericClient>(
    client: &C,
    currency: &str,
) -> Result<Vec<Product>, TxError> {
    let sql = format!("select {PRODUCT_COLUMNS} from products order by created_at desc, id");
    let mut products = Vec::new();
    for row in query(client, &sql, &[]).await? {
        products.push(with_variants(client, product_row(&row, currency)?).await?);
    }
    Ok(products)
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

pub fn movement_row(row: &Row) -> Result<Movement, TxError> {
    let kind: String = row.try_get(2)?;
    Ok(Movement {
        id: row.try_get::<_, i64>(0)?.to_string(),
        sku: row.try_get(1)?,
        kind: MovementKind::parse(&kind).ok_or_else(|| unknown_value("kind", &kind))?,
        quantity: row.try_get(3)?,
        available_after: row.try_get(4)?,
        order_id: row.try_get(5)?,
        actor: row.try_get(6)?,
        note: row.try_get(7)?,
        created_at: row.try_get(8)?,
    })
}

fn unknown_value(column: &str, value: &str) -> StoreError {
    StoreError::Internal(format!("unknown stored {column} `{value}`"))
}

pub const ORDER_COLUMNS: &str = "seq, id, number, status, created_at, currency, total, customer_name, \
     customer_phone, customer_email, delivery_address, pickup_number, notes";

/// An order row without its lines; `seq` comes first for pagination.
pub fn order_row(row: &Row) -> Result<(i64, Order), TxError> {
    let status: String = row.try_get(3)?;
    let order = Order {
        id: row.try_get(1)?,
        number: row.try_get(2)?,
        status: OrderStatus::parse(&status).ok_or_else(|| unknown_value("status", &status))?,
        created_at: row.try_get(4)?,
        currency: row.try_get(5)?,
        total: row.try_get(6)?,
        customer: CustomerView {
            name: row.try_get(7)?,
            phone: row.try_get(8)?,
            email: row.try_get(9)?,
        },
        delivery: Delivery {
            address: row.try_get(10)?,
            pickup_number: row.try_get(11)?,
        },
        notes: row.try_get(12)?,
        lines: Vec::new(),
    };
    Ok((row.try_get(0)?, order))
}

fn line_row(row: &Row) -> Result<OrderLine, tokio_postgres::Error> {
    Ok(OrderLine {
        sku: row.try_get(0)?,
        title: row.try_get(1)?,
        size: row.try_get(2)?,
        color: row.try_get(3)?,
        unit_price: row.try_get(4)?,
        quantity: row.try_get(5)?,
        line_total: row.try_get(6)?,
    })
}

pub async fn order_lines<C: GenericClient>(
    client: &C,
    order_id: &str,
) -> Result<Vec<OrderLine>, TxError> {
    let rows = query(
        client,
        "select sku, title, size, color, unit_price, quantity, line_total
         from order_lines where order_id = $1 order by sku",
        &[&order_id],
    )
    .await?;
    Ok(rows
        .iter()
        .map(line_row)
        .collect::<Result<_, tokio_postgres::Error>>()?)
}

/// Fills in the lines of many orders with one query.
pub async fn fill_order_lines<C: GenericClient>(
    client: &C,
    orders: &mut [Order],
) -> Result<(), TxError> {
    let ids: Vec<&str> = orders.iter().map(|o| o.id.as_str()).collect();
    let rows = query(
        client,
        "select sku, title, size, color, unit_price, quantity, line_total, order_id
         from order_lines where order_id = any($1) order by order_id, sku",
        &[&ids],
    )
    .await?;
    for row in &rows {
        let order_id: &str = row.try_get(7)?;
        if let Some(order) = orders.iter_mut().find(|o| o.id == order_id) {
            order.lines.push(line_row(row)?);
        }
    }
    Ok(())
}

/// An order with its lines, and the hash of its access token. With
/// `lock`, the order row stays locked until the transaction ends.
pub async fn load_order<C: GenericClient>(
    client: &C,
    id: &str,
    lock: bool,
) -> Result<(Order, String), TxError> {
    let sql = format!(
        "select {ORDER_COLUMNS}, access_token_hash from orders where id = $1{}",
        if lock { " for update" } else { "" }
    );
    let row = query_opt(client, &sql, &[&id])
        .await?
        .ok_or_else(|| StoreError::not_found(Resource::Order, id))?;
    let (_, mut order) = order_row(&row)?;
    let token_hash: String = row.try_get(13)?;
    order.lines = order_lines(client, id).await?;
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
    Ok(Movement {
        id: row.try_get::<_, i64>(0)?.to_string(),
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
pub async fn record_admin_action<C: GenericClient>(
    client: &C,
    actor: &str,
    action: &str,
    subject: &str,
    at: &str,
) -> Result<(), TxError> {
    execute(
        client,
        "insert into admin_actions (actor, action, subject, created_at) values ($1, $2, $3, $4)",
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

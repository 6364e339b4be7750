//! The catalog above the backends: the SQL both databases run for products
//! and variants, reading their rows, what a listing shows, when an edit
//! applies, and the `initial` movement of a new variant.

use super::StoreError;
use super::row::StoredRow;
use super::stock::NewMovement;
use crate::domain::product::{NewVariant, Product, ProductFields, ProductPatch, Variant};
use crate::domain::stock::MovementKind;

/// The columns `product_row` reads, in its order.
macro_rules! product_columns {
    () => {
        "id, slug, title, description, category, image_url, price, old_price, version"
    };
}

/// The product whose id or slug is `$1`.
pub const PRODUCT_BY_KEY: &str = concat!(
    "select ",
    product_columns!(),
    " from products where id = $1 or slug = $1"
);

/// Every product, newest first.
pub const PRODUCTS: &str = concat!(
    "select ",
    product_columns!(),
    " from products order by created_at desc, id"
);

/// The variants of the product `$1` with their stock, read by `variant_row`.
pub const VARIANTS_OF: &str = "select v.sku, v.size, v.color, s.available
    from variants v join stock s on s.sku = v.sku
    where v.product_id = $1 order by v.position";

/// A new product; `$9` is both its creation and its last change.
pub const INSERT_PRODUCT: &str = "insert into products
    (id, slug, title, description, category, image_url, price, old_price, created_at, updated_at)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)";

/// An admin's edit of the product `$9`, only if it is still at version
/// `$10`: of two edits from the same ETag, the second finds the version
/// moved on (on PostgreSQL, after waiting for the first's row lock).
pub const UPDATE_PRODUCT: &str = "update products set slug = $1, title = $2, description = $3,
    category = $4, image_url = $5, price = $6, old_price = $7, version = version + 1,
    updated_at = $8 where id = $9 and version = $10";

pub const INSERT_VARIANT: &str =
    "insert into variants (sku, product_id, size, color, position) values ($1, $2, $3, $4, $5)";

pub const INSERT_STOCK: &str = "insert into stock (sku, available) values ($1, $2)";

/// What the admin trail calls the catalog's changes.
pub const PRODUCT_CREATED: &str = "product.create";
pub const PRODUCT_UPDATED: &str = "product.update";

/// A row of `PRODUCT_BY_KEY` or `PRODUCTS`, its variants not read yet.
pub fn product_row(row: &impl StoredRow, currency: &str) -> Result<Product, StoreError> {
    Ok(Product {
        id: row.value(0)?,
        slug: row.value(1)?,
        title: row.value(2)?,
        description: row.value(3)?,
        category: row.value(4)?,
        image_url: row.value(5)?,
        price: row.value(6)?,
        old_price: row.value(7)?,
        version: row.value(8)?,
        currency: currency.to_owned(),
        in_stock: false,
        variants: Vec::new(),
    })
}

/// A row of `VARIANTS_OF`.
pub fn variant_row(row: &impl StoredRow) -> Result<Variant, StoreError> {
    Ok(Variant {
        sku: row.value(0)?,
        size: row.value(1)?,
        color: color_from_stored(row.value(2)?),
        available: row.value(3)?,
    })
}

/// A variant's colour as stored: `''` for none, so that the unique key on
/// (product, size, colour) also holds for products without colours.
pub fn stored_color(variant: &NewVariant) -> &str {
    variant.color.as_deref().unwrap_or("")
}

pub fn color_from_stored(color: String) -> Option<String> {
    if color.is_empty() { None } else { Some(color) }
}

/// The products a listing shows: all of them, or for the storefront only
/// those in stock, without their sold-out variants.
pub fn listing(products: Vec<Product>, in_stock_only: bool) -> Vec<Product> {
    if !in_stock_only {
        return products;
    }
    products
        .into_iter()
        .filter(|p| p.in_stock)
        .map(Product::without_sold_out_variants)
        .collect()
}

/// The fields `patch` leaves on `current`, or `None` when it changes
/// nothing (nothing is written and the ETag stays). Refused when the
/// product is no longer at `expected_version`, before the patch is read.
pub fn patched(
    current: &Product,
    expected_version: i64,
    patch: &ProductPatch,
) -> Result<Option<ProductFields>, StoreError> {
    if current.version != expected_version {
        return Err(StoreError::PreconditionFailed);
    }
    let fields = current.fields();
    let next = patch.apply_to(&fields)?;
    Ok((next != fields).then_some(next))
}

/// Whether the version-checked update changed the product's row.
pub fn updated(rows_changed: u64) -> Result<(), StoreError> {
    if rows_changed == 0 {
        Err(StoreError::PreconditionFailed)
    } else {
        Ok(())
    }
}

/// A new variant's first movement, even at 0, so that every variant has a ledger.
pub fn initial_movement<'a>(
    variant: &'a NewVariant,
    actor: &'a str,
    now: &'a str,
) -> NewMovement<'a> {
    NewMovement {
        sku: variant.sku.as_str(),
        kind: MovementKind::Initial,
        quantity: variant.stock,
        available_after: variant.stock,
        order_id: None,
        actor: Some(actor),
        note: None,
        created_at: now,
    }
}

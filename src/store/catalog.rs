//! The catalog above the backends: products and their variants, created
//! with their initial stock, edited against their version, read and listed;
//! and a cart's lines checked against the stock.

use super::admins::record_change;
use super::db::{Db, Param};
use super::images;
use super::row::{Row, unknown_value};
use super::settings;
use super::stock::record;
use super::{Resource, StoreError};
use crate::domain::ValidationError;
use crate::domain::order::{CartLineStock, RequestedLine};
use crate::domain::product::{
    NewProduct, NewVariant, PreorderSettings, Product, ProductFields, ProductFilter, ProductPatch,
    ProductStatus, Variant, VariantPreorder,
};
use crate::domain::settings::Settings;
use crate::domain::sku::Sku;
use crate::domain::stock::{MovementKind, NewMovement};
use crate::domain::time;

/// The columns `product_row` reads, in its order.
macro_rules! product_columns {
    () => {
        "id, slug, title, description, category, image_url, price, old_price, version, status"
    };
}

/// The product whose id or slug is `$1`.
const PRODUCT_BY_KEY: &str = concat!(
    "select ",
    product_columns!(),
    " from products where id = $1 or slug = $1"
);

/// Every product, newest first.
const PRODUCTS: &str = concat!(
    "select ",
    product_columns!(),
    " from products order by created_at desc, id"
);

/// The drop lines that hide their product: in a drop hidden until its
/// start, not started at `$1` (the store's clock).
macro_rules! hidden_by_drop {
    () => {
        "select 1 from drop_lines dl join drops d on d.id = dl.drop_id
         join variants v on v.sku = dl.sku
         where d.hidden_until_start = 1 and d.starts_at > $1"
    };
}

/// Every active product, newest first: what buyers may see. A product in
/// a drop hidden until its start, not started at `$1`, is not public yet.
const ACTIVE_PRODUCTS: &str = concat!(
    "select ",
    product_columns!(),
    " from products where status = 'active' and not exists (",
    hidden_by_drop!(),
    " and v.product_id = products.id) order by created_at desc, id"
);

/// Whether a drop hides the product `$2` at `$1` (a count).
const HIDDEN_PRODUCT: &str = concat!(
    "select cast(count(*) as bigint) from (",
    hidden_by_drop!(),
    " and v.product_id = $2) hiding"
);

/// The variants of the product `$2` with their stock, by position, read
/// by `variant_row` with its preorders; with the units each received as the audit counts
/// them since the reference date `$1` (initial plus restocked), which the
/// low-stock rule's percent reads.
const VARIANTS_OF: &str = "select v.sku, v.size, v.color, s.available, v.retired,
    v.low_stock_threshold, v.position,
    (select cast(coalesce(sum(m.quantity), 0) as bigint) from stock_movements m
     where m.sku = v.sku and (m.kind = 'initial' or m.created_at < $1
       or (m.kind = 'restock' and m.created_at >= $1))),
    v.preorder_enabled, v.preorder_cap, v.preorder_ships_by, s.preorder_waiting
    from variants v join stock s on s.sku = v.sku
    where v.product_id = $2 order by v.position, v.sku";

/// A new product; `$9` is both its creation and its last change.
const INSERT_PRODUCT: &str = "insert into products
    (id, slug, title, description, category, image_url, price, old_price, created_at, updated_at, status)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)";

/// An admin's edit of the product `$10`, only if it is still at version
/// `$11`: of two edits from the same ETag, the second finds the version
/// moved on (on PostgreSQL, after waiting for the first's row lock).
const UPDATE_PRODUCT: &str = "update products set slug = $1, title = $2, description = $3,
    category = $4, image_url = $5, price = $6, old_price = $7, version = version + 1,
    updated_at = $8, status = $9 where id = $10 and version = $11";

pub(super) const INSERT_VARIANT: &str = "insert into variants
    (sku, product_id, size, color, position, low_stock_threshold) values ($1, $2, $3, $4, $5, $6)";

const INSERT_STOCK: &str = "insert into stock (sku, available) values ($1, $2)";

/// What a cart shows of the sku `$1`: its product's title, its size and
/// colour, its units on hand, its price now, and whether it is for sale.
const SIZE_AND_STOCK: &str = "select p.title, v.size, v.color, s.available, p.price,
    cast(case when p.status = 'active' and v.retired = 0 then 1 else 0 end as bigint)
    from variants v join stock s on s.sku = v.sku join products p on p.id = v.product_id
    where v.sku = $1";

/// A product by id or slug, with all its variants and their stock, as the
/// back office sees it.
pub async fn load<D: Db>(db: &D, id_or_slug: &str, currency: &str) -> Result<Product, D::Error> {
    let found = db
        .first(PRODUCT_BY_KEY, &[&id_or_slug], |row| {
            product_row(row, currency)
        })
        .await?;
    let product = found.ok_or_else(|| StoreError::not_found(Resource::Product, id_or_slug))?;
    let settings = settings::load(db, false).await?;
    with_variants(db, product, &settings).await
}

/// A product as buyers see it: only an active one, not hidden by a drop
/// that has not started at `now` (another is not found), without its
/// retired variants, its preorders shown only when enabled.
pub async fn load_public<D: Db>(
    db: &D,
    id_or_slug: &str,
    currency: &str,
    now: &str,
) -> Result<Product, D::Error> {
    let product = load(db, id_or_slug, currency).await?;
    let params: [&dyn Param; 2] = [&now, &product.id];
    let hiding: i64 = db.one(HIDDEN_PRODUCT, &params, |row| row.value(0)).await?;
    if product.status != ProductStatus::Active || hiding > 0 {
        return Err(StoreError::not_found(Resource::Product, id_or_slug).into());
    }
    Ok(product.for_buyers())
}

/// The active products, newest first, as buyers see them at `now`
/// (retired variants and products a drop hides until its start left
/// out); with `in_stock_only`, only those in stock, without their
/// sold-out variants.
pub async fn list<D: Db>(
    db: &D,
    currency: &str,
    in_stock_only: bool,
    now: &str,
) -> Result<Vec<Product>, D::Error> {
    let settings = settings::load(db, false).await?;
    let mut products = Vec::new();
    for product in db
        .all(ACTIVE_PRODUCTS, &[&now], |row| product_row(row, currency))
        .await?
    {
        let product = with_variants(db, product, &settings).await?.for_buyers();
        if !in_stock_only {
            products.push(product);
        } else if product.in_stock {
            products.push(product.without_sold_out_variants());
        }
    }
    Ok(products)
}

/// Every product the filter keeps, newest first, with all its variants:
/// the back office's list.
pub async fn list_for_admin<D: Db>(
    db: &D,
    currency: &str,
    filter: &ProductFilter,
) -> Result<Vec<Product>, D::Error> {
    let settings = settings::load(db, false).await?;
    let mut products = Vec::new();
    for product in db
        .all(PRODUCTS, &[], |row| product_row(row, currency))
        .await?
    {
        if filter.keeps_status(&product) {
            let product = with_variants(db, product, &settings).await?;
            if filter.keeps(&product) {
                products.push(product);
            }
        }
    }
    Ok(products)
}

/// The product with its variants, judged low or not by the shop's rule,
/// and its photos.
async fn with_variants<D: Db>(
    db: &D,
    mut product: Product,
    settings: &Settings,
) -> Result<Product, D::Error> {
    product.images = images::of_product(db, &product.id).await?;
    let params: [&dyn Param; 2] = [&settings.reference_date, &product.id];
    let rule = settings.low_stock_rule();
    let variants = db
        .all(VARIANTS_OF, &params, |row| {
            Ok(variant_row(row)?.judged(&rule))
        })
        .await?;
    Ok(product.with_variants(variants))
}

/// What the stock could serve of each line right now; reserves nothing.
/// An unknown sku refuses the whole cart.
pub async fn check_cart<D: Db>(
    db: &D,
    lines: &[RequestedLine],
) -> Result<Vec<CartLineStock>, D::Error> {
    let mut checked = Vec::with_capacity(lines.len());
    for line in lines {
        let sku = line.sku.as_str();
        let found = db
            .first(SIZE_AND_STOCK, &[&sku], |row| {
                Ok(CartLineStock {
                    sku: sku.to_owned(),
                    title: row.value(0)?,
                    size: row.value(1)?,
                    color: color_from_stored(row.value(2)?),
                    requested: line.quantity,
                    available: row.value(3)?,
                    unit_price: row.value(4)?,
                    for_sale: row.value::<i64>(5)? == 1,
                })
            })
            .await?;
        let unknown = || StoreError::from(ValidationError::one(Sku::unknown(sku)));
        checked.push(found.ok_or_else(unknown)?);
    }
    Ok(checked)
}

/// Writes a product, its variants, their stock rows and one `initial`
/// movement per variant, even at 0, so that every variant has a ledger.
pub async fn create<D: Db>(
    db: &D,
    product: &NewProduct,
    actor: &str,
    currency: &str,
) -> Result<Product, D::Error> {
    let id = uuid::Uuid::new_v4().to_string();
    let now = time::now();
    insert_product(db, &id, &product.fields, &now).await?;
    for (position, variant) in product.variants.iter().enumerate() {
        add_variant(db, &id, position as i64, variant, actor, &now).await?;
    }
    let created = load(db, &id, currency).await?;
    let change = (actor, "product.create", id.as_str(), now.as_str());
    record_change(db, change, None::<&Product>, Some(&created)).await?;
    Ok(created)
}

/// Writes the product `id` with its fields `f`, made `now`; refused when
/// its slug is taken.
pub(super) async fn insert_product<D: Db>(
    db: &D,
    id: &str,
    f: &ProductFields,
    now: &str,
) -> Result<(), D::Error> {
    let params: [&dyn Param; 10] = [
        &id,
        &f.slug,
        &f.title,
        &f.description,
        &f.category,
        &f.image_url,
        &f.price,
        &f.old_price,
        &now,
        &f.status.as_str(),
    ];
    let taken = || StoreError::already_exists("slug", &f.slug);
    db.write_unique(INSERT_PRODUCT, &params, taken).await?;
    Ok(())
}

/// Writes one variant of `product_id` at `position` with its stock row and
/// its `initial` movement, even at 0, so that every variant has a ledger.
pub(super) async fn add_variant<D: Db>(
    db: &D,
    product_id: &str,
    position: i64,
    variant: &NewVariant,
    actor: &str,
    now: &str,
) -> Result<(), D::Error> {
    let sku = variant.sku.as_str();
    // No colour is stored as '', so that the unique key on (product, size,
    // colour) also holds for products without colours.
    let color = variant.color.as_deref().unwrap_or("");
    let params: [&dyn Param; 6] = [
        &sku,
        &product_id,
        &variant.size,
        &color,
        &position,
        &variant.low_stock_threshold,
    ];
    let taken = || StoreError::already_exists("sku", sku);
    db.write_unique(INSERT_VARIANT, &params, taken).await?;
    db.write(INSERT_STOCK, &[&sku, &variant.stock]).await?;
    let initial = NewMovement {
        sku,
        kind: MovementKind::Initial,
        quantity: variant.stock,
        available_after: variant.stock,
        order_id: None,
        actor: Some(actor),
        note: None,
        created_at: now,
        receipt: None,
    };
    record(db, &initial).await?;
    Ok(())
}

/// Applies `patch` if the product is still at `expected_version` (refused
/// before the patch is read otherwise). A patch that changes nothing
/// writes nothing and keeps the ETag.
pub async fn patch<D: Db>(
    db: &D,
    id: &str,
    expected_version: i64,
    patch: &ProductPatch,
    actor: &str,
    currency: &str,
) -> Result<Product, D::Error> {
    let current = load(db, id, currency).await?;
    let Some(next) = patched(&current, expected_version, patch)? else {
        return Ok(current);
    };
    let now = time::now();
    let params: [&dyn Param; 11] = [
        &next.slug,
        &next.title,
        &next.description,
        &next.category,
        &next.image_url,
        &next.price,
        &next.old_price,
        &now,
        &next.status.as_str(),
        &current.id,
        &expected_version,
    ];
    let taken = || StoreError::already_exists("slug", &next.slug);
    let changed = db.write_unique(UPDATE_PRODUCT, &params, taken).await?;
    if changed == 0 {
        return Err(StoreError::PreconditionFailed.into());
    }
    let updated = load(db, &current.id, currency).await?;
    let change = (actor, "product.update", current.id.as_str(), now.as_str());
    record_change(db, change, Some(&current), Some(&updated)).await?;
    Ok(updated)
}

/// The fields `patch` leaves on `current`, or `None` when it changes nothing.
fn patched(
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

/// A row of `PRODUCT_BY_KEY` or `PRODUCTS`, its variants not read yet.
fn product_row(row: &Row, currency: &str) -> Result<Product, StoreError> {
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
        status: product_status(row.value(9)?)?,
        currency: currency.to_owned(),
        in_stock: false,
        variants: Vec::new(),
        images: Vec::new(),
    })
}

/// A product's status as stored.
fn product_status(stored: String) -> Result<ProductStatus, StoreError> {
    ProductStatus::parse(&stored).ok_or_else(|| unknown_value("product status", &stored))
}

/// A row of `VARIANTS_OF`, not judged low yet.
fn variant_row(row: &Row) -> Result<Variant, StoreError> {
    Ok(Variant {
        sku: row.value(0)?,
        size: row.value(1)?,
        color: color_from_stored(row.value(2)?),
        available: row.value(3)?,
        retired: row.value::<i64>(4)? != 0,
        low_stock_threshold: row.value(5)?,
        position: row.value(6)?,
        low: false,
        received: row.value(7)?,
        preorder: Some(VariantPreorder::new(
            PreorderSettings {
                enabled: row.value::<i64>(8)? != 0,
                cap: row.value(9)?,
                ships_by: row.value(10)?,
            },
            row.value(11)?,
        )),
    })
}

/// A colour as stored: '' is none.
pub fn color_from_stored(color: String) -> Option<String> {
    if color.is_empty() { None } else { Some(color) }
}

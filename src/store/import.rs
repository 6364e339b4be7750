//! The CSV catalog import above the backends, in one transaction: all of
//! it, or nothing when a line is refused. What to write is decided once
//! (`domain/catalog_import.rs`); this file reads what the plan needs, after
//! the database has locked it where it locks rows (`Writes::lock_catalog`),
//! and writes what the plan says. A dry run writes the same inside a
//! savepoint and rolls back to it, so it answers what the import would do,
//! the database's own refusals included, and leaves nothing. On SQLite the
//! import is one job of the writer: it may wait behind a rush for its turn,
//! with the same deadline, and once it runs, it runs to its end.

use std::collections::HashSet;

use super::admins::record_action;
use super::catalog::{INSERT_VARIANT, insert_product};
use super::db::{Db, Param, Writes};
use super::row::Row;
use super::stock::record;
use super::{ImportProgress, StoreError};
use crate::domain::catalog_csv::ImportProduct;
use crate::domain::catalog_import::{
    IMPORT_ACTION, IMPORT_NOTE, ImportPlan, ImportSummary, ProductStep, ProductWrite,
    StoredCatalog, StoredProduct, StoredVariant, VariantStep, VariantWrite, named_keys,
};
use crate::domain::product::{ProductFields, ProductStatus};
use crate::domain::stock::NewMovement;
use crate::domain::time;

/// The product whose slug is `$1`, read by `stored_product`.
const PRODUCT_BY_SLUG: &str = "select id, slug, title, description, category, image_url,
    price, old_price, status from products where slug = $1";

/// The variants with their stock that `stored_variant` reads.
macro_rules! stored_variants {
    () => {
        "select v.sku, v.product_id, v.size, v.color, v.position, s.available
         from variants v join stock s on s.sku = v.sku"
    };
}

/// The variants of the product `$1`.
const VARIANTS_OF: &str = concat!(stored_variants!(), " where v.product_id = $1");

/// The variant whose sku is `$1`, whichever product it belongs to.
const VARIANT_BY_SKU: &str = concat!(stored_variants!(), " where v.sku = $1");

/// New fields for the product `$9`, and a new version (its ETag).
const UPDATE_PRODUCT: &str = "update products set title = $1, description = $2, category = $3,
    image_url = $4, price = $5, old_price = $6, status = $7, version = version + 1,
    updated_at = $8 where id = $9";

/// What a dry run writes in, and rolls back to.
const DRY_RUN_BEGIN: &str = "savepoint catalog_dry_run";
const DRY_RUN_UNDO: &str = "rollback to savepoint catalog_dry_run";
const DRY_RUN_END: &str = "release savepoint catalog_dry_run";

/// A new size `$1` and colour `$2` for the variant `$3`.
const UPDATE_VARIANT: &str = "update variants set size = $1, color = $2 where sku = $3";

/// The units on hand `$2` of the sku `$1`, new or already stocked.
const SET_STOCK: &str = "insert into stock (sku, available) values ($1, $2)
    on conflict (sku) do update set available = excluded.available";

/// Imports `products`: locks and reads what they name, plans, and writes
/// the plan product by product, telling `progress` how many are written;
/// a `dry_run` then rolls back what it wrote. Refused lines are
/// `StoreError::ImportRefused`.
pub async fn run<D: Writes>(
    db: &D,
    products: &[ImportProduct],
    actor: &str,
    dry_run: bool,
    progress: &ImportProgress,
) -> Result<ImportSummary, D::Error> {
    let (slugs, skus) = named_keys(products);
    db.lock_catalog(&slugs, &skus).await?;
    let stored = stored_catalog(db, &slugs, &skus).await?;
    let plan = ImportPlan::new(products, &stored).map_err(StoreError::ImportRefused)?;
    let started = chrono::Utc::now();
    let now = time::format(started);
    if dry_run {
        db.write(DRY_RUN_BEGIN, &[]).await?;
    }
    let mut created = 0;
    for (done, step) in plan.products.iter().enumerate() {
        // Each new product a microsecond after the one before: the
        // catalog, listed by creation, keeps the file's order.
        let created_at = if matches!(step.write, Some(ProductWrite::Create(_))) {
            created += 1;
            time::format(started + chrono::Duration::microseconds(created - 1))
        } else {
            now.clone()
        };
        write_product(db, step, actor, &now, &created_at).await?;
        progress(done as u64 + 1);
    }
    if dry_run {
        db.write(DRY_RUN_UNDO, &[]).await?;
        db.write(DRY_RUN_END, &[]).await?;
    }
    Ok(plan.summary)
}

/// The products named by `slugs`, their variants, and the variants named
/// by `skus`.
async fn stored_catalog<D: Db>(
    db: &D,
    slugs: &[&str],
    skus: &[&str],
) -> Result<StoredCatalog, D::Error> {
    let mut catalog = StoredCatalog::default();
    for slug in slugs {
        if let Some(product) = db.first(PRODUCT_BY_SLUG, &[slug], stored_product).await? {
            catalog.products.push(product);
        }
    }
    for product in &catalog.products {
        let variants = db.all(VARIANTS_OF, &[&product.id], stored_variant).await?;
        catalog.variants.extend(variants);
    }
    let found: HashSet<String> = catalog.variants.iter().map(|v| v.sku.clone()).collect();
    for sku in skus.iter().filter(|sku| !found.contains(**sku)) {
        if let Some(variant) = db.first(VARIANT_BY_SKU, &[sku], stored_variant).await? {
            catalog.variants.push(variant);
        }
    }
    Ok(catalog)
}

/// Writes one product of the plan, if it changed, and its variants.
async fn write_product<D: Db>(
    db: &D,
    step: &ProductStep<'_>,
    actor: &str,
    now: &str,
    created_at: &str,
) -> Result<(), D::Error> {
    if let Some(write) = &step.write {
        match write {
            ProductWrite::Create(fields) => {
                insert_product(db, &step.id, fields, created_at).await?
            }
            ProductWrite::Update(f) => {
                let params: [&dyn Param; 9] = [
                    &f.title,
                    &f.description,
                    &f.category,
                    &f.image_url,
                    &f.price,
                    &f.old_price,
                    &f.status.as_str(),
                    &now,
                    &step.id,
                ];
                db.write(UPDATE_PRODUCT, &params).await?;
            }
        }
        record_action(db, actor, IMPORT_ACTION, &step.id, now).await?;
    }
    for variant in &step.variants {
        write_variant(db, &step.id, variant, actor, now).await?;
    }
    Ok(())
}

/// Writes one variant of the plan, if it changed, and its stock with its
/// movement, if that changed. A size and colour the database finds taken
/// all the same is refused by the file's line.
async fn write_variant<D: Db>(
    db: &D,
    product_id: &str,
    v: &VariantStep<'_>,
    actor: &str,
    now: &str,
) -> Result<(), D::Error> {
    let taken = || StoreError::ImportRefused(vec![v.size_taken()]);
    match v.write {
        None => {}
        Some(VariantWrite::Create { position }) => {
            let threshold: Option<i64> = None;
            let params: [&dyn Param; 6] = [
                &v.sku,
                &product_id,
                &v.size,
                &v.color,
                &position,
                &threshold,
            ];
            db.write_unique(INSERT_VARIANT, &params, taken).await?;
        }
        Some(VariantWrite::Update) => {
            let params: [&dyn Param; 3] = [&v.size, &v.color, &v.sku];
            db.write_unique(UPDATE_VARIANT, &params, taken).await?;
        }
    }
    if let Some(stock) = v.stock {
        db.write(SET_STOCK, &[&v.sku, &stock.available]).await?;
        let movement = NewMovement {
            sku: v.sku,
            kind: stock.kind,
            quantity: stock.quantity,
            available_after: stock.available,
            order_id: None,
            actor: Some(actor),
            note: Some(IMPORT_NOTE),
            created_at: now,
            receipt: None,
        };
        record(db, &movement).await?;
    }
    Ok(())
}

/// A row of `PRODUCT_BY_SLUG`.
fn stored_product(row: &Row) -> Result<StoredProduct, StoreError> {
    Ok(StoredProduct {
        id: row.value(0)?,
        fields: ProductFields {
            slug: row.value(1)?,
            title: row.value(2)?,
            description: row.value(3)?,
            category: row.value(4)?,
            image_url: row.value(5)?,
            price: row.value(6)?,
            old_price: row.value(7)?,
            status: status(row.value(8)?)?,
        },
    })
}

/// A status as stored; the schema allows no other.
fn status(stored: String) -> Result<ProductStatus, StoreError> {
    ProductStatus::parse(&stored)
        .ok_or_else(|| StoreError::Internal(format!("unknown product status `{stored}`")))
}

/// A row of `VARIANTS_OF` or `VARIANT_BY_SKU`.
fn stored_variant(row: &Row) -> Result<StoredVariant, StoreError> {
    Ok(StoredVariant {
        sku: row.value(0)?,
        product_id: row.value(1)?,
        size: row.value(2)?,
        color: row.value(3)?,
        position: row.value(4)?,
        available: row.value(5)?,
    })
}

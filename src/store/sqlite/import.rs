//! Catalog import on SQLite: one writer job, so one transaction, all or
//! nothing. What to write is decided once for both databases
//! (`domain/catalog_import.rs`); this file reads what the plan needs and
//! writes what it says.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::SqliteStore;
use super::rows::{NewMovement, is_unique_violation, record_admin_action, record_movement};
use crate::domain::catalog_import::{
    IMPORT_ACTION, IMPORT_NOTE, ImportPlan, ProductStep, ProductWrite, StoredCatalog,
    StoredProduct, StoredVariant, VariantStep, VariantWrite, named_keys,
};
use crate::domain::product::ProductFields;
use crate::domain::time;
use crate::store::{ImportProduct, ImportProgress, ImportSummary, StoreError};

const VARIANT_COLUMNS: &str = "select v.sku, v.product_id, v.size, v.color, v.position, s.available
     from variants v join stock s on s.sku = v.sku";

impl SqliteStore {
    pub async fn import_catalog(
        &self,
        products: Vec<ImportProduct>,
        actor: &str,
        progress: ImportProgress,
    ) -> Result<ImportSummary, StoreError> {
        let actor = actor.to_owned();
        // A long import may wait behind a rush; it gets the same deadline
        // for its turn, and once it runs, it runs to its end. The writer is
        // the only connection that writes, so what it reads here stays true
        // until the plan is written.
        self.write(move |conn| {
            let stored = stored_catalog(conn, &products)?;
            let plan = ImportPlan::new(&products, &stored)?;
            let now = time::now();
            for (done, step) in plan.products.iter().enumerate() {
                write_product(conn, step, &actor, &now)?;
                progress(done as u64 + 1);
            }
            Ok(plan.summary)
        })
        .await
    }
}

/// The products the file names by slug, their variants, and the variants
/// it names by sku.
fn stored_catalog(
    conn: &Connection,
    products: &[ImportProduct],
) -> Result<StoredCatalog, StoreError> {
    let (slugs, skus) = named_keys(products);
    let mut catalog = StoredCatalog::default();
    let mut by_slug = conn.prepare_cached(
        "select id, slug, title, description, category, image_url, price, old_price
         from products where slug = ?1",
    )?;
    for slug in slugs {
        if let Some(product) = by_slug.query_row([slug], stored_product).optional()? {
            catalog.products.push(product);
        }
    }
    let mut of_product =
        conn.prepare_cached(&format!("{VARIANT_COLUMNS} where v.product_id = ?1"))?;
    for product in &catalog.products {
        let variants = of_product.query_map([&product.id], stored_variant)?;
        catalog
            .variants
            .extend(variants.collect::<rusqlite::Result<Vec<_>>>()?);
    }
    let found: HashSet<String> = catalog.variants.iter().map(|v| v.sku.clone()).collect();
    let mut by_sku = conn.prepare_cached(&format!("{VARIANT_COLUMNS} where v.sku = ?1"))?;
    for sku in skus.into_iter().filter(|sku| !found.contains(*sku)) {
        if let Some(variant) = by_sku.query_row([sku], stored_variant).optional()? {
            catalog.variants.push(variant);
        }
    }
    Ok(catalog)
}

fn stored_product(row: &Row<'_>) -> rusqlite::Result<StoredProduct> {
    Ok(StoredProduct {
        id: row.get(0)?,
        fields: ProductFields {
            slug: row.get(1)?,
            title: row.get(2)?,
            description: row.get(3)?,
            category: row.get(4)?,
            image_url: row.get(5)?,
            price: row.get(6)?,
            old_price: row.get(7)?,
        },
    })
}

fn stored_variant(row: &Row<'_>) -> rusqlite::Result<StoredVariant> {
    Ok(StoredVariant {
        sku: row.get(0)?,
        product_id: row.get(1)?,
        size: row.get(2)?,
        color: row.get(3)?,
        position: row.get(4)?,
        available: row.get(5)?,
    })
}

fn write_product(
    conn: &Connection,
    step: &ProductStep<'_>,
    actor: &str,
    now: &str,
) -> Result<(), StoreError> {
    if let Some(write) = &step.write {
        match write {
            ProductWrite::Create(f) => conn
                .prepare_cached(
                    "insert into products (id, slug, title, description, category, image_url, price, old_price, created_at, updated_at)
                     values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
                )?
                .execute(params![step.id, f.slug, f.title, f.description, f.category, f.image_url, f.price, f.old_price, now])?,
            ProductWrite::Update(f) => conn
                .prepare_cached(
                    "update products set title = ?2, description = ?3, category = ?4, image_url = ?5,
                     price = ?6, old_price = ?7, version = version + 1, updated_at = ?8 where id = ?1",
                )?
                .execute(params![step.id, f.title, f.description, f.category, f.image_url, f.price, f.old_price, now])?,
        };
        record_admin_action(conn, actor, IMPORT_ACTION, &step.id, now)?;
    }
    for variant in &step.variants {
        write_variant(conn, &step.id, variant, actor, now)?;
    }
    Ok(())
}

fn write_variant(
    conn: &Connection,
    product_id: &str,
    v: &VariantStep<'_>,
    actor: &str,
    now: &str,
) -> Result<(), StoreError> {
    let written = match v.write {
        None => Ok(0),
        Some(VariantWrite::Create { position }) => conn
            .prepare_cached(
                "insert into variants (sku, product_id, size, color, position) values (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![v.sku, product_id, v.size, v.color, position]),
        Some(VariantWrite::Update) => conn
            .prepare_cached("update variants set size = ?2, color = ?3 where sku = ?1")?
            .execute(params![v.sku, v.size, v.color]),
    };
    written.map_err(|e| {
        if is_unique_violation(&e) {
            StoreError::Invalid(v.size_taken())
        } else {
            e.into()
        }
    })?;
    if let Some(stock) = v.stock {
        conn.prepare_cached(
            "insert into stock (sku, available) values (?1, ?2)
             on conflict (sku) do update set available = excluded.available",
        )?
        .execute(params![v.sku, stock.available])?;
        record_movement(
            conn,
            NewMovement {
                sku: v.sku,
                kind: stock.kind,
                quantity: stock.quantity,
                available_after: stock.available,
                order_id: None,
                actor: Some(actor),
                note: Some(IMPORT_NOTE),
                created_at: now,
            },
        )?;
    }
    Ok(())
}

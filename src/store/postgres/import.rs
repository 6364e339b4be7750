//! Catalog import on PostgreSQL: one transaction, all or nothing. What to
//! write is decided once for both databases (`domain/catalog_import.rs`);
//! this file reads what the plan needs, with the rows it will change
//! locked, and writes what the plan says.

use deadpool_postgres::Transaction;
use tokio_postgres::Row;

use super::PgStore;
use super::db::Pg;
use super::rows::{NewMovement, is_unique_violation, record_movement};
use super::sql::{execute, query};
use super::transaction::TxError;
use crate::domain::catalog_import::{
    IMPORT_ACTION, IMPORT_NOTE, ImportPlan, ProductStep, ProductWrite, StoredCatalog,
    StoredProduct, StoredVariant, VariantStep, VariantWrite, named_keys,
};
use crate::domain::product::ProductFields;
use crate::domain::time;
use crate::store::admins::record_action;
use crate::store::{ImportProduct, ImportProgress, ImportSummary, StoreError};

/// The key of the advisory lock that lets one import at a time run, across
/// instances: a second import waits, then plans over what the first wrote.
const IMPORT_LOCK_KEY: i64 = 0x5354_4f43_4b49_4d50; // "STOCKIMP"

impl PgStore {
    pub async fn import_catalog(
        &self,
        products: Vec<ImportProduct>,
        actor: &str,
        progress: ImportProgress,
    ) -> Result<ImportSummary, StoreError> {
        let data = (products, actor, progress);
        self.write(&data, |tx, (products, actor, progress)| {
            Box::pin(async move {
                execute(tx, "select pg_advisory_xact_lock($1)", &[&IMPORT_LOCK_KEY]).await?;
                let stored = stored_catalog(tx, products).await?;
                let plan = ImportPlan::new(products, &stored)?;
                let now = time::now();
                for (done, step) in plan.products.iter().enumerate() {
                    write_product(tx, step, actor, &now).await?;
                    progress(done as u64 + 1);
                }
                Ok(plan.summary)
            })
        })
        .await
    }
}

/// The products the file names by slug, their variants, and the variants
/// it names by sku. Those product and stock rows stay locked until the
/// transaction ends: an edit or a checkout meanwhile waits, so the plan's
/// stock levels are still the levels when its adjustments are written.
async fn stored_catalog(
    tx: &Transaction<'_>,
    products: &[ImportProduct],
) -> Result<StoredCatalog, TxError> {
    let (slugs, skus) = named_keys(products);
    let rows = query(
        tx,
        "select id, slug, title, description, category, image_url, price, old_price
         from products where slug = any($1) order by slug for update",
        &[&slugs],
    )
    .await?;
    let products = rows
        .iter()
        .map(stored_product)
        .collect::<Result<Vec<_>, _>>()?;
    let ids: Vec<&str> = products.iter().map(|p| p.id.as_str()).collect();
    // In sku order, the order in which checkouts lock stock rows.
    let rows = query(
        tx,
        "select v.sku, v.product_id, v.size, v.color, v.position, s.available
         from variants v join stock s on s.sku = v.sku
         where v.product_id = any($1) or v.sku = any($2)
         order by v.sku for update of s",
        &[&ids, &skus],
    )
    .await?;
    let variants = rows
        .iter()
        .map(stored_variant)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(StoredCatalog { products, variants })
}

fn stored_product(row: &Row) -> Result<StoredProduct, tokio_postgres::Error> {
    Ok(StoredProduct {
        id: row.try_get(0)?,
        fields: ProductFields {
            slug: row.try_get(1)?,
            title: row.try_get(2)?,
            description: row.try_get(3)?,
            category: row.try_get(4)?,
            image_url: row.try_get(5)?,
            price: row.try_get(6)?,
            old_price: row.try_get(7)?,
        },
    })
}

fn stored_variant(row: &Row) -> Result<StoredVariant, tokio_postgres::Error> {
    Ok(StoredVariant {
        sku: row.try_get(0)?,
        product_id: row.try_get(1)?,
        size: row.try_get(2)?,
        color: row.try_get(3)?,
        position: row.try_get(4)?,
        available: row.try_get(5)?,
    })
}

async fn write_product(
    tx: &Transaction<'_>,
    step: &ProductStep<'_>,
    actor: &str,
    now: &str,
) -> Result<(), TxError> {
    if let Some(write) = &step.write {
        match write {
            ProductWrite::Create(f) => execute(
                tx,
                "insert into products (id, slug, title, description, category, image_url, price, old_price, created_at, updated_at)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
                &[&step.id, &f.slug, &f.title, &f.description, &f.category, &f.image_url, &f.price, &f.old_price, &now],
            )
            .await?,
            ProductWrite::Update(f) => execute(
                tx,
                "update products set title = $2, description = $3, category = $4, image_url = $5,
                 price = $6, old_price = $7, version = version + 1, updated_at = $8 where id = $1",
                &[&step.id, &f.title, &f.description, &f.category, &f.image_url, &f.price, &f.old_price, &now],
            )
            .await?,
        };
        record_action(&Pg(tx), actor, IMPORT_ACTION, &step.id, now).await?;
    }
    for variant in &step.variants {
        write_variant(tx, &step.id, variant, actor, now).await?;
    }
    Ok(())
}

async fn write_variant(
    tx: &Transaction<'_>,
    product_id: &str,
    v: &VariantStep<'_>,
    actor: &str,
    now: &str,
) -> Result<(), TxError> {
    let written = match v.write {
        None => Ok(0),
        Some(VariantWrite::Create { position }) => {
            execute(
                tx,
                "insert into variants (sku, product_id, size, color, position) values ($1, $2, $3, $4, $5)",
                &[&v.sku, &product_id, &v.size, &v.color, &position],
            )
            .await
        }
        Some(VariantWrite::Update) => {
            execute(
                tx,
                "update variants set size = $2, color = $3 where sku = $1",
                &[&v.sku, &v.size, &v.color],
            )
            .await
        }
    };
    written.map_err(|e| {
        let error = TxError::from(e);
        if is_unique_violation(&error) {
            StoreError::Invalid(v.size_taken()).into()
        } else {
            error
        }
    })?;
    if let Some(stock) = v.stock {
        execute(
            tx,
            "insert into stock (sku, available) values ($1, $2)
             on conflict (sku) do update set available = excluded.available",
            &[&v.sku, &stock.available],
        )
        .await?;
        record_movement(
            tx,
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
        )
        .await?;
    }
    Ok(())
}

//! Catalog import on SQLite: one writer job, so one transaction, all or nothing.
//!
//! Products are found by slug and variants by sku. What differs is written;
//! what is equal is left alone, so importing the same file twice changes
//! nothing the second time. Stock only moves through the ledger: `initial`
//! for a new variant, an `adjustment` noted "import" for a changed one,
//! each with the importing admin as actor.

use rusqlite::{Connection, OptionalExtension, params};

use super::SqliteStore;
use super::rows::{NewMovement, is_unique_violation, record_admin_action, record_movement};
use super::stock::available_of;
use crate::domain::product::ProductFields;
use crate::domain::stock::MovementKind;
use crate::domain::{FieldError, ValidationError, time};
use crate::store::{ImportProduct, ImportProgress, ImportSummary, ImportVariant, StoreError};

const IMPORT_NOTE: &str = "import";

impl SqliteStore {
    pub async fn import_catalog(
        &self,
        products: Vec<ImportProduct>,
        actor: &str,
        progress: ImportProgress,
    ) -> Result<ImportSummary, StoreError> {
        let actor = actor.to_owned();
        // A long import may wait behind a rush; it gets the same deadline
        // for its turn, and once it runs, it runs to its end.
        self.write(move |conn| {
            let now = time::now();
            let mut summary = ImportSummary::default();
            for (done, product) in products.iter().enumerate() {
                import_product(conn, product, &actor, &now, &mut summary)?;
                progress(done as u64 + 1);
            }
            Ok(summary)
        })
        .await
    }
}

fn import_product(
    conn: &Connection,
    product: &ImportProduct,
    actor: &str,
    now: &str,
    summary: &mut ImportSummary,
) -> Result<(), StoreError> {
    let f = &product.fields;
    let id = match stored_fields(conn, &f.slug)? {
        None => {
            let id = uuid::Uuid::new_v4().to_string();
            conn.prepare_cached(
                "insert into products (id, slug, title, description, category, image_url, price, old_price, created_at, updated_at)
                 values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
            )?
            .execute(params![id, f.slug, f.title, f.description, f.category, f.image_url, f.price, f.old_price, now])?;
            record_admin_action(conn, actor, "product.import", &id, now)?;
            summary.products_created += 1;
            id
        }
        Some((id, stored)) if stored != *f => {
            conn.prepare_cached(
                "update products set title = ?2, description = ?3, category = ?4, image_url = ?5,
                 price = ?6, old_price = ?7, version = version + 1, updated_at = ?8 where id = ?1",
            )?
            .execute(params![
                id,
                f.title,
                f.description,
                f.category,
                f.image_url,
                f.price,
                f.old_price,
                now
            ])?;
            record_admin_action(conn, actor, "product.import", &id, now)?;
            summary.products_updated += 1;
            id
        }
        Some((id, _)) => id,
    };
    for variant in &product.variants {
        import_variant(conn, &id, variant, actor, now, summary)?;
    }
    Ok(())
}

fn stored_fields(
    conn: &Connection,
    slug: &str,
) -> Result<Option<(String, ProductFields)>, StoreError> {
    Ok(conn
        .prepare_cached(
            "select id, slug, title, description, category, image_url, price, old_price from products where slug = ?1",
        )?
        .query_row([slug], |row| {
            Ok((
                row.get(0)?,
                ProductFields {
                    slug: row.get(1)?,
                    title: row.get(2)?,
                    description: row.get(3)?,
                    category: row.get(4)?,
                    image_url: row.get(5)?,
                    price: row.get(6)?,
                    old_price: row.get(7)?,
                },
            ))
        })
        .optional()?)
}

fn import_variant(
    conn: &Connection,
    product_id: &str,
    v: &ImportVariant,
    actor: &str,
    now: &str,
    summary: &mut ImportSummary,
) -> Result<(), StoreError> {
    let color = v.color.as_deref().unwrap_or("");
    let found: Option<(String, String, String)> = conn
        .prepare_cached("select product_id, size, color from variants where sku = ?1")?
        .query_row([&v.sku], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((owner, size, stored_color)) = found else {
        let position: i64 = conn
            .prepare_cached(
                "select coalesce(max(position) + 1, 0) from variants where product_id = ?1",
            )?
            .query_row([product_id], |r| r.get(0))?;
        conn.prepare_cached("insert into variants (sku, product_id, size, color, position) values (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![v.sku, product_id, v.size, color, position])
            .map_err(|e| line_conflict(e, v))?;
        let stock = v.stock.unwrap_or(0);
        conn.prepare_cached("insert into stock (sku, available) values (?1, ?2)")?
            .execute(params![v.sku, stock])?;
        movement(conn, v, MovementKind::Initial, stock, stock, actor, now)?;
        summary.variants_created += 1;
        return Ok(());
    };
    if owner != product_id {
        return Err(line_error(
            v.line,
            format!("the sku {} belongs to another product", v.sku),
        ));
    }
    if size != v.size || stored_color != color {
        conn.prepare_cached("update variants set size = ?2, color = ?3 where sku = ?1")?
            .execute(params![v.sku, v.size, color])
            .map_err(|e| line_conflict(e, v))?;
        summary.variants_updated += 1;
    }
    if let Some(stock) = v.stock {
        let available = available_of(conn, &v.sku)?;
        if stock != available {
            conn.prepare_cached("update stock set available = ?2 where sku = ?1")?
                .execute(params![v.sku, stock])?;
            let delta = stock - available;
            movement(conn, v, MovementKind::Adjustment, delta, stock, actor, now)?;
            summary.stock_changed += 1;
        }
    }
    Ok(())
}

fn movement(
    conn: &Connection,
    v: &ImportVariant,
    kind: MovementKind,
    quantity: i64,
    available_after: i64,
    actor: &str,
    now: &str,
) -> Result<(), StoreError> {
    record_movement(
        conn,
        NewMovement {
            sku: &v.sku,
            kind,
            quantity,
            available_after,
            order_id: None,
            actor: Some(actor),
            note: Some(IMPORT_NOTE),
            created_at: now,
        },
    )?;
    Ok(())
}

/// A size and colour already taken by another variant of the product.
fn line_conflict(error: rusqlite::Error, v: &ImportVariant) -> StoreError {
    if is_unique_violation(&error) {
        line_error(
            v.line,
            format!(
                "another variant of this product already has size {} and this colour",
                v.size
            ),
        )
    } else {
        error.into()
    }
}

fn line_error(line: u64, reason: String) -> StoreError {
    let field = format!("line {line}");
    StoreError::Invalid(ValidationError::one(FieldError::new(
        field,
        reason.clone(),
        reason,
    )))
}

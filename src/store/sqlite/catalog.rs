//! The catalog on SQLite: products and variants, created with their initial stock.

use rusqlite::{Connection, params};

use super::SqliteStore;
use super::rows::{
    NewMovement, fields_of, is_unique_violation, load_product, load_products, record_admin_action,
    record_movement,
};
use crate::domain::product::{NewProduct, Product, ProductPatch};
use crate::domain::stock::MovementKind;
use crate::domain::time;
use crate::store::{Admin, StoreError};

impl SqliteStore {
    pub async fn list_products(&self, in_stock_only: bool) -> Result<Vec<Product>, StoreError> {
        let currency = self.config().currency.clone();
        let products = self
            .read(move |conn| load_products(conn, &currency))
            .await?;
        Ok(if in_stock_only {
            products
                .into_iter()
                .filter(|p| p.in_stock)
                .map(Product::without_sold_out_variants)
                .collect()
        } else {
            products
        })
    }

    pub async fn product(&self, id_or_slug: &str) -> Result<Product, StoreError> {
        let currency = self.config().currency.clone();
        let key = id_or_slug.to_owned();
        self.read(move |conn| load_product(conn, &key, &currency))
            .await
    }

    pub async fn create_product(
        &self,
        product: NewProduct,
        actor: &Admin,
    ) -> Result<Product, StoreError> {
        let currency = self.config().currency.clone();
        let actor = actor.name.clone();
        self.write(move |conn| {
            let id = uuid::Uuid::new_v4().to_string();
            insert_product(conn, &id, &product, &actor)?;
            load_product(conn, &id, &currency)
        })
        .await
    }

    pub async fn patch_product(
        &self,
        id: &str,
        expected_version: i64,
        patch: ProductPatch,
        actor: &Admin,
    ) -> Result<Product, StoreError> {
        let currency = self.config().currency.clone();
        let (id, actor) = (id.to_owned(), actor.name.clone());
        self.write(move |conn| {
            let current = load_product(conn, &id, &currency)?;
            if current.version != expected_version {
                return Err(StoreError::PreconditionFailed);
            }
            let next = patch.apply_to(&fields_of(&current))?;
            if next == fields_of(&current) {
                // Nothing changes: nothing is written and the ETag stays.
                return Ok(current);
            }
            let now = time::now();
            conn.prepare_cached(
                "update products set slug = ?2, title = ?3, description = ?4, category = ?5, image_url = ?6,
                 price = ?7, old_price = ?8, version = version + 1, updated_at = ?9 where id = ?1",
            )?
            .execute(params![
                current.id,
                next.slug,
                next.title,
                next.description,
                next.category,
                next.image_url,
                next.price,
                next.old_price,
                now
            ])
            .map_err(|e| duplicate_or(e, "slug", &next.slug))?;
            record_admin_action(conn, &actor, "product.update", &current.id, &now)?;
            load_product(conn, &current.id, &currency)
        })
        .await
    }
}

/// Writes a product, its variants, their stock rows and one `initial`
/// movement per variant (even at 0, so every variant has a ledger).
fn insert_product(
    conn: &Connection,
    id: &str,
    product: &NewProduct,
    actor: &str,
) -> Result<(), StoreError> {
    let now = time::now();
    let fields = &product.fields;
    conn.prepare_cached(
        "insert into products (id, slug, title, description, category, image_url, price, old_price, created_at, updated_at)
         values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
    )?
    .execute(params![
        id,
        fields.slug,
        fields.title,
        fields.description,
        fields.category,
        fields.image_url,
        fields.price,
        fields.old_price,
        now
    ])
    .map_err(|e| duplicate_or(e, "slug", &fields.slug))?;
    for (position, variant) in product.variants.iter().enumerate() {
        let sku = variant.sku.as_str();
        conn.prepare_cached("insert into variants (sku, product_id, size, color, position) values (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![sku, id, variant.size, variant.color.as_deref().unwrap_or(""), position as i64])
            .map_err(|e| duplicate_or(e, "sku", sku))?;
        conn.prepare_cached("insert into stock (sku, available) values (?1, ?2)")?
            .execute(params![sku, variant.stock])?;
        record_movement(
            conn,
            NewMovement {
                sku,
                kind: MovementKind::Initial,
                quantity: variant.stock,
                available_after: variant.stock,
                order_id: None,
                actor: Some(actor),
                note: None,
                created_at: &now,
            },
        )?;
    }
    record_admin_action(conn, actor, "product.create", id, &now)
}

fn duplicate_or(error: rusqlite::Error, field: &'static str, value: &str) -> StoreError {
    if is_unique_violation(&error) {
        StoreError::AlreadyExists {
            field,
            value: value.to_owned(),
        }
    } else {
        error.into()
    }
}

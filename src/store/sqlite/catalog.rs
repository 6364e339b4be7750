//! The catalog on SQLite: products and variants, created with their initial stock.

use rusqlite::{Connection, params};

use super::SqliteStore;
use super::rows::{
    duplicate_or, load_product, load_products, record_admin_action, record_movement,
};
use crate::domain::product::{NewProduct, Product, ProductPatch};
use crate::domain::time;
use crate::store::catalog::{
    INSERT_PRODUCT, INSERT_STOCK, INSERT_VARIANT, PRODUCT_CREATED, PRODUCT_UPDATED, UPDATE_PRODUCT,
    initial_movement, listing, patched, stored_color, updated,
};
use crate::store::{Admin, StoreError};

impl SqliteStore {
    pub async fn list_products(&self, in_stock_only: bool) -> Result<Vec<Product>, StoreError> {
        let currency = self.config().currency.clone();
        let products = self
            .read(move |conn| load_products(conn, &currency))
            .await?;
        Ok(listing(products, in_stock_only))
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
            let Some(next) = patched(&current, expected_version, &patch)? else {
                return Ok(current);
            };
            let now = time::now();
            let changed = conn
                .prepare_cached(UPDATE_PRODUCT)?
                .execute(params![
                    next.slug,
                    next.title,
                    next.description,
                    next.category,
                    next.image_url,
                    next.price,
                    next.old_price,
                    now,
                    current.id,
                    expected_version
                ])
                .map_err(|e| duplicate_or(e, "slug", &next.slug))?;
            updated(changed as u64)?;
            record_admin_action(conn, &actor, PRODUCT_UPDATED, &current.id, &now)?;
            load_product(conn, &current.id, &currency)
        })
        .await
    }
}

/// Writes a product, its variants, their stock rows and one `initial`
/// movement per variant.
fn insert_product(
    conn: &Connection,
    id: &str,
    product: &NewProduct,
    actor: &str,
) -> Result<(), StoreError> {
    let now = time::now();
    let fields = &product.fields;
    conn.prepare_cached(INSERT_PRODUCT)?
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
        conn.prepare_cached(INSERT_VARIANT)?
            .execute(params![
                sku,
                id,
                variant.size,
                stored_color(variant),
                position as i64
            ])
            .map_err(|e| duplicate_or(e, "sku", sku))?;
        conn.prepare_cached(INSERT_STOCK)?
            .execute(params![sku, variant.stock])?;
        record_movement(conn, initial_movement(variant, actor, &now))?;
    }
    record_admin_action(conn, actor, PRODUCT_CREATED, id, &now)
}

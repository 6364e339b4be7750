//! The catalog on PostgreSQL: products and variants, created with their initial stock.

use deadpool_postgres::Transaction;

use super::PgStore;
use super::rows::{
    duplicate_or, load_product, load_products, record_admin_action, record_movement,
};
use super::sql::execute;
use super::transaction::TxError;
use crate::domain::product::{NewProduct, Product, ProductPatch};
use crate::domain::time;
use crate::store::catalog::{
    INSERT_PRODUCT, INSERT_STOCK, INSERT_VARIANT, PRODUCT_CREATED, PRODUCT_UPDATED, UPDATE_PRODUCT,
    initial_movement, listing, patched, stored_color, updated,
};
use crate::store::{Admin, StoreError};

impl PgStore {
    pub async fn list_products(&self, in_stock_only: bool) -> Result<Vec<Product>, StoreError> {
        let currency = self.config().currency.as_str();
        let products = self
            .read(currency, |client, currency| {
                Box::pin(load_products(client, currency))
            })
            .await?;
        Ok(listing(products, in_stock_only))
    }

    pub async fn product(&self, id_or_slug: &str) -> Result<Product, StoreError> {
        let data = (id_or_slug, self.config().currency.as_str());
        self.read(&data, |client, (key, currency)| {
            Box::pin(load_product(client, key, currency))
        })
        .await
    }

    pub async fn create_product(
        &self,
        product: NewProduct,
        actor: &Admin,
    ) -> Result<Product, StoreError> {
        let data = (
            product,
            actor.name.as_str(),
            self.config().currency.as_str(),
        );
        self.write(&data, |tx, (product, actor, currency)| {
            Box::pin(async move {
                let id = uuid::Uuid::new_v4().to_string();
                insert_product(tx, &id, product, actor).await?;
                load_product(tx, &id, currency).await
            })
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
        let data = (
            id,
            expected_version,
            patch,
            actor.name.as_str(),
            self.config().currency.as_str(),
        );
        self.write(
            &data,
            |tx, (id, expected_version, patch, actor, currency)| {
                Box::pin(async move {
                    let current = load_product(tx, id, currency).await?;
                    let Some(next) = patched(&current, *expected_version, patch)? else {
                        return Ok(current);
                    };
                    let now = time::now();
                    let changed = execute(
                        tx,
                        UPDATE_PRODUCT,
                        &[
                            &next.slug,
                            &next.title,
                            &next.description,
                            &next.category,
                            &next.image_url,
                            &next.price,
                            &next.old_price,
                            &now,
                            &current.id,
                            expected_version,
                        ],
                    )
                    .await
                    .map_err(|e| duplicate_or(e.into(), "slug", &next.slug))?;
                    updated(changed)?;
                    record_admin_action(tx, actor, PRODUCT_UPDATED, &current.id, &now).await?;
                    load_product(tx, &current.id, currency).await
                })
            },
        )
        .await
    }
}

/// Writes a product, its variants, their stock rows and one `initial`
/// movement per variant.
async fn insert_product(
    tx: &Transaction<'_>,
    id: &str,
    product: &NewProduct,
    actor: &str,
) -> Result<(), TxError> {
    let now = time::now();
    let f = &product.fields;
    execute(
        tx,
        INSERT_PRODUCT,
        &[
            &id,
            &f.slug,
            &f.title,
            &f.description,
            &f.category,
            &f.image_url,
            &f.price,
            &f.old_price,
            &now,
        ],
    )
    .await
    .map_err(|e| duplicate_or(e.into(), "slug", &f.slug))?;
    for (position, variant) in product.variants.iter().enumerate() {
        let sku = variant.sku.as_str();
        let color = stored_color(variant);
        let position = position as i64;
        execute(
            tx,
            INSERT_VARIANT,
            &[&sku, &id, &variant.size, &color, &position],
        )
        .await
        .map_err(|e| duplicate_or(e.into(), "sku", sku))?;
        execute(tx, INSERT_STOCK, &[&sku, &variant.stock]).await?;
        record_movement(tx, initial_movement(variant, actor, &now)).await?;
    }
    record_admin_action(tx, actor, PRODUCT_CREATED, id, &now).await
}

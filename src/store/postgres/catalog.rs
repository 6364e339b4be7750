//! The catalog on PostgreSQL: products and variants, created with their initial stock.

use deadpool_postgres::Transaction;

use super::PgStore;
use super::rows::{
    NewMovement, duplicate_or, fields_of, load_product, load_products, record_admin_action,
    record_movement,
};
use super::sql::execute;
use super::transaction::TxError;
use crate::domain::product::{NewProduct, Product, ProductPatch};
use crate::domain::stock::MovementKind;
use crate::domain::time;
use crate::store::{Admin, StoreError};

impl PgStore {
    pub async fn list_products(&self, in_stock_only: bool) -> Result<Vec<Product>, StoreError> {
        let currency = self.config().currency.as_str();
        let products = self
            .read(currency, |client, currency| {
                Box::pin(load_products(client, currency))
            })
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
        self.write(&data, |tx, (id, expected_version, patch, actor, currency)| {
            Box::pin(async move {
                let current = load_product(tx, id, currency).await?;
                let next = patch.apply_to(&fields_of(&current))?;
                // A patch that changes nothing writes nothing and keeps the
                // ETag, as long as it was the current one.
                if next == fields_of(&current) {
                    if current.version != *expected_version {
                        return Err(StoreError::PreconditionFailed.into());
                    }
                    return Ok(current);
                }
                let now = time::now();
                // The version is checked by the update itself: of two edits
                // from the same ETag, the second waits for the first's row
                // lock, re-reads the row, and finds the version moved on.
                let changed = execute(
                    tx,
                    "update products set slug = $2, title = $3, description = $4, category = $5, image_url = $6,
                     price = $7, old_price = $8, version = version + 1, updated_at = $9
                     where id = $1 and version = $10",
                    &[&current.id, &next.slug, &next.title, &next.description, &next.category,
                      &next.image_url, &next.price, &next.old_price, &now, expected_version],
                )
                .await
                .map_err(|e| duplicate_or(e.into(), "slug", &next.slug))?;
                if changed == 0 {
                    return Err(StoreError::PreconditionFailed.into());
                }
                record_admin_action(tx, actor, "product.update", &current.id, &now).await?;
                load_product(tx, &current.id, currency).await
            })
        })
        .await
    }
}

/// Writes a product, its variants, their stock rows and one `initial`
/// movement per variant (even at 0, so every variant has a ledger).
async fn insert_product(
    tx: &Transaction<'_>,
    id: &str,
    product: &NewProduct,
    actor: &str,
) -> Result<(), TxError> {
    let now = time::now();
    let fields = &product.fields;
    execute(
        tx,
        "insert into products (id, slug, title, description, category, image_url, price, old_price, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        &[&id, &fields.slug, &fields.title, &fields.description, &fields.category,
          &fields.image_url, &fields.price, &fields.old_price, &now],
    )
    .await
    .map_err(|e| duplicate_or(e.into(), "slug", &fields.slug))?;
    for (position, variant) in product.variants.iter().enumerate() {
        let sku = variant.sku.as_str();
        execute(
            tx,
            "insert into variants (sku, product_id, size, color, position) values ($1, $2, $3, $4, $5)",
            &[&sku, &id, &variant.size, &variant.color.as_deref().unwrap_or(""), &(position as i64)],
        )
        .await
        .map_err(|e| duplicate_or(e.into(), "sku", sku))?;
        execute(
            tx,
            "insert into stock (sku, available) values ($1, $2)",
            &[&sku, &variant.stock],
        )
        .await?;
        record_movement(
            tx,
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
        )
        .await?;
    }
    record_admin_action(tx, actor, "product.create", id, &now).await
}

//! A product's variants after its creation: added with their opening stock,
//! retired rather than deleted (their ledger stays), given a low-stock
//! threshold of their own, moved among the product's sizes.

use chrono::NaiveDate;

use super::admins::record_change;
use super::catalog::{add_variant, load};
use super::db::{Db, Param};
use super::stock::level;
use super::{Resource, StoreError};
use crate::domain::product::{
    NewVariant, PreorderSettings, Product, ProductStatus, Variant, VariantPatch,
};
use crate::domain::time;

/// The product of the sku `$1`.
const PRODUCT_OF: &str = "select product_id from variants where sku = $1";

/// A variant of the product `$1` with the size `$2` and the colour `$3`.
const SAME_SIZE_AND_COLOR: &str =
    "select sku from variants where product_id = $1 and size = $2 and color = $3";

/// Whether the sku `$1` exists, in any product.
const SKU_TAKEN: &str = "select sku from variants where sku = $1";

/// Where a new variant of the product `$1` goes: after the others.
const NEXT_POSITION: &str =
    "select cast(coalesce(max(position) + 1, 0) as bigint) from variants where product_id = $1";

const COUNT_VARIANTS: &str = "select count(*) from variants where product_id = $1";

const SET_RETIRED: &str = "update variants set retired = $1 where sku = $2";
const SET_THRESHOLD: &str = "update variants set low_stock_threshold = $1 where sku = $2";
const SET_POSITION: &str = "update variants set position = $1 where sku = $2";
const SET_PREORDER: &str = "update variants set preorder_enabled = $1, preorder_cap = $2,
    preorder_ships_by = $3 where sku = $4";

/// Adds a size (or colour) to the product `product_id` with its opening
/// stock (an `initial` movement); refused when the sku is taken or the
/// product already has this size in this colour.
pub async fn add<D: Db>(
    db: &D,
    product_id: &str,
    variant: &NewVariant,
    actor: &str,
    currency: &str,
) -> Result<Variant, D::Error> {
    let product = load(db, product_id, currency).await?;
    let count: i64 = db
        .one(COUNT_VARIANTS, &[&product.id], |r| r.value(0))
        .await?;
    if count >= crate::domain::limits::VARIANTS_PER_PRODUCT_MAX as i64 {
        return Err(StoreError::from(crate::domain::ValidationError::one(
            crate::domain::FieldError::new(
                "size",
                format!(
                    "Ce produit a déjà {count} variantes, le maximum : retirez-en une avant d'en ajouter."
                ),
                format!("This product already has {count} variants, the most it can have."),
            ),
        ))
        .into());
    }
    let color = variant.color.as_deref().unwrap_or("");
    let same: [&dyn Param; 3] = [&product.id, &variant.size, &color];
    if db
        .first(SAME_SIZE_AND_COLOR, &same, |r| r.value::<String>(0))
        .await?
        .is_some()
    {
        let named = match &variant.color {
            Some(color) => format!("{} / {color}", variant.size),
            None => variant.size.clone(),
        };
        return Err(StoreError::already_exists("size", &named).into());
    }
    let sku = variant.sku.as_str();
    if db
        .first(SKU_TAKEN, &[&sku], |r| r.value::<String>(0))
        .await?
        .is_some()
    {
        return Err(StoreError::already_exists("sku", sku).into());
    }
    let position: i64 = db
        .one(NEXT_POSITION, &[&product.id], |r| r.value(0))
        .await?;
    let now = time::now();
    add_variant(db, &product.id, position, variant, actor, &now).await?;
    let added = variant_of(&load(db, &product.id, currency).await?, sku)?;
    let change = (actor, "variant.create", sku, now.as_str());
    record_change(db, change, None::<&Variant>, Some(&added)).await?;
    Ok(added)
}

/// Applies `patch` to the variant `sku`, on a shop whose today is
/// `today`. Retiring is refused while it holds stock (adjust it to 0
/// first), and for the last variant for sale of an active product (archive
/// the product instead); preorder settings are checked once merged with
/// the current ones (`PreorderPatch::apply_to`).
pub async fn patch<D: Db>(
    db: &D,
    sku: &str,
    patch: &VariantPatch,
    actor: &str,
    (currency, today): (&str, NaiveDate),
) -> Result<Variant, D::Error> {
    let product_id: String = db
        .first(PRODUCT_OF, &[&sku], |r| r.value(0))
        .await?
        .ok_or_else(|| StoreError::not_found(Resource::Sku, sku))?;
    // Locked first, as a checkout locks it: a sale and a retirement of
    // the same variant happen one after the other.
    let available = level(db, sku, true).await?;
    let product = load(db, &product_id, currency).await?;
    let current = variant_of(&product, sku)?;
    if patch.retired == Some(true) && !current.retired {
        refuse_retiring(&product, &current, available)?;
    }
    if let Some(retired) = patch.retired {
        db.write(SET_RETIRED, &[&i64::from(retired), &sku]).await?;
    }
    if let Some(threshold) = patch.low_stock_threshold {
        db.write(SET_THRESHOLD, &[&threshold, &sku]).await?;
    }
    if let Some(position) = patch.position {
        move_to(db, &product, sku, position).await?;
    }
    if let Some(preorder) = &patch.preorder {
        let current = preorder_settings(&current);
        let next = preorder
            .apply_to(&current, today)
            .map_err(StoreError::from)?;
        if next != current {
            let params: [&dyn Param; 4] =
                [&i64::from(next.enabled), &next.cap, &next.ships_by, &sku];
            db.write(SET_PREORDER, &params).await?;
        }
    }
    let updated = variant_of(&load(db, &product_id, currency).await?, sku)?;
    if updated != current {
        let now = time::now();
        let change = (actor, "variant.update", sku, now.as_str());
        record_change(db, change, Some(&current), Some(&updated)).await?;
    }
    Ok(updated)
}

/// A variant's preorder settings as they are now.
fn preorder_settings(variant: &Variant) -> PreorderSettings {
    variant
        .preorder
        .as_ref()
        .map(|p| PreorderSettings {
            enabled: p.enabled,
            cap: p.cap,
            ships_by: p.ships_by.clone(),
        })
        .unwrap_or_default()
}

fn refuse_retiring(product: &Product, variant: &Variant, available: i64) -> Result<(), StoreError> {
    if available > 0 {
        return Err(StoreError::VariantHoldsStock {
            sku: variant.sku.clone(),
            available,
        });
    }
    let others_for_sale = product
        .variants
        .iter()
        .any(|v| v.sku != variant.sku && !v.retired);
    if product.status == ProductStatus::Active && !others_for_sale {
        return Err(StoreError::LastVariantForSale {
            sku: variant.sku.clone(),
        });
    }
    Ok(())
}

/// Puts `sku` at `position` among the product's variants (the last place
/// at most) and renumbers the others from 0, keeping their order.
async fn move_to<D: Db>(
    db: &D,
    product: &Product,
    sku: &str,
    position: i64,
) -> Result<(), D::Error> {
    let mut order: Vec<&str> = product
        .variants
        .iter()
        .map(|v| v.sku.as_str())
        .filter(|s| *s != sku)
        .collect();
    let at = usize::try_from(position).unwrap_or(0).min(order.len());
    order.insert(at, sku);
    for (place, (moved, before)) in order.iter().zip(&product.variants).enumerate() {
        let place = place as i64;
        if *moved != before.sku || before.position != place {
            db.write(SET_POSITION, &[&place, moved]).await?;
        }
    }
    Ok(())
}

fn variant_of(product: &Product, sku: &str) -> Result<Variant, StoreError> {
    product
        .variants
        .iter()
        .find(|v| v.sku == sku)
        .cloned()
        .ok_or_else(|| StoreError::not_found(Resource::Sku, sku))
}

//! The shop above the backends: its identity and delivery zones, read by
//! its pages and every checkout, merged by its owner.

use super::StoreError;
use super::admins::record_change;
use super::db::{Db, Param, Writes};
use super::row::Row;
use crate::domain::shop::{DeliveryZone, Shop, ShopPatch};
use crate::domain::time;

/// The shop's one row, read by `shop_row`, and the setting the storefront
/// reads with it: whether an order must give a pickup number.
const SHOP: &str = "select name, tagline, welcome, logo_url, phone, whatsapp, address,
    opening_hours, (select pickup_number_required from settings where id = 1)
    from shop where id = 1";

/// The delivery zones, in the owner's order, read by `zone_row`.
pub(super) const ZONES: &str = "select id, name, fee from delivery_zones order by position, id";

const UPDATE_SHOP: &str = "update shop set name = $1, tagline = $2, welcome = $3, logo_url = $4,
    phone = $5, whatsapp = $6, address = $7, opening_hours = $8, updated_by = $9,
    updated_at = $10 where id = 1";

const DELETE_ZONES: &str = "delete from delivery_zones";
const INSERT_ZONE: &str =
    "insert into delivery_zones (id, name, fee, position) values ($1, $2, $3, $4)";

/// The shop, its row `locked` where the database locks rows.
pub async fn load<D: Db>(db: &D, currency: &str, locked: bool) -> Result<Shop, D::Error> {
    let sql = D::locking(SHOP, locked);
    let mut shop = db.one(&sql, &[], shop_row).await?;
    shop.currency = currency.to_owned();
    shop.delivery_zones = zones(db).await?;
    Ok(shop)
}

/// The delivery zones, in the owner's order.
pub async fn zones<D: Db>(db: &D) -> Result<Vec<DeliveryZone>, D::Error> {
    db.all(ZONES, &[], zone_row).await
}

/// Merges `patch` into the shop (the row locked first, so that two
/// owners' merges apply one after the other); given zones replace the list.
pub async fn update<D: Writes>(
    db: &D,
    patch: &ShopPatch,
    actor: &str,
    currency: &str,
) -> Result<Shop, D::Error> {
    let current = load(db, currency, true).await?;
    let next = patch.apply_to(&current).map_err(StoreError::from)?;
    if next == current {
        return Ok(current);
    }
    let now = time::now();
    let params: [&dyn Param; 10] = [
        &next.name,
        &next.tagline,
        &next.welcome,
        &next.logo_url,
        &next.phone,
        &next.whatsapp,
        &next.address,
        &next.opening_hours,
        &actor,
        &now,
    ];
    db.write(UPDATE_SHOP, &params).await?;
    if next.delivery_zones != current.delivery_zones {
        db.write(DELETE_ZONES, &[]).await?;
        for (position, zone) in next.delivery_zones.iter().enumerate() {
            let position = position as i64;
            let params: [&dyn Param; 4] = [&zone.id, &zone.name, &zone.fee, &position];
            db.write(INSERT_ZONE, &params).await?;
        }
    }
    let change = (actor, "shop.update", "shop", now.as_str());
    record_change(db, change, Some(&current), Some(&next)).await?;
    Ok(next)
}

fn shop_row(row: &Row) -> Result<Shop, StoreError> {
    Ok(Shop {
        name: row.value(0)?,
        tagline: row.value(1)?,
        welcome: row.value(2)?,
        logo_url: row.value(3)?,
        phone: row.value(4)?,
        whatsapp: row.value(5)?,
        address: row.value(6)?,
        opening_hours: row.value(7)?,
        pickup_number_required: row.value::<i64>(8)? != 0,
        currency: String::new(),
        delivery_zones: Vec::new(),
    })
}

pub(super) fn zone_row(row: &Row) -> Result<DeliveryZone, StoreError> {
    Ok(DeliveryZone {
        id: row.value(0)?,
        name: row.value(1)?,
        fee: row.value(2)?,
    })
}

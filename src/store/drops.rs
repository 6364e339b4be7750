//! Drops above the backends: scheduled, edited before they start and
//! ended early by the owner, each change recorded with its actor; read
//! by id or slug, listed in pages, and followed live (units left, orders
//! per minute, refusals per reason). What a checkout writes to a drop
//! (units taken, customers counted, refusals) is the engine's batch.
//!
//! "Now" is the store's clock (`StoreConfig::clock`), never the wall
//! clock, so that tests can hold it at a drop's first millisecond.

use chrono::{DateTime, TimeDelta, Utc};

use super::admins::record_change;
use super::catalog::color_from_stored;
use super::db::{Db, Param, on_either};
use super::images;
use super::row::Row;
use super::stock::{level_if_known, unknown_line_sku};
use super::{Resource, Store, StoreError};
use crate::domain::admin::Admin;
use crate::domain::drop::{
    DropConflict, DropFilter, DropLine, DropLive, DropPatch, DropStatus, DropView, NewDrop,
    NewDropLine, Phase, PublicDrop, RefusalCount, live_since, per_minute, phase, unit_price,
};
use crate::domain::page::{Page, page, rows_for};
use crate::domain::{FieldError, ValidationError, time};

/// The columns `drop_row` reads, in its order.
macro_rules! drop_columns {
    () => {
        "id, slug, name, starts_at, ends_at, hidden_until_start, max_units_per_customer,
         created_at, updated_at"
    };
}

/// The drop whose id or slug is `$1`.
const DROP_BY_KEY: &str = concat!(
    "select ",
    drop_columns!(),
    " from drops where id = $1 or slug = $1"
);

/// The drop whose slug is `$1`.
const DROP_BY_SLUG: &str = concat!("select ", drop_columns!(), " from drops where slug = $1");

/// A page of drops, newest first: before the time `$1` (or at `$1` with
/// an id below `$2`) when given, at most `$3` rows.
const DROPS_PAGE: &str = concat!(
    "select ",
    drop_columns!(),
    " from drops
    where cast($1 as text) is null or created_at < $1 or (created_at = $1 and id < $2)
    order by created_at desc, id desc limit $3"
);

/// The lines of the drop `$1` in their order, read by `line_row`, with
/// their product (its id and drawing for its picture) and the units sold
/// through the drop in orders not cancelled.
const LINES_OF: &str = "select dl.sku, dl.units, dl.price, dl.percent_off, dl.remaining,
      p.title, v.size, v.color, p.slug, p.price, p.id, p.image_url,
      (select cast(coalesce(sum(ol.quantity), 0) as bigint)
       from order_lines ol join orders o on o.id = ol.order_id
       where ol.drop_id = dl.drop_id and ol.sku = dl.sku and o.status <> 'cancelled')
    from drop_lines dl join variants v on v.sku = dl.sku join products p on p.id = v.product_id
    where dl.drop_id = $1 order by dl.position";

const INSERT_DROP: &str = "insert into drops (id, slug, name, starts_at, ends_at,
    hidden_until_start, max_units_per_customer, created_at, updated_at)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $8)";

/// A line of the drop `$1`; its units are all left (`remaining` = `units`).
const INSERT_LINE: &str = "insert into drop_lines
    (drop_id, sku, position, units, price, percent_off, remaining)
    values ($1, $2, $3, $4, $5, $6, $4)";

const UPDATE_DROP: &str = "update drops set slug = $1, name = $2, starts_at = $3, ends_at = $4,
    hidden_until_start = $5, max_units_per_customer = $6, updated_at = $7 where id = $8";

const DELETE_LINES: &str = "delete from drop_lines where drop_id = $1";

/// Moves the window of the drop `$3` to `[$1, $2)`.
const SET_WINDOW: &str = "update drops set starts_at = $1, ends_at = $2, updated_at = $2
    where id = $3";

/// Another drop than `$4` holding the sku `$1` whose window overlaps
/// `[$2, $3)`, the earliest first.
const OVERLAPPING: &str =
    "select d.slug, d.name from drop_lines dl join drops d on d.id = dl.drop_id
    where dl.sku = $1 and d.ends_at > $2 and d.starts_at < $3 and d.id <> $4
    order by d.starts_at, d.id limit 1";

/// Orders placed through the drop `$1` from `$2` on, per minute (the
/// first 16 characters of their time).
const ORDERS_PER_MINUTE: &str =
    "select substr(o.created_at, 1, 16), cast(count(distinct o.id) as bigint)
    from order_lines ol join orders o on o.id = ol.order_id
    where ol.drop_id = $1 and o.created_at >= $2
    group by substr(o.created_at, 1, 16)";

/// Orders placed through the drop `$1`.
const ORDERS_OF: &str =
    "select cast(count(distinct ol.order_id) as bigint) from order_lines ol where ol.drop_id = $1";

/// The checkouts the drop `$1` refused, per code, most first.
const REFUSALS_OF: &str = "select r.code, r.count from drop_refusals r
    where r.drop_id = $1 and r.count > 0 order by r.count desc, r.code";

impl Store {
    /// Schedules a drop: its skus' stock read and locked, each sku known,
    /// offered within its stock and in no overlapping drop.
    pub async fn create_drop(&self, drop: NewDrop, actor: &Admin) -> Result<DropView, StoreError> {
        let data = (drop, actor.name.clone(), self.config().clock.now());
        on_either!(write, self, data, |db, (drop, actor, now)| {
            create(db, drop, actor, *now)
        })
    }

    /// The drop whose id or slug is `key`, as the back office sees it.
    pub async fn drop_by_key(&self, key: &str) -> Result<DropView, StoreError> {
        let now = time::format(self.config().clock.now());
        on_either!(read, self, (key.to_owned(), now), |db, (key, now)| {
            load(db, key, now, false)
        })
    }

    /// A page of drops, newest first.
    pub async fn drops(&self, filter: DropFilter) -> Result<Page<DropView>, StoreError> {
        let now = time::format(self.config().clock.now());
        on_either!(read, self, (filter, now), |db, (filter, now)| {
            list(db, filter, now)
        })
    }

    /// Edits a drop that has not started; `lines`, when given, replaces them.
    pub async fn patch_drop(
        &self,
        key: &str,
        patch: DropPatch,
        actor: &Admin,
    ) -> Result<DropView, StoreError> {
        let now = self.config().clock.now();
        let data = (key.to_owned(), patch, actor.name.clone(), now);
        on_either!(write, self, data, |db, (key, patch, actor, now)| {
            edit(db, key, patch, actor, *now)
        })
    }

    /// Ends a drop now, whether it runs or has not started.
    pub async fn end_drop(&self, key: &str, actor: &Admin) -> Result<DropView, StoreError> {
        let now = self.config().clock.now();
        let data = (key.to_owned(), actor.name.clone(), now);
        on_either!(write, self, data, |db, (key, actor, now)| {
            end(db, key, actor, *now)
        })
    }

    /// The drop's live figures: units left, orders per minute, refusals.
    pub async fn drop_live(&self, key: &str) -> Result<DropLive, StoreError> {
        let now = self.config().clock.now();
        on_either!(read, self, (key.to_owned(), now), |db, (key, now)| {
            live(db, key, *now)
        })
    }

    /// The drop `slug` as buyers see it now.
    pub async fn public_drop(&self, slug: &str) -> Result<PublicDrop, StoreError> {
        let now = time::format(self.config().clock.now());
        let data = (slug.to_owned(), now.clone());
        let found = on_either!(read, self, data, |db, (slug, now)| by_slug(db, slug, now))?;
        Ok(found.public(&now))
    }
}

async fn create<D: Db>(
    db: &D,
    drop: &NewDrop,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<DropView, D::Error> {
    let every_line: Vec<&NewDropLine> = drop.lines.iter().collect();
    check_against_stock(db, &every_line).await?;
    check_overlaps(db, drop, "").await?;
    let id = uuid::Uuid::now_v7().to_string();
    let at = time::format(now);
    let hidden = i64::from(drop.hidden_until_start);
    let params: [&dyn Param; 8] = [
        &id,
        &drop.slug,
        &drop.name,
        &drop.starts_at,
        &drop.ends_at,
        &hidden,
        &drop.max_units_per_customer,
        &at,
    ];
    let slug_taken = || StoreError::already_exists("slug", &drop.slug);
    db.write_unique(INSERT_DROP, &params, slug_taken).await?;
    insert_lines(db, &id, &drop.lines).await?;
    let created = load(db, &id, &at, false).await?;
    let change = (actor, "drop.create", id.as_str(), at.as_str());
    record_change(db, change, None::<&DropView>, Some(&created)).await?;
    Ok(created)
}

async fn edit<D: Db>(
    db: &D,
    key: &str,
    patch: &DropPatch,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<DropView, D::Error> {
    let at = time::format(now);
    let current = load(db, key, &at, false).await?;
    // A drop that has started cannot be edited, whatever the body: the
    // edit as merged is checked only for one that can still change.
    refuse_unless_upcoming(&current, &at)?;
    let next = patch.apply_to(&current, now).map_err(StoreError::Invalid)?;
    // The stock rows of the skus named before and after are locked in sku
    // order, as a checkout locks them, then the drop's own row.
    let mut skus: Vec<&str> = current.lines.iter().map(|l| l.sku.as_str()).collect();
    skus.extend(next.lines.iter().map(|l| l.sku.as_str()));
    lock_stock(db, skus).await?;
    let current = load(db, &current.id, &at, true).await?;
    refuse_unless_upcoming(&current, &at)?;
    // Units are checked against stock only where a line is new or changed:
    // a stock that fell since the drop was saved does not block its name.
    let changed: Vec<&NewDropLine> = next
        .lines
        .iter()
        .filter(|line| {
            !current
                .lines
                .iter()
                .any(|l| l.sku == line.sku.as_str() && l.units == line.units)
        })
        .collect();
    check_against_stock(db, &changed).await?;
    check_overlaps(db, &next, &current.id).await?;
    let hidden = i64::from(next.hidden_until_start);
    let params: [&dyn Param; 8] = [
        &next.slug,
        &next.name,
        &next.starts_at,
        &next.ends_at,
        &hidden,
        &next.max_units_per_customer,
        &at,
        &current.id,
    ];
    let slug_taken = || StoreError::already_exists("slug", &next.slug);
    db.write_unique(UPDATE_DROP, &params, slug_taken).await?;
    db.write(DELETE_LINES, &[&current.id]).await?;
    insert_lines(db, &current.id, &next.lines).await?;
    let updated = load(db, &current.id, &at, false).await?;
    let change = (actor, "drop.update", current.id.as_str(), at.as_str());
    record_change(db, change, Some(&current), Some(&updated)).await?;
    Ok(updated)
}

/// Ends the drop now. One that has not started closes before it opens: its
/// window becomes the microsecond before now, so that it never sold.
async fn end<D: Db>(
    db: &D,
    key: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<DropView, D::Error> {
    let at = time::format(now);
    let current = load(db, key, &at, true).await?;
    let starts_at = match phase(&at, &current.starts_at, &current.ends_at) {
        Phase::After => return Err(StoreError::Drop(ended(&current)).into()),
        Phase::Inside => current.starts_at.clone(),
        Phase::Before => time::format(now - TimeDelta::microseconds(1)),
    };
    db.write(SET_WINDOW, &[&starts_at, &at, &current.id])
        .await?;
    let ended = load(db, &current.id, &at, false).await?;
    let change = (actor, "drop.end", current.id.as_str(), at.as_str());
    record_change(db, change, Some(&current), Some(&ended)).await?;
    tracing::info!(drop_id = %current.id, slug = %current.slug, "drop ended early");
    Ok(ended)
}

/// An edit is refused once the drop has started, and once it has ended.
fn refuse_unless_upcoming(drop: &DropView, now: &str) -> Result<(), StoreError> {
    match phase(now, &drop.starts_at, &drop.ends_at) {
        Phase::Before => Ok(()),
        Phase::Inside => Err(StoreError::Drop(DropConflict::Started {
            slug: drop.slug.clone(),
            name: drop.name.clone(),
            starts_at: drop.starts_at.clone(),
        })),
        Phase::After => Err(StoreError::Drop(ended(drop))),
    }
}

fn ended(drop: &DropView) -> DropConflict {
    DropConflict::Ended {
        slug: drop.slug.clone(),
        name: drop.name.clone(),
        ends_at: drop.ends_at.clone(),
    }
}

/// Locks the stock rows of `skus` (unknown ones aside) in sku order, each once.
async fn lock_stock<D: Db>(db: &D, mut skus: Vec<&str>) -> Result<(), D::Error> {
    skus.sort_unstable();
    skus.dedup();
    for sku in skus {
        level_if_known(db, sku, true).await?;
    }
    Ok(())
}

/// Every line's sku known and its units within its stock, read (and
/// locked) in sku order; every refused line named at once.
async fn check_against_stock<D: Db>(db: &D, lines: &[&NewDropLine]) -> Result<(), D::Error> {
    let mut by_sku = lines.to_vec();
    by_sku.sort_by(|a, b| a.sku.cmp(&b.sku));
    let mut refused = Vec::new();
    for line in by_sku {
        match level_if_known(db, line.sku.as_str(), true).await? {
            None => refused.push((line.index, unknown_line_sku(line.index, line.sku.as_str()))),
            Some(available) if line.units > available => {
                refused.push((line.index, above_stock(line, available)));
            }
            Some(_) => {}
        }
    }
    if refused.is_empty() {
        return Ok(());
    }
    refused.sort_by_key(|(index, _)| *index);
    let fields = refused.into_iter().map(|(_, error)| error).collect();
    Err(StoreError::from(ValidationError(fields)).into())
}

/// The refusal of a line offering more units than its variant holds.
fn above_stock(line: &NewDropLine, available: i64) -> FieldError {
    let (sku, units) = (line.sku.as_str(), line.units);
    let field = format!("lines[{}].units", line.index);
    let (fr, en) = match available {
        0 => (
            format!(
                "L'article {sku} n'a plus de stock : il ne peut pas être proposé dans la vente flash."
            ),
            format!("The article {sku} is out of stock: it cannot be offered in the drop."),
        ),
        1 => (
            format!(
                "L'article {sku} n'a qu'un article en stock : proposez-en au plus 1, pas {units}."
            ),
            format!("The article {sku} has only 1 unit in stock: offer at most 1, not {units}."),
        ),
        n => (
            format!(
                "L'article {sku} n'a que {n} articles en stock : proposez-en au plus {n}, pas {units}."
            ),
            format!(
                "The article {sku} has only {n} units in stock: offer at most {n}, not {units}."
            ),
        ),
    };
    FieldError::new(field, fr, en)
}

/// Refuses the first line whose sku is in another drop (not `own_id`)
/// whose window overlaps this one's.
async fn check_overlaps<D: Db>(db: &D, drop: &NewDrop, own_id: &str) -> Result<(), D::Error> {
    for line in &drop.lines {
        let sku = line.sku.as_str();
        let params: [&dyn Param; 4] = [&sku, &drop.starts_at, &drop.ends_at, &own_id];
        let other = db
            .first(OVERLAPPING, &params, |row| {
                Ok((row.value(0)?, row.value(1)?))
            })
            .await?;
        if let Some((other_slug, other_name)) = other {
            let conflict = DropConflict::Overlap {
                sku: sku.to_owned(),
                other_slug,
                other_name,
            };
            return Err(StoreError::Drop(conflict).into());
        }
    }
    Ok(())
}

async fn insert_lines<D: Db>(db: &D, id: &str, lines: &[NewDropLine]) -> Result<(), D::Error> {
    for (position, line) in lines.iter().enumerate() {
        let position = position as i64;
        let sku = line.sku.as_str();
        let params: [&dyn Param; 6] = [
            &id,
            &sku,
            &position,
            &line.units,
            &line.price,
            &line.percent_off,
        ];
        db.write(INSERT_LINE, &params).await?;
    }
    Ok(())
}

/// The drop whose id or slug is `key` with its lines and its status at
/// `now`; its row `locked` where the database locks rows.
async fn load<D: Db>(db: &D, key: &str, now: &str, locked: bool) -> Result<DropView, D::Error> {
    let sql = D::locking(DROP_BY_KEY, locked);
    let found = db.first(&sql, &[&key], drop_row).await?;
    let drop = found.ok_or_else(|| StoreError::not_found(Resource::Drop, key))?;
    with_lines(db, drop, now).await
}

async fn by_slug<D: Db>(db: &D, slug: &str, now: &str) -> Result<DropView, D::Error> {
    let found = db.first(DROP_BY_SLUG, &[&slug], drop_row).await?;
    let drop = found.ok_or_else(|| StoreError::not_found(Resource::Drop, slug))?;
    with_lines(db, drop, now).await
}

/// The drop with its lines, each with its product's picture (its first
/// photo's thumbnail, else its drawing), and its status at `now`.
async fn with_lines<D: Db>(db: &D, mut drop: DropView, now: &str) -> Result<DropView, D::Error> {
    let rows = db.all(LINES_OF, &[&drop.id], line_row).await?;
    drop.lines = Vec::with_capacity(rows.len());
    for (mut line, product_id, drawing) in rows {
        let photos = images::of_product(db, &product_id).await?;
        line.image_url = photos
            .into_iter()
            .next()
            .map(|photo| photo.thumbnail_url)
            .or(drawing);
        drop.lines.push(line);
    }
    drop.status = drop.status_at(now);
    Ok(drop)
}

async fn list<D: Db>(db: &D, filter: &DropFilter, now: &str) -> Result<Page<DropView>, D::Error> {
    let (at, id) = match &filter.before {
        Some((at, id)) => (Some(at.as_str()), Some(id.as_str())),
        None => (None, None),
    };
    let params: [&dyn Param; 3] = [&at, &id, &rows_for(filter.limit)];
    let rows = db.all(DROPS_PAGE, &params, drop_row).await?;
    let mut drops = Vec::with_capacity(rows.len());
    for drop in rows {
        drops.push(with_lines(db, drop, now).await?);
    }
    Ok(page(drops, filter.limit, |d| {
        format!("{} {}", d.created_at, d.id)
    }))
}

async fn live<D: Db>(db: &D, key: &str, now: DateTime<Utc>) -> Result<DropLive, D::Error> {
    let at = time::format(now);
    let drop = load(db, key, &at, false).await?;
    let since = time::format(live_since(now));
    let counted: Vec<(String, i64)> = db
        .all(ORDERS_PER_MINUTE, &[&drop.id, &since], |row| {
            Ok((row.value(0)?, row.value(1)?))
        })
        .await?;
    let orders = db.one(ORDERS_OF, &[&drop.id], |row| row.value(0)).await?;
    let refusals = db
        .all(REFUSALS_OF, &[&drop.id], |row| {
            Ok(RefusalCount {
                code: row.value(0)?,
                count: row.value(1)?,
            })
        })
        .await?;
    Ok(DropLive {
        drop,
        orders_per_minute: per_minute(now, &counted),
        server_time: at,
        orders,
        refusals,
    })
}

/// A row of `drop_columns!`, without its lines yet.
fn drop_row(row: &Row) -> Result<DropView, StoreError> {
    Ok(DropView {
        id: row.value(0)?,
        slug: row.value(1)?,
        name: row.value(2)?,
        starts_at: row.value(3)?,
        ends_at: row.value(4)?,
        hidden_until_start: row.value::<i64>(5)? == 1,
        max_units_per_customer: row.value(6)?,
        lines: Vec::new(),
        status: DropStatus::Upcoming,
        created_at: row.value(7)?,
        updated_at: row.value(8)?,
    })
}

/// A row of `LINES_OF`, with its product's id and drawing.
fn line_row(row: &Row) -> Result<(DropLine, String, Option<String>), StoreError> {
    let price: Option<i64> = row.value(2)?;
    let percent_off: Option<i64> = row.value(3)?;
    let product_price: i64 = row.value(9)?;
    let line = DropLine {
        sku: row.value(0)?,
        units: row.value(1)?,
        price,
        percent_off,
        remaining: row.value(4)?,
        title: row.value(5)?,
        size: row.value(6)?,
        color: color_from_stored(row.value(7)?),
        product_slug: row.value(8)?,
        product_price,
        unit_price: unit_price(price, percent_off, product_price),
        image_url: None,
        sold: row.value(12)?,
    };
    let drawing: Option<String> = row.value(11)?;
    Ok((line, row.value(10)?, drawing.filter(|url| !url.is_empty())))
}

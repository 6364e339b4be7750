//! Product photos above the backends: the encoded images kept in `media`
//! under the hash of their bytes (so every instance serves them), a
//! product's gallery in `product_images`, added to, edited, reordered and
//! shortened with its product's row locked, each change recorded with its
//! actor; and a stored image read back for `/media/{name}`.

use serde::Serialize;

use super::admins::record_change;
use super::db::{Db, Param};
use super::row::Row;
use super::{Resource, StoreError};
use crate::domain::image::{Encoded, Photo};
use crate::domain::limits::IMAGES_PER_PRODUCT_MAX;
use crate::domain::product::{ImageChange, ProductImage, too_many_images};
use crate::domain::time;

/// The id of the product whose id or slug is `$1`; locked where the
/// database locks rows, so that a product's gallery changes one writer at
/// a time (two uploads at once take positions one after the other).
const PRODUCT_ID: &str = "select id from products where id = $1 or slug = $1";

/// The photos of the product `$1`, in gallery order, read by `image_row`.
const IMAGES_OF: &str = "select media, thumbnail, alt from product_images
    where product_id = $1 order by position";

/// An encoded image; one already stored (the same bytes) is kept as it is.
const INSERT_MEDIA: &str =
    "insert into media (name, content_type, bytes, width, height, created_at)
    values ($1, $2, $3, $4, $5, $6) on conflict (name) do nothing";

const INSERT_IMAGE: &str =
    "insert into product_images (product_id, position, media, thumbnail, alt)
    values ($1, $2, $3, $4, $5)";

const DELETE_IMAGES_OF: &str = "delete from product_images where product_id = $1";

/// The media `$1`, locked where the database locks rows: a photo being
/// added and a deletion that would drop its media take turns.
const MEDIA_NAME: &str = "select name from media where name = $1";

/// How many photos of any product show the media `$1`.
const USES_OF_MEDIA: &str =
    "select count(*) from product_images where media = $1 or thumbnail = $1";

const DELETE_MEDIA: &str = "delete from media where name = $1";

/// A stored image's type and bytes, by name.
const MEDIA_BY_NAME: &str = "select content_type, bytes from media where name = $1";

/// One photo as stored: the names of its large image and thumbnail, its alt.
#[derive(Clone, Debug, PartialEq, Eq)]
struct StoredImage {
    media: String,
    thumbnail: String,
    alt: String,
}

impl StoredImage {
    fn shown(&self) -> ProductImage {
        ProductImage::of_media(&self.media, &self.thumbnail, self.alt.clone())
    }
}

/// What the activity log keeps of a gallery before and after a change.
#[derive(Serialize)]
struct Gallery {
    images: Vec<ProductImage>,
}

fn gallery(images: &[StoredImage]) -> Gallery {
    Gallery {
        images: images.iter().map(StoredImage::shown).collect(),
    }
}

/// A stored image, as `/media/{name}` serves it.
#[derive(Clone, PartialEq, Eq)]
pub struct Media {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The photos of the product `product_id` (its id, not its slug), in gallery order.
pub async fn of_product<D: Db>(db: &D, product_id: &str) -> Result<Vec<ProductImage>, D::Error> {
    let stored = stored_of(db, product_id).await?;
    Ok(stored.iter().map(StoredImage::shown).collect())
}

/// Adds `photo` with `alt` after the product's other photos; refused past
/// `IMAGES_PER_PRODUCT_MAX`.
pub async fn add<D: Db>(
    db: &D,
    id_or_slug: &str,
    photo: &Photo,
    alt: &str,
    actor: &str,
) -> Result<ProductImage, D::Error> {
    let product_id = locked_product(db, id_or_slug).await?;
    let before = stored_of(db, &product_id).await?;
    if before.len() >= IMAGES_PER_PRODUCT_MAX {
        return Err(StoreError::from(too_many_images()).into());
    }
    let now = time::now();
    insert_media(db, &photo.large, &now).await?;
    insert_media(db, &photo.thumbnail, &now).await?;
    let added = StoredImage {
        media: photo.large.name.clone(),
        thumbnail: photo.thumbnail.name.clone(),
        alt: alt.to_owned(),
    };
    let position = before.len() as i64;
    let params: [&dyn Param; 5] = [
        &product_id,
        &position,
        &added.media,
        &added.thumbnail,
        &added.alt,
    ];
    db.write(INSERT_IMAGE, &params).await?;
    let mut after = before.clone();
    after.push(added.clone());
    let change = (
        actor,
        "product.image_add",
        product_id.as_str(),
        now.as_str(),
    );
    record_change(db, change, Some(&gallery(&before)), Some(&gallery(&after))).await?;
    Ok(added.shown())
}

/// Changes the alt text of the photo at `position` and moves it where
/// `change` says (the last place at most); answers it at its new place.
pub async fn edit<D: Db>(
    db: &D,
    id_or_slug: &str,
    position: usize,
    change: &ImageChange,
    actor: &str,
) -> Result<(usize, ProductImage), D::Error> {
    let product_id = locked_product(db, id_or_slug).await?;
    let before = stored_of(db, &product_id).await?;
    let mut after = before.clone();
    let mut image = taken_out(&mut after, &product_id, position)?;
    if let Some(alt) = &change.alt {
        image.alt = alt.clone();
    }
    let at = change.position.unwrap_or(position).min(after.len());
    after.insert(at, image.clone());
    if after != before {
        rewrite(db, &product_id, &after).await?;
        let now = time::now();
        let action = (
            actor,
            "product.image_update",
            product_id.as_str(),
            now.as_str(),
        );
        record_change(db, action, Some(&gallery(&before)), Some(&gallery(&after))).await?;
    }
    Ok((at, image.shown()))
}

/// Removes the photo at `position`; those after it move up one place.
/// Its media go too unless another photo shows the same bytes.
pub async fn remove<D: Db>(
    db: &D,
    id_or_slug: &str,
    position: usize,
    actor: &str,
) -> Result<(), D::Error> {
    let product_id = locked_product(db, id_or_slug).await?;
    let before = stored_of(db, &product_id).await?;
    let mut after = before.clone();
    let removed = taken_out(&mut after, &product_id, position)?;
    rewrite(db, &product_id, &after).await?;
    drop_if_unused(db, &removed.media).await?;
    if removed.thumbnail != removed.media {
        drop_if_unused(db, &removed.thumbnail).await?;
    }
    let now = time::now();
    let change = (
        actor,
        "product.image_delete",
        product_id.as_str(),
        now.as_str(),
    );
    record_change(db, change, Some(&gallery(&before)), Some(&gallery(&after))).await?;
    Ok(())
}

/// The stored image `name`, if any.
pub async fn media<D: Db>(db: &D, name: &str) -> Result<Option<Media>, D::Error> {
    db.first(MEDIA_BY_NAME, &[&name], |row| {
        Ok(Media {
            content_type: row.value(0)?,
            bytes: row.value(1)?,
        })
    })
    .await
}

/// The product's id, its row locked until the transaction ends.
async fn locked_product<D: Db>(db: &D, id_or_slug: &str) -> Result<String, D::Error> {
    let sql = D::locking(PRODUCT_ID, true);
    let found = db.first(&sql, &[&id_or_slug], |row| row.value(0)).await?;
    Ok(found.ok_or_else(|| StoreError::not_found(Resource::Product, id_or_slug))?)
}

async fn stored_of<D: Db>(db: &D, product_id: &str) -> Result<Vec<StoredImage>, D::Error> {
    db.all(IMAGES_OF, &[&product_id], image_row).await
}

/// Takes the photo at `position` out of `images`; not found when there is none.
fn taken_out(
    images: &mut Vec<StoredImage>,
    product_id: &str,
    position: usize,
) -> Result<StoredImage, StoreError> {
    if position >= images.len() {
        let key = format!("{product_id}/{position}");
        return Err(StoreError::not_found(Resource::Image, key));
    }
    Ok(images.remove(position))
}

/// Writes the product's gallery as `images`, numbered from 0. Every row is
/// written again: positions are a primary key, which moving rows one by
/// one would break halfway.
async fn rewrite<D: Db>(db: &D, product_id: &str, images: &[StoredImage]) -> Result<(), D::Error> {
    db.write(DELETE_IMAGES_OF, &[&product_id]).await?;
    for (position, image) in images.iter().enumerate() {
        let position = position as i64;
        let params: [&dyn Param; 5] = [
            &product_id,
            &position,
            &image.media,
            &image.thumbnail,
            &image.alt,
        ];
        db.write(INSERT_IMAGE, &params).await?;
    }
    Ok(())
}

/// Stores `encoded` unless it is already, and holds its row locked until
/// the transaction ends, so that a deletion elsewhere of the same bytes
/// waits and then finds this photo using them.
async fn insert_media<D: Db>(db: &D, encoded: &Encoded, now: &str) -> Result<(), D::Error> {
    let (width, height) = (i64::from(encoded.width), i64::from(encoded.height));
    let params: [&dyn Param; 6] = [
        &encoded.name,
        &encoded.content_type,
        &encoded.bytes,
        &width,
        &height,
        &now,
    ];
    let held = D::locking(MEDIA_NAME, true);
    // Twice at most: the insert either writes the row or, when another
    // transaction wrote it first, waits for it and leaves it to be locked.
    for _ in 0..2 {
        let found: Option<String> = db.first(&held, &[&encoded.name], |r| r.value(0)).await?;
        if found.is_some() {
            return Ok(());
        }
        db.write(INSERT_MEDIA, &params).await?;
    }
    let missing = format!("media {} neither found nor stored", encoded.name);
    Err(StoreError::Internal(missing).into())
}

/// Deletes the media `name` when no photo shows it any more. Its row is
/// locked first; the count that follows, a statement of its own, sees
/// every photo committed meanwhile.
async fn drop_if_unused<D: Db>(db: &D, name: &str) -> Result<(), D::Error> {
    let held = D::locking(MEDIA_NAME, true);
    if db
        .first(&held, &[&name], |r| r.value::<String>(0))
        .await?
        .is_none()
    {
        return Ok(());
    }
    let uses: i64 = db.one(USES_OF_MEDIA, &[&name], |r| r.value(0)).await?;
    if uses == 0 {
        db.write(DELETE_MEDIA, &[&name]).await?;
    }
    Ok(())
}

/// A row of `IMAGES_OF`.
fn image_row(row: &Row) -> Result<StoredImage, StoreError> {
    Ok(StoredImage {
        media: row.value(0)?,
        thumbnail: row.value(1)?,
        alt: row.value(2)?,
    })
}

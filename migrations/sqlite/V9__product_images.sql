-- Product photos. Every image is decoded and encoded again by the server
-- (`domain/image.rs`), so what is stored carries no EXIF; it is kept in
-- the database, where every instance reads it, under the hash of its
-- bytes, and served at `/media/{name}` as immutable.

-- One encoded image: `name` is the hex SHA-256 of `bytes` with the
-- extension of its type (`….jpg`), so equal bytes are stored once and a
-- name never changes meaning.
create table media (
    name text primary key,
    content_type text not null,
    bytes blob not null,
    width integer not null check (width > 0),
    height integer not null check (height > 0),
    created_at text not null
);

-- A product's photos, in the order the shop shows them (`position` from
-- 0, no gaps): the large image, its thumbnail and the text read out in
-- its place. A reorder rewrites a product's rows in one transaction.
create table product_images (
    product_id text not null references products (id),
    position integer not null check (position >= 0),
    media text not null references media (name),
    thumbnail text not null references media (name),
    alt text not null default '',
    primary key (product_id, position)
);
create index product_images_by_media on product_images (media);
create index product_images_by_thumbnail on product_images (thumbnail);

-- Product photos. Every image is decoded and encoded again by the server
-- (`domain/image.rs`), so what is stored carries no EXIF; it is kept in
-- the database, where every instance reads it, under the hash of its
-- bytes, and served at `/media/{name}` as immutable.

-- One encoded image: `name` is the hex SHA-256 of `bytes` with the
-- extension of its type (`….jpg`), so equal bytes are stored once and a
-- name never changes meaning.
create table media (
    name text collate "C" primary key,
    content_type text not null,
    bytes bytea not null,
    width bigint not null check (width > 0),
    height bigint not null check (height > 0),
    created_at text collate "C" not null
);

-- A product's photos, in the order the shop shows them (`position` from
-- 0, no gaps): the large image, its thumbnail and the text read out in
-- its place. A reorder rewrites a product's rows in one transaction.
create table product_images (
    product_id text collate "C" not null references products (id),
    position bigint not null check (position >= 0),
    media text collate "C" not null references media (name),
    thumbnail text collate "C" not null references media (name),
    alt text not null default '',
    primary key (product_id, position)
);
create index product_images_by_media on product_images (media);
create index product_images_by_thumbnail on product_images (thumbnail);

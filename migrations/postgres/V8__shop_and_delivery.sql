-- The shop's own identity, shown on its pages and slips, and the delivery
-- zones a buyer picks at checkout, whose fee the server adds to the order.

-- One row: what the owner sets in Réglages. Empty text is "not set".
create table shop (
    id bigint primary key check (id = 1),
    name text not null default '',
    tagline text not null default '',
    welcome text not null default '',
    logo_url text,
    phone text not null default '',
    whatsapp text not null default '',
    address text not null default '',
    opening_hours text not null default '',
    updated_by text,
    updated_at text
);
insert into shop (id) values (1);

-- The owner's zones, in the order she lists them; `id` is hers
-- ([a-z0-9-]{1,40}) and what an order names.
create table delivery_zones (
    id text collate "C" primary key,
    name text not null,
    fee bigint not null check (fee >= 0),
    position bigint not null
);

-- An order's zone as it was when ordered (its id and name), and its fee,
-- which `total` includes.
alter table orders add column delivery_zone text;
alter table orders add column delivery_zone_name text;
alter table orders add column delivery_fee bigint not null default 0 check (delivery_fee >= 0);

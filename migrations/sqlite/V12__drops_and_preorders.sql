-- Drops and preorders.
--
-- A drop is a campaign with a window `[starts_at, ends_at)`: its lines sell
-- at the drop's price and at most `units` of each in all (`remaining`,
-- taken like stock with a conditional decrement, never below 0), and each
-- customer (normalised phone) buys at most `max_units_per_customer` units
-- over its lines (`drop_customers`, kept like the order count). Its units
-- are not taken out of stock in advance: a drop's sale takes stock too.
-- Ending a drop early moves its `ends_at` to that moment.
create table drops (
    id text primary key,
    slug text not null unique,
    name text not null,
    starts_at text not null,
    ends_at text not null,
    hidden_until_start integer not null default 0 check (hidden_until_start in (0, 1)),
    max_units_per_customer integer check (max_units_per_customer > 0),
    created_at text not null,
    updated_at text not null,
    check (ends_at > starts_at)
);
create index drops_by_start on drops (starts_at);

create table drop_lines (
    drop_id text not null references drops (id),
    sku text not null references variants (sku),
    position integer not null,
    units integer not null check (units > 0),
    price integer check (price > 0),
    percent_off integer check (percent_off between 1 and 90),
    remaining integer not null check (remaining >= 0 and remaining <= units),
    check (price is null or percent_off is null),
    primary key (drop_id, sku)
) without rowid;
create index drop_lines_by_sku on drop_lines (sku, drop_id);

-- Units each customer bought in a drop, cancelled ones given back while it
-- runs; a checkout reads its customers' rows by phone.
create table drop_customers (
    drop_id text not null references drops (id),
    phone text not null,
    units integer not null check (units >= 0),
    primary key (phone, drop_id)
) without rowid;

-- Checkouts a drop refused, by the refusal's code: what its live page shows.
create table drop_refusals (
    drop_id text not null references drops (id),
    code text not null,
    count integer not null check (count >= 0),
    primary key (drop_id, code)
) without rowid;

-- An order line sold through a drop names it; a preorder line waits for
-- stock (`allocated` of its `quantity` units given to it by restocks).
alter table order_lines add column drop_id text references drops (id);
alter table order_lines add column preorder integer not null default 0 check (preorder in (0, 1));
alter table order_lines add column allocated integer not null default 0 check (allocated >= 0);
create index order_lines_preorders_waiting on order_lines (sku)
    where preorder = 1 and allocated < quantity;
create index order_lines_by_drop on order_lines (drop_id) where drop_id is not null;

-- Preorders of a variant: taken when its stock is 0, at most `preorder_cap`
-- units waiting at once, shipped by `preorder_ships_by` (YYYY-MM-DD).
alter table variants add column preorder_enabled integer not null default 0
    check (preorder_enabled in (0, 1));
alter table variants add column preorder_cap integer not null default 0 check (preorder_cap >= 0);
alter table variants add column preorder_ships_by text;
-- Units of preorder lines waiting for stock (orders not cancelled): the
-- places taken, kept on the stock row the checkout already holds.
alter table stock add column preorder_waiting integer not null default 0
    check (preorder_waiting >= 0);

-- stockroom's schema on SQLite. The invariants live here as well as in the
-- Rust code: stock never below zero, the ledger append-only, keys unique.
-- Times are RFC 3339 UTC text of one fixed width (microseconds), so text
-- order is time order. Checks on the checkout's tables list their values
-- with `or`, not `in (…)`: SQLite builds a temporary table for an `in` list
-- on every insert (measured: a tenth of a checkout).

-- People who run the shop. Only a SHA-256 hash of each bearer token is kept;
-- the token itself is shown once, when the admin is created.
create table admins (
    id integer primary key,
    name text not null unique,
    token_hash text not null,
    created_at text not null,
    revoked_at text -- set when the token is revoked; the row stays for the record
);

-- What the shop sells. `id` is an unguessable public id (UUID v4).
create table products (
    id text primary key,
    slug text not null unique,
    title text not null,
    description text not null default '',
    category text not null default '',
    image_url text,
    price integer not null check (price >= 0), -- minor units of the shop's currency
    old_price integer check (old_price >= 0),  -- the struck-through price, if any
    version integer not null default 1,        -- bumped by every edit; the ETag
    created_at text not null,
    updated_at text not null
);

-- One size (and colour) of a product. `color` is '' when the product has none,
-- so that the unique key below also holds for products without colours.
create table variants (
    sku text primary key,
    product_id text not null references products (id),
    size text not null,
    color text not null default '',
    position integer not null, -- order in which the sizes are shown
    unique (product_id, size, color)
);
create index variants_by_product on variants (product_id, position);

-- Units on hand, per variant: a cache of the ledger below, always equal to
-- the sum of the variant's movements. The check refuses an oversell even if
-- the code were wrong.
create table stock (
    sku text primary key references variants (sku),
    available integer not null check (available >= 0)
);

-- Orders. `seq` gives the short number people read ('SR-' || (1000 + seq));
-- `id` and the access token are unguessable, and only the token's hash is kept.
-- Indexes are few on purpose: every index is one more page each checkout
-- writes and journals (docs/ARCHITECTURE.md); admin filters by date scan by `seq`.
create table orders (
    seq integer primary key,
    id text not null unique,
    number text not null generated always as ('SR-' || (1000 + seq)) virtual,
    access_token_hash text not null,
    status text not null check (
        status = 'pending' or status = 'confirmed' or status = 'processing'
        or status = 'shipped' or status = 'delivered' or status = 'cancelled'),
    currency text not null,
    total integer not null check (total >= 0),
    customer_name text not null,
    customer_phone text not null,            -- as the buyer typed it
    customer_phone_normalised text not null, -- '+' and digits: the per-customer limit counts by it
    customer_email text,
    delivery_address text,
    pickup_number text,
    notes text,
    created_at text not null,
    updated_at text not null
);
create index orders_by_customer on orders (customer_phone_normalised, created_at);
create index orders_by_status on orders (status, seq);

-- What each order bought, at the server's prices of the moment.
create table order_lines (
    order_id text not null references orders (id),
    sku text not null references variants (sku),
    title text not null,
    size text not null,
    color text,
    unit_price integer not null check (unit_price >= 0),
    quantity integer not null check (quantity > 0),
    line_total integer not null check (line_total = unit_price * quantity),
    primary key (order_id, sku)
) without rowid;

-- The stock ledger: every unit in or out. `quantity` is signed (a sale of 2
-- is -2), so a variant's movements sum to its `available`. Append-only: the
-- triggers below refuse any update or delete; a correction is a new row.
create table stock_movements (
    id integer primary key autoincrement,
    sku text not null references variants (sku),
    kind text not null check (
        kind = 'initial' or kind = 'restock' or kind = 'adjustment' or kind = 'sale' or kind = 'cancellation'),
    quantity integer not null,
    available_after integer not null check (available_after >= 0),
    order_id text references orders (id), -- for sales and cancellations
    actor text,                           -- the admin's name; null for a buyer's sale
    note text,
    created_at text not null,
    check ((kind = 'sale' or kind = 'cancellation') = (order_id is not null))
);
create index stock_movements_by_sku on stock_movements (sku, id);
create trigger stock_movements_are_never_updated before update on stock_movements
begin
    select raise(abort, 'stock_movements is append-only');
end;
create trigger stock_movements_are_never_deleted before delete on stock_movements
begin
    select raise(abort, 'stock_movements is append-only');
end;

-- Every status change of an order, with who made it.
create table order_status_changes (
    id integer primary key autoincrement,
    order_id text not null references orders (id),
    from_status text not null,
    to_status text not null,
    actor text not null,
    created_at text not null
);
create index order_status_changes_by_order on order_status_changes (order_id, id);

-- Answers to `POST /api/v1/orders` with an `Idempotency-Key`, replayed when
-- the same key comes again with the same body; kept for a configured time.
create table idempotency_keys (
    key text primary key,
    request_hash text not null, -- SHA-256 of the canonical JSON body
    status integer not null,
    response text not null,
    created_at text not null
);
create index idempotency_keys_by_created_at on idempotency_keys (created_at);

-- The shop's settings: a single row.
create table settings (
    id integer primary key check (id = 1),
    order_limit_per_customer integer check (order_limit_per_customer >= 1),
    low_stock_percent integer not null check (low_stock_percent between 0 and 100),
    reference_date text not null,
    default_country_code text not null,
    updated_by text,
    updated_at text
);
insert into settings (id, order_limit_per_customer, low_stock_percent, reference_date, default_country_code)
values (1, 2, 20, '1970-01-01T00:00:00.000000Z', '+225');

-- Every admin action that changed something, with its actor: product edits,
-- settings, status changes (stock changes are in the ledger with their actor).
create table admin_actions (
    id integer primary key autoincrement,
    actor text not null,
    action text not null,  -- e.g. 'product.create', 'settings.update'
    subject text not null, -- the product id, order id, ...
    created_at text not null
);

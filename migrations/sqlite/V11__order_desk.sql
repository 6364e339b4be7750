-- The order desk: payments, staff notes, edits and returns, each kept in
-- an order's history; orders found by a name typed without its accents;
-- the `returned` status and the ledger's `return` movements (and the
-- `preorder_allocation` ones the drops issue writes).
--
-- SQLite cannot change a CHECK constraint in place, so `stock_movements`
-- and `orders` are made again with their rows. Foreign keys stay on (a
-- migration runs in a transaction, where they cannot be turned off) but
-- are checked at commit: dropping `orders` leaves its children without a
-- parent until the same rows come back. Each of those checks looks up the
-- children by an index, so the temporary one on `stock_movements.order_id`
-- keeps the migration linear in the number of orders.
pragma defer_foreign_keys = on;

create table stock_movements_v11 (
    id integer primary key autoincrement,
    sku text not null references variants (sku),
    kind text not null check (
        kind = 'initial' or kind = 'restock' or kind = 'adjustment' or kind = 'sale'
        or kind = 'cancellation' or kind = 'return' or kind = 'preorder_allocation'),
    quantity integer not null,
    available_after integer not null check (available_after >= 0),
    order_id text references orders (id), -- for the kinds an order makes
    actor text,                           -- the admin's name; null for a buyer's sale
    note text,
    created_at text not null,
    receipt_id text references receipts (id),
    check ((kind = 'sale' or kind = 'cancellation' or kind = 'return' or kind = 'preorder_allocation')
        = (order_id is not null))
);
insert into stock_movements_v11
    (id, sku, kind, quantity, available_after, order_id, actor, note, created_at, receipt_id)
    select id, sku, kind, quantity, available_after, order_id, actor, note, created_at, receipt_id
    from stock_movements order by id;
drop table stock_movements;
alter table stock_movements_v11 rename to stock_movements;
create index stock_movements_by_sku on stock_movements (sku, id);
create index stock_movements_by_receipt on stock_movements (receipt_id) where receipt_id is not null;
create trigger stock_movements_are_never_updated before update on stock_movements
begin
    select raise(abort, 'stock_movements is append-only');
end;
create trigger stock_movements_are_never_deleted before delete on stock_movements
begin
    select raise(abort, 'stock_movements is append-only');
end;
create index stock_movements_by_order_v11 on stock_movements (order_id);

create temp table orders_v10 as
    select seq, id, access_token_hash, status, currency, total, customer_name, customer_phone,
        customer_phone_normalised, customer_email, delivery_address, pickup_number, notes,
        created_at, updated_at, delivery_zone, delivery_zone_name, delivery_fee
    from orders;
drop table orders;

-- Orders. `seq` gives the short number people read ('SR-' || (1000 + seq));
-- `id` and the access token are unguessable, and only the token's hash is kept.
-- Indexes are few on purpose: every index is one more page each checkout
-- writes and journals (docs/ARCHITECTURE.md); admin filters and searches
-- scan by `seq`.
create table orders (
    seq integer primary key,
    id text not null unique,
    number text not null generated always as ('SR-' || (1000 + seq)) virtual,
    access_token_hash text not null,
    status text not null check (
        status = 'pending' or status = 'confirmed' or status = 'processing'
        or status = 'shipped' or status = 'delivered' or status = 'cancelled'
        or status = 'returned'),
    currency text not null,
    total integer not null check (total >= 0),
    customer_name text not null,
    customer_phone text not null,            -- as the buyer typed it
    customer_phone_normalised text not null, -- E.164: the per-customer limit counts by it
    customer_email text,
    delivery_address text,
    pickup_number text,
    notes text,
    created_at text not null,
    updated_at text not null,
    delivery_zone text,
    delivery_zone_name text,
    delivery_fee integer not null default 0 check (delivery_fee >= 0),
    -- The name in lower case without accents, for the desk's search. Null
    -- until the first start after this migration fills it in Rust (SQL
    -- cannot take accents off).
    customer_name_folded text,
    payment_status text not null default 'unpaid' check (
        payment_status = 'unpaid' or payment_status = 'paid' or payment_status = 'refunded'),
    payment_method text check (
        payment_method is null or payment_method = 'cash' or payment_method = 'wave'
        or payment_method = 'orange_money' or payment_method = 'mtn_momo'
        or payment_method = 'moov_money' or payment_method = 'card' or payment_method = 'other'),
    payment_amount integer not null default 0 check (payment_amount >= 0),
    payment_reference text
);
insert into orders (seq, id, access_token_hash, status, currency, total, customer_name,
        customer_phone, customer_phone_normalised, customer_email, delivery_address,
        pickup_number, notes, created_at, updated_at, delivery_zone, delivery_zone_name,
        delivery_fee)
    select seq, id, access_token_hash, status, currency, total, customer_name, customer_phone,
        customer_phone_normalised, customer_email, delivery_address, pickup_number, notes,
        created_at, updated_at, delivery_zone, delivery_zone_name, delivery_fee
    from temp.orders_v10 order by seq;
drop table temp.orders_v10;
create index orders_by_status on orders (status, seq);
drop index stock_movements_by_order_v11;

-- Units of each line that came back (`returned`), and of those the ones
-- put back on the shelf (`restocked`; a damaged one is not).
alter table order_lines add column returned integer not null default 0 check (returned >= 0);
alter table order_lines add column restocked integer not null default 0 check (restocked >= 0);

-- What happened to an order after it was placed, with who did it: status
-- changes (with the reason of a step back), payments, staff notes, edits
-- and returns. The order's creation is its own row's `created_at`.
-- Append-only, like the ledger.
create table order_history (
    id integer primary key autoincrement,
    order_id text not null references orders (id),
    kind text not null check (
        kind = 'status' or kind = 'payment' or kind = 'note' or kind = 'edit' or kind = 'return'),
    from_value text,
    to_value text,
    note text,
    detail text, -- JSON: what the kind adds (a payment's method, a return's lines)
    actor text not null,
    created_at text not null
);
create index order_history_by_order on order_history (order_id, id);
create trigger order_history_is_never_updated before update on order_history
begin
    select raise(abort, 'order_history is append-only');
end;
create trigger order_history_is_never_deleted before delete on order_history
begin
    select raise(abort, 'order_history is append-only');
end;
insert into order_history (order_id, kind, from_value, to_value, actor, created_at)
    select order_id, 'status', from_status, to_status, actor, created_at
    from order_status_changes order by id;
drop table order_status_changes;

-- Whether the storefront asks for a pickup number (the shop's delivery
-- service gives one): 0 or 1.
alter table settings add column pickup_number_required integer not null default 0
    check (pickup_number_required = 0 or pickup_number_required = 1);

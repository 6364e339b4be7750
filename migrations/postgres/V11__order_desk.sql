-- The order desk: payments, staff notes, edits and returns, each kept in
-- an order's history; orders found by a name typed without its accents;
-- the `returned` status and the ledger's `return` movements (and the
-- `preorder_allocation` ones the drops issue writes).

alter table orders drop constraint orders_status_check;
alter table orders add constraint orders_status_check check (status in (
    'pending', 'confirmed', 'processing', 'shipped', 'delivered', 'cancelled', 'returned'));

alter table stock_movements drop constraint stock_movements_kind_check;
alter table stock_movements drop constraint stock_movements_check;
alter table stock_movements add constraint stock_movements_kind_check check (kind in (
    'initial', 'restock', 'adjustment', 'sale', 'cancellation', 'return', 'preorder_allocation'));
alter table stock_movements add constraint stock_movements_order_check check (
    (kind in ('sale', 'cancellation', 'return', 'preorder_allocation')) = (order_id is not null));

-- The name in lower case without accents, for the desk's search. Null
-- until the first start after this migration fills it in Rust (SQL cannot
-- take accents off without an extension).
alter table orders add column customer_name_folded text;
alter table orders add column payment_status text not null default 'unpaid'
    check (payment_status in ('unpaid', 'paid', 'refunded'));
alter table orders add column payment_method text check (payment_method in (
    'cash', 'wave', 'orange_money', 'mtn_momo', 'moov_money', 'card', 'other'));
alter table orders add column payment_amount bigint not null default 0 check (payment_amount >= 0);
alter table orders add column payment_reference text;

-- Units of each line that came back (`returned`), and of those the ones
-- put back on the shelf (`restocked`; a damaged one is not).
alter table order_lines add column returned bigint not null default 0 check (returned >= 0);
alter table order_lines add column restocked bigint not null default 0 check (restocked >= 0);

-- What happened to an order after it was placed, with who did it: status
-- changes (with the reason of a step back), payments, staff notes, edits
-- and returns. The order's creation is its own row's `created_at`.
-- Append-only, like the ledger.
create table order_history (
    id bigint generated always as identity primary key,
    order_id text collate "C" not null references orders (id),
    kind text not null check (kind in ('status', 'payment', 'note', 'edit', 'return')),
    from_value text,
    to_value text,
    note text,
    detail text, -- JSON: what the kind adds (a payment's method, a return's lines)
    actor text not null,
    created_at text collate "C" not null
);
create index order_history_by_order on order_history (order_id, id);
create function order_history_is_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'order_history is append-only';
end;
$$;
create trigger order_history_is_never_updated before update or delete on order_history
    for each row execute function order_history_is_append_only();
insert into order_history (order_id, kind, from_value, to_value, actor, created_at)
    select order_id, 'status', from_status, to_status, actor, created_at
    from order_status_changes order by id;
drop table order_status_changes;

-- Whether the storefront asks for a pickup number (the shop's delivery
-- service gives one): 0 or 1.
alter table settings add column pickup_number_required bigint not null default 0
    check (pickup_number_required in (0, 1));

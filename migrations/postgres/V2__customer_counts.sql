-- Each customer's orders that count toward the per-customer limit: placed
-- since the settings' reference date and not cancelled. A cache of
-- `orders`, like `stock` of the ledger: a checkout adds 1 (holding the
-- customer's row, as before), a cancellation takes 1 back, a new reference
-- date counts them all again, and the audit checks it. It replaces the
-- index `orders_by_customer` and the count a checkout ran on it
-- (docs/BENCHMARKS.md); the table's rows are few and small, one per
-- customer.
alter table customers
    add column orders_counted bigint not null default 0 check (orders_counted >= 0);

insert into customers (phone, orders_counted)
    select customer_phone_normalised, count(*) from orders
    where created_at >= (select reference_date from settings where id = 1)
      and status <> 'cancelled'
    group by customer_phone_normalised
on conflict (phone) do update set orders_counted = excluded.orders_counted;

drop index orders_by_customer;

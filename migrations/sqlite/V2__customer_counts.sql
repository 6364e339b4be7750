-- Each customer's orders that count toward the per-customer limit: placed
-- since the settings' reference date and not cancelled, by normalised phone.
-- A cache of `orders`, like `stock` of the ledger: a checkout adds 1, a
-- cancellation takes 1 back, a new reference date counts them all again,
-- and the audit checks it. It replaces the index `orders_by_customer`,
-- which every checkout wrote on a leaf of its customer's, a different page
-- for nearly every order (docs/BENCHMARKS.md); this table's rows are few
-- and small, one per customer.
create table customers (
    phone text primary key,
    orders_counted integer not null check (orders_counted >= 0)
) without rowid;

insert into customers (phone, orders_counted)
    select customer_phone_normalised, count(*) from orders
    where created_at >= (select reference_date from settings where id = 1)
      and status <> 'cancelled'
    group by customer_phone_normalised;

drop index orders_by_customer;

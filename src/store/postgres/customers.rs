//! Each customer's count of orders toward the per-customer limit
//! (`customers.orders_counted`, migration V2): the orders placed since the
//! settings' reference date and not cancelled, kept as orders are placed
//! and cancelled, and counted again when the reference date moves.
//!
//! Whether an order counts is decided by each statement against the
//! settings it reads itself (READ COMMITTED: the newest committed), not
//! against what the checkout read before: a checkout that waited for a
//! recount (which holds the whole table) then counts by the new date.

use deadpool_postgres::Transaction;

use super::sql::execute;
use super::transaction::TxError;

/// Adds an order placed at `$2` to the count of the customer `$1`, whose
/// row the checkout holds (`locks::lock_customer`).
pub const COUNT_ORDER: &str = "update customers set orders_counted = orders_counted + 1
    where phone = $1 and $2 >= (select reference_date from settings where id = 1)";

/// The same for a whole batch: `$1` the customers, `$2` how many orders
/// each placed, all of them at `$3`.
pub const COUNT_ORDERS: &str =
    "update customers set orders_counted = customers.orders_counted + c.placed
    from unnest($1::text[], $2::bigint[]) as c(phone, placed)
    where customers.phone = c.phone
      and $3 >= (select reference_date from settings where id = 1)";

/// Takes back the count of an order being cancelled, if it counted.
pub async fn uncount_order(tx: &Transaction<'_>, order_id: &str) -> Result<(), TxError> {
    execute(
        tx,
        "update customers set orders_counted = orders_counted - 1
         where phone = (select customer_phone_normalised from orders where id = $1)
           and (select created_at from orders where id = $1)
               >= (select reference_date from settings where id = 1)",
        &[&order_id],
    )
    .await?;
    Ok(())
}

/// Counts every customer's orders again from `reference_date`. The table
/// is locked first: checkouts and cancellations that hold a customer's row
/// finish before (and are counted from `orders`), the others wait and then
/// count by the new date.
pub async fn recount(tx: &Transaction<'_>, reference_date: &str) -> Result<(), TxError> {
    tx.batch_execute(
        "lock table customers in exclusive mode; update customers set orders_counted = 0",
    )
    .await?;
    execute(
        tx,
        "insert into customers (phone, orders_counted)
         select customer_phone_normalised, count(*) from orders
         where created_at >= $1 and status <> 'cancelled'
         group by customer_phone_normalised
         on conflict (phone) do update set orders_counted = excluded.orders_counted",
        &[&reference_date],
    )
    .await?;
    Ok(())
}

//! Each customer's count of orders toward the per-customer limit
//! (`customers.orders_counted`, migration V2): the orders placed since the
//! settings' reference date and not cancelled, kept as orders are placed
//! and cancelled, and counted again when the reference date moves.
//! A checkout counts its orders in its own batch (`checkout.rs`), against
//! the settings it read after locking its customers' rows: a recount holds
//! the whole table, so a batch that waited for one counts by the new date.

use deadpool_postgres::Transaction;

use super::sql::execute;
use super::transaction::TxError;

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

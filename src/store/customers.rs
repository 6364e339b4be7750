//! Each customer's count of orders toward the per-customer limit
//! (`customers.orders_counted`, migration V2), above the backends: the
//! orders placed since the settings' reference date and not cancelled,
//! kept as orders are placed (`checkout.rs` of each backend) and cancelled,
//! and counted again when the reference date moves.

use super::db::Writes;

/// Takes back the count of the order `$1` being cancelled, if it counted
/// (placed since the reference date; a cancelled order never comes back).
const UNCOUNT_ORDER: &str = "update customers set orders_counted = orders_counted - 1
    where phone = (select customer_phone_normalised from orders where id = $1)
      and (select created_at from orders where id = $1)
          >= (select reference_date from settings where id = 1)";

/// Adds `$2` to the count of the customer `$1`, the row made if it is the
/// first (SQLite's checkout, and `phones.rs` merging a renamed phone's).
pub(super) const ADD_COUNT: &str = "insert into customers (phone, orders_counted) values ($1, $2)
    on conflict (phone) do update set orders_counted = customers.orders_counted + excluded.orders_counted";

const RESET_COUNTS: &str = "update customers set orders_counted = 0";

/// Every customer's orders since `$1`, not cancelled, counted.
const COUNT_ORDERS_SINCE: &str = "insert into customers (phone, orders_counted)
    select customer_phone_normalised, count(*) from orders
    where created_at >= $1 and status <> 'cancelled'
    group by customer_phone_normalised
    on conflict (phone) do update set orders_counted = excluded.orders_counted";

/// Takes back the count of an order being cancelled, if it counted.
pub async fn uncount_order<D: Writes>(db: &D, order_id: &str) -> Result<(), D::Error> {
    db.write(UNCOUNT_ORDER, &[&order_id]).await?;
    Ok(())
}

/// Counts every customer's orders again from `reference_date`, the whole
/// table locked first where the database locks it (`Writes::lock_customers`).
pub async fn recount<D: Writes>(db: &D, reference_date: &str) -> Result<(), D::Error> {
    db.lock_customers().await?;
    db.write(RESET_COUNTS, &[]).await?;
    db.write(COUNT_ORDERS_SINCE, &[&reference_date]).await?;
    Ok(())
}

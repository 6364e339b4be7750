//! Each customer's count of orders toward the per-customer limit
//! (`customers`, migration V2): the orders placed since the settings'
//! reference date and not cancelled, kept as orders are placed and
//! cancelled and counted again when the reference date moves.

use rusqlite::{Connection, params};

use crate::store::StoreError;

/// Takes back the count of an order being cancelled, if it counted (placed
/// since the reference date; a cancelled order never reaches here again).
pub fn uncount_order(conn: &Connection, order_id: &str) -> Result<(), StoreError> {
    conn.prepare_cached(
        "update customers set orders_counted = orders_counted - 1
         where phone = (select customer_phone_normalised from orders where id = ?1)
           and (select created_at from orders where id = ?1)
               >= (select reference_date from settings where id = 1)",
    )?
    .execute([order_id])?;
    Ok(())
}

/// Counts every customer's orders again from `reference_date`.
pub fn recount(conn: &Connection, reference_date: &str) -> Result<(), StoreError> {
    conn.prepare_cached("update customers set orders_counted = 0")?
        .execute([])?;
    conn.prepare_cached(
        "insert into customers (phone, orders_counted)
         select customer_phone_normalised, count(*) from orders
         where created_at >= ?1 and status <> 'cancelled'
         group by customer_phone_normalised
         on conflict (phone) do update set orders_counted = excluded.orders_counted",
    )?
    .execute(params![reference_date])?;
    Ok(())
}

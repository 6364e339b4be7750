//! The desk's reports above the backends: every order a filter chooses
//! (for `orders.csv`), the picking list they make, and the customers, one
//! per normalised phone, with what their orders add up to.

use std::collections::HashMap;

use super::db::{Db, Param, on_either};
use super::orders;
use super::row::{Row, unknown_value};
use super::{Resource, Store, StoreError};
use crate::domain::ValidationError;
use crate::domain::customer::{CustomerDetail, CustomerFilter, CustomerOrder, CustomerSummary};
use crate::domain::limits::{CUSTOMER_ORDERS_SHOWN_MAX, ORDER_REPORT_LINES_MAX, PAGE_SIZE_MAX};
use crate::domain::order::{Order, OrderStatus, PickingList, too_many_lines};
use crate::domain::page::{OrderFilter, Page, page, rows_for};

/// The place of each sku of the JSON array `$1` among its product's sizes.
const POSITIONS: &str = "select sku, position from variants where sku in ({skus})";

/// A page of customers who placed an order matching a search (when `$1`,
/// the folded name's pattern, is given: that name, the sequence `$2` or
/// the phone `$3`), each with the `seq` of their newest order, below `$4`
/// when given; newest first, at most `$5`.
const CUSTOMERS_PAGE: &str = "select customer_phone_normalised, max(seq) from orders
    where cast($1 as text) is null or customer_phone_normalised in (
        select customer_phone_normalised from orders
        where customer_name_folded like $1 escape '\\' or seq = $2 or customer_phone_normalised = $3)
    group by customer_phone_normalised
    having cast($4 as bigint) is null or max(seq) < $4
    order by max(seq) desc limit $5";

/// The orders of the customers of the JSON array `$1`, oldest first, read
/// by `customer_order_row`: phone, name, status, total, placed, and units
/// less those that came back.
const ORDERS_OF_CUSTOMERS: &str = "select customer_phone_normalised, customer_name, status, total,
    created_at, (select cast(coalesce(sum(l.quantity - l.returned), 0) as bigint)
                 from order_lines l where l.order_id = orders.id)
    from orders where customer_phone_normalised in ({phones}) order by seq";

/// The counts toward the limit of the customers of the JSON array `$1`.
const COUNTED: &str = "select phone, orders_counted from customers where phone in ({phones})";

/// The ids of the newest orders of the customer `$1`, at most `$2`.
const NEWEST_ORDER_IDS: &str =
    "select id from orders where customer_phone_normalised = $1 order by seq desc limit $2";

impl Store {
    /// Every order `filter` chooses, newest first, read page after page in
    /// one read; more than [`ORDER_REPORT_LINES_MAX`] lines is refused.
    pub async fn report_orders(&self, filter: OrderFilter) -> Result<Vec<Order>, StoreError> {
        on_either!(read, self, filter, |db, filter| every_order(db, filter))
    }

    /// What to take off the shelves for the orders `filter` chooses.
    pub async fn picking_list(&self, filter: OrderFilter) -> Result<PickingList, StoreError> {
        on_either!(read, self, filter, |db, filter| picking(db, filter))
    }

    pub async fn customers(
        &self,
        filter: CustomerFilter,
    ) -> Result<Page<CustomerSummary>, StoreError> {
        on_either!(read, self, filter, |db, filter| customers(db, filter))
    }

    /// The customer of `phone` (in E.164 form) and their newest orders.
    pub async fn customer(&self, phone: &str) -> Result<CustomerDetail, StoreError> {
        on_either!(read, self, phone.to_owned(), |db, phone| customer(
            db, phone
        ))
    }
}

async fn every_order<D: Db>(db: &D, filter: &OrderFilter) -> Result<Vec<Order>, D::Error> {
    let mut filter = OrderFilter {
        limit: PAGE_SIZE_MAX,
        before_seq: None,
        ..filter.clone()
    };
    let (mut orders, mut lines) = (Vec::new(), 0);
    loop {
        let page = orders::list(db, &filter).await?;
        lines += page.items.iter().map(|o| o.lines.len()).sum::<usize>();
        if lines > ORDER_REPORT_LINES_MAX {
            return Err(StoreError::from(ValidationError::one(too_many_lines())).into());
        }
        orders.extend(page.items);
        match page.next_cursor.and_then(|seq| seq.parse().ok()) {
            Some(seq) => filter.before_seq = Some(seq),
            None => return Ok(orders),
        }
    }
}

async fn picking<D: Db>(db: &D, filter: &OrderFilter) -> Result<PickingList, D::Error> {
    let orders = every_order(db, filter).await?;
    let mut skus: Vec<&str> = orders
        .iter()
        .flat_map(|o| o.lines.iter().map(|l| l.sku.as_str()))
        .collect();
    skus.sort_unstable();
    skus.dedup();
    let positions: HashMap<String, i64> = if skus.is_empty() {
        HashMap::new()
    } else {
        let sql = POSITIONS.replace("{skus}", &D::json_texts("$1"));
        let rows = db.all(&sql, &[&json_array(&skus)?], pair).await?;
        rows.into_iter().collect()
    };
    Ok(PickingList::of(&orders, &positions))
}

async fn customers<D: Db>(
    db: &D,
    filter: &CustomerFilter,
) -> Result<Page<CustomerSummary>, D::Error> {
    let search = filter.search.as_ref();
    let params: [&dyn Param; 5] = [
        &search.map(|s| s.name_pattern.as_str()),
        &search.and_then(|s| s.seq),
        &search.and_then(|s| s.phone.as_deref()),
        &filter.before_seq,
        &rows_for(filter.limit),
    ];
    let phones: Vec<(String, i64)> = db.all(CUSTOMERS_PAGE, &params, pair).await?;
    let phones = page(phones, filter.limit, |(_, seq)| seq.to_string());
    let names: Vec<&str> = phones.items.iter().map(|(p, _)| p.as_str()).collect();
    let mut summaries = summaries_of(db, &names).await?;
    let mut found = Vec::with_capacity(names.len());
    for phone in names {
        let summary = summaries
            .remove(phone)
            .ok_or_else(|| StoreError::Internal(format!("customer {phone} has no orders")))?;
        found.push(summary);
    }
    Ok(Page {
        items: found,
        next_cursor: phones.next_cursor,
    })
}

/// The summaries of the customers of `phones`, by phone.
async fn summaries_of<D: Db>(
    db: &D,
    phones: &[&str],
) -> Result<HashMap<String, CustomerSummary>, D::Error> {
    if phones.is_empty() {
        return Ok(HashMap::new());
    }
    let list = json_array(phones)?;
    let sql = ORDERS_OF_CUSTOMERS.replace("{phones}", &D::json_texts("$1"));
    let rows = db.all(&sql, &[&list], customer_order_row).await?;
    let sql = COUNTED.replace("{phones}", &D::json_texts("$1"));
    let counted: HashMap<String, i64> = db.all(&sql, &[&list], pair).await?.into_iter().collect();
    let mut orders: HashMap<String, Vec<CustomerOrder>> = HashMap::new();
    for (phone, order) in rows {
        orders.entry(phone).or_default().push(order);
    }
    Ok(orders
        .into_iter()
        .filter_map(|(phone, orders)| {
            let counted = counted.get(&phone).copied().unwrap_or(0);
            CustomerSummary::of(phone.clone(), &orders, counted).map(|s| (phone, s))
        })
        .collect())
}

async fn customer<D: Db>(db: &D, phone: &str) -> Result<CustomerDetail, D::Error> {
    let summary = summaries_of(db, &[phone])
        .await?
        .remove(phone)
        .ok_or_else(|| StoreError::not_found(Resource::Customer, phone))?;
    let newest = CUSTOMER_ORDERS_SHOWN_MAX as i64;
    let ids: Vec<String> = db
        .all(NEWEST_ORDER_IDS, &[&phone, &newest], |row| row.value(0))
        .await?;
    // One read per order: a customer has few orders, and at most
    // `CUSTOMER_ORDERS_SHOWN_MAX` are shown.
    let mut orders = Vec::with_capacity(ids.len());
    for id in ids {
        orders.push(orders::load(db, &id, false).await?.0);
    }
    Ok(CustomerDetail::new(summary, orders))
}

/// A text and a number.
fn pair(row: &Row) -> Result<(String, i64), StoreError> {
    Ok((row.value(0)?, row.value(1)?))
}

/// A row of `ORDERS_OF_CUSTOMERS`: the phone and the order.
fn customer_order_row(row: &Row) -> Result<(String, CustomerOrder), StoreError> {
    let status: String = row.value(2)?;
    let order = CustomerOrder {
        name: row.value(1)?,
        status: OrderStatus::parse(&status).ok_or_else(|| unknown_value("status", &status))?,
        total: row.value(3)?,
        created_at: row.value(4)?,
        units: row.value(5)?,
    };
    Ok((row.value(0)?, order))
}

/// `texts` as a JSON array, the parameter of `Db::json_texts`.
fn json_array(texts: &[&str]) -> Result<String, StoreError> {
    serde_json::to_string(texts).map_err(|e| StoreError::Internal(e.to_string()))
}

//! The rows a whole batch writes, gathered column by column, and the
//! statements that write each table from those columns in one go
//! (`unnest` of one array per column).

use std::collections::HashMap;

use crate::domain::order::Order;
use crate::store::PlacedOrder;
use crate::store::tokens::hash_token;

/// Subtracts each sku's units taken by the batch; answers what is left.
pub const TAKE_STOCK: &str = "update stock set available = stock.available - t.taken
    from unnest($1::text[], $2::bigint[]) as t(sku, taken)
    where stock.sku = t.sku
    returning stock.sku, stock.available";

/// The orders, numbered in batch order; answers each id with its number.
pub const INSERT_ORDERS: &str = "insert into orders (id, access_token_hash, status, currency,
    total, customer_name, customer_phone, customer_phone_normalised, customer_email,
    delivery_address, pickup_number, notes, created_at, updated_at)
    select o.id, o.token_hash, 'pending', $1, o.total, o.name, o.phone, o.phone_normalised,
        o.email, o.address, o.pickup_number, o.notes, $2, $2
    from unnest($3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[],
        $9::text[], $10::text[], $11::text[], $12::text[]) with ordinality
        as o(id, token_hash, total, name, phone, phone_normalised, email, address,
             pickup_number, notes, n)
    order by o.n
    returning id, number";

pub const INSERT_LINES: &str = "insert into order_lines
    (order_id, sku, title, size, color, unit_price, quantity, line_total)
    select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
        $6::bigint[], $7::bigint[], $8::bigint[])";

/// The ledger's sales, in batch order, so that each sku's movements still
/// follow one another by id with the units left after each.
pub const INSERT_SALES: &str = "insert into stock_movements
    (sku, kind, quantity, available_after, order_id, created_at)
    select s.sku, 'sale', s.quantity, s.after, s.order_id, $1
    from unnest($2::text[], $3::bigint[], $4::bigint[], $5::text[]) with ordinality
        as s(sku, quantity, after, order_id, n)
    order by s.n";

/// Stores each claimed key's answer.
pub const KEEP_ANSWERS: &str = "update idempotency_keys as k
    set status = a.status, response = a.response
    from unnest($1::text[], $2::bigint[], $3::text[]) as a(key, status, response)
    where k.key = a.key";

/// One column per field of `orders`.
#[derive(Default)]
pub struct OrderColumns<'a> {
    pub id: Vec<&'a str>,
    pub token_hash: Vec<String>,
    pub total: Vec<i64>,
    pub name: Vec<&'a str>,
    pub phone: Vec<&'a str>,
    pub phone_normalised: Vec<&'a str>,
    pub email: Vec<Option<&'a str>>,
    pub address: Vec<Option<&'a str>>,
    pub pickup_number: Vec<Option<&'a str>>,
    pub notes: Vec<Option<&'a str>>,
}

/// One column per field of `order_lines`, and of the sale each line makes.
#[derive(Default)]
pub struct LineColumns<'a> {
    pub order_id: Vec<&'a str>,
    pub sku: Vec<&'a str>,
    pub title: Vec<&'a str>,
    pub size: Vec<&'a str>,
    pub color: Vec<Option<&'a str>>,
    pub unit_price: Vec<i64>,
    pub quantity: Vec<i64>,
    pub line_total: Vec<i64>,
    /// The sale's quantity: minus the line's.
    pub sold: Vec<i64>,
    /// Units of the sku left after the line.
    pub after: Vec<i64>,
}

/// Everything the batch's placed orders write.
#[derive(Default)]
pub struct BatchRows<'a> {
    pub orders: OrderColumns<'a>,
    pub lines: LineColumns<'a>,
    /// Each sku the batch takes from, once, and the units it takes.
    pub taken_skus: Vec<&'a str>,
    pub taken: Vec<i64>,
    /// What each of those skus must have left once the batch is written.
    pub left: HashMap<&'a str, i64>,
    /// Each customer with an order placed, once, and how many they placed.
    pub customers: Vec<&'a str>,
    pub placed: Vec<i64>,
}

impl<'a> BatchRows<'a> {
    /// The rows of `placed`, in batch order: each order with its
    /// normalised phone and the units left after each of its lines.
    pub fn of(placed: impl Iterator<Item = (&'a PlacedOrder, &'a str, &'a [i64])>) -> Self {
        let mut rows = BatchRows::default();
        let mut taken: HashMap<&'a str, i64> = HashMap::new();
        let mut by_customer: HashMap<&'a str, i64> = HashMap::new();
        for (placed, phone_normalised, after) in placed {
            *by_customer.entry(phone_normalised).or_default() += 1;
            rows.push_order(
                &placed.order,
                hash_token(&placed.access_token),
                phone_normalised,
            );
            for (line, left) in placed.order.lines.iter().zip(after) {
                let l = &mut rows.lines;
                l.order_id.push(&placed.order.id);
                l.sku.push(&line.sku);
                l.title.push(&line.title);
                l.size.push(&line.size);
                l.color.push(line.color.as_deref());
                l.unit_price.push(line.unit_price);
                l.quantity.push(line.quantity);
                l.line_total.push(line.line_total);
                l.sold.push(-line.quantity);
                l.after.push(*left);
                *taken.entry(&line.sku).or_default() += line.quantity;
                rows.left.insert(&line.sku, *left);
            }
        }
        let mut taken: Vec<(&str, i64)> = taken.into_iter().collect();
        // In sku order, as the batch locked them.
        taken.sort_unstable();
        (rows.taken_skus, rows.taken) = taken.into_iter().unzip();
        let mut by_customer: Vec<(&str, i64)> = by_customer.into_iter().collect();
        by_customer.sort_unstable();
        (rows.customers, rows.placed) = by_customer.into_iter().unzip();
        rows
    }

    fn push_order(&mut self, order: &'a Order, token_hash: String, phone_normalised: &'a str) {
        let o = &mut self.orders;
        o.id.push(&order.id);
        o.token_hash.push(token_hash);
        o.total.push(order.total);
        o.name.push(&order.customer.name);
        o.phone.push(&order.customer.phone);
        o.phone_normalised.push(phone_normalised);
        o.email.push(order.customer.email.as_deref());
        o.address.push(order.delivery.address.as_deref());
        o.pickup_number
            .push(order.delivery.pickup_number.as_deref());
        o.notes.push(order.notes.as_deref());
    }
}

//! The rows a whole batch of checkouts writes, gathered column by column,
//! and the statements that write each table from those columns in one go
//! (`unnest` of one array per column).

use tokio_postgres::types::ToSql;

use crate::domain::batch::BatchWrites;

/// Subtracts each sku's units taken by the batch; answers what is left.
pub const TAKE_STOCK: &str = "update stock set available = stock.available - t.taken
    from unnest($1::text[], $2::bigint[]) as t(sku, taken)
    where stock.sku = t.sku
    returning stock.sku, stock.available";

/// The orders, numbered in batch order; answers each number, in that order.
pub const INSERT_ORDERS: &str = "insert into orders (id, access_token_hash, status, currency,
    total, customer_name, customer_phone, customer_phone_normalised, customer_email,
    delivery_address, pickup_number, notes, created_at, updated_at, delivery_fee, delivery_zone,
    delivery_zone_name, customer_name_folded)
    select o.id, o.token_hash, 'pending', o.currency, o.total, o.name, o.phone,
        o.phone_normalised, o.email, o.address, o.pickup_number, o.notes, $1, $1, o.fee,
        o.zone, o.zone_name, o.name_folded
    from unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[],
        $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::bigint[],
        $14::text[], $15::text[], $16::text[]) with ordinality
        as o(id, token_hash, currency, total, name, phone, phone_normalised, email, address,
             pickup_number, notes, fee, zone, zone_name, name_folded, n)
    order by o.n
    returning number";

/// Each order of the batch created, in batch order, to the outbox's inbox
/// (`postgres/events.rs` numbers them after commit).
pub const ORDER_EVENTS: &str = "insert into event_inbox (type, data, created_at)
    select 'order.created', json_build_object('order_id', o.id, 'number', o.number,
        'status', o.status)::text, $1
    from unnest($2::text[]) with ordinality as b(id, n) join orders o on o.id = b.id
    order by b.n";

/// The batch's stock events (`BatchWrites::events`), in their order.
pub const STOCK_EVENTS: &str = "insert into event_inbox (type, data, created_at)
    select e.type, e.data, $1
    from unnest($2::text[], $3::text[]) with ordinality as e(type, data, n)
    order by e.n";

pub const INSERT_LINES: &str = "insert into order_lines
    (order_id, sku, title, size, color, unit_price, quantity, line_total, preorder, drop_id)
    select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
        $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::text[])";

/// Subtracts the units each drop line sold; answers what is left of each.
pub const TAKE_DROP_UNITS: &str = "update drop_lines set remaining = drop_lines.remaining - t.taken
    from unnest($1::text[], $2::text[], $3::bigint[]) as t(drop_id, sku, taken)
    where drop_lines.drop_id = t.drop_id and drop_lines.sku = t.sku
    returning drop_lines.drop_id, drop_lines.sku, drop_lines.remaining";

/// Adds units to customers' counts in drops (their rows made if they are the first).
pub const COUNT_DROP_UNITS: &str = "insert into drop_customers (drop_id, phone, units)
    select * from unnest($1::text[], $2::text[], $3::bigint[])
    on conflict (phone, drop_id) do update set units = drop_customers.units + excluded.units";

/// Adds refusals to drops' counts, by code.
pub const COUNT_DROP_REFUSALS: &str = "insert into drop_refusals (drop_id, code, count)
    select * from unnest($1::text[], $2::text[], $3::bigint[])
    on conflict (drop_id, code) do update set count = drop_refusals.count + excluded.count";

/// Adds the preorder places taken to each sku's.
pub const TAKE_PREORDER_PLACES: &str =
    "update stock set preorder_waiting = stock.preorder_waiting + p.added
    from unnest($1::text[], $2::bigint[]) as p(sku, added)
    where stock.sku = p.sku";

/// The ledger's sales, in batch order, so that each sku's movements still
/// follow one another by id with the units left after each.
pub const INSERT_SALES: &str = "insert into stock_movements
    (sku, kind, quantity, available_after, order_id, created_at)
    select s.sku, 'sale', s.quantity, s.after, s.order_id, $1
    from unnest($2::text[], $3::bigint[], $4::bigint[], $5::text[]) with ordinality
        as s(sku, quantity, after, order_id, n)
    order by s.n";

/// Adds the batch's orders to its customers' counts (their rows exist:
/// the batch inserted and locked them).
pub const COUNT_ORDERS: &str =
    "update customers set orders_counted = customers.orders_counted + c.added
    from unnest($1::text[], $2::bigint[]) as c(phone, added)
    where customers.phone = c.phone";

/// Keeps each answer with its key: fills in this batch's placeholders, or
/// takes over an expired answer.
pub const KEEP_ANSWERS: &str = "insert into idempotency_keys
    (key, request_hash, order_id, refusal, lang, created_at)
    select k.key, k.hash, k.order_id, k.refusal, k.lang, $6
    from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
        as k(key, hash, order_id, refusal, lang)
    on conflict (key) do update set request_hash = excluded.request_hash,
        order_id = excluded.order_id, refusal = excluded.refusal, lang = excluded.lang,
        created_at = excluded.created_at";

type Param<'a> = &'a (dyn ToSql + Sync);

/// Every column the batch writes, borrowed from its `BatchWrites`.
#[derive(Default)]
pub struct BatchRows<'a> {
    taken_sku: Vec<&'a str>,
    taken: Vec<i64>,
    order: OrderColumns<'a>,
    line: LineColumns<'a>,
    count_phone: Vec<&'a str>,
    count_added: Vec<i64>,
    key: Vec<&'a str>,
    key_hash: Vec<&'a str>,
    key_order_id: Vec<Option<&'a str>>,
    key_refusal: Vec<Option<String>>,
    key_lang: Vec<&'static str>,
    event_type: Vec<&'static str>,
    event_data: Vec<String>,
    drop_units: DropColumns<'a>,
    drop_customers: DropColumns<'a>,
    drop_refusals: DropColumns<'a>,
    place_sku: Vec<&'a str>,
    place_added: Vec<i64>,
}

/// Rows of one of the drops' tables: the drop, a sku, phone or code, a number.
#[derive(Default)]
struct DropColumns<'a> {
    drop_id: Vec<&'a str>,
    key: Vec<&'a str>,
    number: Vec<i64>,
}

impl<'a> DropColumns<'a> {
    fn push(&mut self, drop_id: &'a str, key: &'a str, number: i64) {
        self.drop_id.push(drop_id);
        self.key.push(key);
        self.number.push(number);
    }

    fn params(&'a self) -> Vec<Param<'a>> {
        vec![&self.drop_id, &self.key, &self.number]
    }
}

#[derive(Default)]
struct OrderColumns<'a> {
    id: Vec<&'a str>,
    token_hash: Vec<&'a str>,
    currency: Vec<&'a str>,
    total: Vec<i64>,
    name: Vec<&'a str>,
    phone: Vec<&'a str>,
    phone_normalised: Vec<&'a str>,
    email: Vec<Option<&'a str>>,
    address: Vec<Option<&'a str>>,
    pickup_number: Vec<Option<&'a str>>,
    notes: Vec<Option<&'a str>>,
    fee: Vec<i64>,
    zone: Vec<Option<&'a str>>,
    zone_name: Vec<Option<&'a str>>,
    name_folded: Vec<&'a str>,
}

#[derive(Default)]
struct LineColumns<'a> {
    order_id: Vec<&'a str>,
    sku: Vec<&'a str>,
    title: Vec<&'a str>,
    size: Vec<&'a str>,
    color: Vec<Option<&'a str>>,
    unit_price: Vec<i64>,
    quantity: Vec<i64>,
    line_total: Vec<i64>,
    preorder: Vec<i64>,
    drop_id: Vec<Option<&'a str>>,
    /// The sales, one per line that took stock (a preorder line took none).
    sale: SaleColumns<'a>,
}

#[derive(Default)]
struct SaleColumns<'a> {
    order_id: Vec<&'a str>,
    sku: Vec<&'a str>,
    /// Minus the line's quantity.
    sold: Vec<i64>,
    /// Units of the sku left after the line.
    left: Vec<i64>,
}

impl<'a> BatchRows<'a> {
    pub fn of(writes: &'a BatchWrites) -> Self {
        let mut rows = BatchRows::default();
        for stock in &writes.stock {
            rows.taken_sku.push(&stock.sku);
            rows.taken.push(stock.taken);
        }
        for write in &writes.orders {
            let (order, o) = (&write.order, &mut rows.order);
            o.id.push(&order.id);
            o.token_hash.push(&write.access_token_hash);
            o.currency.push(&order.currency);
            o.total.push(order.total);
            o.name.push(&order.customer.name);
            o.phone.push(&order.customer.phone);
            o.phone_normalised.push(&write.phone_normalised);
            o.email.push(order.customer.email.as_deref());
            o.address.push(order.delivery.address.as_deref());
            o.pickup_number
                .push(order.delivery.pickup_number.as_deref());
            o.notes.push(order.notes.as_deref());
            o.fee.push(order.delivery_fee);
            o.zone.push(order.delivery.zone.as_deref());
            o.zone_name.push(order.delivery.zone_name.as_deref());
            o.name_folded.push(&write.name_folded);
            for (line, left) in order.lines.iter().zip(&write.lines_left) {
                let l = &mut rows.line;
                l.order_id.push(&order.id);
                l.sku.push(&line.sku);
                l.title.push(&line.title);
                l.size.push(&line.size);
                l.color.push(line.color.as_deref());
                l.unit_price.push(line.unit_price);
                l.quantity.push(line.quantity);
                l.line_total.push(line.line_total);
                l.preorder.push(i64::from(line.preorder));
                l.drop_id.push(line.drop_id.as_deref());
                if !line.preorder {
                    l.sale.order_id.push(&order.id);
                    l.sale.sku.push(&line.sku);
                    l.sale.sold.push(-line.quantity);
                    l.sale.left.push(*left);
                }
            }
        }
        for (phone, added) in &writes.counts {
            rows.count_phone.push(phone);
            rows.count_added.push(*added);
        }
        for kept in &writes.keep {
            let (order_id, refusal, lang) = kept.outcome.columns();
            rows.key.push(&kept.key);
            rows.key_hash.push(&kept.request_hash);
            rows.key_order_id.push(order_id);
            rows.key_refusal.push(refusal);
            rows.key_lang.push(lang);
        }
        for event in &writes.events {
            rows.event_type.push(event.kind.as_str());
            rows.event_data.push(event.data_json());
        }
        for taken in &writes.drop_units {
            rows.drop_units
                .push(&taken.drop_id, &taken.sku, taken.taken);
        }
        for count in &writes.drop_customers {
            rows.drop_customers
                .push(&count.drop_id, &count.key, count.added);
        }
        for count in &writes.drop_refusals {
            rows.drop_refusals
                .push(&count.drop_id, &count.key, count.added);
        }
        for (sku, added) in &writes.preorder_places {
            rows.place_sku.push(sku);
            rows.place_added.push(*added);
        }
        rows
    }

    /// The statements of the batch's drops and preorders that have rows to
    /// write (none, for most batches), each with its parameters.
    pub fn drop_and_preorder_params(&'a self) -> Vec<(&'static str, Vec<Param<'a>>)> {
        let mut statements = Vec::new();
        if !self.drop_units.drop_id.is_empty() {
            statements.push((TAKE_DROP_UNITS, self.drop_units.params()));
        }
        if !self.drop_customers.drop_id.is_empty() {
            statements.push((COUNT_DROP_UNITS, self.drop_customers.params()));
        }
        if !self.drop_refusals.drop_id.is_empty() {
            statements.push((COUNT_DROP_REFUSALS, self.drop_refusals.params()));
        }
        if !self.place_sku.is_empty() {
            let places: Vec<Param<'a>> = vec![&self.place_sku, &self.place_added];
            statements.push((TAKE_PREORDER_PLACES, places));
        }
        statements
    }

    /// The parameters of `ORDER_EVENTS` and `STOCK_EVENTS`.
    pub fn event_params(&'a self, now: &'a String) -> [Vec<Param<'a>>; 2] {
        [
            vec![now, &self.order.id],
            vec![now, &self.event_type, &self.event_data],
        ]
    }

    /// The parameters of `TAKE_STOCK`, `INSERT_ORDERS`, `INSERT_LINES`,
    /// `INSERT_SALES`, `COUNT_ORDERS` and `KEEP_ANSWERS`, in that order.
    pub fn params(&'a self, now: &'a String) -> [Vec<Param<'a>>; 6] {
        let (o, l) = (&self.order, &self.line);
        [
            vec![&self.taken_sku, &self.taken],
            vec![
                now,
                &o.id,
                &o.token_hash,
                &o.currency,
                &o.total,
                &o.name,
                &o.phone,
                &o.phone_normalised,
                &o.email,
                &o.address,
                &o.pickup_number,
                &o.notes,
                &o.fee,
                &o.zone,
                &o.zone_name,
                &o.name_folded,
            ],
            vec![
                &l.order_id,
                &l.sku,
                &l.title,
                &l.size,
                &l.color,
                &l.unit_price,
                &l.quantity,
                &l.line_total,
                &l.preorder,
                &l.drop_id,
            ],
            vec![
                now,
                &l.sale.sku,
                &l.sale.sold,
                &l.sale.left,
                &l.sale.order_id,
            ],
            vec![&self.count_phone, &self.count_added],
            vec![
                &self.key,
                &self.key_hash,
                &self.key_order_id,
                &self.key_refusal,
                &self.key_lang,
                now,
            ],
        ]
    }
}

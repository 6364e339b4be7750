//! A shop's database as stockroom left it before the order desk (V10),
//! opened by this one: SQLite's `orders` and `stock_movements` are made
//! again for their new statuses and kinds, every row kept; old names are
//! folded for the search; old status changes are the history's; and the
//! audit still finds ledger, stock and orders in agreement.

use stockroom::domain::limits::Limits;
use stockroom::domain::order::{LineInput, OrderSearch, OrderStatus, ReturnInput};
use stockroom::domain::page::OrderFilter;
use stockroom::domain::phone::Country;

use crate::harness::older_database;

/// A product of two sizes, two orders (one cancelled, its units back)
/// and their ledger, written as V10 wrote them.
const V10_ROWS: &str = "
insert into products (id, slug, title, price, created_at, updated_at)
    values ('p1', 'robe-awa', 'Robe Awa', 10000, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z');
insert into variants (sku, product_id, size, color, position) values
    ('ROBE-AWA-M', 'p1', 'M', '', 0), ('ROBE-AWA-L', 'p1', 'L', '', 1);
insert into stock (sku, available) values ('ROBE-AWA-M', 8), ('ROBE-AWA-L', 5);
insert into orders (id, access_token_hash, status, currency, total, customer_name, customer_phone,
        customer_phone_normalised, created_at, updated_at)
    values ('00000000-0000-7000-8000-000000000001', 'h', 'delivered', 'XOF', 20000, 'Aïcha Koné',
        '07 00 00 00 01', '+2250700000001', '2026-01-02T00:00:00.000000Z', '2026-01-02T00:00:00.000000Z'),
    ('00000000-0000-7000-8000-000000000002', 'h', 'cancelled', 'XOF', 10000, 'Awa',
        '07 00 00 00 02', '+2250700000002', '2026-01-02T00:00:00.000000Z', '2026-01-02T00:00:00.000000Z');
insert into order_lines (order_id, sku, title, size, color, unit_price, quantity, line_total) values
    ('00000000-0000-7000-8000-000000000001', 'ROBE-AWA-M', 'Robe Awa', 'M', null, 10000, 2, 20000),
    ('00000000-0000-7000-8000-000000000002', 'ROBE-AWA-M', 'Robe Awa', 'M', null, 10000, 1, 10000);
insert into stock_movements (sku, kind, quantity, available_after, order_id, created_at) values
    ('ROBE-AWA-M', 'initial', 10, 10, null, '2026-01-01T00:00:00.000000Z'),
    ('ROBE-AWA-L', 'initial', 5, 5, null, '2026-01-01T00:00:00.000000Z'),
    ('ROBE-AWA-M', 'sale', -2, 8, '00000000-0000-7000-8000-000000000001', '2026-01-02T00:00:00.000000Z'),
    ('ROBE-AWA-M', 'sale', -1, 7, '00000000-0000-7000-8000-000000000002', '2026-01-02T00:00:00.000000Z'),
    ('ROBE-AWA-M', 'cancellation', 1, 8, '00000000-0000-7000-8000-000000000002', '2026-01-02T00:00:00.000000Z');
insert into order_status_changes (order_id, from_status, to_status, actor, created_at) values
    ('00000000-0000-7000-8000-000000000001', 'pending', 'confirmed', 'aya', '2026-01-02T01:00:00.000000Z'),
    ('00000000-0000-7000-8000-000000000002', 'pending', 'cancelled', 'aya', '2026-01-02T01:00:00.000000Z');
insert into customers (phone, orders_counted) values ('+2250700000001', 1);
";

const DELIVERED: &str = "00000000-0000-7000-8000-000000000001";

async fn an_older_shop_gets_the_desk_with_every_row_kept(postgres: bool, test: &str) {
    let Some(t) = older_database(postgres, test, 10, V10_ROWS).await else {
        return;
    };
    t.assert_consistent().await;
    let search = OrderSearch::parse("aicha", Country::parse("CI").expect("CI")).expect("valid");
    let found = t
        .store
        .orders(OrderFilter {
            search,
            limit: 50,
            ..OrderFilter::default()
        })
        .await
        .expect("a search");
    assert_eq!(found.items.len(), 1, "the old name is folded");
    assert_eq!(found.items[0].number, "SR-1001");
    let history = t.store.order_history(DELIVERED).await.expect("a history");
    assert_eq!(history.len(), 2, "created, then the old status change");
    assert_eq!(history[1].actor.as_deref(), Some("aya"));

    // The new status and the new movement kind are accepted.
    let input = ReturnInput {
        lines: Some(vec![LineInput {
            preorder: None,
            sku: Some("ROBE-AWA-M".into()),
            quantity: Some(2),
        }]),
        ..ReturnInput::default()
    };
    let returned = t
        .store
        .take_return(DELIVERED, input, &Limits::default(), &t.admin)
        .await
        .expect("a return");
    assert_eq!(returned.status, OrderStatus::Returned);
    assert_eq!(t.available("ROBE-AWA-M").await, 10);
    t.assert_consistent().await;
}

mod older_databases {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_older_shop_gets_the_desk_with_every_row_kept_on_sqlite() {
        super::an_older_shop_gets_the_desk_with_every_row_kept(false, "").await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_older_shop_gets_the_desk_with_every_row_kept_on_postgres() {
        super::an_older_shop_gets_the_desk_with_every_row_kept(true, "desk_migration").await;
    }
}

-- The catalog and the stockroom: a product's status, variants retired
-- rather than deleted with a low-stock threshold of their own, deliveries
-- received as one receipt, and the shop's low-stock rule in units.

-- Only 'active' products are public and can be ordered; a draft is being
-- prepared, an archived one is kept for the record.
alter table products add column status text not null default 'active'
    check (status in ('active', 'draft', 'archived'));

-- A retired variant is hidden from the storefront and cannot be ordered;
-- its movements stay in the ledger and the audit.
-- 0 or 1, as on SQLite: every column the store reads is an integer or text.
alter table variants add column retired bigint not null default 0 check (retired in (0, 1));
-- Low when `available` is at or below it; null: the shop's rule.
alter table variants add column low_stock_threshold bigint check (low_stock_threshold >= 0);

-- A delivery note received in one go: one `restock` movement per line
-- carries the receipt's id. `total` is the units received.
create table receipts (
    id text collate "C" primary key,
    reference text not null,
    supplier text not null default '',
    note text,
    total bigint not null check (total > 0),
    actor text not null,
    created_at text collate "C" not null
);
create index receipts_by_time on receipts (created_at, id);
alter table stock_movements add column receipt_id text collate "C" references receipts (id);
create index stock_movements_by_receipt on stock_movements (receipt_id) where receipt_id is not null;

-- Low stock in units when set (default 2), else `low_stock_percent`.
alter table settings add column low_stock_units bigint default 2 check (low_stock_units >= 0);

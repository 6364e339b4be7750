//! The invariants held a second time, by the schema itself: even SQL that
//! bypasses the store cannot rewrite the ledger or sell what is not there.

use crate::harness::{TestStore, phone};
use crate::on_both_databases;

on_both_databases!(
    the_ledger_refuses_to_be_updated_or_deleted,
    stock_cannot_go_below_zero_even_by_hand,
);

async fn the_ledger_refuses_to_be_updated_or_deleted(t: TestStore) {
    let sku = t.product("ledger", &[("M", 5)]).await.remove(0);
    t.buy(phone(1), &[(&sku, 2)]).await.expect("an order");
    for sql in [
        "update stock_movements set quantity = 0",
        "delete from stock_movements",
    ] {
        let refused = t.raw_sql(sql).await;
        assert!(
            refused.as_ref().is_err_and(|e| e.contains("append-only")),
            "`{sql}` was not refused: {refused:?}"
        );
    }
    t.assert_consistent().await;
}

async fn stock_cannot_go_below_zero_even_by_hand(t: TestStore) {
    let sku = t.product("check", &[("M", 1)]).await.remove(0);
    let oversold = t
        .raw_sql(&format!(
            "update stock set available = available - 2 where sku = '{sku}'"
        ))
        .await;
    assert!(oversold.is_err(), "the schema let stock go below zero");
    assert_eq!(t.available(&sku).await, 1);
}

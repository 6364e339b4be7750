//! `stockroom backup` while a storm of orders runs: the copy is consistent.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use reqwest::StatusCode;
use stockroom::config::{DatabaseUrl, StoreConfig};
use stockroom::store::Store;

use super::{sqlite_url, stockroom, text};
use crate::helpers::{order_body, phone, spawn_sqlite_app};

/// Long enough that the storm is still running when the command has started,
/// opened the database and copied it.
const ORDERS_PER_BUYER: usize = 150;

// Eight buyers order in a loop while the test waits for 60 acknowledged
// orders, then runs the real `stockroom backup` against the live database
// file. The copy must pass the audit and hold at least those 60 orders.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_during_a_storm_of_orders_passes_the_audit() {
    let app = Arc::new(spawn_sqlite_app().await);
    app.put_settings(&serde_json::json!({"order_limit_per_customer": null}))
        .await;
    let skus = app
        .product_with_sizes("robe", &[("S", 5000), ("M", 5000)])
        .await;
    let placed = Arc::new(AtomicUsize::new(0));
    let storm: Vec<_> = (0..8)
        .map(|buyer| {
            let (app, skus, placed) = (app.clone(), skus.clone(), placed.clone());
            tokio::spawn(async move {
                for _ in 0..ORDERS_PER_BUYER {
                    let lines = [(skus[0].as_str(), 1), (skus[1].as_str(), 2)];
                    let (status, _) = app.place(&order_body(&phone(buyer), &lines), None).await;
                    assert_eq!(status, StatusCode::CREATED);
                    placed.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    while placed.load(Ordering::SeqCst) < 60 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let file = app.db_path.with_file_name("backup.db");
    let file_arg = file.to_string_lossy().into_owned();
    let url = sqlite_url(&app.db_path);
    let output = stockroom(&["backup", &file_arg, "--database-url", &url]).await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    let during = placed.load(Ordering::SeqCst);
    for task in storm {
        task.await.expect("a buyer");
    }
    assert!(
        during < 320,
        "the backup was taken while orders were still coming"
    );

    let copy = Store::open(&DatabaseUrl::Sqlite(file.clone()), StoreConfig::default())
        .await
        .expect("the backup opens");
    let audit = copy.audit().await.expect("an audit");
    assert!(audit.consistent, "{audit:#?}");
    let sold: i64 = audit.variants.iter().map(|v| v.sold).sum();
    assert!(
        sold >= 60 * 3,
        "the copy holds the orders acknowledged before it: {sold}"
    );

    let again = stockroom(&["backup", &file_arg, "--database-url", &url]).await;
    assert!(
        !again.status.success(),
        "an existing file is never overwritten"
    );
}

// PostgreSQL is backed up with its own tool. The url names a port where
// nothing listens: the command must answer before it tries to connect.
#[tokio::test]
async fn a_backup_of_postgresql_says_to_use_pg_dump_and_exits_non_zero() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("backup.db");
    let file_arg = file.to_string_lossy().into_owned();
    let output = stockroom(&[
        "backup",
        &file_arg,
        "--database-url",
        "postgres://shop@127.0.0.1:9/shop",
        "--pg-connect-timeout-ms",
        "100",
    ])
    .await;
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("pg_dump -Fc"), "{stderr}");
    assert!(
        !stderr.contains("database_url") && !stderr.contains("connect"),
        "a plain answer, not a field error or a connection attempt: {stderr}"
    );
    assert!(output.stdout.is_empty(), "{}", text(&output.stdout));
    assert!(!file.exists(), "no file is written");
}

//! The audit through the API and `stockroom audit`: consistent after a
//! storm, an anomaly on the right variant after a stock row is corrupted.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{sqlite_url, stockroom, text};
use crate::helpers::{TestApp, order_body, phone, spawn_sqlite_app};

fn variant<'a>(audit: &'a Value, sku: &str) -> &'a Value {
    audit["variants"]
        .as_array()
        .expect("variants")
        .iter()
        .find(|v| v["sku"] == sku)
        .expect("the sku is audited")
}

/// Orders from many buyers at once, then cancels, restocks and adjustments.
async fn storm(app: &Arc<TestApp>, sku: &str) {
    let sku_owned = sku.to_owned();
    let answers = app
        .together(30, move |app, i| {
            let sku = sku_owned.clone();
            async move { app.place(&order_body(&phone(i), &[(&sku, 1)]), None).await }
        })
        .await;
    let placed: Vec<&Value> = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::CREATED)
        .map(|(_, body)| body)
        .collect();
    assert!(placed.len() >= 10, "some orders went through");
    for body in placed.iter().take(5) {
        let id = body["order"]["id"].as_str().expect("an id");
        assert_eq!(
            app.set_status(id, "cancelled").await.status(),
            StatusCode::OK
        );
    }
    assert_eq!(app.restock(sku, 7).await.status(), StatusCode::OK);
    let adjusted = app
        .adjust(sku, &json!({"delta": -2, "reason": "abîmés"}))
        .await;
    assert_eq!(adjusted.status(), StatusCode::OK);
}

// Thirty buyers are released together on 20 units (`together`), then five
// of their orders are cancelled and the sku restocked and adjusted: the audit
// must agree with all of it. Then one stock row is changed behind
// stockroom's back, as a stray script would, and only that variant may be
// an anomaly, by exactly the unit added.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_corrupted_stock_row_is_an_anomaly_of_its_variant_and_the_command_exits_1() {
    let app = Arc::new(spawn_sqlite_app().await);
    let sku = app.product_with_stock("robe-ete", "M", 20).await;
    let other = app.product_with_stock("jupe", "S", 3).await;
    storm(&app, &sku).await;
    app.assert_audit_consistent().await;
    let url = sqlite_url(&app.db_path);
    let clean = stockroom(&["audit", "--database-url", &url]).await;
    assert!(clean.status.success(), "{}", text(&clean.stderr));
    assert!(text(&clean.stdout).contains("consistent"));

    let conn = rusqlite::Connection::open(&app.db_path).expect("the database opens");
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .expect("a busy timeout");
    let changed = conn
        .execute(
            "update stock set available = available + 1 where sku = ?1",
            [&sku],
        )
        .expect("the row is corrupted");
    assert_eq!(changed, 1);

    let audit = app.audit().await;
    assert_eq!(audit["consistent"], json!(false), "{audit:#}");
    let corrupted = variant(&audit, &sku);
    assert_eq!(corrupted["status"], "anomaly", "{corrupted}");
    assert_eq!(corrupted["difference"], json!(1), "{corrupted}");
    assert_eq!(
        corrupted["available"].as_i64(),
        corrupted["expected"].as_i64().map(|e| e + 1)
    );
    assert_eq!(variant(&audit, &other)["difference"], json!(0));
    assert_ne!(variant(&audit, &other)["status"], "anomaly");
    // The owner is told once, with the sku; looking again tells nothing new.
    app.audit().await;
    let told = app.events_after(0, Some("audit.anomaly")).await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["data"]["skus"], json!([sku]));

    let table = stockroom(&["audit", "--database-url", &url]).await;
    assert_eq!(table.status.code(), Some(1), "{}", text(&table.stderr));
    let printed = text(&table.stdout);
    let line = printed
        .lines()
        .find(|l| l.starts_with(&sku))
        .expect("a line for the sku");
    assert!(line.contains("ANOMALY"), "{printed}");
    assert!(printed.contains("INCONSISTENT"), "{printed}");

    let json_run = stockroom(&["audit", "--json", "--database-url", &url]).await;
    assert_eq!(json_run.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&json_run.stdout).expect("JSON");
    assert_eq!(report["consistent"], json!(false));
    assert_eq!(variant(&report, &sku)["difference"], json!(1));
}

#[tokio::test]
async fn a_new_reference_date_is_an_admin_action_recorded_with_its_actor() {
    let app = spawn_sqlite_app().await;
    let sku = app.product_with_stock("robe-ete", "M", 5).await;
    let (status, _) = app.place(&order_body(&phone(1), &[(&sku, 2)]), None).await;
    assert_eq!(status, StatusCode::CREATED);
    let now = chrono::Utc::now().to_rfc3339();
    let response = app.put_settings(&json!({"reference_date": now})).await;
    assert_eq!(response.status(), StatusCode::OK);

    let conn = rusqlite::Connection::open(&app.db_path).expect("the database opens");
    let (actor, action): (String, String) = conn
        .query_row(
            "select actor, action from admin_actions order by id desc limit 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("an admin action");
    assert_eq!(actor, "test-admin");
    assert_eq!(action, "settings.update");
    // The stock at the new reference is the opening balance.
    let audit = app.audit().await;
    let row = variant(&audit, &sku);
    assert_eq!(
        (row["initial"].as_i64(), row["sold"].as_i64()),
        (Some(3), Some(0))
    );
    assert_eq!(audit["consistent"], json!(true));
}

/// A typo in the database's address is an error, not an empty shop: no
/// command but `serve` and `migrate` creates a database.
#[tokio::test]
async fn a_command_on_a_database_that_is_not_there_fails_and_creates_nothing() {
    let dir = tempfile::tempdir().expect("a folder");
    let typo = dir.path().join("typo.db");
    let url = sqlite_url(&typo);

    for args in [
        vec!["audit", "--database-url", &url],
        vec!["export", "--stock", "--database-url", &url],
        vec!["admin", "list", "--database-url", &url],
    ] {
        let output = stockroom(&args).await;
        assert!(!output.status.success(), "{args:?} succeeded");
        let said = text(&output.stderr);
        assert!(
            said.contains("no database at") && said.contains("stockroom migrate"),
            "{args:?}: {said}"
        );
        assert!(!typo.exists(), "{args:?} created the file");
    }

    let migrated = stockroom(&["migrate", "--database-url", &url]).await;
    assert!(migrated.status.success(), "{}", text(&migrated.stderr));
    let audit = stockroom(&["audit", "--database-url", &url]).await;
    assert!(audit.status.success(), "{}", text(&audit.stderr));
}

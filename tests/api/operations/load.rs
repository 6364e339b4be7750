//! `stockroom load` against a real server: a short bounded storm, its
//! report, and the idempotency keys it sends when asked to.

use serde_json::Value;

use super::{command, stockroom, text};
use stockroom::config::Instance;

use crate::helpers::{spawn_sqlite_app, spawn_sqlite_app_with, test_config};

/// A server started with `--bench`, as the benchmarks start it.
async fn bench_app() -> crate::helpers::TestApp {
    let mut config = test_config();
    config.instance = Instance::Bench;
    spawn_sqlite_app_with(config).await
}

/// Runs `stockroom load` with the admin token in `STOCKROOM_ADMIN_TOKEN`,
/// as its `--help` asks, not on the command line.
async fn load(url: &str, token: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "load",
        "--url",
        url,
        "--scenario",
        "hot",
        "--clients",
        "8",
        "--requests",
        "200",
        "--json",
    ];
    args.extend_from_slice(extra);
    let mut command = command();
    command.args(&args).env("STOCKROOM_ADMIN_TOKEN", token);
    let out = tokio::task::spawn_blocking(move || command.output().expect("the binary runs"))
        .await
        .expect("the command's task");
    assert!(out.status.success(), "load failed: {}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("one JSON report")
}

async fn keys_kept(app: &crate::helpers::TestApp) -> i64 {
    let path = app.db_path.clone();
    tokio::task::spawn_blocking(move || {
        rusqlite::Connection::open(path)
            .expect("the database")
            .query_row("select count(*) from idempotency_keys", [], |row| {
                row.get(0)
            })
            .expect("a count")
    })
    .await
    .expect("the count's task")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_bounded_storm_reports_every_order_and_a_consistent_audit() {
    let app = bench_app().await;
    let report = load(&app.address, &app.admin_token, &[]).await;
    assert_eq!(report["scenario"], "hot");
    assert_eq!(report["requests"], 200, "{report}");
    assert_eq!(
        report["created"], 200,
        "ample stock serves everyone: {report}"
    );
    assert_eq!(report["false_rejects"], 0);
    assert_eq!(report["oversold"], 0);
    assert_eq!(report["leaked"], 0);
    assert_eq!(report["audit_consistent"], true);
    assert_eq!(report["idempotency_keys"], false);
    assert_eq!(keys_kept(&app).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn with_idempotency_keys_every_checkout_keeps_its_own_answer() {
    let app = bench_app().await;
    let report = load(&app.address, &app.admin_token, &["--idempotency-keys"]).await;
    assert_eq!(report["created"], 200, "{report}");
    assert_eq!(report["idempotency_keys"], true);
    assert_eq!(
        keys_kept(&app).await,
        200,
        "one key per checkout, none reused"
    );
    // A second run makes keys of its own, so none of them replays.
    let again = load(&app.address, &app.admin_token, &["--idempotency-keys"]).await;
    assert_eq!(again["created"], 200, "{again}");
    assert_eq!(keys_kept(&app).await, 400);
}

#[tokio::test]
async fn a_target_off_the_loopback_is_refused_unless_allowed() {
    let out = stockroom(&[
        "load",
        "--url",
        "http://192.0.2.1:8080",
        "--admin-token",
        "x",
        "--requests",
        "1",
    ])
    .await;
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("loopback"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn the_help_says_to_give_the_admin_token_in_the_environment() {
    let out = stockroom(&["load", "--help"]).await;
    assert!(out.status.success());
    let help = text(&out.stdout);
    assert!(help.contains("STOCKROOM_ADMIN_TOKEN"), "{help}");
    assert!(help.contains("process list"), "{help}");
}

/// A real shop (no `--demo`, no `--bench`) is refused before anything is
/// written: its catalog gets no load products and no orders.
#[tokio::test]
async fn a_real_shop_is_refused_unless_the_run_is_told_it_may() {
    let app = spawn_sqlite_app().await;
    let health: Value = app.get("/healthz").await.json().await.expect("json");
    assert_eq!(health["instance"], "shop");

    let mut refused = command();
    refused
        .args(["load", "--url", &app.address, "--requests", "20", "--json"])
        .env("STOCKROOM_ADMIN_TOKEN", &app.admin_token);
    let out = tokio::task::spawn_blocking(move || refused.output().expect("the binary runs"))
        .await
        .expect("the command's task");
    assert!(!out.status.success());
    let said = text(&out.stderr);
    assert!(
        said.contains("is a real shop") && said.contains("--allow-real-shop"),
        "{said}"
    );
    let products: Value = app
        .admin_get("/api/v1/admin/products")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        products["products"],
        serde_json::json!([]),
        "nothing created"
    );

    let report = load(&app.address, &app.admin_token, &["--allow-real-shop"]).await;
    assert_eq!(report["created"], 200, "{report}");
}

#[tokio::test]
async fn a_bench_says_so_on_healthz() {
    let app = bench_app().await;
    let health: Value = app.get("/healthz").await.json().await.expect("json");
    assert_eq!(
        health,
        serde_json::json!({"status": "ok", "instance": "bench"})
    );
}

//! `stockroom import` and `stockroom export`: bad files change nothing and
//! name every bad line; good files import once; export → import round-trips.
//! On the suite's database: SQLite, or PostgreSQL with
//! `STOCKROOM_TEST_API_DATABASE=postgres`.

use reqwest::StatusCode;
use serde_json::{Value, json};
use stockroom::config::DatabaseUrl;

use super::{database_url, sqlite_url, stockroom, text};
use crate::helpers::{TestApp, order_body, phone, spawn_app};
use crate::pg_schema::{TestSchema, URL_VARIABLE, base_url};

const HEADER: &str =
    "slug,title,category,description,price,old_price,image_url,size,color,sku,stock";

fn write_file(app: &TestApp, name: &str, lines: &[&str]) -> String {
    let path = app.db_path.with_file_name(name);
    std::fs::write(&path, format!("{HEADER}\n{}\n", lines.join("\n"))).expect("written");
    path.to_string_lossy().into_owned()
}

async fn import(app: &TestApp, file: &str) -> std::process::Output {
    let url = database_url(app);
    stockroom(&[
        "import",
        file,
        "--admin",
        "test-admin",
        "--database-url",
        &url,
    ])
    .await
}

const GOOD: [&str; 4] = [
    "robe-ete,Robe d'été,robes,\"Légère, en coton\",15000,18000,https://img.example/robe.jpg,M,,,5",
    "robe-ete,Robe d'été,robes,\"Légère, en coton\",15000,18000,https://img.example/robe.jpg,L,,,2",
    "chemise-lin,Chemise en lin,chemises,,12000,,,M,Blanc,CHEMISE-M-BLANC,4",
    "chemise-lin,Chemise en lin,chemises,,12000,,,M,Bleu,,0",
];

#[tokio::test]
async fn a_file_with_bad_lines_changes_nothing_and_names_every_bad_line() {
    let app = spawn_app().await;
    let before = app.snapshot().await;
    let file = write_file(
        &app,
        "bad.csv",
        &[
            GOOD[0],
            "jupe,Jupe,jupes,,cher,,,M,,,1",
            GOOD[2],
            "pagne,Pagne,,,9000,,,,,,1",
            "sac,Sac,,,9000,,,TU,,SAC TU,1",
            "robe-ete,Robe d'été,robes,,15000,,,S,,,1",
            "short,Short,,,9000,,,M,,,-3",
        ],
    );
    let output = import(&app, &file).await;
    assert!(!output.status.success());
    let errors = text(&output.stderr);
    for (line, about) in [
        (3, "price"),
        (5, "size"),
        (6, "sku"),
        (7, "differ"),
        (8, "stock"),
    ] {
        let named = errors
            .lines()
            .find(|l| l.starts_with(&format!("line {line}:")))
            .unwrap_or_else(|| panic!("line {line} not named in:\n{errors}"));
        assert!(
            named.contains(about),
            "line {line} should be about {about}: {named}"
        );
    }
    assert!(
        !errors.contains("line 2:") && !errors.contains("line 4:"),
        "{errors}"
    );
    assert_eq!(app.snapshot().await, before, "nothing changed");
}

#[tokio::test]
async fn a_good_file_imports_with_ledger_movements_and_a_second_run_changes_nothing() {
    let app = spawn_app().await;
    let file = write_file(&app, "good.csv", &GOOD);
    let before = app.snapshot().await;
    let dry = stockroom(&[
        "import",
        &file,
        "--dry-run",
        "--database-url",
        &database_url(&app),
    ])
    .await;
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    assert!(text(&dry.stdout).starts_with(
        "dry run, nothing written; would import: 2 product(s) created, 0 updated; 4 variant(s) created"
    ), "{}", text(&dry.stdout));
    assert_eq!(app.snapshot().await, before, "a dry run writes nothing");
    let output = import(&app, &file).await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    let robe: Value = app
        .product("robe-ete")
        .await
        .json()
        .await
        .expect("a product");
    assert_eq!(robe["old_price"], json!(18000));
    assert_eq!(robe["description"], "Légère, en coton");
    assert_eq!(robe["variants"][0]["sku"], "ROBE-ETE-M");
    assert_eq!(robe["variants"][0]["available"], json!(5));
    assert_eq!(robe["variants"][1]["available"], json!(2));
    let chemise: Value = app
        .product("chemise-lin")
        .await
        .json()
        .await
        .expect("a product");
    assert_eq!(chemise["variants"][0]["sku"], "CHEMISE-M-BLANC");
    assert_eq!(chemise["variants"][1]["sku"], "CHEMISE-LIN-BLEU-M");
    let movements = app.all_movements(&[]).await;
    assert_eq!(movements.len(), 4);
    assert!(
        movements
            .iter()
            .all(|m| m["kind"] == "initial" && m["actor"] == "test-admin")
    );

    let before = app.snapshot().await;
    let again = import(&app, &file).await;
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(text(&again.stdout).contains(
        "0 product(s) created, 0 updated; 0 variant(s) created, 0 updated; stock changed on 0"
    ));
    assert_eq!(app.snapshot().await, before, "a second run changes nothing");

    // A changed stock level goes through the ledger as an adjustment.
    let (status, _) = app
        .place(&order_body(&phone(1), &[("ROBE-ETE-M", 1)]), None)
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let recount = write_file(&app, "recount.csv", &[&GOOD[0].replace(",5", ",9")]);
    let output = import(&app, &recount).await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(app.available("ROBE-ETE-M").await, 9);
    let adjustments = app
        .movements_matching("sku=ROBE-ETE-M&kind=adjustment")
        .await;
    assert_eq!(adjustments.len(), 1);
    assert_eq!(adjustments[0]["quantity"], json!(5));
    assert_eq!(adjustments[0]["actor"], "test-admin");
    app.assert_audit_consistent().await;
}

/// A second database of the app's kind, empty: a file beside the app's, or
/// a PostgreSQL schema of its own (dropped with the returned guard).
async fn empty_database(app: &TestApp) -> (String, Option<TestSchema>) {
    match &app.database {
        DatabaseUrl::Sqlite(path) => (sqlite_url(&path.with_file_name("empty.db")), None),
        DatabaseUrl::Postgres(_) => {
            let base = base_url().unwrap_or_else(|| panic!("{URL_VARIABLE} is set"));
            let schema = TestSchema::create(&base).await;
            (schema.url.clone(), Some(schema))
        }
    }
}

fn sorted_lines(csv: &str) -> Vec<String> {
    let mut lines: Vec<String> = csv.lines().map(str::to_owned).collect();
    lines.sort();
    lines
}

#[tokio::test]
async fn export_then_import_into_an_empty_database_round_trips() {
    let app = spawn_app().await;
    app.create_product(&json!({
        "slug": "robe-ete", "title": "Robe d'été", "category": "robes", "price": 15000,
        "old_price": 18000, "description": "Coton, \"léger\"\net frais", "image_url": "/img/robe.jpg",
        "variants": [{"size": "M", "stock": 5}, {"size": "L", "color": "Rouge", "stock": 2}]
    }))
    .await;
    let sku = app.product_with_stock("jupe", "S", 4).await;
    let (status, _) = app.place(&order_body(&phone(1), &[(&sku, 3)]), None).await;
    assert_eq!(status, StatusCode::CREATED);

    let first = app.db_path.with_file_name("first.csv");
    let first_path = first.to_string_lossy().into_owned();
    let url = database_url(&app);
    let out = stockroom(&[
        "export",
        "--stock",
        "-o",
        &first_path,
        "--database-url",
        &url,
    ])
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let exported = std::fs::read_to_string(&first).expect("the export");
    assert!(exported.contains(&format!("{sku},1")), "{exported}");

    let (empty, _schema) = empty_database(&app).await;
    let migrated = stockroom(&["migrate", "--database-url", &empty]).await;
    assert!(migrated.status.success(), "{}", text(&migrated.stderr));
    let imported = stockroom(&["import", &first_path, "--database-url", &empty]).await;
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    let again = stockroom(&["export", "--stock", "--database-url", &empty]).await;
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(sorted_lines(&text(&again.stdout)), sorted_lines(&exported));
    let audit = stockroom(&["audit", "--database-url", &empty]).await;
    assert!(audit.status.success(), "{}", text(&audit.stdout));

    let catalog_only = stockroom(&["export", "--database-url", &url]).await;
    let mut reader = csv::Reader::from_reader(catalog_only.stdout.as_slice());
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a record")).collect();
    assert_eq!(records.len(), 3);
    assert!(
        records.iter().all(|r| r[11].is_empty()),
        "no stock without --stock: {records:?}"
    );
}

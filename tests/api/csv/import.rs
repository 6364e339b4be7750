//! Files the import takes: a dry run answers what the import then does,
//! what an export writes comes back unchanged in every style, and a
//! French Excel file reads like any other.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{EN_HEADER, rows};
use crate::helpers::{TestApp, order_body, phone, spawn_app};

const GOOD: [&str; 3] = [
    "robe-ete,Robe d'été,robes,\"Légère, en coton\",15000,18000,,,M,,,5",
    "robe-ete,Robe d'été,robes,\"Légère, en coton\",15000,18000,,,L,,,2",
    "chemise,Chemise,chemises,,12000,,,draft,M,Blanc,CHEMISE-M-BLANC,4",
];

fn file(lines: &[&str]) -> String {
    format!("{EN_HEADER}\n{}\n", lines.join("\n"))
}

#[tokio::test]
async fn a_dry_run_answers_what_the_import_does_and_writes_nothing() {
    let app = spawn_app().await;
    let before = app.catalog_and_ledger().await;

    let dry = app.imported(file(&GOOD), true).await;

    assert_eq!(
        dry,
        json!({"dry_run": true, "created": 2, "updated": 0, "stock_changes": 0,
               "variants_created": 3, "variants_updated": 0, "errors": [], "errors_total": 0})
    );
    assert_eq!(
        app.catalog_and_ledger().await,
        before,
        "a dry run writes nothing"
    );

    let applied = app.imported(file(&GOOD), false).await;
    assert_eq!(applied["dry_run"], false);
    for field in ["created", "updated", "stock_changes", "variants_created"] {
        assert_eq!(applied[field], dry[field], "{field}");
    }
    let (chemise, _) = app.admin_product("chemise").await;
    assert_eq!(chemise["status"], "draft");
    assert_eq!(chemise["variants"][0]["available"], 4);
    let initial = app.movements_matching("kind=initial").await;
    assert_eq!(initial.len(), 3);
    assert!(initial.iter().all(|m| m["actor"] == "test-admin"));
    app.assert_audit_consistent().await;
}

#[tokio::test]
async fn a_changed_level_is_an_adjustment_from_what_sales_left_and_a_second_run_changes_nothing() {
    let app = spawn_app().await;
    app.imported(file(&GOOD), false).await;
    let (status, _) = app
        .place(&order_body(&phone(1), &[("ROBE-ETE-M", 1)]), None)
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let again = app.imported(file(&GOOD), false).await;
    assert_eq!(
        again["stock_changes"], 1,
        "the sale is undone by the file's 5"
    );
    let adjustment = app
        .movements_matching("sku=ROBE-ETE-M&kind=adjustment")
        .await;
    assert_eq!(adjustment.len(), 1);
    assert_eq!(adjustment[0]["quantity"], 1);
    assert_eq!(adjustment[0]["note"], "import CSV");
    assert_eq!(app.available("ROBE-ETE-M").await, 5);

    let before = app.catalog_and_ledger().await;
    let third = app.imported(file(&GOOD), false).await;
    assert_eq!(
        (
            &third["created"],
            &third["updated"],
            &third["stock_changes"]
        ),
        (&json!(0), &json!(0), &json!(0))
    );
    assert_eq!(app.catalog_and_ledger().await, before);
    app.assert_audit_consistent().await;
}

#[tokio::test]
async fn a_french_excel_file_with_a_byte_order_mark_semicolons_crlf_quotes_and_accents_imports() {
    let app = spawn_app().await;
    let excel = "\u{feff}Identifiant;Produit;Catégorie;Prix;Statut;Taille;Couleur;Stock\r\n\
        boubou;\"Boubou \"\"Élégance\"\"; brodé\";Tenues d'été;25 000;Brouillon;XL;Écru;3\r\n\
        boubou;\"Boubou \"\"Élégance\"\"; brodé\";Tenues d'été;25 000;Brouillon;M;Écru;1\r\n\
        ;;;;;;;\r\n";

    let answer = app.imported(excel, false).await;

    assert_eq!(
        (
            answer["created"].clone(),
            answer["variants_created"].clone()
        ),
        (json!(1), json!(2))
    );
    let (boubou, _) = app.admin_product("boubou").await;
    assert_eq!(boubou["title"], "Boubou \"Élégance\"; brodé");
    assert_eq!(boubou["category"], "Tenues d'été");
    assert_eq!(boubou["price"], 25_000);
    assert_eq!(boubou["status"], "draft");
    assert_eq!(boubou["variants"][0]["color"], "Écru");
    assert_eq!(boubou["variants"][0]["sku"], "BOUBOU-ECRU-XL");
}

/// A shop with products an export must carry through unchanged: accents,
/// quotes, separators, text a spreadsheet would run, every status.
async fn tricky_shop(app: &TestApp) {
    let products = [
        json!({"slug": "robe-ete", "title": "Robe \"d'été\"; légère, fluide", "price": 15000,
               "old_price": 18000, "category": "=robes", "description": "Ligne 1\nLigne 2",
               "variants": [{"size": "M", "color": "-rouge", "stock": 5}, {"size": "+L", "stock": 0}]}),
        json!({"slug": "pagne", "title": "@Pagne wax", "price": 9000, "status": "draft",
               "image_url": "/assets/img/robe.svg", "variants": [{"size": "TU", "stock": 12}]}),
        json!({"slug": "sac", "title": "Sac", "price": 4000, "status": "archived",
               "variants": [{"size": "TU", "stock": 1}]}),
    ];
    for product in products {
        app.create_product(&product).await;
    }
}

#[tokio::test]
async fn what_an_export_writes_imports_back_unchanged_in_either_language_and_for_excel() {
    let app = spawn_app().await;
    tricky_shop(&app).await;
    let empty = spawn_app().await;
    for style in ["lang=fr", "lang=en", "excel=1", "lang=en&excel=1"] {
        let exported = app
            .download(&format!("/api/v1/admin/export/catalog.csv?stock=1&{style}"))
            .await;

        let before = app.catalog_and_ledger().await;
        let again = app.imported(exported.clone(), false).await;
        for field in [
            "created",
            "updated",
            "stock_changes",
            "variants_created",
            "variants_updated",
        ] {
            assert_eq!(again[field], 0, "{style}: {field} in {again}");
        }
        assert_eq!(app.catalog_and_ledger().await, before, "{style}");

        // Into another shop: the same catalog, written back byte for byte.
        empty.imported(exported.clone(), false).await;
        let copied = empty
            .download(&format!("/api/v1/admin/export/catalog.csv?stock=1&{style}"))
            .await;
        assert_eq!(rows(&copied), rows(&exported), "{style}");
    }
    let (robe, _) = empty.admin_product("robe-ete").await;
    assert_eq!(robe["title"], "Robe \"d'été\"; légère, fluide");
    assert_eq!(robe["category"], "=robes");
    assert_eq!(robe["variants"][0]["color"], "-rouge");
    assert_eq!(robe["variants"][1]["size"], "+L");
}

#[tokio::test]
async fn an_export_with_one_cell_changed_imports_as_that_one_change() {
    let app = spawn_app().await;
    tricky_shop(&app).await;
    let exported = app
        .download("/api/v1/admin/export/catalog.csv?stock=1&excel=1")
        .await;
    let text = String::from_utf8(exported).expect("UTF-8");
    let changed = text.replace(";TU;;PAGNE-TU;12\r\n", ";TU;;PAGNE-TU;10\r\n");
    assert_ne!(changed, text, "the pagne's line: {text}");

    let dry = app.imported(changed.clone(), true).await;
    assert_eq!(
        (dry["updated"].clone(), dry["stock_changes"].clone()),
        (json!(0), json!(1))
    );
    assert_eq!(first_level(&app, "pagne").await, 12);
    app.imported(changed, false).await;
    assert_eq!(first_level(&app, "pagne").await, 10);
    let adjustments: Vec<Value> = app.movements_matching("kind=adjustment").await;
    assert_eq!(adjustments.len(), 1);
    assert_eq!(adjustments[0]["quantity"], -2);
}

/// The units of the first variant of a product, whatever its status.
async fn first_level(app: &TestApp, slug: &str) -> i64 {
    let (product, _) = app.admin_product(slug).await;
    product["variants"][0]["available"]
        .as_i64()
        .expect("a level")
}

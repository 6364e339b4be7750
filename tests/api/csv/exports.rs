//! The downloads by the contract's CSV rules: French headers unless
//! `lang=en`, a byte-order mark and `;` with `excel=1`, text a spreadsheet
//! would run prefixed with `'` and numbers stockroom wrote left alone; the
//! movements of a period given in days.

use reqwest::StatusCode;
use serde_json::json;

use super::rows;
use crate::helpers::{order_body, phone, spawn_app};

#[tokio::test]
async fn every_export_has_french_headers_by_default_and_english_ones_when_asked() {
    let app = spawn_app().await;
    app.product_with_stock("robe", "M", 3).await;
    let expected = [
        (
            "export/catalog.csv",
            "Identifiant,Produit,Catégorie,Description,Prix,Ancien prix,Image,Statut,Taille,Couleur,Référence,Stock",
            super::EN_HEADER,
        ),
        (
            "export/stock.csv",
            "Référence,Produit,Taille,Couleur,En stock,Seuil d'alerte,État",
            "sku,title,size,color,available,low_stock_threshold,state",
        ),
        (
            "export/movements.csv",
            "Date,Référence,Produit,Taille,Couleur,Mouvement,Quantité,Stock après,Commande,Par,Note",
            "created_at,sku,title,size,color,kind,quantity,available_after,order_id,actor,note",
        ),
        (
            "audit.csv",
            "Référence,Produit,Taille,Couleur,Stock initial,Réapprovisionné,Ajusté,Vendu,Retourné,Précommandes servies,Attendu,En stock,Écart,Statut",
            "sku,title,size,color,initial,restocked,adjusted,sold,returned,allocated,expected,available,difference,status",
        ),
    ];
    for (path, french, english) in expected {
        let fr = app.download(&format!("/api/v1/admin/{path}")).await;
        assert_eq!(rows(&fr)[0], french, "{path}");
        let en = app.download(&format!("/api/v1/admin/{path}?lang=en")).await;
        assert_eq!(rows(&en)[0], english, "{path}");
        let excel = app.download(&format!("/api/v1/admin/{path}?excel=1")).await;
        assert!(
            excel.starts_with("\u{feff}".as_bytes()),
            "{path}: a byte-order mark"
        );
        let excel = rows(&excel[3..]);
        assert_eq!(excel[0], french.replace(',', ";"), "{path}");
        assert!(
            excel[1].contains(';') && !excel[1].contains(','),
            "{path}: {}",
            excel[1]
        );
    }
    let audit = app.download("/api/v1/admin/audit.csv?excel=1").await;
    assert!(rows(&audit[3..])[1].ends_with(";OK"), "a French status");
    let stock = app.download("/api/v1/admin/export/stock.csv").await;
    assert_eq!(rows(&stock)[1], "ROBE-M,Produit robe,M,,3,,OK");
}

#[tokio::test]
async fn text_a_spreadsheet_would_run_is_neutralised_but_signed_numbers_are_not() {
    let app = spawn_app().await;
    app.create_product(&json!({
        "slug": "robe", "title": "=HYPERLINK(\"x\")", "category": "@cat", "price": 1000,
        "variants": [{"size": "-M", "color": "+rouge", "stock": 4}]
    }))
    .await;
    let sku = "ROBE-ROUGE-M";
    let (status, _) = app.place(&order_body(&phone(1), &[(sku, 3)]), None).await;
    assert_eq!(status, StatusCode::CREATED);
    let adjusted = app
        .adjust(sku, &json!({"delta": -1, "reason": "=casse"}))
        .await;
    assert_eq!(adjusted.status(), StatusCode::OK);

    let catalog = app
        .download("/api/v1/admin/export/catalog.csv?lang=en")
        .await;
    assert_eq!(
        rows(&catalog)[1],
        "robe,\"'=HYPERLINK(\"\"x\"\")\",'@cat,,1000,,,active,'-M,'+rouge,ROBE-ROUGE-M,"
    );
    let movements = app
        .download("/api/v1/admin/export/movements.csv?lang=en")
        .await;
    let movements = rows(&movements);
    assert!(movements[2].contains(",sale,-3,1,"), "{}", movements[2]);
    assert!(
        movements[3].contains(",adjustment,-1,0,"),
        "{}",
        movements[3]
    );
    assert!(movements[3].ends_with(",'=casse"), "{}", movements[3]);
    let audit = app.download("/api/v1/admin/audit.csv?lang=en").await;
    assert!(
        rows(&audit)[1].starts_with("ROBE-ROUGE-M,\"'=HYPERLINK"),
        "{:?}",
        rows(&audit)
    );
}

#[tokio::test]
async fn movements_are_those_of_the_days_asked_oldest_first() {
    let app = spawn_app().await;
    app.product_with_stock("robe", "M", 3).await;
    app.restock("ROBE-M", 2).await;
    let today = chrono::Utc::now().date_naive();
    let day = |offset: i64| {
        (today + chrono::Duration::days(offset))
            .format("%Y-%m-%d")
            .to_string()
    };

    let csv = app
        .download(&format!(
            "/api/v1/admin/export/movements.csv?from={}&to={}",
            day(0),
            day(0)
        ))
        .await;
    let lines = rows(&csv);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[1].contains(",Stock initial,3,3,"), "{}", lines[1]);
    assert!(
        lines[2].contains(",Réapprovisionnement,2,5,"),
        "{}",
        lines[2]
    );

    for (from, to) in [(day(1), day(2)), (day(-3), day(-1))] {
        let csv = app
            .download(&format!(
                "/api/v1/admin/export/movements.csv?from={from}&to={to}"
            ))
            .await;
        assert_eq!(rows(&csv).len(), 1, "nothing from {from} to {to}");
    }
    let csv = app
        .download(&format!("/api/v1/admin/export/movements.csv?to={}", day(0)))
        .await;
    assert_eq!(rows(&csv).len(), 3, "from the ledger's start");
}

#[tokio::test]
async fn bad_dates_a_reversed_period_or_a_bad_style_are_refused() {
    let app = spawn_app().await;
    for (query, field) in [
        ("from=2026-13-01", "from"),
        ("to=hier", "to"),
        ("from=2026-11-28T10:00:00Z", "from"),
        ("from=2026-12-02&to=2026-12-01", "from"),
        ("lang=de", "lang"),
        ("excel=oui", "excel"),
    ] {
        let response = app
            .admin_get(&format!("/api/v1/admin/export/movements.csv?{query}"))
            .await;
        app.validation_problem(response, field).await;
    }
    let response = app
        .admin_get("/api/v1/admin/export/catalog.csv?stock=2")
        .await;
    app.validation_problem(response, "stock").await;
    let response = app.admin_get("/api/v1/admin/audit.csv?lang=es").await;
    app.validation_problem(response, "lang").await;
}

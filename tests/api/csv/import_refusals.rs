//! Files the import refuses: line by line, naming each line and column,
//! and never half-applied; or whole, with the problem that says why.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use stockroom::domain::limits::CSV_IMPORT_BYTES_MAX;
use stockroom::domain::staff::Role;

use super::EN_HEADER;
use crate::helpers::spawn_app;

/// The refused lines of an answer, as `(line, field)`.
fn named(refused: &Value) -> Vec<(u64, Option<String>)> {
    refused["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            let field = e["field"].as_str().map(str::to_owned);
            (e["line"].as_u64().expect("a line"), field)
        })
        .collect()
}

#[tokio::test]
async fn a_file_with_three_bad_lines_names_each_and_applies_nothing() {
    let app = spawn_app().await;
    let before = app.catalog_and_ledger().await;
    let file = format!(
        "{EN_HEADER}\nrobe,Robe,,,15000,,,,M,,,5\njupe,Jupe,,,cher,,,,S,,,1\nrobe,Robe,,,15000,,,,L,,,2\n\
         pagne,Pagne,,,9000,,,,,,,1\nsac,Sac,,,4000,,,soldé,TU,,,1\nveste,Veste,,,30000,,,,M,,,3\n"
    );
    for dry_run in [true, false] {
        let refused = app.refused_import(file.clone(), dry_run).await;
        assert_eq!(
            named(&refused),
            [
                (3, Some("price".into())),
                (5, Some("size".into())),
                (6, Some("status".into()))
            ],
            "{refused}"
        );
        assert_eq!(refused["errors_total"], 3);
        assert_eq!(
            refused["errors"][0]["detail"],
            "« cher » n'est pas un nombre entier."
        );
        assert!(
            refused["detail"]
                .as_str()
                .expect("a detail")
                .starts_with("3 ligne(s)")
        );
        assert_eq!(app.catalog_and_ledger().await, before, "nothing applied");
    }
}

#[tokio::test]
async fn an_old_price_not_above_the_price_is_named_on_its_line() {
    let app = spawn_app().await;
    let before = app.catalog_and_ledger().await;
    let file = format!(
        "{EN_HEADER}\nrobe,Robe,,,15000,18000,,,M,,,5\njupe,Jupe,,,9000,9000,,,S,,,1\n\
         pagne,Pagne,,,9000,7000,,,TU,,,1\n"
    );
    let refused = app.refused_import(file, false).await;
    assert_eq!(
        named(&refused),
        [(3, Some("old_price".into())), (4, Some("old_price".into()))],
        "{refused}"
    );
    let said = refused["errors"][0]["detail"].as_str().expect("a sentence");
    assert!(
        said.starts_with("L'ancien prix (9000) doit être plus élevé que le prix (9000)"),
        "{said}"
    );
    assert_eq!(app.catalog_and_ledger().await, before, "nothing applied");
}

#[tokio::test]
async fn the_reasons_are_in_english_when_the_request_asks() {
    let app = spawn_app().await;
    let response = app
        .admin(Method::POST, "/api/v1/admin/import/catalog")
        .header("Content-Type", "text/csv; charset=utf-8")
        .header("Accept-Language", "en")
        .body("Produit;Prix;Taille\nRobe;abc;M\n")
        .send()
        .await
        .expect("sent");
    let refused = app
        .problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    assert_eq!(refused["errors"][0]["field"], "Prix");
    assert_eq!(
        refused["errors"][0]["detail"],
        "`abc` is not a whole number."
    );
}

#[tokio::test]
async fn a_wrong_header_is_refused_on_line_one() {
    let app = spawn_app().await;
    let refused = app
        .refused_import("Nom;Tarif;Taille\nRobe;100;M\n", false)
        .await;
    let errors = named(&refused);
    assert!(errors.contains(&(1, Some("Nom".into()))), "{refused}");
    assert!(errors.contains(&(1, Some("Tarif".into()))), "{refused}");
    assert!(
        errors.contains(&(1, Some("Produit".into()))),
        "missing, named in French: {refused}"
    );
    for (text, line) in [
        ("", 1),
        ("title,price,size\n", 2),
        ("title,price,size\r\n,,\r\n", 2),
    ] {
        let refused = app.refused_import(text, true).await;
        assert_eq!(named(&refused)[0].0, line, "{text:?}: {refused}");
    }
}

#[tokio::test]
async fn lines_the_database_contradicts_are_named_and_nothing_is_applied() {
    let app = spawn_app().await;
    let jupe = app.product_with_stock("jupe", "S", 2).await;
    let before = app.catalog_and_ledger().await;
    let file = format!(
        "Identifiant;Produit;Prix;Taille;Référence;Stock\r\nrobe;Robe;15000;M;;5\r\nrobe;Robe;15000;L;{jupe};1\r\n"
    );
    let refused = app.refused_import(file, true).await;
    assert_eq!(named(&refused), [(3, Some("Référence".into()))]);
    assert!(
        refused["errors"][0]["detail"]
            .as_str()
            .expect("a detail")
            .contains(&jupe)
    );
    assert_eq!(app.catalog_and_ledger().await, before);
}

#[tokio::test]
async fn a_file_over_five_megabytes_is_refused_with_413() {
    let app = spawn_app().await;
    let line = "robe,Robe,,,15000,,,,M,,,5\n";
    let mut big = format!("{EN_HEADER}\n");
    while big.len() <= CSV_IMPORT_BYTES_MAX {
        big.push_str(line);
    }
    let response = app.import_csv(big, true).await;
    app.problem(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
        .await;
}

#[tokio::test]
async fn a_file_just_under_the_limit_is_read_past_the_usual_64_kib() {
    let app = spawn_app().await;
    let mut file = format!("{EN_HEADER}\n");
    let mut n = 0;
    while file.len() < 200 * 1024 {
        file.push_str(&format!("p{n},Produit {n},,,1000,,,,M,,,1\n"));
        n += 1;
    }
    let answer = app.imported(file, true).await;
    assert_eq!(answer["created"], n);
}

#[tokio::test]
async fn staff_may_export_but_not_import() {
    let app = spawn_app().await;
    let staff = app
        .store
        .create_admin("clerk", Role::Staff)
        .await
        .expect("an admin")
        .token
        .expect("a token");
    let response = app
        .request(Method::POST, "/api/v1/admin/import/catalog?dry_run=true")
        .bearer_auth(&staff)
        .header("Content-Type", "text/csv")
        .body(format!("{EN_HEADER}\nrobe,Robe,,,15000,,,,M,,,5\n"))
        .send()
        .await
        .expect("sent");
    app.problem(response, StatusCode::FORBIDDEN, "forbidden")
        .await;
    for path in ["catalog.csv", "stock.csv", "movements.csv"] {
        let response = app
            .request(Method::GET, &format!("/api/v1/admin/export/{path}"))
            .bearer_auth(&staff)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn a_body_that_is_not_csv_or_a_bad_dry_run_is_refused_whole() {
    let app = spawn_app().await;
    let response = app
        .admin_post("/api/v1/admin/import/catalog", &json!({"title": "Robe"}))
        .await;
    app.problem(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    let response = app
        .admin(
            Method::POST,
            "/api/v1/admin/import/catalog?dry_run=peut-etre",
        )
        .header("Content-Type", "text/csv")
        .body(format!("{EN_HEADER}\nrobe,Robe,,,15000,,,,M,,,5\n"))
        .send()
        .await
        .expect("sent");
    app.validation_problem(response, "dry_run").await;
    let latin1 = b"title,price,size\nRobe d'\xe9t\xe9,100,M\n".to_vec();
    let refused = app.refused_import(latin1, true).await;
    assert_eq!(named(&refused)[0].0, 2);
    assert!(
        refused["errors"][0]["detail"]
            .as_str()
            .expect("a detail")
            .contains("UTF-8")
    );
}

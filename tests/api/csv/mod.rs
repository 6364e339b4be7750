//! CSV everywhere: the catalog import from the back office (a dry run
//! first, then all or nothing) and the exports of the catalog, the stock and
//! the movements, by the contract's CSV rules, on the suite's database
//! (SQLite, or PostgreSQL with `STOCKROOM_TEST_API_DATABASE=postgres`).

mod exports;
mod import;
mod import_refusals;

use reqwest::{Method, Response, StatusCode};
use serde_json::Value;

use crate::helpers::TestApp;

/// The English header of the catalog, as `?lang=en` writes it.
const EN_HEADER: &str =
    "slug,title,category,description,price,old_price,image_url,status,size,color,sku,stock";

impl TestApp {
    /// `POST /api/v1/admin/import/catalog` with the owner's token.
    async fn import_csv(&self, body: impl Into<Vec<u8>>, dry_run: bool) -> Response {
        self.admin(
            Method::POST,
            &format!("/api/v1/admin/import/catalog?dry_run={dry_run}"),
        )
        .header("Content-Type", "text/csv")
        .body(body.into())
        .send()
        .await
        .expect("sent")
    }

    /// An import that must be applied (or answered, with `dry_run`): its answer.
    async fn imported(&self, body: impl Into<Vec<u8>>, dry_run: bool) -> Value {
        let response = self.import_csv(body, dry_run).await;
        let status = response.status();
        let text = response.text().await.expect("a body");
        assert_eq!(status, StatusCode::OK, "{text}");
        serde_json::from_str(&text).expect("JSON")
    }

    /// An import refused line by line: the 422 problem, checked, with its answer.
    async fn refused_import(&self, body: impl Into<Vec<u8>>, dry_run: bool) -> Value {
        let response = self.import_csv(body, dry_run).await;
        let refused = self
            .problem(
                response,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            )
            .await;
        assert_eq!(refused["created"], 0, "{refused}");
        assert_eq!(refused["dry_run"], dry_run, "{refused}");
        refused
    }

    /// A CSV download with the owner's token: its headers checked, its bytes.
    async fn download(&self, path: &str) -> Vec<u8> {
        let response = self.admin_get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(header("content-type"), "text/csv; charset=utf-8");
        let disposition = header("content-disposition");
        assert!(
            disposition.starts_with("attachment; filename=\"")
                && disposition
                    .ends_with(&format!("-{}.csv\"", chrono::Utc::now().format("%Y-%m-%d"))),
            "a dated attachment: {disposition}"
        );
        response.bytes().await.expect("a body").to_vec()
    }

    /// What an import must leave alone when it changes nothing: every
    /// product with its stock, and the whole ledger.
    async fn catalog_and_ledger(&self) -> (String, Vec<Value>) {
        let catalog = self
            .download("/api/v1/admin/export/catalog.csv?stock=1&lang=en")
            .await;
        let catalog = String::from_utf8(catalog).expect("UTF-8");
        (catalog, self.all_movements(&[]).await)
    }
}

/// The lines of a CSV, without its line endings.
fn rows(csv: &[u8]) -> Vec<String> {
    let text = std::str::from_utf8(csv).expect("UTF-8");
    text.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

//! What the tests read of stock and its ledger: levels, movements, the
//! audit, and a snapshot of everything to compare before and after.

use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use super::TestApp;

impl TestApp {
    pub async fn audit(&self) -> Value {
        let response = self.admin_get("/api/v1/admin/audit").await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("an audit")
    }

    /// Units on hand of one sku, as the public catalog shows them.
    pub async fn available(&self, sku: &str) -> i64 {
        let products: Value = self
            .get("/api/v1/products")
            .await
            .json()
            .await
            .expect("products");
        products["products"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|p| p["variants"].as_array().cloned().unwrap_or_default())
            .find(|v| v["sku"] == sku)
            .and_then(|v| v["available"].as_i64())
            .expect("the sku is in the catalog")
    }

    /// Sum of a sku's ledger movements, read through the admin API.
    pub async fn ledger_sum(&self, sku: &str) -> i64 {
        let mut sum = 0;
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/api/v1/admin/stock/movements?sku={sku}&limit=500");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let page: Value = self.admin_get(&path).await.json().await.expect("movements");
            sum += page["movements"]
                .as_array()
                .expect("a list")
                .iter()
                .map(|m| m["quantity"].as_i64().expect("a quantity"))
                .sum::<i64>();
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return sum,
            }
        }
    }

    /// `GET /api/v1/admin/stock/movements` with these query parameters.
    pub async fn movements(&self, query: &[(&str, &str)]) -> Response {
        self.admin(Method::GET, "/api/v1/admin/stock/movements")
            .query(query)
            .send()
            .await
            .expect("the request is sent")
    }

    /// Every movement matching `query`, newest first, walking all the pages.
    pub async fn all_movements(&self, query: &[(&str, &str)]) -> Vec<Value> {
        let mut movements = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut params = query.to_vec();
            params.push(("limit", "500"));
            if let Some(c) = &cursor {
                params.push(("cursor", c));
            }
            let response = self.movements(&params).await;
            assert_eq!(response.status(), StatusCode::OK);
            let page: Value = response.json().await.expect("movements");
            movements.extend(
                page["movements"]
                    .as_array()
                    .expect("a list")
                    .iter()
                    .cloned(),
            );
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return movements,
            }
        }
    }

    /// What a refused request must leave as it was: the catalog with its
    /// stock, the whole ledger and the orders.
    pub async fn snapshot(&self) -> Value {
        let products: Value = self
            .get("/api/v1/products")
            .await
            .json()
            .await
            .expect("products");
        let orders: Value = self
            .admin_get("/api/v1/admin/orders?limit=500")
            .await
            .json()
            .await
            .expect("orders");
        json!({
            "products": products["products"],
            "movements": self.all_movements(&[]).await,
            "orders": orders["orders"],
        })
    }

    /// Every movement matching `query` (e.g. `sku=X&kind=sale`), oldest first.
    pub async fn movements_matching(&self, query: &str) -> Vec<Value> {
        let mut all = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/api/v1/admin/stock/movements?{query}&limit=500");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let response = self.admin_get(&path).await;
            assert_eq!(response.status(), StatusCode::OK, "movements of {query}");
            let page: Value = response.json().await.expect("movements");
            all.extend(
                page["movements"]
                    .as_array()
                    .expect("a list")
                    .iter()
                    .cloned(),
            );
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        all.reverse();
        all
    }

    /// Asserts that the audit finds ledger, stock and orders in agreement.
    pub async fn assert_audit_consistent(&self) {
        let audit = self.audit().await;
        assert_eq!(audit["consistent"], json!(true), "audit: {audit:#}");
        assert_eq!(audit["negative_stock"], json!([]), "audit: {audit:#}");
    }
}

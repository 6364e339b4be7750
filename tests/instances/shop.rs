//! The HTTP calls the instance tests make, against any instance of the cluster.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::cluster::Cluster;

/// An answer's status and JSON body.
pub type Answer = (u16, Value);

/// A distinct valid phone number per buyer.
pub fn phone(buyer: usize) -> String {
    format!("+22505{buyer:08}")
}

pub fn order_body(phone: &str, lines: &[(String, i64)]) -> Value {
    json!({
        "customer": {"name": "Awa K.", "phone": phone},
        "delivery": {"address": "Cocody, Abidjan"},
        "lines": lines.iter().map(|(sku, q)| json!({"sku": sku, "quantity": q})).collect::<Vec<_>>(),
    })
}

impl Cluster {
    pub fn base(&self, instance: usize) -> &str {
        &self.instances[instance % self.instances.len()].base
    }

    /// A product with one variant per `(size, stock)`, made through instance 0; its skus.
    pub async fn create_product(&self, slug: &str, sizes: &[(String, i64)]) -> Vec<String> {
        let body = json!({
            "slug": slug, "title": format!("Robe {slug}"), "price": 15000,
            "variants": sizes.iter().map(|(size, stock)| json!({"size": size, "stock": stock})).collect::<Vec<_>>(),
        });
        let (status, product) = self
            .admin_send(
                0,
                reqwest::Method::POST,
                "/api/v1/admin/products",
                Some(&body),
            )
            .await;
        assert_eq!(status, 201, "product creation failed: {product}");
        product["variants"]
            .as_array()
            .expect("variants")
            .iter()
            .map(|v| v["sku"].as_str().expect("a sku").to_owned())
            .collect()
    }

    /// `POST /api/v1/orders` on one instance; `Err` when no answer came back.
    pub async fn order(
        &self,
        instance: usize,
        body: &Value,
        key: Option<&str>,
    ) -> Result<Answer, reqwest::Error> {
        let mut request = self
            .client
            .post(format!("{}/api/v1/orders", self.base(instance)))
            .json(body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        Ok((status, response.json().await?))
    }

    pub async fn admin_send(
        &self,
        instance: usize,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Answer {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base(instance)))
            .bearer_auth(&self.admin_token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("an admin answer");
        let status = response.status().as_u16();
        (status, response.json().await.expect("a JSON admin answer"))
    }

    /// Every item of an admin list (`orders`, `movements`), walking its pages.
    pub async fn admin_list(&self, instance: usize, path: &str, field: &str) -> Vec<Value> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let separator = if path.contains('?') { '&' } else { '?' };
            let mut page_path = format!("{path}{separator}limit=500");
            if let Some(c) = &cursor {
                page_path.push_str(&format!("&cursor={c}"));
            }
            let (status, page) = self
                .admin_send(instance, reqwest::Method::GET, &page_path, None)
                .await;
            assert_eq!(status, 200, "{page}");
            items.extend(page[field].as_array().expect("a list").iter().cloned());
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return items,
            }
        }
    }

    /// Units on hand of every sku, as one instance's catalog shows them.
    pub async fn stock(&self, instance: usize) -> HashMap<String, i64> {
        let products: Value = self
            .client
            .get(format!("{}/api/v1/products", self.base(instance)))
            .send()
            .await
            .expect("the catalog")
            .json()
            .await
            .expect("products");
        products["products"]
            .as_array()
            .expect("a list")
            .iter()
            .flat_map(|p| p["variants"].as_array().cloned().unwrap_or_default())
            .map(|v| {
                let sku = v["sku"].as_str().expect("a sku").to_owned();
                (sku, v["available"].as_i64().expect("available"))
            })
            .collect()
    }

    /// Checks the audit of every instance still running: ledger = stock = orders.
    pub async fn assert_audit_consistent(&self, instances: &[usize]) {
        for &instance in instances {
            let (status, audit) = self
                .admin_send(instance, reqwest::Method::GET, "/api/v1/admin/audit", None)
                .await;
            assert_eq!(status, 200);
            assert_eq!(
                audit["consistent"], true,
                "audit of instance {instance}: {audit}"
            );
        }
    }
}

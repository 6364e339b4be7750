//! The load generator's view of a stockroom server: the few admin and
//! public calls it needs to set up products and read the stock back.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::domain::phone::{Country, SampleNumbers};

/// A server under test, with an admin token for the set-up.
#[derive(Clone)]
pub struct Target {
    pub base: String,
    pub admin_token: String,
    pub http: reqwest::Client,
    /// Where checkouts' idempotency keys come from, when they carry one.
    keys: Option<Arc<Keys>>,
    /// Valid numbers of the shop's country, for the buyers' phones.
    phones: Arc<SampleNumbers>,
}

/// A new idempotency key per checkout: the run's random prefix, then a count.
struct Keys {
    prefix: String,
    next: AtomicU64,
}

impl Keys {
    fn next(&self) -> String {
        format!(
            "{}-{}",
            self.prefix,
            self.next.fetch_add(1, Ordering::Relaxed)
        )
    }
}

/// What one checkout request got back.
pub enum Answer {
    Created,
    /// 409 `insufficient_stock`, with each short line's (sku, requested).
    Short(Vec<(String, i64)>),
    /// Any other status, by its problem `code` (or the status when there is none).
    Other(String),
}

impl Target {
    /// With `idempotency_keys`, every checkout carries a key of its own.
    pub fn new(
        base: &str,
        admin_token: &str,
        clients: usize,
        idempotency_keys: bool,
    ) -> Result<Target, String> {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(clients)
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Target {
            base: base.trim_end_matches('/').to_owned(),
            admin_token: admin_token.to_owned(),
            http,
            keys: idempotency_keys.then(|| {
                Arc::new(Keys {
                    prefix: format!("load-{}", uuid::Uuid::new_v4().simple()),
                    next: AtomicU64::new(0),
                })
            }),
            phones: Arc::new(SampleNumbers::of(Country::DEFAULT)),
        })
    }

    /// Refuses a real shop unless `allowed`: the run leaves its products
    /// and orders behind, which only a demo or a bench may keep.
    pub async fn check_throwaway(&self, allowed: bool) -> Result<(), String> {
        let health: Value = self
            .http
            .get(format!("{}/healthz", self.base))
            .send()
            .await
            .map_err(|e| format!("/healthz: {e}"))?
            .json()
            .await
            .unwrap_or(Value::Null);
        match health["instance"].as_str() {
            Some("demo" | "bench") => Ok(()),
            _ if allowed => Ok(()),
            _ => Err(format!(
                "{} is a real shop (not started with --demo or --bench): stockroom load would leave its products and orders in it. Start a throwaway instance with `stockroom serve --bench`, or pass --allow-real-shop if you mean it",
                self.base
            )),
        }
    }

    /// Reads the shop's country from its settings: the buyers' phones
    /// must be numbers of it, or the checkout refuses them.
    pub async fn read_shop_country(mut self) -> Result<Target, String> {
        let settings = self
            .admin_send(reqwest::Method::GET, "/api/v1/admin/settings", None)
            .await?;
        let code = settings["default_country"].as_str().unwrap_or_default();
        let country = Country::parse(code)
            .map_err(|_| format!("the shop's settings name no country (`{code}`)"))?;
        self.phones = Arc::new(SampleNumbers::of(country));
        Ok(self)
    }

    /// How many buyers' phones there are; `phone` wraps around.
    pub fn phones(&self) -> u64 {
        self.phones.len()
    }

    /// The phone of buyer `n`, a valid number of the shop's country:
    /// distinct `n` are distinct customers (in Côte d'Ivoire, and nearly
    /// everywhere).
    pub fn phone(&self, n: u64) -> String {
        self.phones
            .nth(n)
            .map(|phone| phone.as_str().to_owned())
            .unwrap_or_default()
    }

    pub fn sends_keys(&self) -> bool {
        self.keys.is_some()
    }

    pub(super) async fn admin_send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, String> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.admin_token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|e| format!("{path}: {e}"))?;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if status.is_success() {
            Ok(body)
        } else if status == StatusCode::UNAUTHORIZED {
            Err("the admin token was refused (401): set a valid STOCKROOM_ADMIN_TOKEN".into())
        } else {
            Err(format!(
                "{path}: {status} {}",
                body["detail"].as_str().unwrap_or("")
            ))
        }
    }

    /// Creates a product with `(size, stock)` variants; returns its skus in order.
    pub async fn create_product(
        &self,
        slug: &str,
        variants: &[(String, i64)],
    ) -> Result<Vec<String>, String> {
        let body = json!({
            "slug": slug,
            "title": format!("Charge {slug}"),
            "category": "load",
            "price": 1000,
            "variants": variants.iter().map(|(size, stock)| json!({"size": size, "stock": stock})).collect::<Vec<_>>(),
        });
        let product = self
            .admin_send(reqwest::Method::POST, "/api/v1/admin/products", Some(&body))
            .await?;
        Ok(product["variants"]
            .as_array()
            .map(|vs| {
                vs.iter()
                    .filter_map(|v| v["sku"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// A webhook to `url` for every event type, so that the run also
    /// fills the outbox's deliveries (a receiver that is down: retries).
    pub async fn create_webhook(&self, url: &str) -> Result<(), String> {
        let events: Vec<&str> = crate::domain::events::EventType::ALL
            .iter()
            .map(|t| t.as_str())
            .collect();
        let body = json!({"url": url, "events": events, "description": "stockroom load"});
        self.admin_send(reqwest::Method::POST, "/api/v1/admin/webhooks", Some(&body))
            .await
            .map(|_| ())
    }

    /// Units on hand of every sku in the catalog.
    pub async fn stock(&self) -> Result<HashMap<String, i64>, String> {
        let response = self
            .http
            .get(format!("{}/api/v1/products", self.base))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let catalog: Value = response.json().await.map_err(|e| e.to_string())?;
        let mut stock = HashMap::new();
        for product in catalog["products"].as_array().into_iter().flatten() {
            for variant in product["variants"].as_array().into_iter().flatten() {
                if let (Some(sku), Some(available)) =
                    (variant["sku"].as_str(), variant["available"].as_i64())
                {
                    stock.insert(sku.to_owned(), available);
                }
            }
        }
        Ok(stock)
    }

    /// The server's own audit: `consistent` and the number of anomalies.
    pub async fn audit(&self) -> Result<(bool, usize), String> {
        let audit = self
            .admin_send(reqwest::Method::GET, "/api/v1/admin/audit", None)
            .await?;
        let anomalies = audit["variants"].as_array().map_or(0, |vs| {
            vs.iter().filter(|v| v["status"] == "anomaly").count()
        });
        Ok((audit["consistent"].as_bool().unwrap_or(false), anomalies))
    }

    /// One checkout.
    pub async fn order(&self, lines: &[(String, i64)], phone: &str) -> Result<Answer, String> {
        let body = json!({
            "customer": {"name": "Client de charge", "phone": phone},
            "delivery": {"address": "Abidjan"},
            "lines": lines.iter().map(|(sku, q)| json!({"sku": sku, "quantity": q})).collect::<Vec<_>>(),
        });
        let mut request = self.http.post(format!("{}/api/v1/orders", self.base));
        if let Some(keys) = &self.keys {
            request = request.header("Idempotency-Key", keys.next());
        }
        let response = request
            .json(&body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        if status == StatusCode::CREATED {
            // Read the body so the connection is reused.
            let _ = response.bytes().await;
            return Ok(Answer::Created);
        }
        let problem: Value = response.json().await.unwrap_or(Value::Null);
        let code = problem["code"]
            .as_str()
            .map_or_else(|| status.as_u16().to_string(), str::to_owned);
        if code == "insufficient_stock" {
            let short = problem["lines"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|l| Some((l["sku"].as_str()?.to_owned(), l["requested"].as_i64()?)))
                .collect();
            return Ok(Answer::Short(short));
        }
        Ok(Answer::Other(code))
    }
}

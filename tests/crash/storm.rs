//! The rush that runs while the server is killed, and the checks after the restart.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::desk::{DeskLedger, Held, act_until_the_crash, check_actions, ship_before_the_rush};

/// Buyers sending checkouts back to back during a cycle.
const BUYERS: usize = 24;
/// (size, units): ample stock on most sizes, one that runs out, so the
/// storms mix orders and refusals.
const SIZES: [(&str, i64); 4] = [("S", 100_000), ("M", 100_000), ("L", 100_000), ("XL", 60)];

/// What the test knows happened, to compare with what the server says.
#[derive(Default)]
pub struct Ledger {
    pub skus: Vec<String>,
    pub initial: HashMap<String, i64>,
    /// Orders answered 201, by id, with their (sku, quantity) lines.
    pub acknowledged: HashMap<String, Vec<(String, i64)>>,
    /// Requests whose answer was lost in a crash: (idempotency key, body).
    pub pending: Vec<(String, Value)>,
    pub resolved_after_crash: usize,
    /// The staff's cancellations and returns, beside the buyers.
    pub desk: DeskLedger,
}

impl Ledger {
    pub async fn set_up(&mut self, base: &str, token: &str) {
        let body = json!({
            "slug": "robe-crash", "title": "Robe d'été", "price": 15000,
            "variants": SIZES.iter().map(|(size, stock)| json!({"size": size, "stock": stock})).collect::<Vec<_>>(),
        });
        let response = client()
            .post(format!("{base}/api/v1/admin/products"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("product created");
        assert_eq!(response.status(), StatusCode::CREATED);
        let product: Value = response.json().await.expect("a product");
        for (variant, (_, stock)) in product["variants"]
            .as_array()
            .expect("variants")
            .iter()
            .zip(SIZES)
        {
            let sku = variant["sku"].as_str().expect("a sku").to_owned();
            self.initial.insert(sku.clone(), stock);
            self.skus.push(sku);
        }
    }

    fn acknowledge(&mut self, order: &Value) {
        let id = order["id"].as_str().expect("an order id").to_owned();
        let lines = order["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| {
                (
                    l["sku"].as_str().expect("a sku").to_owned(),
                    l["quantity"].as_i64().expect("a quantity"),
                )
            })
            .collect();
        let earlier = self.acknowledged.insert(id.clone(), lines);
        assert!(earlier.is_none(), "order {id} was acknowledged twice");
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a client")
}

/// The outcome of one checkout as its buyer saw it.
enum Seen {
    Created(Value),
    Refused,
    /// The connection broke: the order may or may not be committed.
    Lost(String, Value),
}

/// Sends checkouts until the server dies, and records what each buyer saw.
pub async fn run_cycle(
    base: &str,
    token: &str,
    ledger: &mut Ledger,
    seed: u64,
    kill: impl std::future::Future<Output = ()>,
) {
    let skus = Arc::new(ledger.skus.clone());
    let tasks = ledger.desk.pick(&ledger.acknowledged, seed);
    ship_before_the_rush(base, token, &tasks).await;
    let staff = tokio::spawn(act_until_the_crash(
        base.to_owned(),
        token.to_owned(),
        tasks,
    ));
    let buyers: Vec<_> = (0..BUYERS)
        .map(|buyer| {
            let (base, skus) = (base.to_owned(), skus.clone());
            tokio::spawn(async move { buy_until_the_crash(base, skus, seed, buyer).await })
        })
        .collect();
    let mut rng = StdRng::seed_from_u64(seed);
    tokio::time::sleep(Duration::from_millis(rng.random_range(30..400))).await;
    kill.await;
    ledger.desk.record(staff.await.expect("the staff"));
    for buyer in buyers {
        for seen in buyer.await.expect("a buyer") {
            match seen {
                Seen::Created(order) => ledger.acknowledge(&order),
                Seen::Refused => {}
                Seen::Lost(key, body) => ledger.pending.push((key, body)),
            }
        }
    }
}

async fn buy_until_the_crash(
    base: String,
    skus: Arc<Vec<String>>,
    seed: u64,
    buyer: usize,
) -> Vec<Seen> {
    let http = client();
    let mut rng = StdRng::seed_from_u64(seed ^ ((buyer as u64 + 1) * 0x9e37_79b9));
    let mut seen = Vec::new();
    for n in 0.. {
        let key = format!("crash-{seed:x}-{buyer}-{n}");
        let lines: Vec<Value> = (0..rng.random_range(1..=2))
            .map(|_| json!({"sku": skus[rng.random_range(0..skus.len())], "quantity": rng.random_range(1..=2)}))
            .collect();
        let body = json!({
            "customer": {"name": "Awa", "phone": format!("+22507{:08}", rng.random_range(0..100_000_000))},
            "lines": lines,
        });
        let sent = http
            .post(format!("{base}/api/v1/orders"))
            .header("Idempotency-Key", &key)
            .json(&body)
            .send()
            .await;
        let answer = match sent {
            Ok(response) => Some((response.status(), response.json::<Value>().await)),
            Err(_) => None,
        };
        match answer {
            Some((StatusCode::CREATED, Ok(created))) => {
                seen.push(Seen::Created(created["order"].clone()))
            }
            Some((StatusCode::CONFLICT, Ok(_))) => seen.push(Seen::Refused),
            // A broken connection, a body cut short, or a 503 while going down:
            // the outcome is unknown until the key is asked again.
            _ => {
                seen.push(Seen::Lost(key, body));
                return seen;
            }
        }
    }
    seen
}

/// After a restart: resolve every lost answer by retrying its key, then
/// check that the server holds exactly the acknowledged orders, whole, and
/// that ledger, stock and orders agree.
pub async fn verify(base: &str, token: &str, ledger: &mut Ledger) {
    let http = client();
    for (key, body) in std::mem::take(&mut ledger.pending) {
        let response = http
            .post(format!("{base}/api/v1/orders"))
            .header("Idempotency-Key", &key)
            .json(&body)
            .send()
            .await
            .expect("the retry is answered");
        match response.status() {
            StatusCode::CREATED => {
                let created: Value = response.json().await.expect("an order");
                ledger.acknowledge(&created["order"]);
                ledger.resolved_after_crash += 1;
            }
            StatusCode::CONFLICT => ledger.resolved_after_crash += 1,
            other => panic!("the retry of {key} got {other}"),
        }
    }
    let on_server = all_orders(&http, base, token).await;
    let known: HashSet<&String> = ledger.acknowledged.keys().collect();
    let held: HashSet<&String> = on_server.keys().collect();
    assert_eq!(
        held, known,
        "the server holds exactly the acknowledged orders"
    );
    for (id, lines) in &ledger.acknowledged {
        let mut held_lines = on_server[id].lines.clone();
        let mut expected = merged(lines);
        held_lines.sort();
        expected.sort();
        assert_eq!(held_lines, expected, "order {id} is whole");
    }
    check_actions(&ledger.desk, &on_server);
    check_stock_and_audit(&http, base, token, ledger, &on_server).await;
}

/// Lines as the server stores them: one per sku.
fn merged(lines: &[(String, i64)]) -> Vec<(String, i64)> {
    let mut by_sku: HashMap<String, i64> = HashMap::new();
    for (sku, quantity) in lines {
        *by_sku.entry(sku.clone()).or_default() += quantity;
    }
    by_sku.into_iter().collect()
}

async fn all_orders(http: &reqwest::Client, base: &str, token: &str) -> HashMap<String, Held> {
    let mut orders = HashMap::new();
    let mut cursor = String::new();
    loop {
        let url = format!("{base}/api/v1/admin/orders?limit=500{cursor}");
        let page: Value = http
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .expect("orders")
            .json()
            .await
            .expect("json");
        for order in page["orders"].as_array().expect("a list") {
            orders.insert(
                order["id"].as_str().expect("id").to_owned(),
                Held::of(order),
            );
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return orders,
        }
    }
}

/// The audit finds no anomaly, and each sku holds its initial units, less
/// the acknowledged orders' lines, plus the units of cancelled orders and
/// those returned to the shelf.
async fn check_stock_and_audit(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    ledger: &Ledger,
    held: &HashMap<String, Held>,
) {
    let mut sold: HashMap<&str, i64> = HashMap::new();
    for (id, lines) in &ledger.acknowledged {
        let order = &held[id];
        for (sku, quantity) in lines {
            let back = if order.status == "cancelled" {
                *quantity
            } else {
                order.restocked.get(sku).copied().unwrap_or(0)
            };
            *sold.entry(sku.as_str()).or_default() += quantity - back;
        }
    }
    let audit: Value = http
        .get(format!("{base}/api/v1/admin/audit"))
        .bearer_auth(token)
        .send()
        .await
        .expect("audit")
        .json()
        .await
        .expect("json");
    assert_eq!(
        audit["consistent"],
        json!(true),
        "audit after restart: {audit:#}"
    );
    for variant in audit["variants"].as_array().expect("variants") {
        let sku = variant["sku"].as_str().expect("sku");
        let expected = ledger.initial[sku] - sold.get(sku).copied().unwrap_or(0);
        assert_eq!(
            variant["available"],
            json!(expected),
            "stock of {sku} = initial − acknowledged sales + what came back"
        );
    }
}

/// A webhook for `order.created` to `url`.
pub async fn add_webhook(base: &str, token: &str, url: &str) {
    let response = client()
        .post(format!("{base}/api/v1/admin/webhooks"))
        .bearer_auth(token)
        .json(&json!({"url": url, "events": ["order.created"]}))
        .send()
        .await
        .expect("the webhook is created");
    assert_eq!(response.status(), StatusCode::CREATED);
}

/// Every acknowledged order's `order.created` reached the receiver at
/// least once (leases cut off by the crashes end within 25 s, and the
/// retries come after), and none of an order never acknowledged did.
pub async fn verify_events(hooks: &crate::receivers::HttpReceiver, ledger: &Ledger) {
    let acknowledged: std::collections::BTreeSet<&str> =
        ledger.acknowledged.keys().map(String::as_str).collect();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let delivered: std::collections::BTreeSet<String> = hooks
            .received()
            .iter()
            .map(|r| {
                r.json()["data"]["order_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        let stray: Vec<&String> = delivered
            .iter()
            .filter(|id| !acknowledged.contains(id.as_str()))
            .collect();
        assert!(
            stray.is_empty(),
            "events of orders never acknowledged: {stray:?}"
        );
        let missing = acknowledged
            .iter()
            .filter(|id| !delivered.contains(**id))
            .count();
        if missing == 0 {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{missing} acknowledged orders' events never arrived"
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
}

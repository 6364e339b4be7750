//! The rush of admin actions beside the buyers': staff cancel orders of
//! earlier cycles, and ship others and take a unit of them back to the
//! shelf, while the server is killed. An action answered 200 must survive
//! the crash; one cut off by it may or may not have been committed, but
//! whole: the audit after the restart finds ledger, stock and orders in
//! agreement, and every unit is where the orders say.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Orders of earlier cycles one cycle's staff act on, at most.
const ACTIONS_PER_CYCLE: usize = 8;

/// What the staff were told, and what they could not know.
#[derive(Default)]
pub struct DeskLedger {
    /// Orders an action started on; never acted on again.
    pub touched: HashSet<String>,
    /// Cancellations answered 200.
    pub cancelled: HashSet<String>,
    /// Returns answered 200: order → (sku, units back on the shelf).
    pub returned: HashMap<String, (String, i64)>,
    /// Orders whose last action got no answer.
    pub unknown: HashSet<String>,
}

/// One action's outcome as the staff saw it.
pub enum Done {
    Cancelled(String),
    Returned(String, String),
    /// The server died during the action.
    Lost(String),
}

/// What the staff do to one order in the rush.
#[derive(Clone, Copy)]
pub enum Action {
    Cancel,
    /// Take one unit back to the shelf, the order shipped beforehand.
    Return,
}

/// One order to act on: its id, a sku of its lines, the action.
pub type Task = (String, String, Action);

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a client")
}

async fn post(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    path: &str,
    body: Value,
) -> Option<StatusCode> {
    let request = http
        .post(format!("{base}/api/v1/admin/orders/{path}"))
        .bearer_auth(token)
        .json(&body);
    request.send().await.map(|r| r.status()).ok()
}

/// Before the rush, while the server is quiet: ships the orders whose
/// unit will come back, so that the rush's return is one request.
pub async fn ship_before_the_rush(base: &str, token: &str, tasks: &[Task]) {
    let http = client();
    for (id, _, action) in tasks {
        if matches!(action, Action::Return) {
            for status in ["confirmed", "processing", "shipped"] {
                let answer = post(
                    &http,
                    base,
                    token,
                    &format!("{id}/status"),
                    json!({"status": status}),
                )
                .await;
                assert_eq!(answer, Some(StatusCode::OK), "moving {id} to {status}");
            }
        }
    }
}

/// Acts on `tasks` one after the other until the server dies or every one
/// is done.
pub async fn act_until_the_crash(base: String, token: String, tasks: Vec<Task>) -> Vec<Done> {
    let http = client();
    let mut done = Vec::new();
    for (id, sku, action) in tasks {
        let (path, body) = match action {
            Action::Cancel => (format!("{id}/status"), json!({"status": "cancelled"})),
            Action::Return => (
                format!("{id}/return"),
                json!({"lines": [{"sku": sku, "quantity": 1}], "restock": true, "note": "crash"}),
            ),
        };
        match (post(&http, &base, &token, &path, body).await, action) {
            (Some(StatusCode::OK), Action::Cancel) => done.push(Done::Cancelled(id)),
            (Some(StatusCode::OK), Action::Return) => done.push(Done::Returned(id, sku)),
            (Some(other), _) => panic!("{path}: {other}"),
            (None, _) => {
                done.push(Done::Lost(id));
                return done;
            }
        }
    }
    done
}

impl DeskLedger {
    /// Up to `ACTIONS_PER_CYCLE` acknowledged orders never acted on, each
    /// with one of its skus.
    pub fn pick(
        &mut self,
        acknowledged: &HashMap<String, Vec<(String, i64)>>,
        seed: u64,
    ) -> Vec<Task> {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut untouched: Vec<(&String, &Vec<(String, i64)>)> = acknowledged
            .iter()
            .filter(|(id, _)| !self.touched.contains(*id))
            .collect();
        untouched.sort();
        let picked: Vec<(String, String)> = untouched
            .choose_multiple(&mut rng, ACTIONS_PER_CYCLE)
            .map(|(id, lines)| ((*id).clone(), lines[0].0.clone()))
            .collect();
        self.touched.extend(picked.iter().map(|(id, _)| id.clone()));
        picked
            .into_iter()
            .map(|(id, sku)| {
                let action = if rng.random_bool(0.4) {
                    Action::Cancel
                } else {
                    Action::Return
                };
                (id, sku, action)
            })
            .collect()
    }

    pub fn record(&mut self, done: Vec<Done>) {
        for action in done {
            match action {
                Done::Cancelled(id) => {
                    self.cancelled.insert(id);
                }
                Done::Returned(id, sku) => {
                    self.returned.insert(id, (sku, 1));
                }
                Done::Lost(id) => {
                    self.unknown.insert(id);
                }
            }
        }
    }
}

/// An order as the server holds it after a restart.
pub struct Held {
    pub status: String,
    /// (sku, quantity) per line.
    pub lines: Vec<(String, i64)>,
    /// Units back on the shelf, per sku.
    pub restocked: HashMap<String, i64>,
}

impl Held {
    pub fn of(order: &Value) -> Held {
        let lines = order["lines"].as_array().expect("lines");
        Held {
            status: order["status"].as_str().expect("a status").to_owned(),
            lines: lines
                .iter()
                .map(|l| {
                    (
                        l["sku"].as_str().expect("sku").to_owned(),
                        l["quantity"].as_i64().expect("qty"),
                    )
                })
                .collect(),
            restocked: lines
                .iter()
                .map(|l| {
                    (
                        l["sku"].as_str().expect("sku").to_owned(),
                        l["restocked"].as_i64().expect("restocked"),
                    )
                })
                .collect(),
        }
    }
}

/// Every action answered 200 survived; an order nobody acted on is as it
/// was placed; one whose action was cut off is whole either way.
pub fn check_actions(desk: &DeskLedger, held: &HashMap<String, Held>) {
    for id in &desk.cancelled {
        assert_eq!(held[id].status, "cancelled", "acknowledged cancel of {id}");
    }
    for (id, (sku, units)) in &desk.returned {
        assert_eq!(
            held[id].restocked[sku], *units,
            "acknowledged return of {id}"
        );
    }
    for (id, order) in held {
        let restocked: i64 = order.restocked.values().sum();
        if !desk.touched.contains(id) {
            assert_eq!(order.status, "pending", "{id} was never acted on");
        }
        if !desk.returned.contains_key(id) && !desk.unknown.contains(id) {
            assert_eq!(restocked, 0, "{id} had no return");
        }
    }
}

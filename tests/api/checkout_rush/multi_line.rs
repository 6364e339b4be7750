//! Multi-line orders under contention: each order takes all of its lines or
//! none, every refusal names exactly the lines that were short, and no unit
//! leaks between stock, ledger and orders.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{ROUNDS, assert_stock, buyer_phone, code, order_lines, single_mode};
use stockroom::config::DatabaseUrl;

use crate::helpers::{TestApp, order_body, spawn_app, spawn_app_with};

const VARIANTS: usize = 10;
const BUYERS: usize = 50;
const LINES_PER_ORDER: usize = 3;

/// Units per sku.
type Stock = BTreeMap<String, i64>;

/// One buyer's cart: distinct skus, 1 or 2 units each, sorted by sku.
type Cart = Vec<(String, i64)>;

/// `BUYERS` carts of `LINES_PER_ORDER` distinct variants drawn from `skus`.
fn carts(rng: &mut StdRng, skus: &[String]) -> Vec<Cart> {
    (0..BUYERS)
        .map(|_| {
            let mut cart: Cart = rand::seq::index::sample(rng, skus.len(), LINES_PER_ORDER)
                .into_iter()
                .map(|i| (skus[i].clone(), rng.random_range(1..=2)))
                .collect();
            cart.sort();
            cart
        })
        .collect()
}

/// Creates one product with `VARIANTS` sizes holding `stock_of(i)` units each.
async fn variants(app: &TestApp, slug: &str, mut stock_of: impl FnMut() -> i64) -> Stock {
    let sizes: Vec<(String, i64)> = (0..VARIANTS)
        .map(|i| (format!("T{i}"), stock_of()))
        .collect();
    let sizes_ref: Vec<(&str, i64)> = sizes.iter().map(|(s, n)| (s.as_str(), *n)).collect();
    let skus = app.product_with_sizes(slug, &sizes_ref).await;
    skus.into_iter()
        .zip(sizes.iter().map(|(_, n)| *n))
        .collect()
}

/// Posts every cart at once; answers in cart order.
async fn rush(app: &Arc<TestApp>, round: usize, carts: &[Cart]) -> Vec<(StatusCode, Value)> {
    app.together(carts.len(), |app, buyer| {
        let lines: Vec<(&str, i64)> = carts[buyer].iter().map(|(s, q)| (s.as_str(), *q)).collect();
        let body = order_body(&buyer_phone(round, buyer), &lines);
        async move { app.place(&body, None).await }
    })
    .await
}

/// The orders the ledger says were taken, in commit order: each order's
/// sale movements are written together, so consecutive movements with one
/// `order_id` are one order.
async fn sales_in_commit_order(app: &TestApp, stock: &Stock) -> Vec<(String, Cart)> {
    let mut sales = Vec::new();
    for sku in stock.keys() {
        sales.extend(
            app.movements_matching(&format!("sku={sku}&kind=sale"))
                .await,
        );
    }
    sales.sort_by_key(|m| m["id"].as_str().and_then(|id| id.parse::<i64>().ok()));
    let mut orders: Vec<(String, Cart)> = Vec::new();
    for sale in sales {
        let order_id = sale["order_id"].as_str().expect("a sale names its order");
        let line = (
            sale["sku"].as_str().expect("a sku").to_owned(),
            -sale["quantity"].as_i64().expect("a quantity"),
        );
        // On SQLite an order's sales are contiguous; on PostgreSQL orders on
        // different rows interleave, so the group is found by id.
        match orders.iter_mut().find(|(id, _)| id == order_id) {
            Some((_, cart)) => cart.push(line),
            None => orders.push((order_id.to_owned(), vec![line])),
        }
    }
    orders
}

/// Plays one rush of multi-line carts and checks everything it can:
/// conservation per variant, whole orders only, and refusals that match a
/// moment of the serial history the ledger records.
async fn multi_line_rush(app: &Arc<TestApp>, round: usize, seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let slug = format!("lot-{seed}-{round}");
    let initial = variants(app, &slug, || rng.random_range(2..=5)).await;
    let skus: Vec<String> = initial.keys().cloned().collect();
    let carts = carts(&mut rng, &skus);
    let answers = rush(app, round, &carts).await;

    // Conservation: initial − units in taken orders = stock = ledger.
    let mut sold: HashMap<&str, i64> = HashMap::new();
    let mut taken: HashMap<String, Cart> = HashMap::new();
    for ((status, body), cart) in answers.iter().zip(&carts) {
        match *status {
            StatusCode::CREATED => {
                for (sku, quantity) in cart {
                    *sold.entry(sku).or_default() += quantity;
                }
                let id = body["order"]["id"]
                    .as_str()
                    .expect("an order id")
                    .to_owned();
                assert_eq!(&order_lines(&body["order"]), cart);
                taken.insert(id, cart.clone());
            }
            StatusCode::CONFLICT => assert_eq!(code(body), "insufficient_stock", "{body:#}"),
            other => panic!("unexpected answer {other}: {body:#}"),
        }
    }
    for (sku, units) in &initial {
        let left = units - sold.get(sku.as_str()).copied().unwrap_or(0);
        assert_stock(app, sku, left).await;
    }

    // No order partly applied: the stored order holds every line asked for,
    // at the server's price.
    for (id, cart) in &taken {
        let order = app.admin_order(id).await;
        assert_eq!(&order_lines(&order), cart, "order {id}");
        let units: i64 = cart.iter().map(|(_, q)| q).sum();
        assert_eq!(order["total"], json!(15000 * units));
    }

    // The ledger's sales are exactly the taken orders; replaying them gives
    // every stock level the rush went through.
    let history = sales_in_commit_order(app, &initial).await;
    assert_eq!(history.len(), taken.len(), "one sale group per order taken");
    let mut levels = vec![initial.clone()];
    for (id, cart) in &history {
        assert_eq!(taken.get(id), Some(cart), "ledger of order {id}");
        let mut next = levels.last().expect("a level").clone();
        for (sku, quantity) in cart {
            *next.get_mut(sku).expect("a known sku") -= quantity;
        }
        levels.push(next);
    }

    let on_postgres = matches!(app.database, DatabaseUrl::Postgres(_));
    for ((status, body), cart) in answers.iter().zip(&carts) {
        if *status == StatusCode::CONFLICT && on_postgres {
            // READ COMMITTED reads each line when it locks it: every short
            // line must quote a level its own row went through.
            assert_short_lines_were_real(app, body, cart).await;
        } else if *status == StatusCode::CONFLICT {
            assert!(
                levels.iter().any(|level| refusal_fits(
                    body,
                    cart,
                    level,
                    &format!("Produit {slug}")
                )),
                "round {round}: refusal {body:#} of {cart:?} fits no moment of {levels:?}"
            );
        }
    }
    app.assert_audit_consistent().await;
}

/// Each short line of a refusal asked more than it quotes, and the quoted
/// stock is a level that line's row really went through.
async fn assert_short_lines_were_real(app: &TestApp, body: &Value, cart: &Cart) {
    for line in body["lines"].as_array().expect("short lines") {
        let sku = line["sku"].as_str().expect("a sku");
        let available = line["available"].as_i64().expect("available");
        let requested = cart.iter().find(|(s, _)| s == sku).map(|(_, q)| *q);
        assert_eq!(line["requested"].as_i64(), requested, "{body:#}");
        assert!(requested.is_some_and(|q| q > available), "{body:#}");
        let levels: Vec<i64> = app
            .movements_matching(&format!("sku={sku}"))
            .await
            .iter()
            .map(|m| m["available_after"].as_i64().expect("a level"))
            .collect();
        assert!(
            levels.contains(&available),
            "{sku} never held {available}: {levels:?}"
        );
    }
}

/// Whether a 409 is what the stock `level` answers to `cart`: it names every
/// line short at that level, with what was left, and no other line, and says
/// so in one sentence per short line.
fn refusal_fits(body: &Value, cart: &Cart, level: &Stock, title: &str) -> bool {
    let short: Vec<(&str, i64, i64)> = cart
        .iter()
        .filter(|(sku, quantity)| level[sku] < *quantity)
        .map(|(sku, quantity)| (sku.as_str(), *quantity, level[sku]))
        .collect();
    let lines: Vec<Value> = short
        .iter()
        .map(|(sku, requested, available)| json!({"sku": sku, "requested": requested, "available": available}))
        .collect();
    let detail: Vec<String> = short
        .iter()
        .map(|(sku, requested, available)| short_sentence(title, sku, *requested, *available))
        .collect();
    !short.is_empty() && body["lines"] == json!(lines) && body["detail"] == json!(detail.join(" "))
}

/// The sentence for one short line; the size is the last part of the sku.
fn short_sentence(title: &str, sku: &str, requested: i64, available: i64) -> String {
    let size = sku.rsplit('-').next().expect("a size");
    if available == 0 {
        format!("{title} (taille {size}) n'est plus disponible.")
    } else if available == 1 {
        format!(
            "Il ne reste plus qu'un article de {title} (taille {size}), pour {requested} demandés : ajustez votre panier."
        )
    } else {
        format!(
            "Il ne reste plus que {available} articles de {title} (taille {size}), pour {requested} demandés : ajustez votre panier."
        )
    }
}

// How it works: each round, one product with 10 sizes of 2-5 units and 50
// buyer tasks, each with 3 distinct sizes of 1-2 units drawn from a seeded
// rng, released together by a barrier. Afterwards the ledger's sale
// movements, sorted by id, give the serial order the server took; every
// refusal must match one stock level of that history exactly.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn multi_line_orders_under_contention_take_all_their_lines_or_none() {
    let app = Arc::new(spawn_app().await);
    for round in 0..ROUNDS {
        multi_line_rush(&app, round, 0x5eed + round as u64).await;
    }
}

// How it works: the same rushes, same seeds, on a server that commits each
// order alone; the invariants must hold the same way.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn multi_line_orders_keep_the_same_invariants_without_group_commit() {
    let app = Arc::new(spawn_app_with(single_mode()).await);
    for round in 0..ROUNDS {
        multi_line_rush(&app, round, 0x5eed + round as u64).await;
    }
}

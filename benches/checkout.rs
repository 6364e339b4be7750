//! In-process benchmark of the checkout engine on SQLite: one hot variant,
//! many concurrent buyers, one transaction per order (`single`) against
//! group commit (`batched`). No HTTP: this is the engine's own ceiling.
//!
//! Run: `cargo bench --bench checkout` (add `-- ORDERS` to change the count,
//! `-- ORDERS batched` or `single` to run one mode only).
//! Every order is durable (WAL, `synchronous=FULL`) before it is counted.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use stockroom::checkout::{Checkout, CheckoutAnswer, CheckoutRequest, Outcome};
use stockroom::config::{DatabaseUrl, StoreConfig};
use stockroom::domain::Limits;
use stockroom::domain::order::{CustomerInput, LineInput, OrderInput};
use stockroom::domain::product::{ProductInput, VariantInput};
use stockroom::store::Store;

/// Buyers waiting on the store at once.
const BUYERS: usize = 256;

#[tokio::main]
async fn main() {
    stockroom::malloc::raise_malloc_trim_threshold();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let orders: u64 = args.iter().find_map(|a| a.parse().ok()).unwrap_or(50_000);
    let only = |mode: &str| {
        !args.iter().any(|a| a == "single" || a == "batched") || args.iter().any(|a| a == mode)
    };
    println!(
        "{orders} orders on one hot variant, {BUYERS} concurrent buyers, SQLite WAL synchronous=FULL"
    );
    println!("{:<10} {:>10} {:>12}", "mode", "orders", "orders/s");
    let single_orders = (orders / 10).max(500);
    let single = if only("single") {
        Some(run(1, single_orders).await)
    } else {
        None
    };
    if let Some(rate) = single {
        println!("{:<10} {:>10} {:>12.0}", "single", single_orders, rate);
    }
    let batched = if only("batched") {
        Some(run(1024, orders).await)
    } else {
        None
    };
    if let Some(rate) = batched {
        println!("{:<10} {:>10} {:>12.0}", "batched", orders, rate);
    }
    if let (Some(single), Some(batched)) = (single, batched) {
        println!("batched / single: {:.1}x", batched / single);
    }
}

async fn run(batch_max: usize, orders: u64) -> f64 {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let config = StoreConfig {
        checkout_batch_max: batch_max,
        ..StoreConfig::default()
    };
    let store = Store::open(&DatabaseUrl::Sqlite(dir.path().join("bench.db")), config)
        .await
        .expect("the store opens");
    let admin = store
        .create_admin("bench", stockroom::domain::staff::Role::Owner)
        .await
        .expect("an admin")
        .admin;
    let product = ProductInput {
        title: Some("Robe d'été".into()),
        price: Some(15000),
        variants: Some(vec![VariantInput {
            size: Some("M".into()),
            stock: Some(1_000_000_000),
            ..Default::default()
        }]),
        ..Default::default()
    };
    let product = store
        .create_product(product.validate().expect("valid"), &admin)
        .await
        .expect("created");
    let sku = product.variants[0].sku.clone();
    store
        .update_settings(
            serde_json::from_str(r#"{"order_limit_per_customer": null}"#).expect("json"),
            &admin,
        )
        .await
        .expect("no limit");
    let checkout = Checkout::start(store, metrics::Histogram::noop());
    let taken = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let buyers: Vec<_> = (0..BUYERS)
        .map(|buyer| {
            let (checkout, sku, taken) = (checkout.clone(), sku.clone(), taken.clone());
            tokio::spawn(async move {
                while taken.fetch_add(1, Ordering::Relaxed) < orders {
                    let input = OrderInput {
                        customer: Some(CustomerInput {
                            name: Some("Awa".into()),
                            phone: Some(format!("+22507{buyer:08}")),
                            email: None,
                        }),
                        lines: Some(vec![LineInput {
                            preorder: None,
                            sku: Some(sku.clone()),
                            quantity: Some(1),
                        }]),
                        ..Default::default()
                    };
                    let order = input.validate(&Limits::default()).expect("valid");
                    let request = CheckoutRequest {
                        order,
                        idempotency: None,
                        lang: Default::default(),
                    };
                    match checkout.place_order(request).await {
                        Ok(CheckoutAnswer::Decided(Outcome::Placed(_))) => {}
                        other => panic!("unexpected answer: {other:?}"),
                    }
                }
            })
        })
        .collect();
    for buyer in buyers {
        buyer.await.expect("a buyer finished");
    }
    orders as f64 / started.elapsed().as_secs_f64()
}

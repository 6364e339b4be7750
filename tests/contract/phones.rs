//! One number is one customer: every spelling of it either counts as that
//! customer or is refused, under a rush of them all at once; and the
//! counts a database kept under old spellings, before phones were read by
//! libphonenumber, are merged into their number's at the first start.

use std::sync::Arc;

use stockroom::checkout::CheckoutRequest;
use stockroom::config::StoreConfig;
use stockroom::domain::order::CheckoutRefusal;
use stockroom::domain::settings::SettingsPatch;
use stockroom::store::StoreError;

use crate::harness::{CheckoutAnswer, CheckoutOutcome, TestStore, older_database, order, request};
use crate::on_both_databases;

on_both_databases!(
    every_spelling_of_an_ivorian_number_in_a_rush_is_one_customer,
    every_spelling_of_a_french_number_in_a_rush_is_one_customer,
);

/// `+225 07 00 00 00 07` as buyers write it: the spellings that made new
/// customers before (`+0225…`, `0000225…`, `0 07…`, `+225 0 07…`, the
/// 8-digit plan) and the usual ones.
const IVORIAN_SPELLINGS: [&str; 13] = [
    "+2250700000007",
    "07 00 00 00 07",
    "00225 07 00 00 00 07",
    "(+225) 07.00.00.00.07",
    "225 07-00-00-00-07",
    "+0225 07 00 00 00 07",
    "0000225 07 00 00 00 07",
    "0 07 00 00 00 07",
    "+225 0 07 00 00 00 07",
    "00225 0 07 00 00 00 07",
    "+00 225 07 00 00 00 07",
    "07 00 00 07",
    "+225 07 00 00 07",
];

/// `+33 6 12 34 56 78` in a French shop, whose numbers drop a trunk `0`.
const FRENCH_SPELLINGS: [&str; 9] = [
    "06 12 34 56 78",
    "+33 6 12 34 56 78",
    "+33 (0)6 12 34 56 78",
    "0033 6 12 34 56 78",
    "0033 0 6 12 34 56 78",
    "6 12 34 56 78",
    "+0033 6 12 34 56 78",
    "+033 6 12 34 56 78",
    "0 06 12 34 56 78",
];

async fn every_spelling_of_an_ivorian_number_in_a_rush_is_one_customer(t: TestStore) {
    one_customer_in_a_rush(&t, &IVORIAN_SPELLINGS).await;
}

async fn every_spelling_of_a_french_number_in_a_rush_is_one_customer(t: TestStore) {
    set_settings(&t, serde_json::json!({"default_country": "FR"})).await;
    one_customer_in_a_rush(&t, &FRENCH_SPELLINGS).await;
}

/// How it works: every spelling is sent twice, all at once behind one
/// barrier, under a limit of 2. Whatever order the engine decides them
/// in, two orders are placed; every other checkout is refused, by the
/// limit or as an invalid phone. Were any spelling another customer, its
/// two checkouts would find its count at zero and a third order (or more)
/// would be placed.
async fn one_customer_in_a_rush(t: &TestStore, spellings: &[&str]) {
    t.set_order_limit(Some(2)).await;
    let sku = t.product("spellings", &[("M", 100)]).await.remove(0);
    let requests: Vec<CheckoutRequest> = spellings
        .iter()
        .chain(spellings)
        .map(|phone| request(order((*phone).to_owned(), &[(&sku, 1)]), None))
        .collect();
    let barrier = Arc::new(tokio::sync::Barrier::new(requests.len()));
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|request| {
            let (store, barrier) = (t.store.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                store.place_order(request).await
            })
        })
        .collect();
    let mut outcomes: Vec<Result<CheckoutOutcome, StoreError>> = Vec::new();
    for task in tasks {
        outcomes.push(match task.await.expect("a buyer finished") {
            Ok(CheckoutAnswer::Decided(outcome)) => Ok(*outcome),
            Ok(replayed) => panic!("a checkout without a key is decided, got {replayed:?}"),
            Err(error) => Err(error),
        });
    }
    let placed = outcomes.iter().filter(|o| matches!(o, Ok(Ok(_)))).count();
    assert_eq!(placed, 2, "{outcomes:#?}");
    for outcome in &outcomes {
        match outcome {
            Ok(Ok(_)) | Ok(Err(CheckoutRefusal::OrderLimitReached { limit: 2 })) => {}
            Err(StoreError::Invalid(invalid)) => assert_eq!(invalid.0[0].field, "customer.phone"),
            other => panic!("a checkout neither placed nor refused by the limit: {other:?}"),
        }
    }
    assert_eq!(t.available(&sku).await, 98);
    t.assert_consistent().await;
}

async fn set_settings(t: &TestStore, patch: serde_json::Value) {
    let patch: SettingsPatch = serde_json::from_value(patch).expect("a settings patch");
    t.store
        .update_settings(patch, &t.admin)
        .await
        .expect("settings saved");
}

/// Orders as versions before libphonenumber stored them: the phone typed,
/// and `+` with its digits (the country code put before a local number).
/// Each counts toward its spelling's customer.
fn old_orders(typed_and_stored: &[(&str, &str)]) -> String {
    let mut sql = String::new();
    for (n, (typed, stored)) in typed_and_stored.iter().enumerate() {
        sql.push_str(&format!(
            "insert into orders (id, access_token_hash, status, currency, total, customer_name,
                customer_phone, customer_phone_normalised, created_at, updated_at)
             values ('00000000-0000-7000-8000-{n:012}', 'hash', 'pending', 'XOF', 0, 'Awa',
                '{typed}', '{stored}', '2026-01-0{d}T00:00:00.000000Z', '2026-01-0{d}T00:00:00.000000Z');
             insert into customers (phone, orders_counted) values ('{stored}', 1);\n",
            d = n % 9 + 1,
        ));
    }
    sql
}

/// Buys once as `phone`; answers whether the limit refused it.
async fn limited(t: &TestStore, sku: &str, phone: &str) -> bool {
    match t.buy(phone.to_owned(), &[(sku, 1)]).await {
        Ok(_) => false,
        Err(CheckoutRefusal::OrderLimitReached { .. }) => true,
        Err(other) => panic!("{phone}: {other:?}"),
    }
}

/// One number's orders under four spellings merge into one count of 4;
/// an 8-digit Ivorian number, no number today, keeps its own row; another
/// customer keeps theirs. Opening the database again changes nothing.
async fn old_spellings_are_merged_into_their_number(postgres: bool, test: &str) {
    let sql = old_orders(&[
        ("+225 07 00 00 00 07", "+2250700000007"),
        ("+0225 07 00 00 00 07", "+02250700000007"),
        ("0 07 00 00 00 07", "+22500700000007"),
        ("0000225 07 00 00 00 07", "+002250700000007"),
        ("07 00 00 07", "+22507000007"),
        ("07 00 00 00 08", "+2250700000008"),
    ]);
    let Some(t) = older_database(postgres, test, 3, &sql).await else {
        return;
    };
    let settings = t.store.settings().await.expect("settings");
    assert_eq!(settings.default_country.code(), "CI");
    assert_eq!(settings.default_country_code, "+225");
    t.assert_consistent().await;
    let sku = t.product("merged", &[("M", 10)]).await.remove(0);
    // V1's limit is 2: the merged customer is over it, the other not.
    assert!(limited(&t, &sku, "07 00 00 00 07").await);
    assert!(!limited(&t, &sku, "07 00 00 00 08").await);
    // Opened again, the database is left as it is (the phones are in
    // E.164 form already); a limit of 5 shows the merged count is still
    // 4: one more order, then refused.
    drop(t.reopen_with(StoreConfig::default()).await);
    t.set_order_limit(Some(5)).await;
    assert!(!limited(&t, &sku, "+225 07 00 00 00 07").await);
    assert!(limited(&t, &sku, "+225 07 00 00 00 07").await);
    t.assert_consistent().await;
}

/// A shop whose older setting was `+33` is French, and its customers'
/// local numbers, stored with their trunk `0`, join the international ones.
async fn an_older_calling_code_names_the_shops_country(postgres: bool, test: &str) {
    let sql = format!(
        "update settings set default_country_code = '+33';\n{}",
        old_orders(&[
            ("06 12 34 56 78", "+330612345678"),
            ("+33 6 12 34 56 78", "+33612345678"),
        ])
    );
    let Some(t) = older_database(postgres, test, 3, &sql).await else {
        return;
    };
    let settings = t.store.settings().await.expect("settings");
    assert_eq!(settings.default_country.code(), "FR");
    t.assert_consistent().await;
    let sku = t.product("french", &[("M", 10)]).await.remove(0);
    assert!(limited(&t, &sku, "06 12 34 56 78").await);
}

mod older_databases {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn old_spellings_are_merged_into_their_number_on_sqlite() {
        super::old_spellings_are_merged_into_their_number(false, "").await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn old_spellings_are_merged_into_their_number_on_postgres() {
        super::old_spellings_are_merged_into_their_number(true, "old_spellings_merged").await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_older_calling_code_names_the_shops_country_on_sqlite() {
        super::an_older_calling_code_names_the_shops_country(false, "").await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_older_calling_code_names_the_shops_country_on_postgres() {
        super::an_older_calling_code_names_the_shops_country(true, "older_calling_code").await;
    }
}

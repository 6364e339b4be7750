//! Group commit: orders that share one transaction stay independent. A
//! failing order leaves the rest of its batch committed; two orders of one
//! key in one batch make one order; two orders of one customer in one batch
//! count each other against the limit; placed, refused, invalid and replayed
//! orders of one batch are each answered as if alone, and only the decided
//! ones keep their key.

use std::time::{Duration, Instant};

use stockroom::checkout::{CheckoutRequest, IdempotencyKey};
use stockroom::config::DatabaseUrl;
use stockroom::domain::page::OrderFilter;
use stockroom::store::StoreError;

use crate::harness::{CheckoutAnswer, TestStore, order, phone, request};
use crate::on_both_databases;

on_both_databases!(
    a_failing_order_in_a_batch_leaves_the_others_committed,
    one_key_twice_in_one_batch_makes_one_order,
    one_customer_over_the_limit_within_one_batch_is_refused,
    every_kind_of_order_in_one_batch_is_answered_as_if_alone,
    a_key_seen_before_in_a_batch_replays_its_answer,
);

type Answer = Result<CheckoutAnswer, StoreError>;

/// The database's write lock (SQLite) or one stock row's lock (PostgreSQL),
/// held from outside the store until dropped or released.
pub enum Plug {
    Sqlite(rusqlite::Connection),
    Postgres(tokio_postgres::Client, tokio::task::JoinHandle<()>),
}

impl Plug {
    pub async fn hold(t: &TestStore, sku: &str) -> Plug {
        match &t.url {
            DatabaseUrl::Sqlite(path) => {
                let conn = rusqlite::Connection::open(path).expect("a connection");
                conn.execute_batch("begin immediate")
                    .expect("the write lock");
                Plug::Sqlite(conn)
            }
            DatabaseUrl::Postgres(url) => {
                let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                    .await
                    .expect("a connection");
                let driver = tokio::spawn(async move {
                    let _ = connection.await;
                });
                client
                    .batch_execute(&format!(
                        "begin; select 1 from stock where sku = '{sku}' for update"
                    ))
                    .await
                    .expect("the row lock");
                Plug::Postgres(client, driver)
            }
        }
    }

    pub async fn release(self) {
        match self {
            Plug::Sqlite(conn) => conn.execute_batch("rollback").expect("released"),
            Plug::Postgres(client, driver) => {
                client.batch_execute("rollback").await.expect("released");
                drop(client);
                let _ = driver.await;
            }
        }
    }
}

/// Runs `requests` in one batch and answers them in order.
///
/// How it works: a first order for `plug_sku` is stuck behind a lock held
/// from outside (the sequencer waits on it with that order's batch), so the
/// requests queue up behind it; once all of them are seen queued the lock is
/// released, and the sequencer takes them together (the batch holds up to
/// 256, the test sends far fewer).
async fn in_one_batch(
    t: &TestStore,
    plug_sku: &str,
    requests: Vec<CheckoutRequest>,
) -> Vec<Answer> {
    let plug = Plug::hold(t, plug_sku).await;
    let stuck = {
        let (store, order) = (t.store.clone(), order(phone(999), &[(plug_sku, 1)]));
        tokio::spawn(async move { store.place_order(request(order, None)).await })
    };
    // Time for the sequencer to take the plug's order and block on the lock.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let count = requests.len();
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|request| {
            let store = t.store.clone();
            tokio::spawn(async move { store.place_order(request).await })
        })
        .collect();
    let waited = Instant::now();
    while t.store.checkouts_queued() < count {
        assert!(
            waited.elapsed() < Duration::from_secs(3),
            "the requests never queued up"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    plug.release().await;
    stuck
        .await
        .expect("the plug's order")
        .expect("the plug's order is decided");
    let mut answers = Vec::with_capacity(count);
    for task in tasks {
        answers.push(task.await.expect("a request finished"));
    }
    answers
}

fn placed_id(answer: &Answer) -> Option<String> {
    match answer {
        Ok(CheckoutAnswer::Decided(outcome)) => {
            (**outcome).as_ref().ok().map(|p| p.order.id.clone())
        }
        _ => None,
    }
}

async fn order_count(t: &TestStore) -> usize {
    let filter = OrderFilter {
        limit: 100,
        ..Default::default()
    };
    t.store.orders(filter).await.expect("orders").items.len()
}

async fn a_failing_order_in_a_batch_leaves_the_others_committed(t: TestStore) {
    let plug = t.product("plug-fail", &[("M", 10)]).await.remove(0);
    let skus = t.product("fail", &[("A", 10), ("Z", 0)]).await;
    let (plenty, sold_out) = (&skus[0], &skus[1]);
    // A failure inside the database, in the middle of one order's writes.
    let poison = match &t.url {
        DatabaseUrl::Sqlite(_) => {
            "create trigger poison before insert on orders when new.customer_phone like '%666'
             begin select raise(abort, 'poisoned order'); end;"
        }
        DatabaseUrl::Postgres(_) => {
            "create function poison() returns trigger language plpgsql as $$ begin
               if new.customer_phone like '%666' then raise exception 'poisoned order'; end if;
               return new; end $$;
             create trigger poison before insert on orders for each row execute function poison();"
        }
    };
    t.raw_sql(poison).await.expect("the trigger");
    let requests = vec![
        request(order(phone(1), &[(plenty, 1)]), None),
        request(order(phone(666), &[(plenty, 2)]), None),
        request(order(phone(2), &[(plenty, 1), (sold_out, 1)]), None),
        request(order("+1234567".into(), &[(plenty, 1)]), None),
        request(order(phone(3), &[(plenty, 3)]), None),
    ];
    let answers = in_one_batch(&t, &plug, requests).await;
    assert!(placed_id(&answers[0]).is_some(), "{:?}", answers[0]);
    assert!(
        matches!(answers[1], Err(StoreError::Internal(_))),
        "{:?}",
        answers[1]
    );
    assert!(
        matches!(&answers[2], Ok(CheckoutAnswer::Decided(o)) if o.is_err()),
        "{:?}",
        answers[2]
    );
    assert!(
        matches!(answers[3], Err(StoreError::Invalid(_))),
        "{:?}",
        answers[3]
    );
    assert!(placed_id(&answers[4]).is_some(), "{:?}", answers[4]);
    assert_eq!(t.available(plenty).await, 10 - 1 - 3);
    assert_eq!(
        order_count(&t).await,
        2 + 1,
        "two of the batch and the plug's"
    );
    t.assert_consistent().await;
}

async fn one_key_twice_in_one_batch_makes_one_order(t: TestStore) {
    let plug = t.product("plug-key", &[("M", 10)]).await.remove(0);
    let sku = t.product("key", &[("M", 10)]).await.remove(0);
    let key = || IdempotencyKey {
        key: "twice".into(),
        request_hash: "same-body".into(),
    };
    let requests = (0..2)
        .map(|_| request(order(phone(1), &[(&sku, 2)]), Some(key())))
        .collect();
    let answers = in_one_batch(&t, &plug, requests).await;
    // Which of the two queued first is up to the scheduler: that one decides.
    let placed: Vec<String> = answers.iter().filter_map(placed_id).collect();
    assert_eq!(placed.len(), 1, "{answers:?}");
    let replayed: Vec<_> = answers
        .iter()
        .filter_map(|a| match a {
            Ok(CheckoutAnswer::Replayed(stored)) => Some((stored.status, stored.body.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(replayed, vec![(201, placed[0].clone())], "{answers:?}");
    assert_eq!(t.available(&sku).await, 8);
    assert_eq!(
        order_count(&t).await,
        1 + 1,
        "one of the batch and the plug's"
    );
    t.assert_consistent().await;
}

async fn one_customer_over_the_limit_within_one_batch_is_refused(t: TestStore) {
    t.set_order_limit(Some(2)).await;
    let plug = t.product("plug-limit", &[("M", 10)]).await.remove(0);
    let sku = t.product("limit-batch", &[("M", 10)]).await.remove(0);
    t.buy(phone(5), &[(&sku, 1)])
        .await
        .expect("an order before the batch");
    // Three more of the same customer, two of them typed another way.
    let phones = [phone(5), "07 00 00 00 05".into(), "0700000005".into()];
    let requests = phones
        .into_iter()
        .map(|p| request(order(p, &[(&sku, 1)]), None))
        .collect();
    let answers = in_one_batch(&t, &plug, requests).await;
    let placed = answers.iter().filter(|a| placed_id(a).is_some()).count();
    assert_eq!(placed, 1, "{answers:?}");
    assert_eq!(t.available(&sku).await, 10 - 2);
    t.assert_consistent().await;
}

fn key(key: &str, body: &str) -> Option<IdempotencyKey> {
    Some(IdempotencyKey {
        key: key.into(),
        request_hash: body.into(),
    })
}

fn replayed(answer: &Answer) -> Option<(u16, String)> {
    match answer {
        Ok(CheckoutAnswer::Replayed(stored)) => Some((stored.status, stored.body.clone())),
        _ => None,
    }
}

fn refused(answer: &Answer) -> bool {
    matches!(answer, Ok(CheckoutAnswer::Decided(outcome)) if outcome.is_err())
}

async fn every_kind_of_order_in_one_batch_is_answered_as_if_alone(t: TestStore) {
    let plug = t.product("plug-mix", &[("M", 10)]).await.remove(0);
    let skus = t.product("mix", &[("S", 2), ("M", 1), ("L", 1)]).await;
    let (two, one, another) = (&skus[0], &skus[1], &skus[2]);
    // Each on its own variant, so that no answer depends on which of them
    // the scheduler queues first.
    let requests = vec![
        request(order(phone(1), &[(two, 2)]), key("placed", "a")),
        request(order(phone(2), &[(one, 2)]), key("refused", "b")),
        request(order(phone(3), &[("no-such-sku", 1)]), key("invalid", "c")),
        request(order(phone(4), &[(another, 1)]), None),
        // Shaped like a phone, too short for one once normalised.
        request(order("+123456".into(), &[(another, 1)]), None),
    ];
    let answers = in_one_batch(&t, &plug, requests).await;
    let placed = placed_id(&answers[0]).expect("the keyed order is placed");
    assert!(refused(&answers[1]), "{answers:?}");
    assert!(
        matches!(answers[2], Err(StoreError::Invalid(_))),
        "{answers:?}"
    );
    assert!(placed_id(&answers[3]).is_some(), "{answers:?}");
    assert!(
        matches!(answers[4], Err(StoreError::Invalid(_))),
        "an invalid phone: {answers:?}"
    );
    // The decided answers are kept under their keys...
    let again = t
        .store
        .place_order(request(order(phone(1), &[(two, 2)]), key("placed", "a")))
        .await;
    assert_eq!(replayed(&again), Some((201, placed.clone())), "{again:?}");
    let again = t
        .store
        .place_order(request(order(phone(2), &[(one, 2)]), key("refused", "b")))
        .await;
    assert_eq!(replayed(&again).map(|(status, _)| status), Some(409));
    // ...an invalid request's key is not: it serves a corrected request.
    let corrected = request(order(phone(3), &[(one, 1)]), key("invalid", "c2"));
    let corrected = t.store.place_order(corrected).await;
    assert!(placed_id(&corrected).is_some(), "{corrected:?}");
    assert_eq!(t.available(two).await, 0);
    assert_eq!(t.available(one).await, 0);
    assert_eq!(t.available(another).await, 0);
    assert_eq!(order_count(&t).await, 3 + 1, "three and the plug's");
    t.assert_consistent().await;
}

async fn a_key_seen_before_in_a_batch_replays_its_answer(t: TestStore) {
    let plug = t.product("plug-seen", &[("M", 10)]).await.remove(0);
    let sku = t.product("seen", &[("M", 10)]).await.remove(0);
    let first = request(order(phone(1), &[(&sku, 1)]), key("seen", "a"));
    let first = t.store.place_order(first).await;
    let first_id = placed_id(&first).expect("the first order");
    let requests = vec![
        request(order(phone(1), &[(&sku, 1)]), key("seen", "a")),
        request(order(phone(2), &[(&sku, 1)]), key("new", "b")),
        request(order(phone(3), &[(&sku, 1)]), None),
        request(order(phone(4), &[(&sku, 1)]), key("seen", "other body")),
    ];
    let answers = in_one_batch(&t, &plug, requests).await;
    assert_eq!(replayed(&answers[0]), Some((201, first_id)), "{answers:?}");
    assert!(placed_id(&answers[1]).is_some(), "{answers:?}");
    assert!(placed_id(&answers[2]).is_some(), "{answers:?}");
    assert!(
        matches!(answers[3], Err(StoreError::IdempotencyKeyReused)),
        "{answers:?}"
    );
    assert_eq!(t.available(&sku).await, 10 - 3);
    assert_eq!(order_count(&t).await, 3 + 1, "three and the plug's");
    t.assert_consistent().await;
}

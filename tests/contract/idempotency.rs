//! Idempotency keys: one key, one decision, however many requests carry it
//! at once; another body with the same key is refused.

use std::sync::Arc;

use stockroom::checkout::IdempotencyKey;
use stockroom::config::StoreConfig;
use stockroom::domain::page::OrderFilter;
use stockroom::store::StoreError;

use crate::harness::{CheckoutAnswer, TestStore, order, phone, request};
use crate::on_both_databases;

on_both_databases!(
    fifty_requests_with_one_key_make_one_order_and_fifty_equal_answers,
    a_key_used_with_another_body_is_refused,
    a_refusal_is_kept_and_replayed_too,
    a_key_past_its_keep_time_is_decided_afresh,
);

fn key(name: &str, body: &str) -> IdempotencyKey {
    IdempotencyKey {
        key: name.to_owned(),
        request_hash: body.to_owned(),
    }
}

/// (status, body) of an answer, decided or replayed, as it would be sent.
fn answer_of(answer: CheckoutAnswer) -> (u16, String) {
    match answer {
        CheckoutAnswer::Decided(outcome) => match *outcome {
            Ok(placed) => (201, placed.order.id),
            Err(refusal) => (409, refusal.to_string()),
        },
        CheckoutAnswer::Replayed(stored) => (stored.status, stored.body),
    }
}

async fn fifty_requests_with_one_key_make_one_order_and_fifty_equal_answers(t: TestStore) {
    // Fifty copies of one request, released together: exactly one decides,
    // the others wait for its commit and replay its answer.
    let sku = t.product("idem", &[("M", 100)]).await.remove(0);
    let barrier = Arc::new(tokio::sync::Barrier::new(50));
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (store, barrier, sku) = (t.store.clone(), barrier.clone(), sku.clone());
            tokio::spawn(async move {
                let order = order(phone(1), &[(&sku, 2)]);
                barrier.wait().await;
                store
                    .place_order(request(order, Some(key("k-50", "body-1"))))
                    .await
                    .map(answer_of)
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("a request finished").expect("an answer"));
    }
    assert_eq!(answers[0].0, 201);
    assert!(answers.iter().all(|a| a == &answers[0]), "{answers:?}");
    let orders = t
        .store
        .orders(OrderFilter {
            limit: 100,
            ..Default::default()
        })
        .await
        .expect("orders");
    assert_eq!(orders.items.len(), 1);
    assert_eq!(t.available(&sku).await, 98);
    t.assert_consistent().await;
}

async fn a_key_used_with_another_body_is_refused(t: TestStore) {
    let sku = t.product("reuse", &[("M", 10)]).await.remove(0);
    let first = t
        .store
        .place_order(request(order(phone(1), &[(&sku, 1)]), Some(key("k", "a"))))
        .await
        .map(answer_of)
        .expect("an answer");
    assert_eq!(first.0, 201);
    let again = t
        .store
        .place_order(request(order(phone(1), &[(&sku, 3)]), Some(key("k", "b"))))
        .await;
    assert!(
        matches!(again, Err(StoreError::IdempotencyKeyReused)),
        "{again:?}"
    );
    assert_eq!(t.available(&sku).await, 9);
}

async fn a_refusal_is_kept_and_replayed_too(t: TestStore) {
    let sku = t.product("refusal", &[("M", 1)]).await.remove(0);
    let send = || async {
        t.store
            .place_order(request(order(phone(1), &[(&sku, 5)]), Some(key("k", "a"))))
            .await
            .expect("an answer")
    };
    let first = send().await;
    assert!(matches!(first, CheckoutAnswer::Decided(ref o) if o.is_err()));
    t.store
        .restock(
            &stockroom::domain::sku::Sku::from_stored(sku.clone()),
            stockroom::domain::stock::Restock {
                quantity: 10,
                note: None,
            },
            &t.admin,
        )
        .await
        .expect("restocked");
    // The stock is there now, but the key's answer was the refusal.
    let again = send().await;
    assert!(
        matches!(again, CheckoutAnswer::Replayed(ref s) if s.status == 409),
        "{again:?}"
    );
    assert_eq!(t.available(&sku).await, 11);
}

async fn a_key_past_its_keep_time_is_decided_afresh(t: TestStore) {
    let sku = t.product("expired", &[("M", 10)]).await.remove(0);
    let forgetful = t
        .reopen_with(StoreConfig {
            idempotency_ttl: std::time::Duration::from_millis(1),
            ..StoreConfig::default()
        })
        .await;
    let send = || async {
        forgetful
            .place_order(request(
                order(phone(1), &[(&sku, 1)]),
                Some(key("old", "a")),
            ))
            .await
            .map(answer_of)
            .expect("an answer")
    };
    let first = send().await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let second = send().await;
    assert_eq!((first.0, second.0), (201, 201));
    assert_ne!(first.1, second.1, "a second order, not a replay");
    assert_eq!(t.available(&sku).await, 8);
}

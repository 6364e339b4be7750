//! The checkout engine against a plain serial model of the shop's rules.
//!
//! How it works: proptest draws a catalog (three skus, 0 to 4 units each),
//! an order limit, sometimes a drop of the first two skus (its units, its
//! cap per customer, hidden until its start or not, the batch decided one
//! millisecond before its start, at its start or at its end) and
//! sometimes preorders of the third (their cap), and a batch of up to 12
//! checkouts: one to three lines, sometimes an unknown sku, sometimes
//! naming the drop, sometimes preordering the third sku; four customers, each typing their phone one of
//! three ways the shop reads as their number or two it refuses (`+0225…`,
//! `+225 0 07…`), and sometimes an invalid phone; keys from a small set, sent
//! again with the same body or another. The model below decides each
//! checkout in turn, the simplest way the rules can be written (it knows
//! each customer by number, not by normalising phones). The engine must
//! answer exactly as the model does, checkout by checkout, and leave the
//! same stock:
//! - the pure decision (`checkout::decide`), on a snapshot built by hand;
//! - the engine on each database, group commit (the whole batch queued in a
//!   known order behind a lock held from outside, then decided together)
//!   and one order per transaction (the checkouts sent one after the other);
//!   then a restock of the third sku, whose units must go to its waiting
//!   preorders oldest order first, each what it lacks, as the model gives them.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use stockroom::checkout::{
    CheckoutAnswer, CheckoutRequest, Decision, IdempotencyKey, Outcome, Rules, decide,
};
use stockroom::config::StoreConfig;
use stockroom::domain::batch::{
    BatchSnapshot, DropForSale, DropLineForSale, KeptOutcome, PreorderTerms, VariantForSale,
};
use stockroom::domain::clock::Clock;
use stockroom::domain::order::{CheckoutRefusal, CustomerInput, LineInput, OrderInput};
use stockroom::domain::phone::Country;
use stockroom::domain::settings::Settings;
use stockroom::domain::sku::Sku;
use stockroom::domain::stock::Restock;
use stockroom::domain::time;
use stockroom::domain::{Lang, Limits};

use crate::harness::TestStore;

const PRICE: i64 = 15000;

/// One drawn checkout.
#[derive(Clone, Debug)]
struct Drawn {
    /// (sku index: 0-2 in the catalog, 3 unknown; quantity).
    lines: Vec<(usize, i64)>,
    /// The customer and which of their spellings, or `None` for an invalid phone.
    customer: Option<(usize, usize)>,
    /// (key, body) indexes.
    key: Option<(usize, usize)>,
    /// Placed from the drop's page (when the case has a drop).
    names_drop: bool,
    /// Its lines of the third sku are preorders.
    preorders: bool,
}

/// A drop of the first two skus: the first at `DROP_PRICE`, the second at
/// `DROP_PERCENT_OFF` % off.
#[derive(Clone, Debug)]
struct DropCase {
    /// Units of each line.
    units: i64,
    cap: Option<i64>,
    hidden: bool,
    /// The batch's time: 0 one millisecond before the start, 1 the start,
    /// 2 the end.
    moment: usize,
}

#[derive(Clone, Debug)]
struct Case {
    stock: [i64; 3],
    limit: Option<i64>,
    drop: Option<DropCase>,
    /// The third sku's preorders: their cap, when open.
    preorder_cap: Option<i64>,
    checkouts: Vec<Drawn>,
    /// Units of the third sku restocked after the batch (on the databases):
    /// they go to its waiting preorders, oldest order first.
    restock: i64,
}

const DROP_PRICE: i64 = 9000;
const DROP_PERCENT_OFF: i64 = 10;
const DROP_SLUG: &str = "noel";

fn case() -> impl Strategy<Value = Case> {
    let drawn = (
        prop::collection::vec((0..4usize, 1..4i64), 1..4),
        prop::option::weighted(0.9, (0..4usize, 0..SPELLINGS)),
        prop::option::weighted(0.6, (0..3usize, 0..2usize)),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.5),
    )
        .prop_map(|(lines, customer, key, names_drop, preorders)| Drawn {
            lines,
            customer,
            key,
            names_drop,
            preorders,
        });
    let drop = (1..5i64, prop::option::of(1..4i64), any::<bool>(), 0..3usize).prop_map(
        |(units, cap, hidden, moment)| DropCase {
            units,
            cap,
            hidden,
            moment,
        },
    );
    (
        (0..5i64, 0..5i64, prop_oneof![Just(0i64), 0..5i64]).prop_map(|(a, b, c)| [a, b, c]),
        prop::option::of(1..3i64),
        prop::option::weighted(0.5, drop),
        prop::option::weighted(0.5, 0..4i64),
        prop::collection::vec(drawn, 1..13),
        0..7i64,
    )
        .prop_map(
            |(stock, limit, drop, preorder_cap, checkouts, restock)| Case {
                stock,
                limit,
                drop,
                preorder_cap,
                checkouts,
                restock,
            },
        )
}

impl Case {
    /// The drop's start, and the time the batch is decided at.
    fn times(&self) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
        let start = chrono::Utc::now() + chrono::Duration::days(1);
        let at = match self.drop.as_ref().map_or(1, |d| d.moment) {
            0 => start - chrono::Duration::milliseconds(1),
            1 => start,
            _ => start + DROP_LENGTH,
        };
        (start, at)
    }
}

const DROP_LENGTH: chrono::Duration = chrono::Duration::hours(2);

/// Ways a customer writes their phone: the first `READ_AS_THEIRS` are
/// their number, the others spellings the shop refuses.
const SPELLINGS: usize = 5;
const READ_AS_THEIRS: usize = 3;

fn phone_of(customer: Option<(usize, usize)>) -> String {
    match customer {
        None => "+123456".into(),
        Some((who, 0)) => format!("+22507000001{who:02}"),
        Some((who, 1)) => format!("07 00 00 01 {who:02}"),
        Some((who, 2)) => format!("0022507000001{who:02}"),
        Some((who, 3)) => format!("+0225 07 00 00 01 {who:02}"),
        Some((who, _)) => format!("+225 0 07 00 00 01 {who:02}"),
    }
}

fn request(case: &Case, drawn: &Drawn, skus: &[String]) -> CheckoutRequest {
    let sku = |i: usize| skus.get(i).cloned().unwrap_or_else(|| "NO-SUCH-SKU".into());
    let names_drop = drawn.names_drop && case.drop.is_some();
    let input = OrderInput {
        customer: Some(CustomerInput {
            name: Some("Awa K.".into()),
            phone: Some(phone_of(drawn.customer)),
            email: None,
        }),
        lines: Some(
            drawn
                .lines
                .iter()
                .map(|(i, quantity)| LineInput {
                    sku: Some(sku(*i)),
                    quantity: Some(*quantity),
                    preorder: (*i == 2 && drawn.preorders).then_some(true),
                })
                .collect(),
        ),
        drop: names_drop.then(|| DROP_SLUG.to_owned()),
        ..Default::default()
    };
    CheckoutRequest {
        order: input.validate(&Limits::default()).expect("a valid order"),
        idempotency: drawn.key.map(|(key, body)| IdempotencyKey {
            key: format!("key-{key}"),
            request_hash: format!("body-{body}"),
        }),
        lang: Lang::Fr,
    }
}

/// An answer as the model and the engine are compared: what was placed or
/// refused, or which earlier checkout's answer was given again.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Answer {
    /// Each line: (sku index, quantity, unit price).
    Placed(Vec<(usize, i64, i64)>),
    /// Each short line: (sku index, requested, available).
    Short(Vec<(usize, i64, i64)>),
    Limit(i64),
    /// The drop's cap and what the customer had bought.
    DropLimit(i64, i64),
    NotStarted,
    Ended,
    ReplayOf(usize),
    Invalid,
    KeyReused,
}

/// The shop's rules, one checkout after the other, written plainly.
fn model(case: &Case) -> (Vec<Answer>, [i64; 3]) {
    let mut stock = case.stock;
    let mut counted: HashMap<usize, i64> = HashMap::new();
    let mut kept: HashMap<usize, (usize, usize)> = HashMap::new(); // key -> (body, answering checkout)
    let mut drop_left = [case.drop.as_ref().map_or(0, |d| d.units); 2];
    let mut bought: HashMap<usize, i64> = HashMap::new();
    let mut waiting = 0;
    let live = case.drop.as_ref().filter(|d| d.moment == 1);
    let mut answers = Vec::new();
    for (n, drawn) in case.checkouts.iter().enumerate() {
        if let Some((key, body)) = drawn.key
            && let Some((kept_body, first)) = kept.get(&key)
        {
            answers.push(if *kept_body == body {
                Answer::ReplayOf(*first)
            } else {
                Answer::KeyReused
            });
            continue;
        }
        let mut lines: Vec<(usize, i64)> = Vec::new();
        for (sku, quantity) in &drawn.lines {
            match lines.iter_mut().find(|(s, _)| s == sku) {
                Some(line) => line.1 += quantity,
                None => lines.push((*sku, *quantity)),
            }
        }
        lines.sort_unstable();
        let preorder = |sku: usize| sku == 2 && drawn.preorders;
        let in_drop = |sku: usize| sku < 2 && case.drop.is_some();
        let named = drawn.names_drop.then_some(case.drop.as_ref()).flatten();
        let valid_phone = drawn
            .customer
            .filter(|(_, spelling)| *spelling < READ_AS_THEIRS);
        let answer = if lines.iter().any(|(sku, _)| *sku == 3) {
            Answer::Invalid
        } else if let Some((who, _)) = valid_phone {
            let preorder_refused = lines
                .iter()
                .any(|(sku, _)| preorder(*sku) && (case.preorder_cap.is_none() || stock[2] > 0));
            let hidden_before = case
                .drop
                .as_ref()
                .is_some_and(|d| d.hidden && d.moment == 0)
                && lines.iter().any(|(sku, _)| in_drop(*sku));
            let count = counted.get(&who).copied().unwrap_or(0);
            let drop_units: i64 = lines
                .iter()
                .filter(|(sku, _)| live.is_some() && in_drop(*sku))
                .map(|(_, quantity)| quantity)
                .sum();
            let bought_before = bought.get(&who).copied().unwrap_or(0);
            let servable = |sku: usize| {
                if preorder(sku) {
                    (case.preorder_cap.unwrap_or(0) - waiting).max(0)
                } else if live.is_some() && in_drop(sku) {
                    stock[sku].min(drop_left[sku])
                } else {
                    stock[sku]
                }
            };
            let short: Vec<(usize, i64, i64)> = lines
                .iter()
                .filter(|(sku, quantity)| servable(*sku) < *quantity)
                .map(|(sku, quantity)| (*sku, *quantity, servable(*sku)))
                .collect();
            match case.limit {
                _ if preorder_refused => Answer::Invalid,
                _ if named.is_some_and(|d| d.moment == 0) => Answer::NotStarted,
                _ if named.is_some_and(|d| d.moment == 2) => Answer::Ended,
                _ if hidden_before => Answer::NotStarted,
                Some(limit) if count >= limit => Answer::Limit(limit),
                _ if drop_units > 0
                    && live
                        .and_then(|d| d.cap)
                        .is_some_and(|cap| bought_before + drop_units > cap) =>
                {
                    Answer::DropLimit(live.and_then(|d| d.cap).unwrap_or(0), bought_before)
                }
                _ if !short.is_empty() => Answer::Short(short),
                _ => {
                    let mut placed = Vec::new();
                    for (sku, quantity) in &lines {
                        let mut price = PRICE;
                        if preorder(*sku) {
                            waiting += quantity;
                        } else {
                            stock[*sku] -= quantity;
                        }
                        if live.is_some() && in_drop(*sku) {
                            drop_left[*sku] -= quantity;
                            price = if *sku == 0 {
                                DROP_PRICE
                            } else {
                                (PRICE * (100 - DROP_PERCENT_OFF) + 50) / 100
                            };
                        }
                        placed.push((*sku, *quantity, price));
                    }
                    bought.insert(who, bought_before + drop_units);
                    counted.insert(who, count + 1);
                    Answer::Placed(placed)
                }
            }
        } else {
            Answer::Invalid
        };
        let kept_answer = matches!(
            answer,
            Answer::Placed(_) | Answer::Short(_) | Answer::Limit(_) | Answer::DropLimit(..)
        );
        if let Some((key, body)) = drawn.key
            && kept_answer
        {
            kept.insert(key, (body, n));
        }
        answers.push(answer);
    }
    (answers, stock)
}

/// The engine's answers in the model's terms; `placed_ids[n]` is the id of
/// the order checkout `n` placed, so that a replay names its checkout.
fn compare(case: &Case, engine: &[Result<CheckoutAnswer, String>], skus: &[String]) {
    let (expected, _) = model(case);
    let sku_index = |sku: &str| skus.iter().position(|s| s == sku).unwrap_or(3);
    let mut placed_ids: HashMap<String, usize> = HashMap::new();
    let mut refusals: Vec<(usize, CheckoutRefusal)> = Vec::new();
    for (n, (answer, expected)) in engine.iter().zip(&expected).enumerate() {
        let seen = match answer {
            Ok(CheckoutAnswer::Decided(Outcome::Placed(placed))) => {
                placed_ids.insert(placed.order.id.clone(), n);
                let lines = placed.order.lines.iter();
                Answer::Placed(
                    lines
                        .map(|l| (sku_index(&l.sku), l.quantity, l.unit_price))
                        .collect(),
                )
            }
            Ok(CheckoutAnswer::Decided(Outcome::Refused(refusal))) => {
                refusals.push((n, refusal.clone()));
                match refusal {
                    CheckoutRefusal::OrderLimitReached { limit } => Answer::Limit(*limit),
                    CheckoutRefusal::DropLimitReached { limit, bought, .. } => {
                        Answer::DropLimit(*limit, *bought)
                    }
                    CheckoutRefusal::InsufficientStock(lines) => Answer::Short(
                        lines
                            .iter()
                            .map(|l| (sku_index(&l.sku), l.requested, l.available))
                            .collect(),
                    ),
                }
            }
            Ok(CheckoutAnswer::Replayed {
                outcome: Outcome::Placed(placed),
                ..
            }) => Answer::ReplayOf(placed_ids[&placed.order.id]),
            Ok(CheckoutAnswer::Replayed {
                outcome: Outcome::Refused(refusal),
                ..
            }) => {
                // Refusals have no id: the replay must be the very refusal
                // the model names (several checkouts may have got equal ones).
                let named = match expected {
                    Answer::ReplayOf(first) => Some(*first),
                    _ => None,
                };
                let same =
                    named.filter(|first| refusals.iter().any(|(m, r)| m == first && r == refusal));
                Answer::ReplayOf(same.unwrap_or(usize::MAX))
            }
            Err(error) if error.contains("idempotency key") => Answer::KeyReused,
            Err(error) if error.contains("starts at") => Answer::NotStarted,
            Err(error) if error.contains("ended at") => Answer::Ended,
            Err(_) => Answer::Invalid,
        };
        assert_eq!(&seen, expected, "checkout {n} of {case:#?}");
    }
    assert_eq!(engine.len(), expected.len());
}

fn errors_as_text(
    answers: Vec<Result<CheckoutAnswer, stockroom::store::StoreError>>,
) -> Vec<Result<CheckoutAnswer, String>> {
    answers
        .into_iter()
        .map(|a| a.map_err(|e| e.to_string()))
        .collect()
}

/// The pure decision, on a snapshot built from the case.
fn run_pure(case: &Case) -> (Vec<Result<CheckoutAnswer, String>>, [i64; 3]) {
    let skus: Vec<String> = (0..3).map(|i| format!("SKU-{i}")).collect();
    let variants = skus
        .iter()
        .zip(case.stock)
        .map(|(sku, available)| {
            let variant = VariantForSale {
                sku: sku.clone(),
                title: "Robe".into(),
                size: "M".into(),
                color: None,
                price: PRICE,
                available,
                for_sale: true,
                low_stock_threshold: None,
                received: 0,
                preorder: None,
            };
            (sku.clone(), variant)
        })
        .collect::<HashMap<String, VariantForSale>>();
    let mut variants = variants;
    if let Some(cap) = case.preorder_cap {
        let terms = PreorderTerms {
            cap,
            waiting: 0,
            ships_by: "2027-01-15".into(),
        };
        variants.get_mut("SKU-2").expect("SKU-2").preorder = Some(terms);
    }
    let (start, at) = case.times();
    let drops = case.drop.iter().map(|d| {
        let line = |price, percent_off| DropLineForSale {
            units: d.units,
            price,
            percent_off,
            remaining: d.units,
        };
        DropForSale {
            id: "drop-1".into(),
            slug: DROP_SLUG.into(),
            name: "Noël".into(),
            starts_at: time::format(start),
            ends_at: time::format(start + DROP_LENGTH),
            hidden_until_start: d.hidden,
            max_units_per_customer: d.cap,
            lines: HashMap::from([
                ("SKU-0".to_owned(), line(Some(DROP_PRICE), None)),
                ("SKU-1".to_owned(), line(None, Some(DROP_PERCENT_OFF))),
            ]),
        }
    });
    let snapshot = BatchSnapshot {
        settings: Settings {
            order_limit_per_customer: case.limit,
            low_stock_units: Some(2),
            low_stock_percent: 20,
            reference_date: "2000-01-01T00:00:00.000000Z".into(),
            default_country: Country::DEFAULT,
            default_country_code: "+225".into(),
            pickup_number_required: false,
        },
        variants,
        orders_counted: HashMap::new(),
        answers: HashMap::new(),
        zones: HashMap::new(),
        drops: drops.collect(),
        drop_bought: HashMap::new(),
    };
    let requests: Vec<CheckoutRequest> = case
        .checkouts
        .iter()
        .map(|d| request(case, d, &skus))
        .collect();
    let refs: Vec<&CheckoutRequest> = requests.iter().collect();
    let rules = Rules {
        currency: "XOF".into(),
        shop_secret: "secret".into(),
        idempotency_ttl: chrono::Duration::days(1),
    };
    let (writes, decisions) = decide(&snapshot, &refs, &rules, at);
    let mut stock = case.stock;
    for taken in &writes.stock {
        let i = skus
            .iter()
            .position(|s| *s == taken.sku)
            .expect("a known sku");
        assert_eq!(stock[i] - taken.taken, taken.left);
        stock[i] = taken.left;
    }
    let answers = decisions
        .into_iter()
        .map(|decision| match decision {
            Decision::Placed {
                order,
                access_token,
            } => {
                let order = writes.orders[order].order.clone();
                Ok(CheckoutAnswer::Decided(Outcome::Placed(
                    stockroom::checkout::PlacedOrder {
                        order,
                        access_token,
                    },
                )))
            }
            Decision::Refused(refusal) => Ok(CheckoutAnswer::Decided(Outcome::Refused(refusal))),
            Decision::Replay(KeptOutcome::Placed { order_id }) => {
                let order = writes.orders.iter().find(|o| o.order.id == order_id);
                let order = order.expect("a replay of this batch's order").order.clone();
                let access_token = String::new();
                let placed = stockroom::checkout::PlacedOrder {
                    order,
                    access_token,
                };
                Ok(CheckoutAnswer::Replayed {
                    outcome: Outcome::Placed(placed),
                    lang: Lang::Fr,
                })
            }
            Decision::Replay(KeptOutcome::Refused { refusal, lang }) => {
                Ok(CheckoutAnswer::Replayed {
                    outcome: Outcome::Refused(refusal),
                    lang,
                })
            }
            Decision::Unkept(error) => Err(error.to_string()),
        })
        .collect();
    (answers, stock)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn the_pure_decision_answers_as_the_serial_model(case in case()) {
        let (answers, stock) = run_pure(&case);
        compare(&case, &answers, &["SKU-0".into(), "SKU-1".into(), "SKU-2".into()]);
        prop_assert_eq!(stock, model(&case).1);
    }
}

/// Runs the case through the engine on a fresh store: `group` queues the
/// whole batch behind a lock, in order, then lets it go as one batch.
async fn run_on_store(
    t: &TestStore,
    case: &Case,
    start: chrono::DateTime<chrono::Utc>,
    group: bool,
) -> Vec<Result<CheckoutAnswer, String>> {
    t.set_order_limit(case.limit).await;
    let sizes: Vec<(String, i64)> = (0..3).map(|i| (format!("S{i}"), case.stock[i])).collect();
    let sizes: Vec<(&str, i64)> = sizes.iter().map(|(s, n)| (s.as_str(), *n)).collect();
    let skus = t.product("model", &sizes).await;
    set_up_drop_and_preorders(t, case, start, &skus).await;
    let requests: Vec<CheckoutRequest> = case
        .checkouts
        .iter()
        .map(|d| request(case, d, &skus))
        .collect();
    let shop = t.store.clone();
    let answers = if group {
        let plug = t.product("plug", &[("M", 10)]).await.remove(0);
        let lock = crate::batch::Plug::hold(t, &plug).await;
        let stuck = {
            let shop = shop.clone();
            let order = crate::harness::order(crate::harness::phone(999), &[(&plug, 1)]);
            tokio::spawn(async move {
                shop.checkout()
                    .place_order(crate::harness::request(order, None))
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(200)).await;
        let mut tasks = Vec::new();
        for (n, request) in requests.into_iter().enumerate() {
            let sender = shop.clone();
            tasks.push(tokio::spawn(async move {
                sender.checkout().place_order(request).await
            }));
            let waited = Instant::now();
            while shop.checkouts_queued() < n + 1 {
                assert!(
                    waited.elapsed() < Duration::from_secs(3),
                    "checkout {n} never queued"
                );
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
        lock.release().await;
        stuck.await.expect("the plug's order").expect("decided");
        let mut answers = Vec::new();
        for task in tasks {
            answers.push(task.await.expect("a checkout finished"));
        }
        answers
    } else {
        let mut answers = Vec::new();
        for request in requests {
            answers.push(shop.checkout().place_order(request).await);
        }
        answers
    };
    let answers = errors_as_text(answers);
    compare(case, &answers, &skus);
    let (_, stock) = model(case);
    for (sku, left) in skus.iter().zip(stock) {
        assert_eq!(t.available(sku).await, left, "{sku} after {case:#?}");
    }
    restock_preorders(t, case, &answers, &skus[2]).await;
    t.assert_consistent().await;
    answers
}

/// What the model's restock gives each waiting preorder, by checkout:
/// the oldest order first, each what it lacks or what is left.
fn model_allocations(case: &Case) -> Vec<(usize, i64)> {
    let (answers, stock) = model(case);
    let mut left = stock[2] + case.restock;
    let mut given = Vec::new();
    for (n, answer) in answers.iter().enumerate() {
        let Answer::Placed(lines) = answer else {
            continue;
        };
        let waiting: i64 = lines
            .iter()
            .filter(|(sku, _, _)| *sku == 2 && case.checkouts[n].preorders)
            .map(|(_, quantity, _)| quantity)
            .sum();
        let units = waiting.min(left);
        if units > 0 {
            given.push((n, units));
            left -= units;
        }
    }
    given
}

/// Restocks the third sku and checks that its preorders were served as
/// the model serves them, and the stock left.
async fn restock_preorders(
    t: &TestStore,
    case: &Case,
    answers: &[Result<CheckoutAnswer, String>],
    sku: &str,
) {
    if case.restock == 0 {
        return;
    }
    let before = t.available(sku).await;
    let restock = Restock {
        quantity: case.restock,
        note: None,
    };
    let change = t
        .store
        .restock(&Sku::from_stored(sku.to_owned()), restock, &t.admin)
        .await
        .expect("restocked");
    let placed_by: HashMap<&str, usize> = answers
        .iter()
        .enumerate()
        .filter_map(|(n, answer)| match answer {
            Ok(CheckoutAnswer::Decided(Outcome::Placed(placed))) => {
                Some((placed.order.id.as_str(), n))
            }
            _ => None,
        })
        .collect();
    let given: Vec<(usize, i64)> = change
        .allocations
        .iter()
        .map(|m| {
            let order = m.order_id.as_deref().unwrap_or_default();
            (
                placed_by.get(order).copied().unwrap_or(usize::MAX),
                -m.quantity,
            )
        })
        .collect();
    let expected = model_allocations(case);
    assert_eq!(given, expected, "allocations after {case:#?}");
    let allocated: i64 = expected.iter().map(|(_, units)| units).sum();
    assert_eq!(t.available(sku).await, before + case.restock - allocated);
}

/// The case's drop and preorders, written in the tables the engine reads
/// (their admin API has tests of its own).
async fn set_up_drop_and_preorders(
    t: &TestStore,
    case: &Case,
    start: chrono::DateTime<chrono::Utc>,
    skus: &[String],
) {
    let mut sql = String::new();
    if let Some(d) = &case.drop {
        let (starts, ends) = (time::format(start), time::format(start + DROP_LENGTH));
        let cap = d.cap.map_or("null".to_owned(), |c| c.to_string());
        let hidden = i64::from(d.hidden);
        sql.push_str(&format!(
            "insert into drops (id, slug, name, starts_at, ends_at, hidden_until_start,
               max_units_per_customer, created_at, updated_at)
             values ('drop-1', '{DROP_SLUG}', 'Noël', '{starts}', '{ends}', {hidden}, {cap},
               '{starts}', '{starts}');
             insert into drop_lines (drop_id, sku, position, units, price, percent_off, remaining)
             values ('drop-1', '{}', 0, {units}, {DROP_PRICE}, null, {units}),
                    ('drop-1', '{}', 1, {units}, null, {DROP_PERCENT_OFF}, {units});",
            skus[0],
            skus[1],
            units = d.units
        ));
    }
    if let Some(cap) = case.preorder_cap {
        sql.push_str(&format!(
            "update variants set preorder_enabled = 1, preorder_cap = {cap},
               preorder_ships_by = '2027-01-15' where sku = '{}';",
            skus[2]
        ));
    }
    if !sql.is_empty() {
        t.raw_sql(&sql)
            .await
            .expect("the drop and preorders are set up");
    }
}

/// `count` drawn cases, and one that is sure to make a restock choose
/// between preorders: three customers preorder 2, 1 and 1 units of the
/// third sku, and 3 units come.
fn cases(count: usize) -> Vec<Case> {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut cases: Vec<Case> = (0..count)
        .map(|_| case().new_tree(&mut runner).expect("a case").current())
        .collect();
    let preorder = |who: usize, quantity: i64| Drawn {
        lines: vec![(2, quantity)],
        customer: Some((who, 0)),
        key: None,
        names_drop: false,
        preorders: true,
    };
    cases.push(Case {
        stock: [1, 1, 0],
        limit: None,
        drop: None,
        preorder_cap: Some(4),
        checkouts: vec![preorder(0, 2), preorder(1, 1), preorder(2, 1)],
        restock: 3,
    });
    cases
}

async fn on_store(postgres: bool, group: bool) {
    for case in cases(12) {
        let (start, at) = case.times();
        let clock = Clock::default();
        clock.hold_at(at);
        let config = StoreConfig {
            checkout_batch_max: if group { 256 } else { 1 },
            clock,
            ..StoreConfig::default()
        };
        let t = if postgres {
            let Some(t) = TestStore::postgres_with("engine_model", config).await else {
                return;
            };
            t
        } else {
            TestStore::sqlite_with(config).await
        };
        run_on_store(&t, &case, start, group).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_on_sqlite_answers_as_the_serial_model_in_groups() {
    on_store(false, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_on_sqlite_answers_as_the_serial_model_one_by_one() {
    on_store(false, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_on_postgres_answers_as_the_serial_model_in_groups() {
    on_store(true, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_on_postgres_answers_as_the_serial_model_one_by_one() {
    on_store(true, false).await;
}

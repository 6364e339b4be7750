//! The checkout engine: turns carts into orders without ever overselling,
//! refusing an order the stock could serve, or acknowledging an order it
//! could lose. Every checkout rule lives here, once, for both databases and
//! both modes (group commit, or one order per transaction).
//!
//! - `decide.rs`: the decision, pure: a batch's snapshot, its requests and
//!   the time in, each request's decision and the batch's writes out.
//! - `sequencer.rs`: the bounded queue, batches collected while the
//!   previous commit is on disk, deadlines, 503s, retries.
//! - here: the engine on a store: a batch read, decided, written and
//!   committed in one transaction (`Store::apply_checkout_batch`), then
//!   each buyer's answer.

mod decide;
mod drops;
mod sequencer;

use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use metrics::Histogram;

pub use decide::{Decision, Rules, decide, needs};
pub use sequencer::{Answered, BatchRunner, Sequencer, SequencerLimits};

use crate::domain::Lang;
use crate::domain::batch::{BatchNeeds, BatchSnapshot, BatchWrites, KeptOutcome};
use crate::domain::order::{CheckoutRefusal, NewOrder, Order};
use crate::domain::settings::Settings;
use crate::domain::tokens::order_access_token;
use crate::store::{BatchDecider, BatchError, Store, StoreError};

/// An `Idempotency-Key` and the hash of the body it came with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyKey {
    pub key: String,
    /// SHA-256 of the canonical JSON body.
    pub request_hash: String,
}

/// A checkout as the HTTP layer hands it over: a validated order, its key,
/// and the language its buyer reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckoutRequest {
    pub order: NewOrder,
    pub idempotency: Option<IdempotencyKey>,
    pub lang: Lang,
}

/// An order placed, with the token that lets its buyer read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacedOrder {
    pub order: Order,
    pub access_token: String,
}

/// What a checkout decided.
#[derive(Clone, Debug, PartialEq, Eq)]
#[expect(
    clippy::large_enum_variant,
    reason = "moved once, from the engine to its answer; a box would cost an allocation per order"
)]
pub enum Outcome {
    Placed(PlacedOrder),
    Refused(CheckoutRefusal),
}

/// The checkout's answer: decided now, or the answer kept for its key,
/// given again (in the language it was first given in).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckoutAnswer {
    Decided(Outcome),
    Replayed { outcome: Outcome, lang: Lang },
}

impl CheckoutAnswer {
    /// The `outcome` label of `stockroom_orders_total` for this answer.
    pub fn metric_label(answer: &Answered<CheckoutAnswer>) -> &'static str {
        match answer {
            Ok(CheckoutAnswer::Decided(Outcome::Placed(_))) => "created",
            Ok(CheckoutAnswer::Decided(Outcome::Refused(refusal))) => refusal.code(),
            Ok(CheckoutAnswer::Replayed { .. }) => "replayed",
            Err(StoreError::IdempotencyKeyReused) => "idempotency_key_reused",
            Err(StoreError::Invalid(_)) => "invalid",
            Err(StoreError::ProductUnavailable(_)) => "product_unavailable",
            Err(StoreError::PriceChanged(_)) => "price_changed",
            Err(StoreError::DropNotStarted(_)) => "drop_not_started",
            Err(StoreError::DropEnded(_)) => "drop_ended",
            Err(StoreError::Unavailable(_) | StoreError::DiskFull(_)) => "unavailable",
            Err(_) => "error",
        }
    }
}

/// The engine: a sequencer in front of a store; cheap to clone.
#[derive(Clone)]
pub struct Checkout {
    engine: Arc<Engine>,
    sequencer: Sequencer<Engine>,
}

impl Checkout {
    /// Starts the engine's sequencer on the current runtime, with the
    /// store's checkout settings: batch size, queue, deadline, currency.
    pub fn start(store: Store, batch_sizes: Histogram) -> Checkout {
        let config = store.config();
        let rules = Rules {
            currency: config.currency.clone(),
            shop_secret: store.shop_secret().to_owned(),
            idempotency_ttl: chrono::Duration::from_std(config.idempotency_ttl)
                .unwrap_or(chrono::Duration::days(1)),
        };
        let limits = SequencerLimits {
            batch_max: config.checkout_batch_max.max(1),
            queue_max: config.write_queue_max,
            concurrent_batches: store.concurrent_checkout_batches(),
        };
        let engine = Arc::new(Engine {
            store,
            rules: Arc::new(rules),
        });
        let sequencer = Sequencer::start(engine.clone(), limits, batch_sizes);
        Checkout { engine, sequencer }
    }

    /// The checkout: all of the order or nothing, answered once durable.
    pub async fn place_order(&self, request: CheckoutRequest) -> Answered<CheckoutAnswer> {
        let deadline = Instant::now() + self.engine.store.config().checkout_timeout;
        self.sequencer.submit(request, deadline).await
    }

    /// Checkouts waiting for their batch, and how many may wait at most.
    pub fn queued(&self) -> (usize, usize) {
        self.sequencer.queued()
    }

    /// The access token of an order: the one its buyer was given.
    pub fn access_token(&self, order_id: &str) -> String {
        order_access_token(&self.engine.rules.shop_secret, order_id)
    }
}

struct Engine {
    store: Store,
    rules: Arc<Rules>,
}

impl BatchRunner for Engine {
    type Request = CheckoutRequest;
    type Answer = CheckoutAnswer;

    async fn run(
        &self,
        requests: Vec<Arc<CheckoutRequest>>,
    ) -> Result<Vec<Answered<CheckoutAnswer>>, BatchError> {
        let batch = Arc::new(Batch {
            requests,
            rules: self.rules.clone(),
            now: self.store.config().clock.now(),
        });
        let (decisions, written) = self.store.apply_checkout_batch(batch.clone()).await?;
        // Each placed order, numbered, moved out to its buyer's answer.
        let mut placed: Vec<Option<Order>> = written
            .writes
            .orders
            .into_iter()
            .zip(written.numbers)
            .map(|(write, number)| {
                Some(Order {
                    number,
                    ..write.order
                })
            })
            .collect();
        let mut answers = Vec::with_capacity(decisions.len());
        for (decision, request) in decisions.into_iter().zip(&batch.requests) {
            answers.push(self.answer(decision, request, &mut placed).await);
        }
        Ok(answers)
    }
}

impl Engine {
    /// A decision turned into its buyer's answer, once the batch committed.
    async fn answer(
        &self,
        decision: Decision,
        request: &CheckoutRequest,
        placed: &mut [Option<Order>],
    ) -> Answered<CheckoutAnswer> {
        Ok(match decision {
            Decision::Placed {
                order: index,
                access_token,
            } => {
                let order = placed
                    .get_mut(index)
                    .and_then(Option::take)
                    .ok_or_else(|| {
                        StoreError::Internal("a placed order was answered twice".into())
                    })?;
                CheckoutAnswer::Decided(Outcome::Placed(PlacedOrder {
                    order,
                    access_token,
                }))
            }
            Decision::Refused(refusal) => CheckoutAnswer::Decided(Outcome::Refused(refusal)),
            Decision::Replay(KeptOutcome::Placed { order_id }) => {
                // The order as it is now: its status may have moved on.
                let order = self.store.order(&order_id).await?;
                let access_token = order_access_token(&self.rules.shop_secret, &order_id);
                CheckoutAnswer::Replayed {
                    outcome: Outcome::Placed(PlacedOrder {
                        order,
                        access_token,
                    }),
                    lang: request.lang,
                }
            }
            Decision::Replay(KeptOutcome::Refused { refusal, lang }) => CheckoutAnswer::Replayed {
                outcome: Outcome::Refused(refusal),
                lang,
            },
            Decision::Unkept(error) => return Err(error),
        })
    }
}

/// One attempt at a batch: its requests, the rules and the time it is
/// decided at; what the store runs inside its transaction.
struct Batch {
    requests: Vec<Arc<CheckoutRequest>>,
    rules: Arc<Rules>,
    now: DateTime<Utc>,
}

impl Batch {
    fn requests(&self) -> Vec<&CheckoutRequest> {
        self.requests.iter().map(|r| &**r).collect()
    }
}

impl BatchDecider for Batch {
    type Decided = Vec<Decision>;

    fn needs(&self, settings: &Settings) -> BatchNeeds {
        needs(&self.requests(), settings, self.now)
    }

    fn decide(&self, snapshot: &BatchSnapshot) -> (BatchWrites, Vec<Decision>) {
        decide(snapshot, &self.requests(), &self.rules, self.now)
    }
}

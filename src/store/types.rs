//! Values the store takes and gives that are not the shop's domain itself:
//! admins, pages, filters, checkout requests and answers.

use crate::domain::Lang;
use crate::domain::order::{CheckoutRefusal, NewOrder, Order, OrderStatus};
use crate::domain::stock::{Movement, MovementKind};

/// An authenticated admin; its name is the actor of everything it changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Admin {
    pub id: i64,
    pub name: String,
}

/// A newly created admin and its bearer token, shown this once.
pub struct NewAdmin {
    pub admin: Admin,
    pub token: String,
}

impl std::fmt::Debug for NewAdmin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAdmin")
            .field("admin", &self.admin)
            .field("token", &"***")
            .finish()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminInfo {
    pub name: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// One page of a list, newest first; `next_cursor` fetches the next page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Which movements to list. Times are RFC 3339 strings of the stored width.
#[derive(Clone, Debug, Default)]
pub struct MovementFilter {
    pub sku: Option<String>,
    pub kind: Option<MovementKind>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: usize,
    /// The last id of the previous page.
    pub before_id: Option<i64>,
}

#[derive(Clone, Debug, Default)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: usize,
    /// The last `seq` of the previous page.
    pub before_seq: Option<i64>,
}

/// A variant's stock after a restock or an adjustment, with the movement written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StockChange {
    pub sku: String,
    pub available: i64,
    pub movement: Movement,
}

/// What the stock holds for one cart line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartLineStock {
    pub sku: String,
    pub size: String,
    pub requested: i64,
    pub available: i64,
}

/// An order placed, with the token that lets its buyer read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacedOrder {
    pub order: Order,
    pub access_token: String,
}

/// What a checkout decided, before it is written as an HTTP answer.
pub type CheckoutOutcome = Result<PlacedOrder, CheckoutRefusal>;

/// An HTTP answer kept with an idempotency key, replayed byte for byte.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
}

/// Turns an outcome into the answer stored with the idempotency key; given
/// by the HTTP layer, which alone knows how answers look.
pub type RenderOutcome = fn(&CheckoutOutcome, Lang) -> StoredResponse;

/// An `Idempotency-Key` and the hash of the body it came with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyKey {
    pub key: String,
    pub request_hash: String,
}

pub struct CheckoutRequest {
    pub order: NewOrder,
    pub idempotency: Option<IdempotencyKey>,
    pub lang: Lang,
    pub render: RenderOutcome,
}

/// The checkout's answer: decided now, or replayed from an earlier request
/// with the same idempotency key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckoutAnswer {
    Decided(Box<CheckoutOutcome>),
    Replayed(StoredResponse),
}

/// How busy the database connections are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolStatus {
    pub readers_max: u32,
    pub readers_open: u32,
    pub readers_idle: u32,
    /// Writes waiting for the writer thread.
    pub write_queue: usize,
    pub write_queue_max: usize,
}

pub use crate::domain::catalog_csv::{ImportProduct, ImportVariant};
pub use crate::domain::catalog_import::ImportSummary;

/// Called with the number of products applied so far (a progress bar).
pub type ImportProgress = Box<dyn Fn(u64) + Send + Sync>;

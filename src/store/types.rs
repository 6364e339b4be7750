//! Values the store takes and gives that are not the shop's domain itself:
//! admins, pages, filters, stock levels.

use chrono::{DateTime, Utc};

use crate::domain::order::OrderStatus;
use crate::domain::sku::Sku;
use crate::domain::staff::Role;
use crate::domain::stock::{Movement, MovementKind};

/// An authenticated admin; its name is the actor of everything it changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Admin {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

/// A newly created admin and its bearer token, if one was made, shown this once.
pub struct NewAdmin {
    pub admin: Admin,
    pub token: Option<String>,
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
    pub role: Role,
    pub created_at: String,
    pub last_seen_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// One page of a list, newest first; `next_cursor` fetches the next page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Which movements to list.
#[derive(Clone, Debug, Default)]
pub struct MovementFilter {
    pub sku: Option<Sku>,
    pub kind: Option<MovementKind>,
    /// From this time on (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Before this time (exclusive).
    pub to: Option<DateTime<Utc>>,
    pub limit: usize,
    /// The last id of the previous page.
    pub before_id: Option<i64>,
}

#[derive(Clone, Debug, Default)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    /// From this time on (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Before this time (exclusive).
    pub to: Option<DateTime<Utc>>,
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

/// How busy the database connections are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolStatus {
    pub readers_max: u32,
    pub readers_open: u32,
    pub readers_idle: u32,
}

pub use crate::domain::catalog_csv::{ImportProduct, ImportVariant};
pub use crate::domain::catalog_import::ImportSummary;

/// Called with the number of products applied so far (a progress bar).
pub type ImportProgress = Box<dyn Fn(u64) + Send + Sync>;

//! What the shop answers: orders as the API shows them, and refusals.

use serde::Serialize;

use super::{Delivery, OrderStatus, Payment, RequestedLine};

/// An order as the API shows it; prices and totals are the server's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Order {
    pub id: String,
    pub number: String,
    pub status: OrderStatus,
    pub created_at: String,
    pub currency: String,
    /// The lines' totals and the delivery fee.
    pub total: i64,
    /// The delivery zone's fee when the order was placed; 0 without a zone.
    pub delivery_fee: i64,
    pub customer: CustomerView,
    pub delivery: Delivery,
    pub notes: Option<String>,
    pub lines: Vec<OrderLine>,
    /// The admin view's: what the desk recorded as paid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment: Option<Payment>,
    /// The admin view's: how many staff notes the order has.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff_notes: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CustomerView {
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OrderLine {
    pub sku: String,
    pub title: String,
    pub size: String,
    pub color: Option<String>,
    pub unit_price: i64,
    pub quantity: i64,
    pub line_total: i64,
    /// Units of the line that came back (a return), restocked or not.
    pub returned: i64,
    /// Of those, the units put back on the shelf.
    pub restocked: i64,
    /// A preorder line: it took a preorder place, not stock, and ships
    /// once restocks gave it its units.
    pub preorder: bool,
    /// Of a preorder line's units, those a restock gave it (0 otherwise).
    pub allocated: i64,
    /// The drop the line was sold through, at its price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drop_id: Option<String>,
}

impl Order {
    /// The order as its buyer sees it: without what the desk keeps.
    pub fn for_buyer(self) -> Order {
        Order {
            payment: None,
            staff_notes: None,
            ..self
        }
    }
}

impl OrderLine {
    /// The line as the shop names it: "Robe Awa (taille M, rouge)".
    pub fn name_fr(&self) -> String {
        match &self.color {
            Some(color) => format!("{} (taille {}, {color})", self.title, self.size),
            None => format!("{} (taille {})", self.title, self.size),
        }
    }
}

/// What the stock holds for one cart line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartLineStock {
    pub sku: String,
    pub title: String,
    pub size: String,
    pub color: Option<String>,
    pub requested: i64,
    pub available: i64,
    /// The price now, in minor units.
    pub unit_price: i64,
    /// Its product is active and the variant not retired.
    pub for_sale: bool,
}

/// A line the stock could not serve, with what was left when the order was tried.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ShortLine {
    pub sku: String,
    #[serde(skip)]
    pub title: String,
    #[serde(skip)]
    pub size: String,
    #[serde(skip)]
    pub color: Option<String>,
    pub requested: i64,
    pub available: i64,
}

/// A line naming a variant that is not for sale (a draft or archived
/// product, a retired size).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnavailableLine {
    pub sku: String,
    pub title: String,
    pub size: String,
    pub color: Option<String>,
    pub requested: i64,
}

/// A drop a checkout met outside its window: before its start
/// (`drop_not_started`) or after its end (`drop_ended`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropMoment {
    pub slug: String,
    pub name: String,
    pub starts_at: String,
    pub ends_at: String,
}

/// A line's price now, when the buyer was shown another total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PricedLine {
    pub sku: String,
    pub unit_price: i64,
}

/// The server's prices when the total the buyer was shown is not the
/// server's (`price_changed`): every line's current price, the delivery
/// fee and the total they make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceChange {
    pub lines: Vec<PricedLine>,
    pub delivery_fee: i64,
    pub total: i64,
    pub expected_total: i64,
    pub currency: String,
}

/// Why the shop refused an order; nothing was written but the idempotency record.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckoutRefusal {
    #[error("insufficient stock on {} line(s)", .0.len())]
    InsufficientStock(Vec<ShortLine>),
    #[error("the customer reached the limit of {limit} order(s)")]
    OrderLimitReached { limit: i64 },
    /// The customer would buy more than the drop's cap over its lines.
    #[error("the customer would buy more than {limit} unit(s) of the drop `{drop}`")]
    DropLimitReached {
        /// The drop's name.
        drop: String,
        limit: i64,
        /// Units the customer already bought in the drop.
        bought: i64,
    },
}

impl CheckoutRefusal {
    /// Every refusal's code, as the API and the metrics name it.
    pub const CODES: [&'static str; 3] = [
        "insufficient_stock",
        "order_limit_reached",
        "drop_limit_reached",
    ];

    /// The sentence for the buyer, in their language.
    pub fn message(&self, lang: crate::domain::Lang) -> String {
        use crate::domain::messages;
        match self {
            CheckoutRefusal::InsufficientStock(lines) => messages::short_lines(lang, lines),
            CheckoutRefusal::OrderLimitReached { limit } => messages::order_limit(lang, *limit),
            CheckoutRefusal::DropLimitReached {
                drop,
                limit,
                bought,
            } => messages::drop_limit(lang, drop, *limit, *bought),
        }
    }

    /// The stable machine-readable name of the refusal.
    pub fn code(&self) -> &'static str {
        match self {
            CheckoutRefusal::InsufficientStock(_) => Self::CODES[0],
            CheckoutRefusal::OrderLimitReached { .. } => Self::CODES[1],
            CheckoutRefusal::DropLimitReached { .. } => Self::CODES[2],
        }
    }
}

impl CartLineStock {
    /// This line as a line not for sale.
    pub fn unavailable(&self) -> UnavailableLine {
        UnavailableLine {
            sku: self.sku.clone(),
            title: self.title.clone(),
            size: self.size.clone(),
            color: self.color.clone(),
            requested: self.requested,
        }
    }
}

impl OrderLine {
    /// A requested line at the server's price; the line total is computed
    /// here and nowhere else.
    pub fn at_price(
        line: &RequestedLine,
        title: &str,
        size: &str,
        color: Option<&str>,
        unit_price: i64,
    ) -> OrderLine {
        OrderLine {
            sku: line.sku.to_string(),
            title: title.to_owned(),
            size: size.to_owned(),
            color: color.map(str::to_owned),
            unit_price,
            quantity: line.quantity,
            line_total: unit_price * line.quantity,
            returned: 0,
            restocked: 0,
            preorder: line.preorder,
            allocated: 0,
            drop_id: None,
        }
    }
}

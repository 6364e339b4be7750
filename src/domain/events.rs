//! What happened in the shop, as the outbox keeps it: one event per order
//! created, status change, cancellation, return, preorder line served by a
//! restock, payment, stock level that crosses a threshold and audit anomaly, written in the transaction of the
//! change it reports and delivered afterwards (webhooks, e-mail, SMS, the
//! back office's live badge).

use serde::{Deserialize, Serialize};

/// The kinds of event, as their `type` names them.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
pub enum EventType {
    #[serde(rename = "order.created")]
    OrderCreated,
    #[serde(rename = "order.status_changed")]
    OrderStatusChanged,
    #[serde(rename = "order.cancelled")]
    OrderCancelled,
    #[serde(rename = "order.returned")]
    OrderReturned,
    #[serde(rename = "order.preorder_allocated")]
    OrderPreorderAllocated,
    #[serde(rename = "payment.recorded")]
    PaymentRecorded,
    #[serde(rename = "stock.low")]
    StockLow,
    #[serde(rename = "stock.sold_out")]
    StockSoldOut,
    #[serde(rename = "stock.back_in_stock")]
    StockBackInStock,
    #[serde(rename = "audit.anomaly")]
    AuditAnomaly,
}

impl EventType {
    pub const ALL: [EventType; 10] = [
        EventType::OrderCreated,
        EventType::OrderStatusChanged,
        EventType::OrderCancelled,
        EventType::OrderReturned,
        EventType::OrderPreorderAllocated,
        EventType::PaymentRecorded,
        EventType::StockLow,
        EventType::StockSoldOut,
        EventType::StockBackInStock,
        EventType::AuditAnomaly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::OrderCreated => "order.created",
            EventType::OrderStatusChanged => "order.status_changed",
            EventType::OrderCancelled => "order.cancelled",
            EventType::OrderReturned => "order.returned",
            EventType::OrderPreorderAllocated => "order.preorder_allocated",
            EventType::PaymentRecorded => "payment.recorded",
            EventType::StockLow => "stock.low",
            EventType::StockSoldOut => "stock.sold_out",
            EventType::StockBackInStock => "stock.back_in_stock",
            EventType::AuditAnomaly => "audit.anomaly",
        }
    }

    pub fn parse(raw: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.as_str() == raw)
    }

    /// In French, for the pages and the messages: "Nouvelle commande"…
    pub fn label_fr(self) -> &'static str {
        match self {
            EventType::OrderCreated => "Nouvelle commande",
            EventType::OrderStatusChanged => "Commande mise à jour",
            EventType::OrderCancelled => "Commande annulée",
            EventType::OrderReturned => "Commande retournée",
            EventType::OrderPreorderAllocated => "Précommande servie par un arrivage",
            EventType::PaymentRecorded => "Paiement enregistré",
            EventType::StockLow => "Stock faible",
            EventType::StockSoldOut => "Taille épuisée",
            EventType::StockBackInStock => "Taille de retour en stock",
            EventType::AuditAnomaly => "Anomalie trouvée par le contrôle du stock",
        }
    }
}

/// What an event carries: for `order.*` and `payment.*` the order, for
/// `stock.*` the sku and its units on hand, for `audit.anomaly` the skus
/// whose ledger disagrees with their stock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum EventData {
    Order {
        order_id: String,
        number: String,
        status: String,
    },
    Stock {
        sku: String,
        available: i64,
    },
    Anomaly {
        skus: Vec<String>,
    },
}

/// An event to append to the outbox, in the transaction of its change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    pub kind: EventType,
    pub data: EventData,
}

impl NewEvent {
    pub fn order(kind: EventType, order_id: &str, number: &str, status: &str) -> NewEvent {
        NewEvent {
            kind,
            data: EventData::Order {
                order_id: order_id.to_owned(),
                number: number.to_owned(),
                status: status.to_owned(),
            },
        }
    }

    pub fn stock(kind: EventType, sku: &str, available: i64) -> NewEvent {
        NewEvent {
            kind,
            data: EventData::Stock {
                sku: sku.to_owned(),
                available,
            },
        }
    }

    /// `data` as stored and sent.
    pub fn data_json(&self) -> String {
        // An enum of strings and integers always serializes.
        serde_json::to_string(&self.data).unwrap_or_default()
    }
}

/// An event as the outbox gives it back, and as webhooks receive it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Event {
    /// Only grows: a reader that resumes after an id never skips an event.
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: EventType,
    pub created_at: String,
    pub data: EventData,
}

impl Event {
    /// The body a webhook receives and the data of a server-sent event.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The event a stock change from `before` to `after` units raises, if
/// any: sold out at 0, back in stock from 0, low when it crosses into low
/// (`is_low`, the shop's one rule) without reaching 0.
pub fn stock_crossing(before: i64, after: i64, is_low: impl Fn(i64) -> bool) -> Option<EventType> {
    if before > 0 && after <= 0 {
        Some(EventType::StockSoldOut)
    } else if before <= 0 && after > 0 {
        Some(EventType::StockBackInStock)
    } else if after > 0 && after < before && !is_low(before) && is_low(after) {
        Some(EventType::StockLow)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_reads_back_from_its_name() {
        for kind in EventType::ALL {
            assert_eq!(EventType::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).expect("serializes");
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        assert_eq!(EventType::parse("order.shipped"), None);
    }

    #[test]
    fn a_stock_change_raises_at_most_one_crossing() {
        let low = |n: i64| n <= 2;
        assert_eq!(stock_crossing(5, 0, low), Some(EventType::StockSoldOut));
        assert_eq!(stock_crossing(1, 0, low), Some(EventType::StockSoldOut));
        assert_eq!(stock_crossing(0, 3, low), Some(EventType::StockBackInStock));
        assert_eq!(stock_crossing(0, 1, low), Some(EventType::StockBackInStock));
        assert_eq!(stock_crossing(5, 2, low), Some(EventType::StockLow));
        assert_eq!(stock_crossing(3, 1, low), Some(EventType::StockLow));
        // Already low, or going up, or staying above: nothing new to tell.
        assert_eq!(stock_crossing(2, 1, low), None);
        assert_eq!(stock_crossing(1, 2, low), None);
        assert_eq!(stock_crossing(9, 5, low), None);
        assert_eq!(stock_crossing(0, 0, low), None);
    }

    #[test]
    fn order_data_carries_the_contract_fields() {
        let event = Event {
            id: 7,
            kind: EventType::OrderCreated,
            created_at: "2026-12-07T10:00:00.000Z".into(),
            data: NewEvent::order(EventType::OrderCreated, "o1", "SR-1042", "pending").data,
        };
        let json: serde_json::Value = serde_json::from_str(&event.to_json()).expect("json");
        assert_eq!(json["type"], "order.created");
        assert_eq!(json["data"]["number"], "SR-1042");
        assert_eq!(json["data"]["status"], "pending");
        assert_eq!(json["id"], 7);
    }
}

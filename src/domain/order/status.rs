//! Where an order stands, and the moves the shop allows.

use serde::{Deserialize, Serialize};

/// Where an order stands. Pending → confirmed → processing → shipped →
/// delivered; pending, confirmed and processing orders can be cancelled; a
/// shipped or delivered order is `returned` once every unit came back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OrderStatus {
    Pending,
    Confirmed,
    Processing,
    Shipped,
    Delivered,
    Cancelled,
    Returned,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 7] = [
        OrderStatus::Pending,
        OrderStatus::Confirmed,
        OrderStatus::Processing,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
        OrderStatus::Returned,
    ];

    /// The statuses of the orders the shop still has to handle (`to_handle`).
    pub const TO_HANDLE: [OrderStatus; 3] = [
        OrderStatus::Pending,
        OrderStatus::Confirmed,
        OrderStatus::Processing,
    ];

    pub fn parse(raw: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Pending => "pending",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::Processing => "processing",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Returned => "returned",
        }
    }

    /// The next status, when the shop's rules allow this move. Setting the
    /// current status again is not a move.
    pub fn transition_to(self, next: OrderStatus) -> Result<OrderStatus, InvalidTransition> {
        use OrderStatus::*;
        let allowed = matches!(
            (self, next),
            (Pending, Confirmed)
                | (Confirmed, Processing)
                | (Processing, Shipped)
                | (Shipped, Delivered)
                | (Pending | Confirmed | Processing, Cancelled)
        );
        if allowed {
            Ok(next)
        } else {
            Err(InvalidTransition {
                from: self,
                to: next,
            })
        }
    }

    /// The status one step before this one, where a correction may take
    /// an order back (with a reason): delivered → shipped → processing →
    /// confirmed → pending.
    pub fn step_back(self) -> Option<OrderStatus> {
        use OrderStatus::*;
        match self {
            Delivered => Some(Shipped),
            Shipped => Some(Processing),
            Processing => Some(Confirmed),
            Confirmed => Some(Pending),
            Pending | Cancelled | Returned => None,
        }
    }

    /// Whether units of the order may come back: it left the shop.
    pub fn takes_returns(self) -> bool {
        matches!(self, OrderStatus::Shipped | OrderStatus::Delivered)
    }

    /// Words for a person, in French.
    pub fn label_fr(self) -> &'static str {
        match self {
            OrderStatus::Pending => "en attente",
            OrderStatus::Confirmed => "confirmée",
            OrderStatus::Processing => "en préparation",
            OrderStatus::Shipped => "expédiée",
            OrderStatus::Delivered => "livrée",
            OrderStatus::Cancelled => "annulée",
            OrderStatus::Returned => "retournée",
        }
    }
}

/// How many orders have each status (`GET /api/v1/admin/orders/counts`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = OrderCounts)]
pub struct StatusCounts {
    pub pending: i64,
    pub confirmed: i64,
    pub processing: i64,
    pub shipped: i64,
    pub delivered: i64,
    pub cancelled: i64,
    pub returned: i64,
    /// Pending, confirmed and processing together.
    pub to_handle: i64,
}

impl StatusCounts {
    pub fn add(&mut self, status: OrderStatus, count: i64) {
        let slot = match status {
            OrderStatus::Pending => &mut self.pending,
            OrderStatus::Confirmed => &mut self.confirmed,
            OrderStatus::Processing => &mut self.processing,
            OrderStatus::Shipped => &mut self.shipped,
            OrderStatus::Delivered => &mut self.delivered,
            OrderStatus::Cancelled => &mut self.cancelled,
            OrderStatus::Returned => &mut self.returned,
        };
        *slot += count;
        if OrderStatus::TO_HANDLE.contains(&status) {
            self.to_handle += count;
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("an order cannot go from {} to {}", from.as_str(), to.as_str())]
pub struct InvalidTransition {
    pub from: OrderStatus,
    pub to: OrderStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_move_forward_and_cancel_only_before_shipping() {
        use OrderStatus::*;
        assert!(Pending.transition_to(Confirmed).is_ok());
        assert!(Processing.transition_to(Cancelled).is_ok());
        assert!(Shipped.transition_to(Cancelled).is_err());
        assert!(Pending.transition_to(Pending).is_err());
        assert!(Pending.transition_to(Shipped).is_err());
        assert!(Cancelled.transition_to(Pending).is_err());
        assert!(Delivered.transition_to(Cancelled).is_err());
        assert!(Returned.transition_to(Delivered).is_err());
    }

    #[test]
    fn a_step_back_is_one_step_and_never_out_of_an_end() {
        use OrderStatus::*;
        assert_eq!(Delivered.step_back(), Some(Shipped));
        assert_eq!(Confirmed.step_back(), Some(Pending));
        assert_eq!(Pending.step_back(), None);
        assert_eq!(Cancelled.step_back(), None);
        assert_eq!(Returned.step_back(), None);
    }
}

//! Where an order stands, and the moves the shop allows.

use serde::{Deserialize, Serialize};

/// Where an order stands. Pending → confirmed → processing → shipped →
/// delivered; pending, confirmed and processing orders can be cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OrderStatus {
    Pending,
    Confirmed,
    Processing,
    Shipped,
    Delivered,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 6] = [
        OrderStatus::Pending,
        OrderStatus::Confirmed,
        OrderStatus::Processing,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
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

    /// Words for a person, in French.
    pub fn label_fr(self) -> &'static str {
        match self {
            OrderStatus::Pending => "en attente",
            OrderStatus::Confirmed => "confirmée",
            OrderStatus::Processing => "en préparation",
            OrderStatus::Shipped => "expédiée",
            OrderStatus::Delivered => "livrée",
            OrderStatus::Cancelled => "annulée",
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
    }
}

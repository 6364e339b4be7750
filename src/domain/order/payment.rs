//! What the shop was paid for an order: most orders in Abidjan are paid
//! in cash or by mobile money on delivery, so the desk records it by hand.

use serde::{Deserialize, Serialize};

use crate::domain::invalid::{Checker, FieldError, ValidationError, optional_text};

/// A payment's reference (a Wave or Orange Money transaction number).
pub const PAYMENT_REFERENCE_CHARS_MAX: usize = 100;
/// A recorded amount may be at most this many times the order's total:
/// beyond it, a slip of the keyboard (a zero too many), never a payment.
pub const PAYMENT_TOTAL_FACTOR_MAX: i64 = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PaymentStatus {
    Unpaid,
    Paid,
    Refunded,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 3] = [
        PaymentStatus::Unpaid,
        PaymentStatus::Paid,
        PaymentStatus::Refunded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Unpaid => "unpaid",
            PaymentStatus::Paid => "paid",
            PaymentStatus::Refunded => "refunded",
        }
    }

    pub fn parse(raw: &str) -> Option<PaymentStatus> {
        PaymentStatus::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// The field error for a word that names no payment status.
    pub fn unknown(field: &str, raw: &str) -> FieldError {
        FieldError::new(
            field,
            format!("Statut de paiement inconnu « {raw} » (unpaid, paid ou refunded)."),
            format!("Unknown payment status `{raw}` (unpaid, paid or refunded)."),
        )
    }
}

/// How the buyer paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Cash,
    Wave,
    OrangeMoney,
    MtnMomo,
    MoovMoney,
    Card,
    Other,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 7] = [
        PaymentMethod::Cash,
        PaymentMethod::Wave,
        PaymentMethod::OrangeMoney,
        PaymentMethod::MtnMomo,
        PaymentMethod::MoovMoney,
        PaymentMethod::Card,
        PaymentMethod::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Wave => "wave",
            PaymentMethod::OrangeMoney => "orange_money",
            PaymentMethod::MtnMomo => "mtn_momo",
            PaymentMethod::MoovMoney => "moov_money",
            PaymentMethod::Card => "card",
            PaymentMethod::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<PaymentMethod> {
        PaymentMethod::ALL.into_iter().find(|m| m.as_str() == raw)
    }

    /// The method as the shop names it.
    pub fn label_fr(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "espèces",
            PaymentMethod::Wave => "Wave",
            PaymentMethod::OrangeMoney => "Orange Money",
            PaymentMethod::MtnMomo => "MTN MoMo",
            PaymentMethod::MoovMoney => "Moov Money",
            PaymentMethod::Card => "carte",
            PaymentMethod::Other => "autre moyen",
        }
    }
}

/// An order's payment as the desk last recorded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Payment {
    pub status: PaymentStatus,
    pub method: Option<PaymentMethod>,
    /// In the order's currency, minor units.
    pub amount: i64,
    pub reference: Option<String>,
}

impl Payment {
    pub const UNPAID: Payment = Payment {
        status: PaymentStatus::Unpaid,
        method: None,
        amount: 0,
        reference: None,
    };
}

/// A payment as a request gives it, before it is checked.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = PaymentInput)]
pub struct PaymentInput {
    #[schema(value_type = PaymentStatus, required)]
    pub status: Option<String>,
    #[schema(value_type = Option<PaymentMethod>)]
    pub method: Option<String>,
    /// Minor units of the order's currency; 0 up to 100 times the order's
    /// total. Without it: the total when paid, what was paid when
    /// refunded, 0 when unpaid.
    pub amount: Option<i64>,
    #[schema(max_length = 100)]
    pub reference: Option<String>,
    /// When given, must be the shop's currency (`GET /api/v1/shop`).
    pub currency: Option<String>,
}

impl PaymentInput {
    /// The payment to record on an order of `total` in `currency`, whose
    /// payment is `before`; every mistake named at once. A paid or
    /// refunded payment names its method; an unpaid one has none.
    pub fn check(
        &self,
        total: i64,
        currency: &str,
        before: &Payment,
    ) -> Result<Payment, ValidationError> {
        let mut checker = Checker::default();
        let status = checker.check(match self.status.as_deref() {
            None => Err(FieldError::required("status")),
            Some(raw) => {
                PaymentStatus::parse(raw).ok_or_else(|| PaymentStatus::unknown("status", raw))
            }
        });
        let method = checker.check(
            self.method
                .as_deref()
                .map(|raw| {
                    PaymentMethod::parse(raw).ok_or_else(|| {
                        FieldError::new(
                            "method",
                            format!("Moyen de paiement inconnu « {raw} » (cash, wave, orange_money, mtn_momo, moov_money, card ou other)."),
                            format!("Unknown payment method `{raw}` (cash, wave, orange_money, mtn_momo, moov_money, card or other)."),
                        )
                    })
                })
                .transpose(),
        );
        let reference = checker.check(optional_text(
            "reference",
            self.reference.as_deref(),
            PAYMENT_REFERENCE_CHARS_MAX,
            false,
        ));
        if let Some(given) = self.currency.as_deref()
            && given != currency
        {
            checker.push(FieldError::new(
                "currency",
                format!("La commande est en {currency}, pas en « {given} »."),
                format!("The order is in {currency}, not `{given}`."),
            ));
        }
        let most = total.saturating_mul(PAYMENT_TOTAL_FACTOR_MAX);
        if let Some(amount) = self.amount
            && !(0..=most).contains(&amount)
        {
            checker.push(FieldError::new(
                "amount",
                format!(
                    "Le montant doit être entre 0 et {most} (cent fois le total de la commande)."
                ),
                format!("The amount must be from 0 to {most} (a hundred times the order's total)."),
            ));
        }
        let settled = matches!(status, Some(PaymentStatus::Paid | PaymentStatus::Refunded));
        if settled && matches!(method, Some(None)) {
            checker.push(FieldError::new(
                "method",
                "Indiquez le moyen de paiement (espèces, Wave, Orange Money…).",
                "Give the payment method (cash, wave, orange_money…).",
            ));
        }
        checker.finish()?;
        let (status, method, reference) = (
            status.expect("checked"),
            method.expect("checked"),
            reference.expect("checked"),
        );
        let amount = self.amount.unwrap_or(match status {
            PaymentStatus::Paid => total,
            PaymentStatus::Refunded => before.amount,
            PaymentStatus::Unpaid => 0,
        });
        Ok(match status {
            PaymentStatus::Unpaid => Payment {
                status,
                method: None,
                amount,
                reference,
            },
            _ => Payment {
                status,
                method,
                amount,
                reference,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(status: &str, method: Option<&str>, amount: Option<i64>) -> PaymentInput {
        PaymentInput {
            status: Some(status.into()),
            method: method.map(Into::into),
            amount,
            ..PaymentInput::default()
        }
    }

    #[test]
    fn a_payment_without_an_amount_is_the_total() {
        let paid = input("paid", Some("wave"), None)
            .check(25_000, "XOF", &Payment::UNPAID)
            .expect("valid");
        assert_eq!(paid.amount, 25_000);
        assert_eq!(paid.method, Some(PaymentMethod::Wave));
    }

    #[test]
    fn bad_payments_name_their_fields() {
        let fields = |input: PaymentInput| {
            input
                .check(1_000, "XOF", &Payment::UNPAID)
                .expect_err("refused")
                .0
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(fields(input("paye", Some("wave"), None)), ["status"]);
        assert_eq!(fields(input("paid", Some("bitcoin"), None)), ["method"]);
        assert_eq!(fields(input("paid", None, None)), ["method"]);
        assert_eq!(fields(input("paid", Some("cash"), Some(-1))), ["amount"]);
        assert_eq!(
            fields(input("paid", Some("cash"), Some(100_001))),
            ["amount"]
        );
        let mut euros = input("paid", Some("cash"), Some(1_000));
        euros.currency = Some("EUR".into());
        assert_eq!(fields(euros), ["currency"]);
    }

    #[test]
    fn an_unpaid_order_has_no_method() {
        let unpaid = input("unpaid", Some("cash"), None)
            .check(1_000, "XOF", &Payment::UNPAID)
            .expect("valid");
        assert_eq!(unpaid, Payment::UNPAID);
    }
}

//! The audit: proof, per variant, that ledger = stock = orders, preorder
//! places and allocations included.

use serde::Serialize;

use super::stock::LowStockRule;

/// The whole report of `GET /api/v1/admin/audit`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditReport {
    pub consistent: bool,
    pub reference_date: String,
    pub negative_stock: Vec<NegativeStock>,
    /// Customers whose count toward the per-customer limit is not what
    /// their orders say (empty when all agree).
    pub customer_counts: Vec<CustomerCountMismatch>,
    /// Preorders in all: places taken, units allocated, and the variants
    /// whose figures disagree.
    pub preorders: PreorderAudit,
    pub variants: Vec<AuditRow>,
}

/// The preorders as the audit sees them, over every variant.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PreorderAudit {
    /// Units of preorder lines waiting for stock, as the stock rows count them.
    pub waiting: i64,
    /// Units restocks ever gave to preorder lines, from the ledger.
    pub allocated: i64,
    /// Variants whose places taken or allocations disagree (empty when all agree).
    pub mismatches: Vec<PreorderMismatch>,
}

/// One variant's preorder figures, each counted two ways: places taken
/// on its stock row against the units its waiting lines lack (orders not
/// cancelled), and units allocated in the ledger (`preorder_allocation`
/// movements) against the units its lines say they were given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PreorderMismatch {
    pub sku: String,
    /// `stock.preorder_waiting`.
    pub waiting: i64,
    /// What its preorder lines not yet allocated, in orders not cancelled, add up to.
    pub waiting_in_orders: i64,
    /// − the sum of its `preorder_allocation` movements.
    pub allocated_in_ledger: i64,
    /// The sum of its order lines' `allocated`.
    pub allocated_in_orders: i64,
}

impl PreorderMismatch {
    /// Whether both figures agree both ways.
    pub fn agrees(&self) -> bool {
        self.waiting == self.waiting_in_orders
            && self.allocated_in_ledger == self.allocated_in_orders
    }
}

impl AuditReport {
    /// The report on what one snapshot held: every variant's row, the
    /// negative stock rows, and each customer's orders counting toward the
    /// limit, by phone, from the orders (`from_orders`) and as kept
    /// (`kept`). Consistent when nothing is negative, off or anomalous.
    pub fn new(
        reference_date: String,
        variants: Vec<AuditRow>,
        negative_stock: Vec<NegativeStock>,
        from_orders: Vec<(String, i64)>,
        kept: Vec<(String, i64)>,
    ) -> AuditReport {
        let customer_counts = customer_count_mismatches(from_orders, kept);
        let preorders = PreorderAudit {
            waiting: variants.iter().map(|v| v.preorder_waiting).sum(),
            allocated: variants
                .iter()
                .map(|v| v.preorders.allocated_in_ledger)
                .sum(),
            mismatches: variants
                .iter()
                .filter(|v| !v.preorders.agrees())
                .map(|v| v.preorders.clone())
                .collect(),
        };
        let consistent = negative_stock.is_empty()
            && customer_counts.is_empty()
            && preorders.mismatches.is_empty()
            && variants.iter().all(|v| v.status != AuditStatus::Anomaly);
        AuditReport {
            consistent,
            reference_date,
            negative_stock,
            customer_counts,
            preorders,
            variants,
        }
    }
}

impl AuditReport {
    /// The skus the report finds wrong: an anomalous row or stock below
    /// zero, sorted, each once (what `audit.anomaly` carries).
    pub fn anomalous_skus(&self) -> Vec<String> {
        let mut skus: Vec<String> = self
            .variants
            .iter()
            .filter(|v| v.status == AuditStatus::Anomaly)
            .map(|v| v.sku.clone())
            .chain(self.negative_stock.iter().map(|n| n.sku.clone()))
            .collect();
        skus.sort();
        skus.dedup();
        skus
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct NegativeStock {
    pub sku: String,
    pub available: i64,
}

/// A customer's kept count of orders toward the limit against the orders
/// themselves: placed since the reference date and not cancelled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CustomerCountMismatch {
    /// Normalised: `+` and digits.
    pub phone: String,
    pub counted: i64,
    pub expected: i64,
}

/// The customers whose kept count differs from their orders' (each list
/// by phone, a phone at most once), in phone order.
pub fn customer_count_mismatches(
    from_orders: Vec<(String, i64)>,
    kept: Vec<(String, i64)>,
) -> Vec<CustomerCountMismatch> {
    let mut expected: std::collections::BTreeMap<String, (i64, i64)> = from_orders
        .into_iter()
        .map(|(phone, n)| (phone, (0, n)))
        .collect();
    for (phone, counted) in kept {
        expected.entry(phone).or_default().0 = counted;
    }
    expected
        .into_iter()
        .filter(|(_, (counted, expected))| counted != expected)
        .map(|(phone, (counted, expected))| CustomerCountMismatch {
            phone,
            counted,
            expected,
        })
        .collect()
}

/// What the ledger says happened to one variant since the reference date.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LedgerTotals {
    /// Everything before the reference date, plus `initial` movements after it.
    pub initial: i64,
    pub restocked: i64,
    /// Signed sum of adjustments.
    pub adjusted: i64,
    /// Units sold, as a positive number.
    pub sold: i64,
    /// Units back on the shelf from cancellations and returns.
    pub returned: i64,
    /// Units restocks gave to waiting preorder lines, as a positive number.
    pub allocated: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditStatus {
    Ok,
    Low,
    SoldOut,
    Anomaly,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditRow {
    pub sku: String,
    pub product_id: String,
    pub title: String,
    pub size: String,
    pub color: Option<String>,
    pub initial: i64,
    pub restocked: i64,
    pub adjusted: i64,
    pub sold: i64,
    pub returned: i64,
    /// Units given to waiting preorder lines since the reference date.
    pub allocated: i64,
    /// initial + restocked + adjusted − sold + returned − allocated.
    pub expected: i64,
    pub available: i64,
    pub difference: i64,
    /// Units of preorder lines waiting for stock: the places taken.
    pub preorder_waiting: i64,
    pub status: AuditStatus,
    /// Its preorder figures counted both ways, for the report's mismatches.
    #[serde(skip)]
    pub preorders: PreorderMismatch,
}

impl AuditStatus {
    /// The name the API, the CSV and the CLI use.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditStatus::Ok => "ok",
            AuditStatus::Low => "low",
            AuditStatus::SoldOut => "sold_out",
            AuditStatus::Anomaly => "anomaly",
        }
    }
}

/// Status precedence: anomaly > sold out > low > ok; low by the shop's
/// one rule, with the variant's own threshold if it has one.
pub fn status(
    totals: &LedgerTotals,
    available: i64,
    difference: i64,
    low: (&LowStockRule, Option<i64>),
) -> AuditStatus {
    let (rule, own_threshold) = low;
    if difference != 0 {
        AuditStatus::Anomaly
    } else if available == 0 {
        AuditStatus::SoldOut
    } else if rule.is_low(available, own_threshold, totals.initial + totals.restocked) {
        AuditStatus::Low
    } else {
        AuditStatus::Ok
    }
}

/// Which variant an audit row is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditedVariant {
    pub sku: String,
    pub product_id: String,
    pub title: String,
    pub size: String,
    pub color: Option<String>,
}

impl AuditRow {
    /// One variant's row: the stock the ledger expects, the difference with
    /// the stock row, and the status. A ledger whose sales or cancellations
    /// differ from the orders' own lines is an anomaly too.
    pub fn new(
        variant: AuditedVariant,
        totals: LedgerTotals,
        available: i64,
        ledger_matches_orders: bool,
        low: (&LowStockRule, Option<i64>),
    ) -> AuditRow {
        let expected = totals.expected();
        let difference = available - expected;
        let status = if ledger_matches_orders {
            status(&totals, available, difference, low)
        } else {
            AuditStatus::Anomaly
        };
        AuditRow {
            sku: variant.sku,
            product_id: variant.product_id,
            title: variant.title,
            size: variant.size,
            color: variant.color,
            initial: totals.initial,
            restocked: totals.restocked,
            adjusted: totals.adjusted,
            sold: totals.sold,
            returned: totals.returned,
            allocated: totals.allocated,
            expected,
            available,
            difference,
            preorder_waiting: 0,
            status,
            preorders: PreorderMismatch::default(),
        }
    }

    /// The row with its preorder figures; an anomaly when they disagree.
    pub fn with_preorders(mut self, figures: PreorderMismatch) -> AuditRow {
        if !figures.agrees() {
            self.status = AuditStatus::Anomaly;
        }
        self.preorder_waiting = figures.waiting;
        self.preorders = PreorderMismatch {
            sku: self.sku.clone(),
            ..figures
        };
        self
    }
}

impl LedgerTotals {
    pub fn expected(&self) -> i64 {
        self.initial + self.restocked + self.adjusted - self.sold + self.returned - self.allocated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn totals(initial: i64, restocked: i64) -> LedgerTotals {
        LedgerTotals {
            initial,
            restocked,
            ..Default::default()
        }
    }

    const BY_PERCENT: LowStockRule = LowStockRule {
        units: None,
        percent: 20,
    };
    const BY_UNITS: LowStockRule = LowStockRule {
        units: Some(2),
        percent: 20,
    };

    #[test]
    fn a_difference_is_an_anomaly_before_anything_else() {
        let low = (&BY_PERCENT, None);
        assert_eq!(status(&totals(10, 0), 0, -1, low), AuditStatus::Anomaly);
    }

    #[test]
    fn stock_at_or_under_the_low_percent_is_low_and_zero_is_sold_out() {
        let low = (&BY_PERCENT, None);
        assert_eq!(status(&totals(8, 2), 2, 0, low), AuditStatus::Low);
        assert_eq!(status(&totals(8, 2), 3, 0, low), AuditStatus::Ok);
        assert_eq!(status(&totals(8, 2), 0, 0, low), AuditStatus::SoldOut);
    }

    #[test]
    fn a_variant_s_own_threshold_comes_before_the_shop_s_units_and_percent() {
        assert_eq!(
            status(&totals(100, 0), 2, 0, (&BY_UNITS, None)),
            AuditStatus::Low
        );
        assert_eq!(
            status(&totals(100, 0), 3, 0, (&BY_UNITS, None)),
            AuditStatus::Ok
        );
        assert_eq!(
            status(&totals(100, 0), 5, 0, (&BY_UNITS, Some(5))),
            AuditStatus::Low
        );
        assert_eq!(
            status(&totals(10, 0), 2, 0, (&BY_PERCENT, Some(1))),
            AuditStatus::Ok
        );
    }

    #[test]
    fn expected_stock_follows_the_ledger() {
        let t = LedgerTotals {
            initial: 10,
            restocked: 5,
            adjusted: -2,
            sold: 7,
            returned: 1,
            allocated: 3,
        };
        assert_eq!(t.expected(), 4);
    }

    #[test]
    fn preorder_figures_that_disagree_make_the_row_an_anomaly() {
        let rule = BY_UNITS;
        let variant = || AuditedVariant {
            sku: "A".into(),
            product_id: "p".into(),
            title: "Robe".into(),
            size: "M".into(),
            color: None,
        };
        let row = || AuditRow::new(variant(), totals(5, 0), 5, true, (&rule, None));
        let agreeing = PreorderMismatch {
            waiting: 2,
            waiting_in_orders: 2,
            allocated_in_ledger: 3,
            allocated_in_orders: 3,
            ..Default::default()
        };
        assert_eq!(
            row().with_preorders(agreeing.clone()).status,
            AuditStatus::Ok
        );
        let places_off = PreorderMismatch {
            waiting: 1,
            ..agreeing.clone()
        };
        assert_eq!(
            row().with_preorders(places_off).status,
            AuditStatus::Anomaly
        );
        let ledger_off = PreorderMismatch {
            allocated_in_orders: 2,
            ..agreeing
        };
        let off = row().with_preorders(ledger_off);
        assert_eq!(off.status, AuditStatus::Anomaly);
        assert_eq!(off.preorders.sku, "A");
        let date = "2026-01-01T00:00:00.000000Z".to_owned();
        let report = AuditReport::new(date, vec![off], vec![], vec![], vec![]);
        assert!(!report.consistent);
        assert_eq!(report.preorders.mismatches.len(), 1);
        assert_eq!(
            (report.preorders.waiting, report.preorders.allocated),
            (2, 3)
        );
    }
}

#[cfg(test)]
mod report_tests {
    use super::*;

    fn row(sku: &str, available: i64, initial: i64) -> AuditRow {
        let variant = AuditedVariant {
            sku: sku.into(),
            product_id: "p".into(),
            title: "Robe".into(),
            size: "M".into(),
            color: None,
        };
        let totals = LedgerTotals {
            initial,
            ..Default::default()
        };
        let rule = LowStockRule {
            units: None,
            percent: 20,
        };
        AuditRow::new(variant, totals, available, true, (&rule, None))
    }

    #[test]
    fn a_report_is_consistent_only_when_nothing_is_negative_off_or_anomalous() {
        let date = "2026-01-01T00:00:00.000000Z".to_owned();
        let counts = || vec![("+225".to_owned(), 1)];
        let fine = AuditReport::new(
            date.clone(),
            vec![row("A", 5, 5)],
            vec![],
            counts(),
            counts(),
        );
        assert!(fine.consistent);
        let anomaly = AuditReport::new(date.clone(), vec![row("A", 4, 5)], vec![], vec![], vec![]);
        assert!(!anomaly.consistent);
        let negative = NegativeStock {
            sku: "A".into(),
            available: -1,
        };
        assert!(!AuditReport::new(date.clone(), vec![], vec![negative], vec![], vec![]).consistent);
        let off = AuditReport::new(date, vec![], vec![], counts(), vec![]);
        assert!(!off.consistent);
        assert_eq!(off.customer_counts.len(), 1);
    }
}

#[cfg(test)]
mod customer_count_tests {
    use super::*;

    fn pairs(list: &[(&str, i64)]) -> Vec<(String, i64)> {
        list.iter().map(|(p, n)| ((*p).to_owned(), *n)).collect()
    }

    #[test]
    fn only_customers_whose_count_differs_are_listed_with_both_figures() {
        let from_orders = pairs(&[("+1", 2), ("+2", 1), ("+4", 3)]);
        // +3 has a row but no order counting any more; +4 has no row at all.
        let kept = pairs(&[("+1", 2), ("+2", 5), ("+3", 0), ("+5", 1)]);
        let off: Vec<(String, i64, i64)> = customer_count_mismatches(from_orders, kept)
            .into_iter()
            .map(|c| (c.phone, c.counted, c.expected))
            .collect();
        assert_eq!(
            off,
            vec![
                ("+2".to_owned(), 5, 1),
                ("+4".to_owned(), 0, 3),
                ("+5".to_owned(), 1, 0)
            ]
        );
    }
}

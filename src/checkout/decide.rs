//! The decision: a batch's checkouts against what the database holds, one
//! after the other, exactly as if they had come one at a time. Pure: no
//! I/O, and the time is an input.
//!
//! Each checkout, in this order of rules (the first that applies answers):
//! 1. its idempotency key: an answer kept for it (in the database, or by an
//!    earlier checkout of this batch) is replayed for the same body, and the
//!    key is refused for another body (422); an answer past its keep time
//!    counts as none;
//! 2. every line names a sku the catalog has (422 naming the first that is
//!    not), the phone is a valid number once normalised, the delivery
//!    zone, if any, is one of the shop's, and the pickup number is given
//!    when the shop's settings require one (422);
//!    A drop the order names must exist, and a preorder line must be of a
//!    variant whose preorders are open and whose stock is 0 (422);
//! 3. every line's variant is for sale: its product active, the variant
//!    not retired (409 `product_unavailable` naming each line that is not;
//!    an answer of the moment, not kept with the key);
//! 4. the drops' windows (`drops.rs`): the drop the order names is live,
//!    and no line is of a drop hidden until its start (409
//!    `drop_not_started` or `drop_ended`; not kept);
//! 5. the per-customer limit: orders counted since the reference date;
//! 6. each drop's cap: the customer's units over its lines (409
//!    `drop_limit_reached`, kept);
//! 7. the stock: every line the stock cannot serve is named, with what is
//!    left: a drop's line is served within its drop's units too, a
//!    preorder line within the variant's preorder places;
//! 8. the price: with `expected_total`, the server's total (lines at
//!    today's prices, a drop's lines at its price, and the zone's fee)
//!    must be what the buyer was shown (409 `price_changed` with every
//!    line's price; not kept);
//! 9. placed: each line at the server's price, its units taken (from the
//!    drop too), or its preorder places, the customer counted (in each
//!    drop too), the answer kept with the key.
//!
//! A checkout refused while it touched a drop is counted on that drop, by
//! its code: the drop's live page shows them.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::CheckoutRequest;
use super::drops::{self, LineWay};
use crate::domain::FieldError;
use crate::domain::batch::{
    BatchNeeds, BatchSnapshot, BatchWrites, DropCount, DropUnitsTaken, KeptOutcome, KeyToKeep,
    OrderToWrite, StockTaken, VariantForSale,
};
use crate::domain::events::{NewEvent, stock_crossing};
use crate::domain::order::{
    CheckoutRefusal, CustomerView, Order, OrderLine, OrderStatus, PriceChange, PricedLine,
    RequestedLine, ShortLine, UnavailableLine,
};
use crate::domain::phone::Phone;
use crate::domain::product::folded;
use crate::domain::settings::Settings;
use crate::domain::shop::DeliveryZone;
use crate::domain::sku::Sku;
use crate::domain::tokens::{hash_token, order_access_token};
use crate::domain::{ValidationError, time};
use crate::store::StoreError;

/// What every checkout of a batch is decided with, besides the snapshot.
#[derive(Clone, Debug)]
pub struct Rules {
    /// ISO 4217 code of the shop's prices.
    pub currency: String,
    /// Order access tokens are derived from it.
    pub shop_secret: String,
    /// How long a kept answer is replayed.
    pub idempotency_ttl: chrono::Duration,
}

/// What became of one checkout of the batch.
#[derive(Clone, Debug)]
pub enum Decision {
    /// Placed: the order is `BatchWrites::orders[order]`.
    Placed {
        order: usize,
        access_token: String,
    },
    Refused(CheckoutRefusal),
    /// The answer kept for its key, given again.
    Replay(KeptOutcome),
    /// Answered without keeping the answer with the key: not a checkout
    /// the shop can take (422), or a refusal of the moment
    /// (`product_unavailable`).
    Unkept(StoreError),
}

/// The keys, customers and skus a batch names, for the store to read and lock.
pub fn needs(requests: &[&CheckoutRequest], settings: &Settings, now: DateTime<Utc>) -> BatchNeeds {
    let mut needs = BatchNeeds {
        at: time::format(now),
        ..BatchNeeds::default()
    };
    for request in requests {
        if let Some(slug) = &request.order.drop {
            needs.drop_slugs.push(slug.clone());
        }
        if let Some(key) = &request.idempotency {
            needs.keys.push(key.key.clone());
        }
        if let Ok(phone) = customer_phone(request, settings) {
            needs.phones.push(phone);
        }
        needs
            .skus
            .extend(request.order.lines.iter().map(|l| l.sku.clone()));
    }
    needs.keys.sort_unstable();
    needs.keys.dedup();
    needs.phones.sort_unstable();
    needs.phones.dedup();
    needs.skus.sort_unstable();
    needs.skus.dedup();
    needs.drop_slugs.sort_unstable();
    needs.drop_slugs.dedup();
    needs
}

/// Decides every checkout, in order, against the snapshot as the earlier
/// ones leave it; answers the writes and each checkout's decision.
pub fn decide(
    snapshot: &BatchSnapshot,
    requests: &[&CheckoutRequest],
    rules: &Rules,
    now: DateTime<Utc>,
) -> (BatchWrites, Vec<Decision>) {
    let mut batch = Running::new(snapshot, rules, now);
    let decisions = requests
        .iter()
        .map(|request| batch.decide(request))
        .collect();
    (batch.into_writes(), decisions)
}

/// The batch as its earlier checkouts left it.
struct Running<'s> {
    snapshot: &'s BatchSnapshot,
    rules: &'s Rules,
    at: DateTime<Utc>,
    /// `at` as stored.
    now: String,
    /// Only answers kept at or after this instant are replayed.
    oldest_kept: String,
    /// Units on hand by sku, where this batch changed them.
    levels: HashMap<&'s str, i64>,
    /// Orders counted by normalised phone, where this batch changed them.
    counted: HashMap<String, i64>,
    /// Units left of drop lines, by drop index and sku, where this batch
    /// changed them.
    drop_left: HashMap<(usize, &'s str), i64>,
    /// Units bought in drops, by drop index and normalised phone, where
    /// this batch changed them.
    drop_bought: HashMap<(usize, String), i64>,
    /// Preorder places taken by sku, where this batch changed them.
    waiting: HashMap<&'s str, i64>,
    /// Refusals of checkouts that touched a drop, by drop index and code.
    drop_refusals: BTreeMap<(usize, &'static str), i64>,
    /// The drops the checkout being decided touched.
    touched: Vec<usize>,
    /// Answers kept by this batch, by key, with their request's hash.
    kept: BTreeMap<String, (String, KeptOutcome)>,
    /// Keys whose checkout was decided afresh and kept nothing.
    unkept: HashSet<String>,
    writes: BatchWrites,
}

impl<'s> Running<'s> {
    fn new(snapshot: &'s BatchSnapshot, rules: &'s Rules, now: DateTime<Utc>) -> Self {
        Running {
            snapshot,
            rules,
            at: now,
            now: time::format(now),
            oldest_kept: time::format(now - rules.idempotency_ttl),
            levels: HashMap::new(),
            counted: HashMap::new(),
            drop_left: HashMap::new(),
            drop_bought: HashMap::new(),
            waiting: HashMap::new(),
            drop_refusals: BTreeMap::new(),
            touched: Vec::new(),
            kept: BTreeMap::new(),
            unkept: HashSet::new(),
            writes: BatchWrites::default(),
        }
    }

    fn decide(&mut self, request: &CheckoutRequest) -> Decision {
        if let Some(key) = &request.idempotency
            && let Some(earlier) = self.earlier_answer(&key.key)
        {
            return if earlier.0 == key.request_hash {
                Decision::Replay(earlier.1)
            } else {
                Decision::Unkept(StoreError::IdempotencyKeyReused)
            };
        }
        self.touched.clear();
        let decision = self.decide_afresh(request);
        self.count_drop_refusal(&decision);
        if let Some(key) = &request.idempotency {
            let kept = match &decision {
                Decision::Placed { order, .. } => Some(KeptOutcome::Placed {
                    order_id: self.writes.orders[*order].order.id.clone(),
                }),
                Decision::Refused(refusal) => Some(KeptOutcome::Refused {
                    refusal: refusal.clone(),
                    lang: request.lang,
                }),
                Decision::Replay(_) | Decision::Unkept(_) => None,
            };
            match kept {
                Some(outcome) => {
                    self.unkept.remove(&key.key);
                    self.kept
                        .insert(key.key.clone(), (key.request_hash.clone(), outcome));
                }
                None => {
                    self.unkept.insert(key.key.clone());
                }
            }
        }
        decision
    }

    /// The answer kept for `key` by this batch, or in the database within
    /// its keep time, with the hash of the body it answered.
    fn earlier_answer(&self, key: &str) -> Option<(String, KeptOutcome)> {
        if let Some(kept) = self.kept.get(key) {
            return Some(kept.clone());
        }
        let stored = self.snapshot.answers.get(key)?;
        (stored.created_at >= self.oldest_kept)
            .then(|| (stored.request_hash.clone(), stored.outcome.clone()))
    }

    fn decide_afresh(&mut self, request: &CheckoutRequest) -> Decision {
        let order = &request.order;
        let variants = match self.variants_of(&order.lines) {
            Ok(variants) => variants,
            Err(invalid) => return Decision::Unkept(invalid),
        };
        let phone = match customer_phone(request, &self.snapshot.settings) {
            Ok(phone) => phone,
            Err(invalid) => return Decision::Unkept(invalid),
        };
        let zone = match self.zone_of(request) {
            Ok(zone) => zone,
            Err(invalid) => return Decision::Unkept(invalid),
        };
        if let Err(invalid) = self.pickup_number_given(request) {
            return Decision::Unkept(invalid);
        }
        let named = match drops::named_drop(self.snapshot, order.drop.as_deref()) {
            Ok(named) => named,
            Err(invalid) => return Decision::Unkept(invalid),
        };
        if let Some((index, _)) = named {
            self.touched.push(index);
        }
        if let Err(invalid) = self.preorders_allowed(&order.lines, &variants) {
            return Decision::Unkept(invalid);
        }
        let unavailable: Vec<UnavailableLine> = order
            .lines
            .iter()
            .zip(&variants)
            .filter(|(_, variant)| !variant.for_sale)
            .map(|(line, variant)| unavailable_line(line, variant))
            .collect();
        if !unavailable.is_empty() {
            return Decision::Unkept(StoreError::ProductUnavailable(unavailable));
        }
        if let Some((_, drop)) = named
            && let Err(outside) = drops::check_named(drop, &self.now)
        {
            return Decision::Unkept(outside);
        }
        let ways = match drops::line_ways(self.snapshot, &order.lines, &self.now) {
            Ok(ways) => ways,
            Err((index, refused)) => {
                self.touched.push(index);
                return Decision::Unkept(refused);
            }
        };
        self.touched.extend(ways.iter().filter_map(|way| match way {
            LineWay::Drop(index) => Some(*index),
            LineWay::Stock | LineWay::Preorder => None,
        }));
        if let Some(limit) = self.snapshot.settings.order_limit_per_customer
            && self.orders_counted(&phone) >= limit
        {
            return Decision::Refused(CheckoutRefusal::OrderLimitReached { limit });
        }
        if let Some(refusal) = self.over_a_drop_cap(&order.lines, &ways, &phone) {
            return Decision::Refused(refusal);
        }
        let short: Vec<ShortLine> = order
            .lines
            .iter()
            .zip(&variants)
            .zip(&ways)
            .filter_map(|((line, variant), way)| {
                let available = self.servable(variant, *way);
                (available < line.quantity).then(|| short_line(line, variant, available))
            })
            .collect();
        if !short.is_empty() {
            return Decision::Refused(CheckoutRefusal::InsufficientStock(short));
        }
        let order = new_order(
            request,
            &variants,
            &ways,
            self.snapshot,
            zone,
            &self.rules.currency,
            self.at,
        );
        if let Some(expected_total) = request.order.expected_total
            && expected_total != order.total
        {
            return Decision::Unkept(StoreError::PriceChanged(price_change(
                &order,
                expected_total,
            )));
        }
        self.place(request, order, &variants, &ways, phone)
    }

    /// Every preorder line is of a variant whose preorders are open and
    /// whose stock is 0, as the batch left it; a 422 naming each that is not.
    fn preorders_allowed(
        &self,
        lines: &[RequestedLine],
        variants: &[&VariantForSale],
    ) -> Result<(), StoreError> {
        let refused: Vec<FieldError> = lines
            .iter()
            .zip(variants)
            .filter(|(line, _)| line.preorder)
            .filter_map(|(line, variant)| {
                drops::check_preorder(line, variant, self.level(variant)).err()
            })
            .collect();
        if refused.is_empty() {
            Ok(())
        } else {
            Err(ValidationError(refused).into())
        }
    }

    /// The first drop whose cap the order would take the customer past.
    fn over_a_drop_cap(
        &self,
        lines: &[RequestedLine],
        ways: &[LineWay],
        phone: &Phone,
    ) -> Option<CheckoutRefusal> {
        let mut units: BTreeMap<usize, i64> = BTreeMap::new();
        for (line, way) in lines.iter().zip(ways) {
            if let LineWay::Drop(index) = way {
                *units.entry(*index).or_default() += line.quantity;
            }
        }
        units.into_iter().find_map(|(index, units)| {
            let drop = &self.snapshot.drops[index];
            let limit = drop.max_units_per_customer?;
            let bought = self.bought_in(index, phone.as_str());
            (bought + units > limit).then(|| CheckoutRefusal::DropLimitReached {
                drop: drop.name.clone(),
                limit,
                bought,
            })
        })
    }

    /// Units the line's way can serve now: the stock, within its drop's
    /// units left for a drop's line; the places left for a preorder.
    fn servable(&self, variant: &VariantForSale, way: LineWay) -> i64 {
        match way {
            LineWay::Stock => self.level(variant),
            LineWay::Drop(index) => self
                .level(variant)
                .min(self.drop_units_left(index, &variant.sku)),
            LineWay::Preorder => variant
                .preorder
                .as_ref()
                .map_or(0, |terms| (terms.cap - self.waiting_on(variant)).max(0)),
        }
    }

    fn drop_units_left(&self, index: usize, sku: &str) -> i64 {
        self.drop_left
            .get(&(index, sku))
            .copied()
            .unwrap_or_else(|| {
                self.snapshot.drops[index]
                    .lines
                    .get(sku)
                    .map_or(0, |line| line.remaining)
            })
    }

    fn bought_in(&self, index: usize, phone: &str) -> i64 {
        if let Some(bought) = self.drop_bought.get(&(index, phone.to_owned())) {
            return *bought;
        }
        let drop_id = self.snapshot.drops[index].id.clone();
        self.snapshot
            .drop_bought
            .get(&(drop_id, phone.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    fn waiting_on(&self, variant: &VariantForSale) -> i64 {
        self.waiting
            .get(variant.sku.as_str())
            .copied()
            .unwrap_or_else(|| variant.preorder.as_ref().map_or(0, |t| t.waiting))
    }

    /// Counts the refusal on every drop the checkout touched.
    fn count_drop_refusal(&mut self, decision: &Decision) {
        let code = match decision {
            Decision::Refused(refusal) => refusal.code(),
            Decision::Unkept(error) => match drops::refusal_code(error) {
                Some(code) => code,
                None => return,
            },
            Decision::Placed { .. } | Decision::Replay(_) => return,
        };
        let mut touched = std::mem::take(&mut self.touched);
        touched.sort_unstable();
        touched.dedup();
        for index in &touched {
            *self.drop_refusals.entry((*index, code)).or_default() += 1;
        }
        self.touched = touched;
    }

    /// The delivery zone the order names, if any; an unknown one is a 422.
    fn zone_of(&self, request: &CheckoutRequest) -> Result<Option<&'s DeliveryZone>, StoreError> {
        let Some(id) = request.order.delivery.zone.as_deref() else {
            return Ok(None);
        };
        self.snapshot.zones.get(id).map(Some).ok_or_else(|| {
            let unknown = FieldError::new(
                "delivery.zone",
                format!(
                    "La zone de livraison « {id} » n'existe pas : choisissez-en une de la liste."
                ),
                format!("There is no delivery zone `{id}`: pick one from the list."),
            );
            ValidationError::one(unknown).into()
        })
    }

    /// The pickup number, when the shop requires one: without it, a 422.
    fn pickup_number_given(&self, request: &CheckoutRequest) -> Result<(), StoreError> {
        let given = request.order.delivery.pickup_number.is_some();
        if given || !self.snapshot.settings.pickup_number_required {
            return Ok(());
        }
        let missing = FieldError::new(
            "delivery.pickup_number",
            "Indiquez votre numéro de retrait : la boutique en a besoin pour vous remettre votre colis.",
            "Give your pickup number: the shop needs it to hand over your parcel.",
        );
        Err(ValidationError::one(missing).into())
    }

    /// Each line's variant, in line order; the first unknown sku is a 422.
    fn variants_of(&self, lines: &[RequestedLine]) -> Result<Vec<&'s VariantForSale>, StoreError> {
        lines
            .iter()
            .map(|line| {
                self.snapshot
                    .variants
                    .get(line.sku.as_str())
                    .ok_or_else(|| ValidationError::one(Sku::unknown(line.sku.as_str())).into())
            })
            .collect()
    }

    fn level(&self, variant: &VariantForSale) -> i64 {
        self.levels
            .get(variant.sku.as_str())
            .copied()
            .unwrap_or(variant.available)
    }

    fn orders_counted(&self, phone: &Phone) -> i64 {
        let phone = phone.as_str();
        self.counted.get(phone).copied().unwrap_or_else(|| {
            self.snapshot
                .orders_counted
                .get(phone)
                .copied()
                .unwrap_or(0)
        })
    }

    fn place(
        &mut self,
        request: &CheckoutRequest,
        order: Order,
        variants: &[&'s VariantForSale],
        ways: &[LineWay],
        phone: Phone,
    ) -> Decision {
        let access_token = order_access_token(&self.rules.shop_secret, &order.id);
        let mut lines_left = Vec::with_capacity(variants.len());
        for ((line, variant), way) in request.order.lines.iter().zip(variants).zip(ways) {
            let sku = variant.sku.as_str();
            if let LineWay::Preorder = way {
                let waiting = self.waiting_on(variant) + line.quantity;
                self.waiting.insert(sku, waiting);
                lines_left.push(self.level(variant));
                continue;
            }
            if let LineWay::Drop(index) = way {
                let left = self.drop_units_left(*index, sku) - line.quantity;
                self.drop_left.insert((*index, sku), left);
                let bought = self.bought_in(*index, phone.as_str()) + line.quantity;
                self.drop_bought
                    .insert((*index, phone.as_str().to_owned()), bought);
            }
            let left = self.level(variant) - line.quantity;
            self.levels.insert(sku, left);
            lines_left.push(left);
        }
        // An order placed before the reference date (a clock behind the
        // settings) does not count toward the limit, as the audit counts.
        if self.now >= self.snapshot.settings.reference_date {
            let counted = self.orders_counted(&phone) + 1;
            self.counted.insert(phone.as_str().to_owned(), counted);
        }
        self.writes.orders.push(OrderToWrite {
            name_folded: folded(&order.customer.name),
            order,
            phone_normalised: phone.as_str().to_owned(),
            access_token_hash: hash_token(&access_token),
            lines_left,
        });
        Decision::Placed {
            order: self.writes.orders.len() - 1,
            access_token,
        }
    }

    fn into_writes(self) -> BatchWrites {
        let mut writes = self.writes;
        writes.decided_at = self.at;
        let mut stock: Vec<StockTaken> = self
            .levels
            .iter()
            .map(|(sku, left)| {
                let before = self.snapshot.variants[*sku].available;
                StockTaken {
                    sku: (*sku).to_owned(),
                    taken: before - left,
                    left: *left,
                }
            })
            .collect();
        stock.sort_unstable_by(|a, b| a.sku.cmp(&b.sku));
        let rule = self.snapshot.settings.low_stock_rule();
        writes.events = stock
            .iter()
            .filter_map(|taken| {
                let variant = &self.snapshot.variants[&taken.sku];
                let is_low = |n| rule.is_low(n, variant.low_stock_threshold, variant.received);
                let kind = stock_crossing(taken.left + taken.taken, taken.left, is_low)?;
                Some(NewEvent::stock(kind, &taken.sku, taken.left))
            })
            .collect();
        writes.stock = stock;
        let mut counts: Vec<(String, i64)> = self
            .counted
            .into_iter()
            .map(|(phone, counted)| {
                let before = self.snapshot.orders_counted.get(&phone).copied();
                let added = counted - before.unwrap_or(0);
                (phone, added)
            })
            .collect();
        counts.sort_unstable();
        writes.counts = counts;
        let drops = &self.snapshot.drops;
        writes.drop_units = self
            .drop_left
            .iter()
            .map(|((index, sku), left)| DropUnitsTaken {
                drop_id: drops[*index].id.clone(),
                sku: (*sku).to_owned(),
                taken: drops[*index].lines[*sku].remaining - left,
                left: *left,
            })
            .collect();
        writes
            .drop_units
            .sort_unstable_by(|a, b| (&a.drop_id, &a.sku).cmp(&(&b.drop_id, &b.sku)));
        writes.drop_customers = self
            .drop_bought
            .iter()
            .map(|((index, phone), bought)| {
                let id = &drops[*index].id;
                let before = self.snapshot.drop_bought.get(&(id.clone(), phone.clone()));
                DropCount {
                    drop_id: id.clone(),
                    key: phone.clone(),
                    added: bought - before.copied().unwrap_or(0),
                }
            })
            .collect();
        writes
            .drop_customers
            .sort_unstable_by(|a, b| (&a.key, &a.drop_id).cmp(&(&b.key, &b.drop_id)));
        writes.drop_refusals = self
            .drop_refusals
            .iter()
            .map(|((index, code), count)| DropCount {
                drop_id: drops[*index].id.clone(),
                key: (*code).to_owned(),
                added: *count,
            })
            .collect();
        let mut places: Vec<(String, i64)> = self
            .waiting
            .iter()
            .map(|(sku, waiting)| {
                let before = self.snapshot.variants[*sku].preorder.as_ref();
                ((*sku).to_owned(), waiting - before.map_or(0, |t| t.waiting))
            })
            .collect();
        places.sort_unstable();
        writes.preorder_places = places;
        writes.release = self.unkept.into_iter().collect();
        writes.release.sort_unstable();
        writes.keep = self
            .kept
            .into_iter()
            .map(|(key, (request_hash, outcome))| KeyToKeep {
                key,
                request_hash,
                outcome,
            })
            .collect();
        writes
    }
}

/// The customer: the phone as libphonenumber reads it for the shop's
/// country, in E.164 form; a phone it calls invalid is a 422.
fn customer_phone(request: &CheckoutRequest, settings: &Settings) -> Result<Phone, StoreError> {
    Phone::normalise(&request.order.customer.phone, settings.default_country)
        .map_err(|e| ValidationError::one(e).into())
}

/// How a refusal names a line not for sale.
fn unavailable_line(line: &RequestedLine, variant: &VariantForSale) -> UnavailableLine {
    UnavailableLine {
        sku: line.sku.to_string(),
        title: variant.title.clone(),
        size: variant.size.clone(),
        color: variant.color.clone(),
        requested: line.quantity,
    }
}

/// How a refusal names a line the stock cannot serve.
fn short_line(line: &RequestedLine, variant: &VariantForSale, available: i64) -> ShortLine {
    ShortLine {
        sku: line.sku.to_string(),
        title: variant.title.clone(),
        size: variant.size.clone(),
        color: variant.color.clone(),
        requested: line.quantity,
        available,
    }
}

/// Every line's price now, the fee and the total they make.
fn price_change(order: &Order, expected_total: i64) -> PriceChange {
    PriceChange {
        lines: order
            .lines
            .iter()
            .map(|l| PricedLine {
                sku: l.sku.clone(),
                unit_price: l.unit_price,
            })
            .collect(),
        delivery_fee: order.delivery_fee,
        total: order.total,
        expected_total,
        currency: order.currency.clone(),
    }
}

/// The order as it is stored, each line at the server's price, the zone's
/// fee added; the database gives its number.
fn new_order(
    request: &CheckoutRequest,
    variants: &[&VariantForSale],
    ways: &[LineWay],
    snapshot: &BatchSnapshot,
    zone: Option<&DeliveryZone>,
    currency: &str,
    at: DateTime<Utc>,
) -> Order {
    let lines: Vec<OrderLine> = request
        .order
        .lines
        .iter()
        .zip(variants)
        .zip(ways)
        .map(|((line, v), way)| {
            let color = v.color.as_deref();
            match way {
                LineWay::Drop(index) => {
                    let drop = &snapshot.drops[*index];
                    let price = drop.lines[v.sku.as_str()].unit_price(v.price);
                    OrderLine {
                        drop_id: Some(drop.id.clone()),
                        ..OrderLine::at_price(line, &v.title, &v.size, color, price)
                    }
                }
                LineWay::Stock | LineWay::Preorder => {
                    OrderLine::at_price(line, &v.title, &v.size, color, v.price)
                }
            }
        })
        .collect();
    let customer = &request.order.customer;
    let delivery_fee = zone.map_or(0, |z| z.fee);
    let mut delivery = request.order.delivery.clone();
    delivery.zone_name = zone.map(|z| z.name.clone());
    Order {
        id: new_order_id(at),
        number: String::new(),
        status: OrderStatus::Pending,
        created_at: time::format(at),
        currency: currency.to_owned(),
        total: lines.iter().map(|l| l.line_total).sum::<i64>() + delivery_fee,
        delivery_fee,
        customer: CustomerView {
            name: customer.name.clone(),
            phone: customer.phone.clone(),
            email: customer.email.clone(),
        },
        delivery,
        notes: request.order.notes.clone(),
        lines,
        payment: None,
        staff_notes: None,
    }
}

/// Time-ordered (v7) from the batch's time: new orders land at the end of
/// the id index instead of on a random page; 74 random bits keep ids
/// unguessable.
fn new_order_id(at: DateTime<Utc>) -> String {
    let timestamp = uuid::Timestamp::from_unix(
        uuid::NoContext,
        at.timestamp().max(0) as u64,
        at.timestamp_subsec_nanos(),
    );
    uuid::Uuid::new_v7(timestamp).to_string()
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::checkout::IdempotencyKey;
    use crate::domain::Lang;
    use crate::domain::batch::KeptAnswer;
    use crate::domain::order::{Customer, Delivery, NewOrder};
    use crate::domain::phone::Country;

    pub(crate) fn snapshot(available: i64, answers: HashMap<String, KeptAnswer>) -> BatchSnapshot {
        let variant = VariantForSale {
            sku: "ROBE-M".into(),
            title: "Robe".into(),
            size: "M".into(),
            color: None,
            price: 15000,
            available,
            for_sale: true,
            low_stock_threshold: None,
            received: 0,
            preorder: None,
        };
        BatchSnapshot {
            settings: Settings {
                order_limit_per_customer: None,
                low_stock_units: Some(2),
                low_stock_percent: 20,
                reference_date: "2000-01-01T00:00:00.000000Z".into(),
                default_country: Country::DEFAULT,
                default_country_code: "+225".into(),
                pickup_number_required: false,
            },
            variants: HashMap::from([("ROBE-M".into(), variant)]),
            orders_counted: HashMap::new(),
            answers,
            zones: HashMap::new(),
            drops: Vec::new(),
            drop_bought: HashMap::new(),
        }
    }

    pub(crate) fn request(sku: &str, key: &str, body: &str) -> CheckoutRequest {
        CheckoutRequest {
            order: NewOrder {
                customer: Customer {
                    name: "Awa".into(),
                    phone: "+2250700000001".into(),
                    email: None,
                },
                delivery: Delivery::default(),
                notes: None,
                lines: vec![RequestedLine {
                    sku: Sku::from_stored(sku.into()),
                    quantity: 1,
                    preorder: false,
                }],
                expected_total: None,
                drop: None,
            },
            idempotency: Some(IdempotencyKey {
                key: key.into(),
                request_hash: body.into(),
            }),
            lang: Lang::Fr,
        }
    }

    pub(crate) fn rules() -> Rules {
        Rules {
            currency: "XOF".into(),
            shop_secret: "secret".into(),
            idempotency_ttl: chrono::Duration::days(1),
        }
    }

    fn kept(created_at: &str, body: &str) -> HashMap<String, KeptAnswer> {
        let outcome = KeptOutcome::Refused {
            refusal: CheckoutRefusal::OrderLimitReached { limit: 1 },
            lang: Lang::En,
        };
        let answer = KeptAnswer {
            request_hash: body.into(),
            created_at: created_at.into(),
            outcome,
        };
        HashMap::from([("k".to_owned(), answer)])
    }

    #[test]
    fn an_expired_answer_is_decided_afresh_even_after_an_invalid_checkout_with_its_key() {
        let snapshot = snapshot(5, kept("2001-01-01T00:00:00.000000Z", "a"));
        let (invalid, valid) = (request("NOPE", "k", "b"), request("ROBE-M", "k", "b"));
        let (writes, decisions) = decide(&snapshot, &[&invalid, &valid], &rules(), Utc::now());
        assert!(matches!(
            decisions[0],
            Decision::Unkept(StoreError::Invalid(_))
        ));
        assert!(matches!(decisions[1], Decision::Placed { .. }));
        assert_eq!(writes.keep.len(), 1, "the placed order keeps the key");
        assert!(writes.release.is_empty(), "{:?}", writes.release);
    }

    #[test]
    fn an_invalid_checkout_releases_an_expired_key_it_does_not_keep() {
        let snapshot = snapshot(5, kept("2001-01-01T00:00:00.000000Z", "a"));
        let invalid = request("NOPE", "k", "a");
        let (writes, decisions) = decide(&snapshot, &[&invalid], &rules(), Utc::now());
        assert!(matches!(decisions[0], Decision::Unkept(_)));
        assert_eq!(writes.release, ["k"]);
    }

    #[test]
    fn a_live_answer_is_replayed_in_its_own_language_and_another_body_is_refused() {
        let now = Utc::now();
        let snapshot = snapshot(5, kept(&time::format(now), "a"));
        let (same, other) = (request("ROBE-M", "k", "a"), request("ROBE-M", "k", "b"));
        let (writes, decisions) = decide(&snapshot, &[&same, &other], &rules(), now);
        let Decision::Replay(KeptOutcome::Refused { lang, .. }) = &decisions[0] else {
            panic!("a replay: {decisions:?}");
        };
        assert_eq!(*lang, Lang::En);
        assert!(matches!(
            decisions[1],
            Decision::Unkept(StoreError::IdempotencyKeyReused)
        ));
        assert!(writes.keep.is_empty() && writes.release.is_empty() && writes.orders.is_empty());
    }

    #[test]
    fn a_batch_takes_each_sku_once_with_what_it_leaves() {
        let snapshot = snapshot(3, HashMap::new());
        let (a, b) = (request("ROBE-M", "a", "a"), request("ROBE-M", "b", "b"));
        let (writes, _) = decide(&snapshot, &[&a, &b], &rules(), Utc::now());
        assert_eq!(
            writes.stock,
            [StockTaken {
                sku: "ROBE-M".into(),
                taken: 2,
                left: 1
            }]
        );
        let lines_left: Vec<i64> = writes.orders.iter().map(|o| o.lines_left[0]).collect();
        assert_eq!(lines_left, [2, 1]);
        assert_eq!(writes.counts, [("+2250700000001".to_owned(), 2)]);
    }

    #[test]
    fn a_shop_that_requires_a_pickup_number_refuses_an_order_without_one() {
        let mut snapshot = snapshot(5, HashMap::new());
        snapshot.settings.pickup_number_required = true;
        let without = request("ROBE-M", "a", "a");
        let mut with = request("ROBE-M", "b", "b");
        with.order.delivery.pickup_number = Some("A-77".into());
        let (writes, decisions) = decide(&snapshot, &[&without, &with], &rules(), Utc::now());
        let Decision::Unkept(StoreError::Invalid(invalid)) = &decisions[0] else {
            panic!("refused: {decisions:?}");
        };
        assert_eq!(invalid.0[0].field, "delivery.pickup_number");
        assert!(matches!(decisions[1], Decision::Placed { .. }));
        assert_eq!(writes.orders.len(), 1);
    }
}

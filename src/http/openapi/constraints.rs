//! The rules a request must keep, written into the document from what the
//! validators use: the running configuration's `Limits`, the fixed limits
//! of `domain/limits.rs`, the patterns kept beside each checking
//! constructor, and the rules across fields that the derive cannot say. So a
//! shop started with `--order-lines-max 20` documents 20, and no bound is
//! written twice.

use serde_json::{Map, Value, json};

use crate::domain::drop::{
    DROP_LINES_MAX, DROP_NAME_CHARS_MAX, DROP_PERCENT_OFF_MAX, DROP_PERCENT_OFF_MIN,
    DROP_UNITS_PER_CUSTOMER_MAX,
};
use crate::domain::email::EMAIL_PATTERN;
use crate::domain::invalid::{LINE_PATTERN, NON_BLANK_LINE_PATTERN, TEXT_PATTERN};
use crate::domain::limits::*;
use crate::domain::order::OrderStatus;
use crate::domain::phone::{COUNTRY_CODE_PATTERN, COUNTRY_PATTERN, PHONE_PATTERN};
use crate::domain::product::{IMAGE_URL_PATTERN, SLUG_PATTERN};
use crate::domain::receiving::{RECEIPT_ID_CHARS_MAX, RECEIPT_ID_PATTERN};
use crate::domain::settings::{LOW_STOCK_PERCENT_MAX, ORDER_LIMIT_MAX};
use crate::domain::sku::{SKU_LENGTH_MAX, SKU_PATTERN};
use crate::domain::stock::MovementKind;
use crate::http::extract::IDEMPOTENCY_KEY_PATTERN;

/// Writes every rule into `document`; answers the places it names that the
/// document does not have (a renamed field, say), which a test keeps empty.
pub fn apply(document: &mut Value, limits: &Limits) -> Vec<String> {
    let mut rules = Rules {
        document,
        missing: Vec::new(),
    };
    checkout(&mut rules, limits);
    catalog(&mut rules);
    stock(&mut rules, limits);
    settings(&mut rules);
    drops(&mut rules);
    lists(&mut rules);
    rules.missing
}

fn checkout(rules: &mut Rules, limits: &Limits) {
    for body in ["OrderInput", "CartInput"] {
        rules.property(body, "lines", items(1, limits.order_lines_max));
    }
    rules.property("LineInput", "sku", text(SKU_LENGTH_MAX, SKU_PATTERN));
    let quantity = range(1, limits.line_quantity_max);
    rules.property("LineInput", "quantity", quantity);
    let customer_name = required_text(limits.customer_name_chars_max, NON_BLANK_LINE_PATTERN);
    let phone = text(limits.phone_chars_max, PHONE_PATTERN);
    let email = text(limits.email_chars_max, EMAIL_PATTERN);
    for body in ["CustomerInput", "CustomerCheckInput"] {
        rules.property(body, "name", customer_name.clone());
        rules.property(body, "phone", phone.clone());
        rules.property(body, "email", email.clone());
    }
    let address = text(limits.address_chars_max, TEXT_PATTERN);
    rules.property("DeliveryInput", "address", address);
    let pickup = text(limits.pickup_number_chars_max, LINE_PATTERN);
    rules.property("DeliveryInput", "pickup_number", pickup);
    rules.property(
        "OrderInput",
        "notes",
        text(limits.notes_chars_max, TEXT_PATTERN),
    );
    let mut key = required_text(IDEMPOTENCY_KEY_CHARS_MAX, IDEMPOTENCY_KEY_PATTERN);
    key.insert("type".into(), json!("string"));
    rules.parameter("/api/v1/orders", "post", "Idempotency-Key", key);
}

fn catalog(rules: &mut Rules) {
    for body in ["ProductInput", "ProductPatch"] {
        rules.property(body, "slug", text(SLUG_CHARS_MAX, SLUG_PATTERN));
        let title = required_text(TITLE_CHARS_MAX, NON_BLANK_LINE_PATTERN);
        rules.property(body, "title", title);
        let description = text(DESCRIPTION_CHARS_MAX, TEXT_PATTERN);
        rules.property(body, "description", description);
        let category = text(CATEGORY_CHARS_MAX, LINE_PATTERN);
        rules.property(body, "category", category);
        let image = text(IMAGE_URL_CHARS_MAX, IMAGE_URL_PATTERN);
        rules.property(body, "image_url", image);
        rules.property(body, "price", range(0, PRICE_MAX));
        rules.property(body, "old_price", range(0, PRICE_MAX));
    }
    let variants = items(1, VARIANTS_PER_PRODUCT_MAX);
    rules.property("ProductInput", "variants", variants);
    rules.property("VariantInput", "sku", text(SKU_LENGTH_MAX, SKU_PATTERN));
    let size = required_text(SIZE_CHARS_MAX, NON_BLANK_LINE_PATTERN);
    rules.property("VariantInput", "size", size);
    rules.property("VariantInput", "color", text(COLOR_CHARS_MAX, LINE_PATTERN));
    rules.property("VariantInput", "stock", range(0, STOCK_LEVEL_MAX));
}

fn stock(rules: &mut Rules, limits: &Limits) {
    let quantity = range(1, limits.restock_quantity_max);
    rules.property("RestockInput", "quantity", quantity);
    rules.property("RestockInput", "note", text(NOTE_CHARS_MAX, TEXT_PATTERN));
    let mut delta = range(-STOCK_LEVEL_MAX, STOCK_LEVEL_MAX);
    delta.insert("not".into(), json!({"const": 0}));
    rules.property("AdjustInput", "delta", delta);
    rules.property("AdjustInput", "set", range(0, STOCK_LEVEL_MAX));
    let reason = required_text(NOTE_CHARS_MAX, NON_BLANK_LINE_PATTERN);
    rules.property("AdjustInput", "reason", reason);
    // Exactly one of the two: both, or neither, is refused.
    let one_of = json!([{"required": ["delta"]}, {"required": ["set"]}]);
    rules.schema("AdjustInput", keywords(json!({"oneOf": one_of})));
    receiving(rules, limits);
    for action in ["restock", "adjust"] {
        let path = format!("/api/v1/admin/stock/{{sku}}/{action}");
        let sku = text(SKU_LENGTH_MAX, SKU_PATTERN);
        rules.parameter(&path, "post", "sku", sku);
    }
}

/// Receipts and counts (`domain/receiving.rs`).
fn receiving(rules: &mut Rules, limits: &Limits) {
    let reference = required_text(RECEIPT_REFERENCE_CHARS_MAX, NON_BLANK_LINE_PATTERN);
    rules.property("ReceiptInput", "reference", reference);
    let supplier = text(SUPPLIER_CHARS_MAX, LINE_PATTERN);
    rules.property("ReceiptInput", "supplier", supplier);
    rules.property("ReceiptInput", "note", text(NOTE_CHARS_MAX, TEXT_PATTERN));
    rules.property("ReceiptInput", "lines", items(1, RECEIPT_LINES_MAX));
    let sku = text(SKU_LENGTH_MAX, SKU_PATTERN);
    rules.property("ReceiptLineInput", "sku", sku.clone());
    let quantity = range(1, limits.restock_quantity_max);
    rules.property("ReceiptLineInput", "quantity", quantity);
    let reason = required_text(NOTE_CHARS_MAX, NON_BLANK_LINE_PATTERN);
    rules.property("CountInput", "reason", reason);
    rules.property("CountInput", "lines", items(1, COUNT_LINES_MAX));
    rules.property("CountLineInput", "sku", sku);
    let mut delta = range(-STOCK_LEVEL_MAX, STOCK_LEVEL_MAX);
    delta.insert("not".into(), json!({"const": 0}));
    rules.property("CountLineInput", "delta", delta);
    rules.property("CountLineInput", "set", range(0, STOCK_LEVEL_MAX));
    let expected = range(0, STOCK_LEVEL_MAX);
    rules.property("CountLineInput", "expected_available", expected);
    let one_of = json!([{"required": ["delta"]}, {"required": ["set"]}]);
    rules.schema("CountLineInput", keywords(json!({"oneOf": one_of})));
}

fn settings(rules: &mut Rules) {
    let limit = range(1, ORDER_LIMIT_MAX);
    rules.property("SettingsPatch", "order_limit_per_customer", limit);
    let percent = range(0, LOW_STOCK_PERCENT_MAX);
    rules.property("SettingsPatch", "low_stock_percent", percent);
    let country = keywords(json!({"pattern": COUNTRY_PATTERN}));
    rules.property("SettingsPatch", "default_country", country);
    let code = keywords(json!({"pattern": COUNTRY_CODE_PATTERN}));
    rules.property("SettingsPatch", "default_country_code", code);
    rules.property("SettingsPatch", "reference_date", date());
}

/// Drops (`domain/drop/`): their bodies, created and edited alike.
fn drops(rules: &mut Rules) {
    for body in ["DropInput", "DropPatch"] {
        let name = required_text(DROP_NAME_CHARS_MAX, NON_BLANK_LINE_PATTERN);
        rules.property(body, "name", name);
        rules.property(body, "slug", text(SLUG_CHARS_MAX, SLUG_PATTERN));
        rules.property(body, "starts_at", date());
        rules.property(body, "ends_at", date());
        let cap = range(1, DROP_UNITS_PER_CUSTOMER_MAX);
        rules.property(body, "max_units_per_customer", cap);
        rules.property(body, "lines", items(1, DROP_LINES_MAX));
    }
    rules.property("DropLineInput", "sku", text(SKU_LENGTH_MAX, SKU_PATTERN));
    rules.property("DropLineInput", "units", range(1, STOCK_LEVEL_MAX));
    rules.property("DropLineInput", "price", range(1, PRICE_MAX));
    let percent = range(DROP_PERCENT_OFF_MIN, DROP_PERCENT_OFF_MAX);
    rules.property("DropLineInput", "percent_off", percent);
    let mut limit = range(1, PAGE_SIZE_MAX);
    limit.insert("default".into(), PAGE_SIZE_DEFAULT.into());
    rules.parameter("/api/v1/admin/drops", "get", "limit", limit);
}

/// The lists' filters and pages.
fn lists(rules: &mut Rules) {
    let statuses: Vec<_> = OrderStatus::ALL.iter().map(|s| s.as_str()).collect();
    let kinds: Vec<_> = MovementKind::ALL.iter().map(|k| k.as_str()).collect();
    let orders = "/api/v1/admin/orders";
    let movements = "/api/v1/admin/stock/movements";
    rules.parameter(orders, "get", "status", keywords(json!({"enum": statuses})));
    rules.parameter(movements, "get", "kind", keywords(json!({"enum": kinds})));
    let sku = text(SKU_LENGTH_MAX, SKU_PATTERN);
    rules.parameter(movements, "get", "sku", sku);
    let receipt = text(RECEIPT_ID_CHARS_MAX, RECEIPT_ID_PATTERN);
    rules.parameter(movements, "get", "receipt", receipt);
    let search = keywords(json!({"maxLength": SEARCH_CHARS_MAX}));
    rules.parameter(movements, "get", "q", search);
    let receipts = "/api/v1/admin/receipts";
    let mut limit = range(1, PAGE_SIZE_MAX);
    limit.insert("default".into(), PAGE_SIZE_DEFAULT.into());
    rules.parameter(receipts, "get", "limit", limit);
    for path in [orders, movements] {
        let mut limit = range(1, PAGE_SIZE_MAX);
        limit.insert("default".into(), PAGE_SIZE_DEFAULT.into());
        rules.parameter(path, "get", "limit", limit);
        rules.parameter(path, "get", "from", date());
        rules.parameter(path, "get", "to", date());
    }
}

/// A time as `domain/time.rs` reads it. A plain date is accepted too; the
/// document names the RFC 3339 form only.
fn date() -> Map<String, Value> {
    keywords(json!({"format": "date-time"}))
}

fn text(chars_max: usize, pattern: &str) -> Map<String, Value> {
    keywords(json!({"maxLength": chars_max, "pattern": pattern}))
}

fn required_text(chars_max: usize, pattern: &str) -> Map<String, Value> {
    keywords(json!({"minLength": 1, "maxLength": chars_max, "pattern": pattern}))
}

fn range<N: Into<Value>>(min: N, max: N) -> Map<String, Value> {
    let mut bounds = Map::new();
    bounds.insert("minimum".into(), min.into());
    bounds.insert("maximum".into(), max.into());
    bounds
}

fn items(min: usize, max: usize) -> Map<String, Value> {
    keywords(json!({"minItems": min, "maxItems": max}))
}

fn keywords(object: Value) -> Map<String, Value> {
    match object {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The document being written, and the places it lacks.
struct Rules<'a> {
    document: &'a mut Value,
    missing: Vec<String>,
}

impl Rules<'_> {
    /// Adds `keywords` to a property of a component schema.
    fn property(&mut self, schema: &str, property: &str, keywords: Map<String, Value>) {
        let pointer = format!("/components/schemas/{schema}/properties/{property}");
        self.merge(&pointer, keywords);
    }

    /// Adds `keywords` to a component schema itself.
    fn schema(&mut self, schema: &str, keywords: Map<String, Value>) {
        self.merge(&format!("/components/schemas/{schema}"), keywords);
    }

    /// Adds `keywords` to the schema of an operation's parameter.
    fn parameter(&mut self, path: &str, method: &str, name: &str, keywords: Map<String, Value>) {
        let escaped = path.replace('~', "~0").replace('/', "~1");
        let parameters = format!("/paths/{escaped}/{method}/parameters");
        let index = self
            .document
            .pointer(&parameters)
            .and_then(Value::as_array)
            .and_then(|all| all.iter().position(|p| p["name"] == name));
        match index {
            Some(i) => self.merge(&format!("{parameters}/{i}/schema"), keywords),
            None => self.missing.push(format!("{method} {path} {name}")),
        }
    }

    fn merge(&mut self, pointer: &str, keywords: Map<String, Value>) {
        match self.document.pointer_mut(pointer) {
            Some(Value::Object(target)) => target.extend(keywords),
            _ => self.missing.push(pointer.to_owned()),
        }
    }
}

//! The limits on what one request may ask, named once with their defaults (docs/API.md).

/// Every size limit a request is checked against before it reaches the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    pub order_lines_max: usize,
    pub line_quantity_max: i64,
    pub restock_quantity_max: i64,
    pub customer_name_chars_max: usize,
    pub phone_chars_max: usize,
    pub email_chars_max: usize,
    pub address_chars_max: usize,
    pub pickup_number_chars_max: usize,
    pub notes_chars_max: usize,
    pub request_body_bytes_max: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            order_lines_max: 50,
            line_quantity_max: 100,
            restock_quantity_max: 1_000_000,
            customer_name_chars_max: 100,
            phone_chars_max: 32,
            email_chars_max: 254,
            address_chars_max: 500,
            pickup_number_chars_max: 64,
            notes_chars_max: 2000,
            request_body_bytes_max: 64 * 1024,
        }
    }
}

/// Product fields have limits of their own; the catalog is written by admins.
pub const TITLE_CHARS_MAX: usize = 200;
pub const SLUG_CHARS_MAX: usize = 100;
pub const DESCRIPTION_CHARS_MAX: usize = 5000;
pub const CATEGORY_CHARS_MAX: usize = 100;
pub const IMAGE_URL_CHARS_MAX: usize = 2000;
pub const SIZE_CHARS_MAX: usize = 32;
pub const COLOR_CHARS_MAX: usize = 32;
/// The back office's search box (`q`).
pub const SEARCH_CHARS_MAX: usize = 200;
pub const VARIANTS_PER_PRODUCT_MAX: usize = 100;
/// A price in minor units; a trillion is far above any shop's article.
pub const PRICE_MAX: i64 = 1_000_000_000_000;
/// Initial stock or a `set` adjustment of one variant.
pub const STOCK_LEVEL_MAX: i64 = 1_000_000_000;
pub const NOTE_CHARS_MAX: usize = 500;
/// A delivery note (receipt) holds at most this many lines; so does a count.
pub const RECEIPT_LINES_MAX: usize = 500;
pub const COUNT_LINES_MAX: usize = 500;
/// A receipt's reference (the supplier's delivery note number) and supplier.
pub const RECEIPT_REFERENCE_CHARS_MAX: usize = 100;
pub const SUPPLIER_CHARS_MAX: usize = 100;
pub const ADMIN_NAME_CHARS_MAX: usize = 64;
/// Idempotency keys: 1 to 255 visible ASCII characters.
pub const IDEMPOTENCY_KEY_CHARS_MAX: usize = 255;
/// A photo upload's file, in bytes (10 MiB); its request may carry this
/// plus `UPLOAD_OVERHEAD_BYTES_MAX` of multipart framing and the `alt` field.
pub const UPLOAD_BYTES_MAX: usize = 10 * 1024 * 1024;
pub const UPLOAD_OVERHEAD_BYTES_MAX: usize = 64 * 1024;
/// A photo's longest side and its pixels, as its header claims them,
/// checked before it is decoded.
pub const IMAGE_SIDE_MAX: u32 = 8000;
pub const IMAGE_PIXELS_MAX: u64 = 40_000_000;
/// Photos of one product.
pub const IMAGES_PER_PRODUCT_MAX: usize = 12;
/// A photo's alternative text, read out in its place.
pub const IMAGE_ALT_CHARS_MAX: usize = 300;
/// Lists are paginated: `?limit=` defaults to 50 and stops at 500.
pub const PAGE_SIZE_DEFAULT: usize = 50;
pub const PAGE_SIZE_MAX: usize = 500;
/// A CSV import's body: its own limit, far above the 64 KiB of every other
/// body (a catalog of tens of thousands of lines).
pub const CSV_IMPORT_BYTES_MAX: usize = 5 * 1024 * 1024;
/// How long a CSV import may take to answer, in seconds: its own deadline,
/// as a large file on PostgreSQL takes longer than any other request.
pub const CSV_IMPORT_ANSWER_SECS: u64 = 300;
/// The refused lines an import's answer lists; past them it gives their count.
pub const CSV_IMPORT_ERRORS_SHOWN_MAX: usize = 1000;
/// The movements one `movements.csv` may hold; a longer period is refused.
pub const CSV_EXPORT_MOVEMENTS_MAX: usize = 200_000;
/// The order lines one `orders.csv` or one picking list may hold: a year
/// of a busy shop. More is refused, with the advice to narrow the filters.
pub const ORDER_REPORT_LINES_MAX: usize = 100_000;
/// The orders a customer's page lists, newest first; the desk's list,
/// searched by the phone, shows the rest.
pub const CUSTOMER_ORDERS_SHOWN_MAX: usize = 100;

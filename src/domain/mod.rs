//! Domain: the shop's rules and values, checked on construction; no database, HTTP or runtime here.

pub mod admin;
pub mod audit;
pub mod batch;
pub mod catalog_csv;
pub mod catalog_import;
pub mod clock;
pub mod csv_rules;
pub mod customer;
pub mod delivery;
pub mod email;
pub mod events;
pub mod image;
pub mod invalid;
pub mod lang;
pub mod limits;
pub mod messages;
pub mod notifications;
pub mod order;
pub mod page;
pub mod password;
pub mod phone;
pub mod product;
pub mod receiving;
pub mod settings;
pub mod shop;
pub mod sign_in;
pub mod sku;
pub mod staff;
pub mod stock;
pub mod time;
pub mod tokens;
pub mod waitlist;
pub mod webhook;

pub use invalid::{FieldError, ValidationError};
pub use lang::Lang;
pub use limits::Limits;

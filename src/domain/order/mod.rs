//! Orders: what a buyer asks for, what the shop answers, and how an order moves on.

mod number;
mod request;
mod status;
mod view;

pub use number::*;
pub use request::*;
pub use status::*;
pub use view::*;

//! Orders: what a buyer asks for, what the shop answers, and how an order moves on.

mod history;
mod number;
mod payment;
mod request;
mod returns;
mod search;
mod status;
mod view;

pub use history::*;
pub use number::*;
pub use payment::*;
pub use request::*;
pub use returns::*;
pub use search::*;
pub use status::*;
pub use view::*;

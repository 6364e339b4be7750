//! Orders: what a buyer asks for, what the shop answers, and how an order moves on.

mod export;
mod history;
mod number;
mod payment;
mod picking;
mod request;
mod returns;
mod search;
mod status;
mod view;

pub use export::*;
pub use history::*;
pub use number::*;
pub use payment::*;
pub use picking::*;
pub use request::*;
pub use returns::*;
pub use search::*;
pub use status::*;
pub use view::*;

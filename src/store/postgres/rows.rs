//! What PostgreSQL's checkout reads as the verbs of `store/*.rs` read it.

pub use crate::store::catalog::color_from_stored;

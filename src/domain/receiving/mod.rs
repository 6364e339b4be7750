//! The stockroom's two bulk operations: a delivery received in one go (a
//! receipt, one `restock` movement per line) and a count typed over many
//! variants (one `adjustment` per changed line), each all or nothing.

mod count;
mod receipt;

pub use count::*;
pub use receipt::*;

use super::invalid::FieldError;

// The bounds of these bodies are written into the OpenAPI document from
// the same constants (`http/openapi/constraints.rs`).

/// A request naming more lines than one operation takes.
fn too_many_lines(count: usize, max: usize) -> FieldError {
    FieldError::new(
        "lines",
        format!("{count} lignes : au plus {max} lignes par envoi. Envoyez le reste à part."),
        format!("{count} lines: at most {max} lines at once. Send the rest separately."),
    )
}

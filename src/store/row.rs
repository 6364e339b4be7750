//! A row read back from either database, as plain values, and reading
//! those values into the shop's: each value is read from its row once.

use super::StoreError;

/// A column's value as both databases hold the shop's data: every integer
/// is 64 bits, an image's bytes are a blob (`bytea`), and every other
/// column is text (migrations/).
#[derive(Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
}

/// Bytes are counted, not shown: an image would fill a log line.
impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Null => f.write_str("Null"),
            Value::Int(n) => f.debug_tuple("Int").field(n).finish(),
            Value::Text(text) => f.debug_tuple("Text").field(text).finish(),
            Value::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
        }
    }
}

/// One row read back, its columns in the statement's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row(pub Vec<Value>);

/// A Rust value read from a column.
pub trait FromValue: Sized {
    fn from_value(value: &Value) -> Option<Self>;
}

impl FromValue for i64 {
    fn from_value(value: &Value) -> Option<i64> {
        match value {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }
}

impl FromValue for String {
    fn from_value(value: &Value) -> Option<String> {
        match value {
            Value::Text(text) => Some(text.clone()),
            _ => None,
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(value: &Value) -> Option<Vec<u8>> {
        match value {
            Value::Bytes(bytes) => Some(bytes.clone()),
            _ => None,
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: &Value) -> Option<Option<T>> {
        match value {
            Value::Null => Some(None),
            value => T::from_value(value).map(Some),
        }
    }
}

impl Row {
    /// The value of the column at `index`, counted from 0.
    pub fn value<T: FromValue>(&self, index: usize) -> Result<T, StoreError> {
        let found = self.0.get(index);
        found.and_then(T::from_value).ok_or_else(|| {
            StoreError::Internal(format!(
                "column {index} holds {found:?}, not a {}",
                std::any::type_name::<T>()
            ))
        })
    }
}

/// A stored word the code does not know (a status, a kind): a broken database.
pub fn unknown_value(column: &str, value: &str) -> StoreError {
    StoreError::Internal(format!("unknown stored {column} `{value}`"))
}

/// A row of two columns: a key and a count (a customer's orders, a size's units).
pub fn pair_row(row: &Row) -> Result<(String, i64), StoreError> {
    Ok((row.value(0)?, row.value(1)?))
}

//! The nesting check that runs on every request body before parsing: on any
//! bytes serde_json reads, it counts the same depth as the parsed value
//! (brackets in strings, escapes and all); on any bytes, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use stockroom::http::{JSON_NESTING_MAX, nesting_exceeds};

/// How deep arrays and objects nest in `value`: 0 for a scalar.
fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(fields) => 1 + fields.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

fuzz_target!(|data: &[u8]| {
    let exceeds = nesting_exceeds(data, JSON_NESTING_MAX);
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    // serde_json refuses past 128 levels itself: what it reads is within.
    let depth = depth(&value);
    assert!(depth <= JSON_NESTING_MAX);
    assert!(!exceeds);
    for max in 0..=depth + 1 {
        assert_eq!(
            nesting_exceeds(data, max),
            depth > max,
            "max {max}, depth {depth}"
        );
    }
});

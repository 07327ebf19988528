//! Conversions between Rhai values and the JSON values that operations take and return.

use rhai::Dynamic;

pub fn to_dynamic(value: &serde_json::Value) -> Dynamic {
    rhai::serde::to_dynamic(value).unwrap_or(Dynamic::UNIT)
}

pub fn to_json(value: &Dynamic) -> serde_json::Value {
    if value.is_unit() {
        return serde_json::Value::Null;
    }
    rhai::serde::from_dynamic(value)
        .unwrap_or_else(|_| serde_json::Value::String(value.to_string()))
}

/// How a value reads inside a larger string: text as is, nothing for `()`.
pub fn display(value: &Dynamic) -> String {
    if value.is_unit() { String::new() } else { value.to_string() }
}

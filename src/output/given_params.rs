//! Params as people read them in one line: `name=value`, the ones left unset left out.

use serde_json::Value;

/// `name=value` for every param of `params` (an object) that has a value.
pub fn given_params(params: &Value) -> Vec<String> {
    params
        .as_object()
        .map(|params| {
            params
                .iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(name, value)| match value {
                    Value::String(text) => format!("{name}={text}"),
                    other => format!("{name}={other}"),
                })
                .collect()
        })
        .unwrap_or_default()
}

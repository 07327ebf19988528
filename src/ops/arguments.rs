//! The declared arguments of an operation and the checking of values given for them.

use std::time::Duration;

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgumentType {
    String,
    Int,
    Bool,
    Duration,
    /// Names to string values (or `null`), such as config vars to set.
    Map,
}

/// One declared argument of an operation.
#[derive(Debug)]
pub struct ArgumentSpec {
    pub name: &'static str,
    pub kind: ArgumentType,
    pub required: bool,
    pub doc: &'static str,
}

/// Argument values after evaluation, by declared name; `Null` means not given.
#[derive(Debug, Clone, Default)]
pub struct ArgumentValues(pub Vec<(String, Value)>);

impl ArgumentType {
    pub fn name(self) -> &'static str {
        match self {
            ArgumentType::String => "string",
            ArgumentType::Int => "whole number",
            ArgumentType::Bool => "boolean",
            ArgumentType::Duration => "duration",
            ArgumentType::Map => "mapping of names to strings",
        }
    }

    /// Checks one value; `Err` says what was expected.
    pub fn check(self, value: &Value) -> Result<(), String> {
        match (self, value) {
            (_, Value::Null) => Ok(()),
            (ArgumentType::String, Value::String(_)) => Ok(()),
            (ArgumentType::Int, Value::Number(number)) if number.is_i64() => Ok(()),
            (ArgumentType::Int, Value::String(text)) if text.trim().parse::<i64>().is_ok() => {
                Ok(())
            }
            (ArgumentType::Bool, Value::Bool(_)) => Ok(()),
            (ArgumentType::Bool, Value::String(text))
                if matches!(text.as_str(), "true" | "false") =>
            {
                Ok(())
            }
            (ArgumentType::Map, Value::Object(entries)) => entries
                .iter()
                .find(|(_, value)| !(value.is_string() || value.is_null()))
                .map_or(Ok(()), |(name, value)| {
                    Err(format!(
                        "`{name}` must be a string or null, not {}",
                        describe(value)
                    ))
                }),
            (ArgumentType::Duration, Value::String(text)) => parse_duration(text).map(|_| ()),
            (ArgumentType::Duration, Value::Number(_)) => Ok(()),
            (kind, other) => Err(format!(
                "expected a {}, found {}",
                kind.name(),
                describe(other)
            )),
        }
    }
}

/// `2m`, `90s`, `1m 30s`; a bare number is seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    humantime::parse_duration(text)
        .map_err(|_| format!("`{text}` is not a duration (write it like `90s`, `2m` or `1h`)"))
}

pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing".into(),
        Value::Bool(flag) => format!("the boolean `{flag}`"),
        Value::Number(number) => format!("the number `{number}`"),
        Value::String(text) => format!("the string `{text}`"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
    }
}

impl ArgumentValues {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0
            .iter()
            .find(|(key, value)| key == name && !value.is_null())
            .map(|(_, value)| value)
    }

    pub fn string(&self, name: &str) -> Option<String> {
        self.get(name).map(|value| match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        match self.get(name)? {
            Value::Number(number) => number.as_i64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn bool(&self, name: &str) -> Option<bool> {
        match self.get(name)? {
            Value::Bool(flag) => Some(*flag),
            Value::String(text) => text.parse().ok(),
            _ => None,
        }
    }

    pub fn map(&self, name: &str) -> Option<&serde_json::Map<String, Value>> {
        self.get(name)?.as_object()
    }

    pub fn duration(&self, name: &str) -> Option<Duration> {
        match self.get(name)? {
            Value::Number(number) => number.as_f64().map(Duration::from_secs_f64),
            Value::String(text) => parse_duration(text).ok(),
            _ => None,
        }
    }
}

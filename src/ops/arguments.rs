//! The declared arguments of an operation, and the values given for them: checked whole against
//! the declaration (identifiers against the API schema's patterns) before anything is read or sent.

use std::time::Duration;

use serde_json::Value;

use super::outcome::OperationError;
use crate::duration::parse_wait;
use crate::identifiers::{AppName, DynoName, IdentifierError, ProcessType, ReleaseRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgumentType {
    String,
    Int,
    Bool,
    Duration,
    /// How long to follow: a duration, or `forever` (until Ctrl-C).
    Follow,
    /// Names to string values (or `null`), such as config vars to set.
    Map,
    /// An app name or id: it goes into API paths.
    App,
    /// A process type (`web`): it goes into API paths.
    ProcessType,
    /// A dyno name (`web.1`) or id: it goes into API paths.
    Dyno,
    /// A release version (`v41`, `41`) or id.
    Release,
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
/// The word a `Follow` argument (and a `duration` param) takes for "until Ctrl-C".
pub const FOREVER: &str = "forever";

/// How long a log follow lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    For(Duration),
    Forever,
}

#[derive(Debug, Clone, Default)]
pub struct ArgumentValues(pub Vec<(String, Value)>);

impl ArgumentType {
    pub fn name(self) -> &'static str {
        match self {
            ArgumentType::String => "string",
            ArgumentType::Int => "whole number",
            ArgumentType::Bool => "boolean",
            ArgumentType::Duration => "duration",
            ArgumentType::Follow => "duration or `forever`",
            ArgumentType::Map => "mapping of names to strings",
            ArgumentType::App => "app name",
            ArgumentType::ProcessType => "process type",
            ArgumentType::Dyno => "dyno name",
            ArgumentType::Release => "release",
        }
    }

    /// Checks one value; `Err` says what was expected.
    pub fn check(self, value: &Value) -> Result<(), String> {
        match (self, value) {
            (_, Value::Null) => Ok(()),
            (ArgumentType::String, Value::String(_)) => Ok(()),
            (ArgumentType::App, Value::String(text)) => identifier(AppName::parse(text)),
            (ArgumentType::ProcessType, Value::String(text)) => {
                identifier(ProcessType::parse(text))
            }
            (ArgumentType::Dyno, Value::String(text)) => identifier(DynoName::parse(text)),
            (ArgumentType::Release, Value::String(text)) => identifier(ReleaseRef::parse(text)),
            (ArgumentType::Release, Value::Number(number)) => number
                .as_u64()
                .filter(|version| *version > 0)
                .map(|_| ())
                .ok_or_else(|| format!("expected a release, found {}", describe(value))),
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
            (ArgumentType::Duration, Value::String(text)) => parse_wait(text).map(|_| ()),
            (ArgumentType::Duration | ArgumentType::Follow, Value::Number(number)) => {
                crate::duration::wait_of_seconds(number.as_f64().unwrap_or(f64::NAN)).map(|_| ())
            }
            (ArgumentType::Follow, Value::String(text)) if text.trim() == FOREVER => Ok(()),
            (ArgumentType::Follow, Value::String(text)) => parse_wait(text).map(|_| ()),
            (kind, other) => Err(format!(
                "expected a {}, found {}",
                kind.name(),
                describe(other)
            )),
        }
    }
}

fn identifier<T>(parsed: Result<T, IdentifierError>) -> Result<(), String> {
    parsed.map(|_| ()).map_err(|error| error.to_string())
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

    /// A `Follow` argument: for a while, or until Ctrl-C.
    pub fn follow(&self, name: &str) -> Option<Follow> {
        match self.get(name)? {
            Value::String(text) if text.trim() == FOREVER => Some(Follow::Forever),
            _ => self.duration(name).map(Follow::For),
        }
    }

    pub fn duration(&self, name: &str) -> Option<Duration> {
        match self.get(name)? {
            Value::Number(number) => number
                .as_f64()
                .and_then(|seconds| crate::duration::wait_of_seconds(seconds).ok()),
            Value::String(text) => parse_wait(text).ok(),
            _ => None,
        }
    }

    /// The app every operation takes first.
    pub fn app(&self) -> Result<AppName, OperationError> {
        let text = self.string("app").unwrap_or_default();
        AppName::parse(&text).map_err(invalid)
    }

    pub fn process_type(&self, name: &str) -> Result<Option<ProcessType>, OperationError> {
        self.string(name)
            .map(|text| ProcessType::parse(&text).map_err(invalid))
            .transpose()
    }

    pub fn dyno(&self, name: &str) -> Result<DynoName, OperationError> {
        DynoName::parse(&self.string(name).unwrap_or_default()).map_err(invalid)
    }

    pub fn release(&self, name: &str) -> Result<Option<ReleaseRef>, OperationError> {
        self.string(name)
            .map(|text| ReleaseRef::parse(&text).map_err(invalid))
            .transpose()
    }
}

fn invalid(error: IdentifierError) -> OperationError {
    OperationError::Invalid(error.to_string())
}

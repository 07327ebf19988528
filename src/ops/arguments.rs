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
    /// A share: `1%`, `0.5%`, or a fraction such as `0.01`.
    Percent,
    /// How to restart dyno by dyno: `true`, or `{ batch, pause, max_failures, health }`.
    Rolling,
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
            ArgumentType::Percent => "percentage",
            ArgumentType::Rolling => "`true` or `{ batch, pause, max_failures, health }`",
        }
    }

    /// Checks one value (`Null`: not given); `Err` says what was expected. The rule is the
    /// type's own (`ArgumentValue::from_value`), the one that reads the value when it runs.
    pub fn check(self, value: &Value) -> Result<(), ValueError> {
        if value.is_null() {
            return Ok(());
        }
        match self {
            ArgumentType::String => String::from_value(value).map(drop),
            ArgumentType::Int => i64::from_value(value).map(drop),
            ArgumentType::Bool => bool::from_value(value).map(drop),
            ArgumentType::Duration => Duration::from_value(value).map(drop),
            ArgumentType::Follow => Follow::from_value(value).map(drop),
            ArgumentType::Map => ConfigChanges::from_value(value).map(drop),
            ArgumentType::App => AppName::from_value(value).map(drop),
            ArgumentType::ProcessType => ProcessType::from_value(value).map(drop),
            ArgumentType::Dyno => DynoName::from_value(value).map(drop),
            ArgumentType::Release => ReleaseRef::from_value(value).map(drop),
            ArgumentType::Percent => Percent::from_value(value).map(drop),
            ArgumentType::Rolling => RollingChoice::from_value(value).map(drop),
        }
    }
}

/// A type an operation's argument can have: its kind (for `check`, the schema and the docs) and
/// how a given value becomes one.
pub trait ArgumentValue: Sized {
    const KIND: ArgumentType;
    fn from_value(value: &Value) -> Result<Self, ValueError>;
}

/// Why a value does not fit an argument.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValueError {
    #[error("expected a {}, found {found}", kind.name())]
    Expected { kind: ArgumentType, found: String },
    #[error(transparent)]
    Identifier(#[from] IdentifierError),
    #[error(transparent)]
    Wait(#[from] crate::duration::DurationError),
    #[error("`{name}` must be a string or null, not {found}")]
    NotAString { name: String, found: String },
    #[error("{0}")]
    Invalid(String),
}

/// The arguments of an operation as one typed value, declared once by `operation_arguments!`:
/// the catalogue's list of arguments (names, kinds, docs) is derived from the same declaration.
pub trait Arguments: Sized {
    const SPECS: &'static [ArgumentSpec];
    fn parse(values: &ArgumentValues) -> Result<Self, OperationError>;
}

/// Declares an operation's arguments: a struct whose fields are the arguments, `required` or
/// `optional`, each with its type and its doc; and its `Arguments` implementation.
macro_rules! operation_arguments {
    ($(#[$meta:meta])* pub struct $name:ident {
        $($presence:ident $field:ident : $kind:ty = $doc:expr),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub struct $name {
            $(pub $field: operation_arguments!(@type $presence $kind)),+
        }

        impl $crate::ops::arguments::Arguments for $name {
            const SPECS: &'static [$crate::ops::arguments::ArgumentSpec] = &[$(
                $crate::ops::arguments::ArgumentSpec {
                    name: stringify!($field),
                    kind: <$kind as $crate::ops::arguments::ArgumentValue>::KIND,
                    required: operation_arguments!(@required $presence),
                    doc: $doc,
                }
            ),+];

            fn parse(
                values: &$crate::ops::arguments::ArgumentValues,
            ) -> Result<Self, $crate::ops::outcome::OperationError> {
                Ok(Self {
                    $($field: values.$presence(stringify!($field))?),+
                })
            }
        }
    };
    (@type required $kind:ty) => { $kind };
    (@type optional $kind:ty) => { Option<$kind> };
    (@required required) => { true };
    (@required optional) => { false };
}
pub(crate) use operation_arguments;

/// Config vars to set: names to values, `null` to remove one.
pub type ConfigChanges = serde_json::Map<String, Value>;

fn expected(kind: ArgumentType, value: &Value) -> ValueError {
    ValueError::Expected { kind, found: describe(value) }
}

impl ArgumentValue for String {
    const KIND: ArgumentType = ArgumentType::String;
    fn from_value(value: &Value) -> Result<Self, ValueError> {
        value.as_str().map(str::to_string).ok_or_else(|| expected(Self::KIND, value))
    }
}

impl ArgumentValue for i64 {
    const KIND: ArgumentType = ArgumentType::Int;
    fn from_value(value: &Value) -> Result<Self, ValueError> {
        match value {
            Value::Number(number) => number.as_i64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        }
        .ok_or_else(|| expected(Self::KIND, value))
    }
}

impl ArgumentValue for bool {
    const KIND: ArgumentType = ArgumentType::Bool;
    fn from_value(value: &Value) -> Result<Self, ValueError> {
        match value {
            Value::Bool(flag) => Some(*flag),
            Value::String(text) if matches!(text.as_str(), "true" | "false") => {
                Some(text == "true")
            }
            _ => None,
        }
        .ok_or_else(|| expected(Self::KIND, value))
    }
}

impl ArgumentValue for Duration {
    const KIND: ArgumentType = ArgumentType::Duration;
    fn from_value(value: &Value) -> Result<Self, ValueError> {
        match value {
            Value::String(text) => Ok(parse_wait(text)?),
            Value::Number(number) => {
                Ok(crate::duration::wait_of_seconds(number.as_f64().unwrap_or(f64::NAN))?)
            }
            _ => Err(expected(Self::KIND, value)),
        }
    }
}

impl ArgumentValue for Follow {
    const KIND: ArgumentType = ArgumentType::Follow;
    fn from_value(value: &Value) -> Result<Self, ValueError> {
        match value {
            Value::String(text) if text.trim() == FOREVER => Ok(Follow::Forever),
            Value::String(_) | Value::Number(_) => Duration::from_value(value).map(Follow::For),
            _ => Err(expected(Self::KIND, value)),
        }
    }
}

/// A share between 0 and 1 (`1%` is 0.01).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percent(pub f64);

impl ArgumentValue for Percent {
    const KIND: ArgumentType = ArgumentType::Percent;
    fn from_value(value: &Value) -> Result<Self, ValueError> {
        let share = match value {
            Value::Number(number) => number.as_f64(),
            Value::String(text) => match text.trim().strip_suffix('%') {
                Some(percent) => percent.trim().parse::<f64>().ok().map(|percent| percent / 100.0),
                None => text.trim().parse::<f64>().ok(),
            },
            _ => None,
        };
        match share {
            Some(share) if (0.0..=1.0).contains(&share) => Ok(Percent(share)),
            Some(_) => {
                Err(ValueError::Invalid(format!("{} is not between 0% and 100%", describe(value))))
            }
            None => Err(expected(Self::KIND, value)),
        }
    }
}

/// A rolling restart: dynos restarted `batch` at a time, each batch up (and healthy, with
/// `health`) before the next, `pause` between batches, stopped after `max_failures` bad batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rolling {
    pub batch: u64,
    pub pause: Duration,
    pub max_failures: u64,
    pub health: bool,
}

impl Default for Rolling {
    fn default() -> Self {
        Self { batch: 1, pause: Duration::ZERO, max_failures: 1, health: true }
    }
}

/// `rolling:` off (`false`), with its defaults (`true`), or as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RollingChoice(pub Option<Rolling>);

impl ArgumentValue for RollingChoice {
    const KIND: ArgumentType = ArgumentType::Rolling;
    fn from_value(value: &Value) -> Result<Self, ValueError> {
        let on = match value {
            Value::Object(fields) => {
                return Rolling::from_fields(fields).map(|rolling| Self(Some(rolling)));
            }
            Value::Bool(on) => *on,
            Value::String(text) if matches!(text.trim(), "true" | "false") => text.trim() == "true",
            _ => return Err(expected(Self::KIND, value)),
        };
        Ok(Self(on.then(Rolling::default)))
    }
}

impl Rolling {
    fn from_fields(fields: &serde_json::Map<String, Value>) -> Result<Self, ValueError> {
        let mut rolling = Rolling::default();
        for (name, value) in fields {
            match name.as_str() {
                "batch" => rolling.batch = positive(name, value)?,
                "max_failures" => rolling.max_failures = positive(name, value)?,
                "pause" => rolling.pause = Duration::from_value(value)?,
                "health" => rolling.health = bool::from_value(value)?,
                other => {
                    return Err(ValueError::Invalid(format!(
                        "`rolling` has no `{other}`: it takes batch, pause, max_failures and health"
                    )));
                }
            }
        }
        Ok(rolling)
    }
}

fn positive(name: &str, value: &Value) -> Result<u64, ValueError> {
    let number = i64::from_value(value)?;
    u64::try_from(number).ok().filter(|number| *number >= 1).ok_or_else(|| {
        ValueError::Invalid(format!("`rolling.{name}` must be 1 or more, not {number}"))
    })
}

impl ArgumentValue for ConfigChanges {
    const KIND: ArgumentType = ArgumentType::Map;
    fn from_value(value: &Value) -> Result<Self, ValueError> {
        let entries = value.as_object().ok_or_else(|| expected(Self::KIND, value))?;
        match entries.iter().find(|(_, value)| !(value.is_string() || value.is_null())) {
            Some((name, value)) => {
                Err(ValueError::NotAString { name: name.clone(), found: describe(value) })
            }
            None => Ok(entries.clone()),
        }
    }
}

/// An identifier given as text, checked against the API schema's pattern.
macro_rules! identifier_argument {
    ($type:ty, $kind:expr) => {
        impl ArgumentValue for $type {
            const KIND: ArgumentType = $kind;
            fn from_value(value: &Value) -> Result<Self, ValueError> {
                let text = value.as_str().ok_or_else(|| expected(Self::KIND, value))?;
                Ok(<$type>::parse(text)?)
            }
        }
    };
}

identifier_argument!(AppName, ArgumentType::App);
identifier_argument!(ProcessType, ArgumentType::ProcessType);
identifier_argument!(DynoName, ArgumentType::Dyno);

impl ArgumentValue for ReleaseRef {
    const KIND: ArgumentType = ArgumentType::Release;
    fn from_value(value: &Value) -> Result<Self, ValueError> {
        match value {
            Value::String(text) => Ok(ReleaseRef::parse(text)?),
            Value::Number(number) => number
                .as_u64()
                .filter(|version| *version > 0)
                .and_then(|version| ReleaseRef::parse(&version.to_string()).ok())
                .ok_or_else(|| expected(Self::KIND, value)),
            _ => Err(expected(Self::KIND, value)),
        }
    }
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
        self.0.iter().find(|(key, value)| key == name && !value.is_null()).map(|(_, value)| value)
    }

    /// The value of a required argument, typed.
    pub fn required<T: ArgumentValue>(&self, name: &str) -> Result<T, OperationError> {
        let value = self
            .get(name)
            .ok_or_else(|| OperationError::Invalid(format!("a value for `{name}` is needed")))?;
        T::from_value(value).map_err(|error| invalid_argument(name, error))
    }

    /// The value of an optional argument, typed; `None` when not given.
    pub fn optional<T: ArgumentValue>(&self, name: &str) -> Result<Option<T>, OperationError> {
        self.get(name)
            .map(|value| T::from_value(value).map_err(|error| invalid_argument(name, error)))
            .transpose()
    }

    /// A `String` argument as given, for the dry-run's preview (which runs before the values
    /// are checked).
    pub fn text(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Value::as_str)
    }
}

fn invalid_argument(name: &str, error: ValueError) -> OperationError {
    OperationError::Invalid(format!("argument `{name}`: {error}"))
}

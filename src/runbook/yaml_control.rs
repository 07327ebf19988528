//! The control keys of a YAML step: `retry`, `timeout`, `on_failure`, `continue_on_failure`,
//! `for_each` and `concurrency`, checked as they are read.

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::diagnostic::Diagnostic;
use super::model::{ArgumentValue, ForEach, RetryPolicy, Step, StepControl};
use super::source::{SourceFile, Span};
use super::yaml_error;
use crate::duration::parse_wait;

/// The most items of a `for_each` in flight at once.
pub const MAX_CONCURRENCY: u64 = 64;

/// `retry: { attempts, delay, backoff }`
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RetrySpec {
    attempts: u32,
    delay: Option<String>,
    backoff: Option<f64>,
}

/// The control keys as written; `S` is the step type of `on_failure`.
pub struct ControlSpec<S> {
    pub retry: Option<Spanned<RetrySpec>>,
    pub timeout: Option<Spanned<String>>,
    pub on_failure: Vec<S>,
    pub continue_on_failure: bool,
    pub for_each: Option<Spanned<serde_json::Value>>,
    pub concurrency: Option<Spanned<u64>>,
}

/// The control keys with `for_each` already read as a value.
pub struct Controls {
    pub retry: Option<Spanned<RetrySpec>>,
    pub timeout: Option<Spanned<String>>,
    pub continue_on_failure: bool,
    pub for_each: Option<(ArgumentValue, Span)>,
    pub concurrency: Option<Spanned<u64>>,
}

pub fn load(
    source: &Arc<SourceFile>,
    controls: Controls,
    on_failure: Vec<Step>,
) -> Result<StepControl, Diagnostic> {
    let retry = controls.retry.map(|retry| load_retry(source, retry)).transpose()?;
    let timeout =
        controls.timeout.map(|timeout| load_duration(source, &timeout, "timeout")).transpose()?;
    let for_each = load_for_each(source, controls.for_each, controls.concurrency)?;
    Ok(StepControl {
        retry,
        timeout,
        on_failure,
        continue_on_failure: controls.continue_on_failure,
        for_each,
    })
}

fn load_retry(
    source: &Arc<SourceFile>,
    retry: Spanned<RetrySpec>,
) -> Result<RetryPolicy, Diagnostic> {
    let span = yaml_error::span(source, &retry);
    let spec = retry.value;
    let invalid = |message: &str| {
        Diagnostic::new(source, span, message.to_string())
            .label("in this retry")
            .hint("write `retry: { attempts: 3, delay: 2s, backoff: 2 }`")
    };
    if spec.attempts == 0 {
        return Err(invalid("`attempts` counts every try, so it is at least 1"));
    }
    let delay = match &spec.delay {
        Some(text) => parse_wait(text).map_err(|error| invalid(&error.to_string()))?,
        None => Duration::from_secs(1),
    };
    let backoff = spec.backoff.unwrap_or(1.0);
    if !(1.0..=10.0).contains(&backoff) {
        return Err(invalid("`backoff` multiplies the delay after each failure: between 1 and 10"));
    }
    Ok(RetryPolicy { attempts: spec.attempts, delay, backoff })
}

fn load_duration(
    source: &Arc<SourceFile>,
    text: &Spanned<String>,
    key: &str,
) -> Result<Duration, Diagnostic> {
    let duration = parse_wait(&text.value).map_err(|error| {
        Diagnostic::new(source, yaml_error::span(source, text), format!("`{key}`: {error}"))
            .label("not a duration")
            .hint(format!("for example `{key}: 30s` or `{key}: 2m`"))
    })?;
    if duration.is_zero() {
        return Err(Diagnostic::new(
            source,
            yaml_error::span(source, text),
            format!("`{key}` must be longer than zero"),
        )
        .label("zero")
        .hint(format!("for example `{key}: 30s`")));
    }
    Ok(duration)
}

fn load_for_each(
    source: &Arc<SourceFile>,
    items: Option<(ArgumentValue, Span)>,
    concurrency: Option<Spanned<u64>>,
) -> Result<Option<ForEach>, Diagnostic> {
    let Some((items, span)) = items else {
        return match concurrency {
            Some(concurrency) => Err(Diagnostic::new(
                source,
                yaml_error::span(source, &concurrency),
                "`concurrency` without `for_each`",
            )
            .label("nothing to run at once")
            .hint("add `for_each: [...]`, or remove `concurrency`")),
            None => Ok(None),
        };
    };
    if let ArgumentValue::Literal(value) = &items
        && !value.is_array()
    {
        return Err(Diagnostic::new(source, span, "`for_each` takes a list")
            .label("not a list")
            .hint("write `for_each: [a, b]` or `for_each: \"${some_list}\"`"));
    }
    if let ArgumentValue::Literal(value) = &items
        && holds_template(value)
    {
        return Err(Diagnostic::new(
            source,
            span,
            "`${...}` inside a `for_each` list is not evaluated",
        )
        .label("an item holds `${`")
        .hint("make the whole list one expression: `for_each: \"${[app, other_app]}\"`"));
    }
    let concurrency = match concurrency {
        Some(concurrency) if concurrency.value == 0 || concurrency.value > MAX_CONCURRENCY => {
            return Err(Diagnostic::new(
                source,
                yaml_error::span(source, &concurrency),
                format!("`concurrency` is between 1 and {MAX_CONCURRENCY}"),
            )
            .label("out of range")
            .hint("for example `concurrency: 5`"));
        }
        Some(concurrency) => concurrency.value as usize,
        None => 1,
    };
    Ok(Some(ForEach { items, concurrency }))
}

/// Whether any string inside `value` holds `${`.
pub(super) fn holds_template(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(text) => text.contains("${"),
        serde_json::Value::Array(items) => items.iter().any(holds_template),
        serde_json::Value::Object(entries) => entries.values().any(holds_template),
        _ => false,
    }
}

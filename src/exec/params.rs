//! Turns `-p name=value` into typed param values, checked before the first step.

use serde_json::Value;

use crate::runbook::model::{Param, ParamKind};
use crate::runbook::validate::param_value_matches;

/// Asks for a missing required param on the terminal; `None` off a terminal.
pub type Asker<'a> = Option<&'a dyn Fn(&Param) -> std::io::Result<String>>;

/// Every declared param with its value (`Null` when optional and not given); missing required
/// ones are asked for when `ask` can, and are an error naming `-p` otherwise.
pub fn resolve(
    declared: &[Param],
    given: &[String],
    ask: Asker<'_>,
) -> Result<Vec<(String, Value)>, (String, String)> {
    let mut pairs = Vec::new();
    for entry in given {
        let (name, text) = entry.split_once('=').ok_or_else(|| {
            (
                format!("`-p {entry}` is not `name=value`"),
                "write it as `-p process_type=web`".to_string(),
            )
        })?;
        let param = declared
            .iter()
            .find(|param| param.name.value == name)
            .ok_or_else(|| unknown(declared, name))?;
        pairs.push((param, parse(param, text)?));
    }
    declared
        .iter()
        .map(|param| {
            let given = pairs
                .iter()
                .rev()
                .find(|(candidate, _)| candidate.name.value == param.name.value);
            let value = match (given, &param.default) {
                (Some((_, value)), _) => value.clone(),
                (None, Some(default)) => default.clone(),
                (None, None) if param.required => match ask {
                    Some(ask) => parse(param, &ask(param).map_err(|_| missing(param))?)?,
                    None => return Err(missing(param)),
                },
                (None, None) => Value::Null,
            };
            Ok((param.name.value.clone(), value))
        })
        .collect()
}

fn parse(param: &Param, text: &str) -> Result<Value, (String, String)> {
    let name = &param.name.value;
    let value = match param.kind {
        ParamKind::String | ParamKind::Duration => Value::String(text.trim().to_string()),
        ParamKind::List => Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| Value::String(item.to_string()))
                .collect(),
        ),
        ParamKind::Int => text.trim().parse::<i64>().map(Value::from).map_err(|_| {
            (
                format!("param `{name}` must be a whole number, not `{text}`"),
                format!("for example `-p {name}=3`"),
            )
        })?,
        ParamKind::Bool => match text.trim() {
            "true" | "yes" => Value::Bool(true),
            "false" | "no" => Value::Bool(false),
            _ => {
                return Err((
                    format!("param `{name}` must be true or false, not `{text}`"),
                    format!("`-p {name}=true`"),
                ));
            }
        },
    };
    param_value_matches(param, &value).map_err(|problem| {
        (
            format!("param `{name}` {problem}"),
            format!(
                "for example `-p {name}={}`",
                param.choices.first().map_or("...", String::as_str)
            ),
        )
    })?;
    Ok(value)
}

fn unknown(declared: &[Param], name: &str) -> (String, String) {
    let names: Vec<&str> = declared
        .iter()
        .map(|param| param.name.value.as_str())
        .collect();
    let hint = if names.is_empty() {
        "this runbook takes no params".to_string()
    } else {
        format!("its params are: {}", names.join(", "))
    };
    (format!("unknown param `{name}`"), hint)
}

fn missing(param: &Param) -> (String, String) {
    let name = &param.name.value;
    let doc = if param.doc.is_empty() {
        String::new()
    } else {
        format!(" ({})", param.doc)
    };
    (
        format!("missing required param `{name}`{doc}"),
        format!("pass it with `-p {name}=VALUE`"),
    )
}

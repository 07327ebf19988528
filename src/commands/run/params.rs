//! Turns `-p name=value` into typed param values, checked before the first step: those given
//! over those of a resumed run, secrets asked again, missing required ones asked on a terminal.

use serde_json::Value;

use super::resume::Resumption;
use crate::commands::failure::Failure;
use crate::output::Printer;
use crate::runbook::Runbook;
use crate::runbook::param_value_matches;
use crate::runbook::{Param, ParamKind};
use crate::settings::RunSettings;

/// The params of this run: those given, over those of the run it resumes (secrets never come
/// from the journal: they are given again, or asked for on a terminal).
pub fn params_for(
    printer: &Printer,
    runbook: &Runbook,
    run: &RunSettings,
    resumption: Option<&Resumption>,
) -> Result<Vec<(String, Value)>, Failure> {
    let mut given = resumption.map_or_else(Vec::new, |resumption| resumption.params.clone());
    given.extend(run.params.iter().cloned());
    if let Some(resumption) = resumption {
        for secret in &resumption.secrets {
            given.extend(secret_again(printer, runbook, run, secret)?);
        }
    }
    resolve_params(printer, runbook, &given, run.interactive)
}

/// A secret param of the resumed run, given again with `-p` (`None`), or asked on a terminal.
fn secret_again(
    printer: &Printer,
    runbook: &Runbook,
    run: &RunSettings,
    secret: &str,
) -> Result<Option<String>, Failure> {
    let named = |entry: &String| entry.split_once('=').is_some_and(|(name, _)| name == secret);
    if run.params.iter().any(named) {
        return Ok(None);
    }
    if !run.interactive {
        return Err(Failure::usage(
            format!(
                "param `{secret}` is secret: the journal keeps only its mask, so --resume needs it again"
            ),
            format!("pass it again with `-p {secret}=VALUE`"),
        ));
    }
    let param = runbook
        .params
        .iter()
        .find(|param| param.name.value == secret)
        .ok_or_else(|| Failure::usage(format!("no param `{secret}`"), "check the runbook"))?;
    let value = printer
        .ask_param(&param.name.value, &param.doc, &param.choices, true)
        .map_err(|error| Failure::usage(error.to_string(), "pass it with -p"))?;
    printer.redactor().add(&value);
    Ok(Some(format!("{secret}={value}")))
}

/// Typed param values; values of secret params are masked from here on.
fn resolve_params(
    printer: &Printer,
    runbook: &Runbook,
    given: &[String],
    interactive: bool,
) -> Result<Vec<(String, Value)>, Failure> {
    let asking = |param: &Param| {
        let answer =
            printer.ask_param(&param.name.value, &param.doc, &param.choices, param.secret)?;
        if param.secret {
            printer.redactor().add(&answer);
        }
        Ok(answer)
    };
    let ask: Asker<'_> = if interactive { Some(&asking) } else { None };
    let params = resolve(&runbook.params, given, ask)
        .map_err(|error| Failure::Usage { message: error.to_string(), hint: Some(error.hint()) })?;
    for param in runbook.params.iter().filter(|param| param.secret) {
        if let Some((_, value)) = params.iter().find(|(name, _)| *name == param.name.value) {
            printer.redactor().add_strings_of(value);
        }
    }
    Ok(params)
}

/// A `-p` that cannot be used, or a required param not given.
#[derive(Debug, thiserror::Error)]
pub enum ParamError {
    #[error("`-p {0}` is not `name=value`")]
    NotNameValue(String),
    #[error("unknown param `{name}`")]
    Unknown { name: String, declared: Vec<String> },
    #[error("param `{name}` must be a whole number, not `{text}`")]
    NotWhole { name: String, text: String },
    #[error("param `{name}` must be true or false, not `{text}`")]
    NotBool { name: String, text: String },
    #[error("param `{name}` {mismatch}")]
    Mismatch { name: String, mismatch: crate::runbook::ParamMismatch, example: String },
    #[error("missing required param `{name}`{}", if doc.is_empty() { String::new() } else { format!(" ({doc})") })]
    Missing { name: String, doc: String },
}

impl ParamError {
    /// What to type instead.
    pub fn hint(&self) -> String {
        match self {
            ParamError::NotNameValue(_) => "write it as `-p process_type=web`".to_string(),
            ParamError::Unknown { declared, .. } if declared.is_empty() => {
                "this runbook takes no params".to_string()
            }
            ParamError::Unknown { declared, .. } => {
                format!("its params are: {}", declared.join(", "))
            }
            ParamError::NotWhole { name, .. } => format!("for example `-p {name}=3`"),
            ParamError::NotBool { name, .. } => format!("`-p {name}=true`"),
            ParamError::Mismatch { name, example, .. } => {
                format!("for example `-p {name}={example}`")
            }
            ParamError::Missing { name, .. } => format!("pass it with `-p {name}=VALUE`"),
        }
    }
}

/// Asks for a missing required param on the terminal; `None` off a terminal.
pub type Asker<'a> = Option<&'a dyn Fn(&Param) -> std::io::Result<String>>;

/// Every declared param with its value (`Null` when optional and not given); missing required
/// ones are asked for when `ask` can, and are an error naming `-p` otherwise.
pub fn resolve(
    declared: &[Param],
    given: &[String],
    ask: Asker<'_>,
) -> Result<Vec<(String, Value)>, ParamError> {
    let mut pairs = Vec::new();
    for entry in given {
        let (name, text) =
            entry.split_once('=').ok_or_else(|| ParamError::NotNameValue(entry.clone()))?;
        let param = declared
            .iter()
            .find(|param| param.name.value == name)
            .ok_or_else(|| unknown(declared, name))?;
        pairs.push((param, parse(param, text)?));
    }
    declared
        .iter()
        .map(|param| {
            let given =
                pairs.iter().rev().find(|(candidate, _)| candidate.name.value == param.name.value);
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

fn parse(param: &Param, text: &str) -> Result<Value, ParamError> {
    let name = param.name.value.clone();
    let value = match param.kind {
        ParamKind::String | ParamKind::Duration => Value::String(text.trim().to_string()),
        ParamKind::List => Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| Value::String(item.to_string()))
                .collect(),
        ),
        ParamKind::Int => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| ParamError::NotWhole { name: name.clone(), text: text.to_string() })?,
        ParamKind::Bool => match text.trim() {
            "true" | "yes" => Value::Bool(true),
            "false" | "no" => Value::Bool(false),
            _ => {
                return Err(ParamError::NotBool { name, text: text.to_string() });
            }
        },
    };
    param_value_matches(param, &value).map_err(|mismatch| ParamError::Mismatch {
        name,
        mismatch,
        example: param.choices.first().map_or(param.kind.example(), String::as_str).to_string(),
    })?;
    Ok(value)
}

fn unknown(declared: &[Param], name: &str) -> ParamError {
    ParamError::Unknown {
        name: name.to_string(),
        declared: declared.iter().map(|param| param.name.value.clone()).collect(),
    }
}

fn missing(param: &Param) -> ParamError {
    ParamError::Missing { name: param.name.value.clone(), doc: param.doc.clone() }
}

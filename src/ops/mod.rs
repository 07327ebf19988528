//! The operations catalogue: every Heroku operation a runbook can call, defined once.
//!
//! YAML `do:` steps, Rhai `heroku::` functions, `check`, `show` and the dry-run renderer all read
//! the same table; each operation is one type (`read/`, `write/`) that the table points at.

mod argument_sets;
mod arguments;
mod behaviour;
mod catalogue;
mod dyno_list;
mod dyno_watch;
mod effect;
mod health;
mod health_watch;
mod log_line;
mod log_stream;
mod operation;
mod outcome;
mod prepared;
mod read;
mod release_wait;
mod write;

pub use arguments::{ArgumentSpec, ArgumentType, ArgumentValues, FOREVER, describe};
pub use behaviour::Behaviour;
pub use catalogue::{CATALOGUE, MOST_ARGUMENTS, closest, find};
pub use dyno_list::describe as describe_dynos;
pub use effect::Effect;
pub use log_line::{explain as explain_code, fields as log_fields, parse as parse_log_line};
pub use operation::Operation;
pub use outcome::{OperationError, OperationOutput, Outcome, Running, Terminal, TerminalInfo};
pub use prepared::PreparedWrite;

use crate::effects::Effects;
use crate::heroku::Client;

/// Checks the values against the catalogue: all required present, none unknown, types right
/// (identifiers included), before anything is read or sent.
pub fn check_arguments(
    operation: &Operation,
    values: &ArgumentValues,
) -> Result<(), OperationError> {
    for (name, value) in &values.0 {
        let spec = operation.argument(name).ok_or_else(|| {
            OperationError::Invalid(format!("`{}` takes no argument `{name}`", operation.name))
        })?;
        spec.kind.check(value).map_err(|expected| {
            OperationError::Invalid(format!(
                "argument `{name}` of `{}`: {expected}",
                operation.name
            ))
        })?;
    }
    for spec in operation.arguments.iter().filter(|spec| spec.required) {
        if values.get(spec.name).is_none() {
            return Err(OperationError::Invalid(format!(
                "`{}` needs a value for `{}` ({})",
                operation.name, spec.name, spec.doc
            )));
        }
    }
    Ok(())
}

/// Whether a read was asked to show its secret result (`heroku.config_vars` with `reveal`).
pub fn reveals(operation: &Operation, values: &ArgumentValues) -> bool {
    use arguments::Arguments;
    operation.secret_result
        && argument_sets::ConfigVarsArguments::parse(values)
            .is_ok_and(|arguments| arguments.reveal == Some(true))
}

/// Runs a read operation.
pub async fn read(
    operation: &'static Operation,
    values: &ArgumentValues,
    effects: &Effects,
    output: &OperationOutput<'_>,
) -> Result<Outcome, OperationError> {
    check_arguments(operation, values)?;
    match operation.behaviour {
        Behaviour::Read(read) => read.read(values, Running { effects, output }).await,
        Behaviour::Write(_) => {
            Err(OperationError::Invalid(format!("`{}` is a write", operation.name)))
        }
    }
}

/// Prepares a write operation: its arguments checked, what it needs read, what it sends built.
pub async fn prepare(
    operation: &'static Operation,
    values: &ArgumentValues,
    reader: &Client,
    terminal: &TerminalInfo,
) -> Result<PreparedWrite, OperationError> {
    check_arguments(operation, values)?;
    match operation.behaviour {
        Behaviour::Write(write) => write.prepare(operation, values, reader, terminal).await,
        Behaviour::Read(_) => {
            Err(OperationError::Invalid(format!("`{}` is a read", operation.name)))
        }
    }
}

/// What the prompt of `write` shows beyond what preparing it read (read only when asked).
pub async fn affected(write: &PreparedWrite, reader: &Client) -> Vec<String> {
    write.affected(reader).await
}

/// Carries out a prepared write: sent in a live run, recorded in a dry-run (whose result is a
/// placeholder marked unknown).
pub async fn carry_out(
    write: PreparedWrite,
    effects: &Effects,
    output: &OperationOutput<'_>,
) -> Result<Outcome, OperationError> {
    if effects.plan_instead(&write.planned) {
        return Ok(not_sent(&write));
    }
    write.send(Running { effects, output }).await
}

/// What a write that a dry-run recorded instead of sending gives: a placeholder value.
pub fn not_sent(write: &PreparedWrite) -> Outcome {
    Outcome {
        value: placeholder(&write.first().describe()),
        summary: Some(
            write.dry_run_summary.clone().unwrap_or_else(|| "dry-run: not sent".to_string()),
        ),
    }
}

/// The result of a write that a dry-run did not send: visibly unknown.
pub fn placeholder(described: &str) -> serde_json::Value {
    serde_json::Value::String(format!("<unknown: {described} was not sent>"))
}

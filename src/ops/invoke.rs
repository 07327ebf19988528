//! Runs a catalogue operation with checked arguments, through the effects chokepoint.

use serde_json::Value;

use super::arguments::ArgumentValues;
use super::catalogue::{Operation, OperationKind};
use super::{check_app, deploy, dynos, git_push, logs, one_off, promote, reads, shell, writes};
use crate::effects::{Effects, PlannedRequest, WriteOutcome};
use crate::heroku::ApiError;

/// What an operation returned: the value for later steps and a line for people.
#[derive(Debug)]
pub struct Outcome {
    pub value: Value,
    pub summary: Option<String>,
}

/// What a gated operation will touch, shown in the confirmation prompt.
#[derive(Debug, Default)]
pub struct Impact {
    pub lines: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum OperationError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Failed(String),
}

/// Where a running operation reports: progress (`done` of `total`, and what it waits for), and
/// lines it shows as they come (log lines).
pub struct OperationOutput<'a> {
    pub progress: &'a (dyn Fn(u64, u64, String) + Send + Sync),
    pub line: &'a (dyn Fn(String) + Send + Sync),
    /// Called before the operation takes the terminal over (an attached dyno).
    pub release_terminal: &'a (dyn Fn() + Send + Sync),
}

impl OperationOutput<'static> {
    /// Reports nothing: for the items of a `for_each`, whose step reports instead.
    pub fn quiet() -> Self {
        Self {
            progress: &|_, _, _| {},
            line: &|_| {},
            release_terminal: &|| {},
        }
    }
}

/// Checks the values against the catalogue: all required present, none unknown, types right.
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

pub async fn invoke(
    operation: &Operation,
    values: &ArgumentValues,
    effects: &Effects,
    output: &OperationOutput<'_>,
) -> Result<Outcome, OperationError> {
    check_arguments(operation, values)?;
    let app = values.string("app").unwrap_or_default();
    match operation.kind {
        OperationKind::AppInfo => reads::app_info(effects, &app).await,
        OperationKind::ConfigVars => reads::config_vars(effects, &app).await,
        OperationKind::Formation => reads::formation(effects, &app).await,
        OperationKind::Releases => reads::releases(effects, values).await,
        OperationKind::Addons => reads::addons(effects, &app).await,
        OperationKind::Dynos => {
            dynos::list(effects, &app, values.string("process_type").as_deref()).await
        }
        OperationKind::WaitDynosUp => dynos::wait_up(effects, values, output.progress).await,
        OperationKind::Logs => logs::logs(effects, values, output).await,
        OperationKind::Run => one_off::run(effects, values, output).await,
        OperationKind::Deploy => deploy::deploy(effects, values, output).await,
        OperationKind::GitPush => git_push::push(effects, values, output).await,
        OperationKind::Promote => promote::promote(effects, values, output).await,
        OperationKind::Shell => shell::shell(effects, values, output).await,
        OperationKind::CheckApp => check_app::check(effects, values).await,
        _ => {
            let request = writes::plan(operation, values, effects)
                .await?
                .expect("every other operation writes");
            write(operation, effects, request).await
        }
    }
}

/// The request a write operation sends; `None` for reads.
pub async fn planned_request(
    operation: &Operation,
    values: &ArgumentValues,
    effects: &Effects,
) -> Option<PlannedRequest> {
    writes::plan(operation, values, effects)
        .await
        .ok()
        .flatten()
}

/// What the operation will affect, read for real so that the prompt can show it.
pub async fn impact(operation: &Operation, values: &ArgumentValues, effects: &Effects) -> Impact {
    let app = values.string("app").unwrap_or_default();
    let mut lines = vec![format!("app: {app}")];
    lines.extend(writes::affected(operation, values, effects).await);
    if let Some(request) = planned_request(operation, values, effects).await {
        lines.push(format!("request: {}", request.describe()));
    }
    Impact { lines }
}

async fn write(
    operation: &Operation,
    effects: &Effects,
    request: PlannedRequest,
) -> Result<Outcome, OperationError> {
    let described = request.describe();
    match effects.write(request).await? {
        WriteOutcome::Sent { body, request_id } => Ok(Outcome {
            summary: Some(writes::summary(
                operation,
                &described,
                &body,
                request_id.as_deref(),
            )),
            value: body,
        }),
        WriteOutcome::Recorded => Ok(not_sent(&described)),
    }
}

/// What a write that a dry-run recorded instead of sending gives: a placeholder value.
pub fn not_sent(described: &str) -> Outcome {
    Outcome {
        value: placeholder(described),
        summary: Some("dry-run: not sent".to_string()),
    }
}

/// The result of a write that a dry-run did not send: visibly unknown.
pub fn placeholder(described: &str) -> Value {
    Value::String(format!("<unknown: {described} was not sent>"))
}

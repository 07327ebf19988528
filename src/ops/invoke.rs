//! Runs a catalogue operation with checked arguments, through the effects chokepoint.

use serde_json::Value;

use super::arguments::ArgumentValues;
use super::catalogue::{Operation, OperationKind};
use super::dynos;
use crate::effects::{Effects, PlannedRequest, WriteOutcome};
use crate::heroku::{ApiError, apps, formation};

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

/// Progress of a long operation: `done` of `total`, and what it is waiting for.
pub type ProgressReporter<'a> = &'a (dyn Fn(u64, u64, String) + Send + Sync);

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
    progress: ProgressReporter<'_>,
) -> Result<Outcome, OperationError> {
    check_arguments(operation, values)?;
    let app = values.string("app").unwrap_or_default();
    match operation.kind {
        OperationKind::AppInfo => app_info(effects, &app).await,
        OperationKind::ConfigVars => config_vars(effects, &app).await,
        OperationKind::Formation => formation_list(effects, &app).await,
        OperationKind::Dynos => {
            dynos::list(effects, &app, values.string("process_type").as_deref()).await
        }
        OperationKind::WaitDynosUp => dynos::wait_up(effects, values, progress).await,
        OperationKind::Restart | OperationKind::RestartDyno => {
            let request = planned_request(operation, values).expect("writes have a request");
            write(effects, request).await
        }
    }
}

/// The request a write operation sends; `None` for reads.
pub fn planned_request(operation: &Operation, values: &ArgumentValues) -> Option<PlannedRequest> {
    let app = values.string("app").unwrap_or_default();
    let request = match operation.kind {
        OperationKind::Restart => {
            crate::heroku::dynos::restart_request(&app, values.string("process_type").as_deref())
        }
        OperationKind::RestartDyno => crate::heroku::dynos::restart_dyno_request(
            &app,
            &values.string("dyno").unwrap_or_default(),
        ),
        _ => return None,
    };
    Some(PlannedRequest::new(&app, request))
}

/// What the operation will affect, read for real so that the prompt can show it.
pub async fn impact(operation: &Operation, values: &ArgumentValues, effects: &Effects) -> Impact {
    let request = planned_request(operation, values);
    let app = values.string("app").unwrap_or_default();
    let mut lines = vec![format!("app: {app}")];
    let affected = match operation.kind {
        OperationKind::Restart => {
            dynos::affected(
                effects,
                &app,
                values.string("process_type").as_deref(),
                None,
            )
            .await
        }
        OperationKind::RestartDyno => {
            dynos::affected(effects, &app, None, values.string("dyno").as_deref()).await
        }
        _ => None,
    };
    lines.extend(affected);
    if let Some(request) = &request {
        lines.push(format!("request: {}", request.describe()));
    }
    Impact { lines }
}

async fn write(effects: &Effects, request: PlannedRequest) -> Result<Outcome, OperationError> {
    let described = request.describe();
    match effects.write(request).await? {
        WriteOutcome::Sent { body, request_id } => Ok(Outcome {
            value: body,
            summary: Some(match request_id {
                Some(request_id) => format!("sent {described} (Request-Id {request_id})"),
                None => format!("sent {described}"),
            }),
        }),
        WriteOutcome::Recorded => Ok(Outcome {
            value: placeholder(&described),
            summary: Some("dry-run: not sent".to_string()),
        }),
    }
}

/// The result of a write that a dry-run did not send: visibly unknown.
pub fn placeholder(described: &str) -> Value {
    Value::String(format!("<unknown: {described} was not sent>"))
}

async fn app_info(effects: &Effects, app: &str) -> Result<Outcome, OperationError> {
    let info = apps::info(effects.client(), app).await?;
    let summary = format!(
        "{}: maintenance {}, {}",
        info.name,
        if info.maintenance { "on" } else { "off" },
        info.web_url.as_deref().unwrap_or("no web URL")
    );
    Ok(Outcome {
        value: serde_json::to_value(&info).unwrap_or_default(),
        summary: Some(summary),
    })
}

async fn config_vars(effects: &Effects, app: &str) -> Result<Outcome, OperationError> {
    let vars = crate::heroku::config_vars::get(effects.client(), app).await?;
    let names: Vec<&str> = vars.keys().map(String::as_str).collect();
    Ok(Outcome {
        summary: Some(format!(
            "{} config vars: {} (values masked)",
            names.len(),
            names.join(", ")
        )),
        value: serde_json::to_value(&vars).unwrap_or_default(),
    })
}

async fn formation_list(effects: &Effects, app: &str) -> Result<Outcome, OperationError> {
    let formation = formation::list(effects.client(), app).await?;
    let summary = formation
        .iter()
        .map(|entry| {
            format!(
                "{} x{} ({})",
                entry.process_type, entry.quantity, entry.size
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    Ok(Outcome {
        value: serde_json::to_value(&formation).unwrap_or_default(),
        summary: Some(summary),
    })
}

//! `heroku.run`: a detached one-off dyno (`heroku run --detach`), its output followed through a
//! log session, its exit status reported.

use std::collections::VecDeque;

use serde_json::{Value, json};

use super::arguments::ArgumentValues;
use super::invoke::{OperationError, OperationOutput, Outcome, not_sent};
use super::log_line;
use super::logs::each_line;
use crate::effects::{Effects, PlannedRequest, WriteOutcome};
use crate::heroku::dynos;
use crate::heroku::log_sessions::{self, LogRequest};

/// How many output lines the result keeps (all are shown as they come).
const KEPT_OUTPUT: usize = 200;

pub fn plan(values: &ArgumentValues) -> PlannedRequest {
    let app = values.string("app").unwrap_or_default();
    let (method, path, body) = dynos::run_request(
        &app,
        &values.string("command").unwrap_or_default(),
        values.string("size").as_deref(),
    );
    PlannedRequest::new(&app, (method, path)).with_body(Some(body))
}

pub async fn run(
    effects: &Effects,
    values: &ArgumentValues,
    output: &OperationOutput<'_>,
) -> Result<Outcome, OperationError> {
    let request = plan(values);
    let described = request.describe();
    let WriteOutcome::Sent { body, .. } = effects.write(request).await? else {
        return Ok(not_sent(&described));
    };
    let app = values.string("app").unwrap_or_default();
    let command = values.string("command").unwrap_or_default();
    let dyno = body["name"].as_str().unwrap_or_default().to_string();
    let (status, lines) = follow(effects, &app, &dyno, output).await?;
    let summary = format!(
        "`{command}` on {dyno} exited with status {}",
        status.map_or("unknown".into(), |status| status.to_string())
    );
    let value = json!({ "dyno": dyno, "exit_status": status, "output": lines });
    match status {
        Some(0) => Ok(Outcome {
            value,
            summary: Some(summary),
        }),
        _ => Err(OperationError::Failed(summary)),
    }
}

/// Follows the dyno's lines until Heroku logs its exit; the exit status and the last lines.
async fn follow(
    effects: &Effects,
    app: &str,
    dyno: &str,
    output: &OperationOutput<'_>,
) -> Result<(Option<i64>, Vec<Value>), OperationError> {
    let request = LogRequest {
        lines: Some(1500),
        source: None,
        dyno_name: Some(dyno.to_string()),
        tail: true,
    };
    let session = log_sessions::create(effects.client(), app, &request).await?;
    let mut status = None;
    let mut kept: VecDeque<Value> = VecDeque::new();
    each_line(&session.logplex_url, |line| {
        let Some(parsed) = log_line::parse(line) else {
            return true;
        };
        if parsed.dyno != dyno {
            return true;
        }
        if parsed.source == "app" {
            (output.line)(parsed.message.clone());
            if kept.len() == KEPT_OUTPUT {
                kept.pop_front();
            }
            kept.push_back(Value::String(parsed.message));
            return true;
        }
        status = parsed
            .message
            .strip_prefix("Process exited with status ")
            .and_then(|code| code.trim().parse().ok());
        status.is_none()
    })
    .await?;
    Ok((status, kept.into_iter().collect()))
}

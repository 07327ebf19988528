//! `heroku.run`: a detached one-off dyno (`heroku run:detached`), its output followed through a
//! log session, its exit status reported.

use std::collections::VecDeque;

use serde_json::{Value, json};

use super::{one_off_dyno, send_first};
use crate::heroku::log_sessions::{self, LogRequest};
use crate::heroku::{Client, dynos};
use crate::identifiers::AppName;
use crate::ops::argument_sets::RunArguments;
use crate::ops::behaviour::{Action, Prepare, Prepared, Preparing};
use crate::ops::log_line;
use crate::ops::log_stream::{Silence, each_line};
use crate::ops::outcome::{OperationError, OperationOutput, Outcome};
use crate::ops::outcome::{OperationResult, Running};
use crate::ops::prepared::PreparedWrite;

/// How many output lines the result keeps (all are shown as they come).
const KEPT_OUTPUT: usize = 200;

pub struct RunDetached;

/// The command as given, for the summary.
struct Command(String);

impl Prepare for RunDetached {
    type Arguments = RunArguments;

    async fn prepare(&self, arguments: RunArguments, preparing: Preparing<'_>) -> Prepared {
        let RunArguments { app, command, size } = arguments;
        let body = dynos::detached_body(&command, size.as_deref());
        Ok(one_off_dyno(preparing.operation, app, body, Command(command)))
    }
}

impl Action for Command {
    async fn send(self, write: PreparedWrite, running: Running<'_>) -> OperationResult {
        let Running { effects, output } = running;
        let command = self.0;
        let (answer, _) = send_first(&write, effects).await?;
        let dyno = answer.body["name"].as_str().unwrap_or_default().to_string();
        let (status, lines) = follow(effects.reader(), &write.app, &dyno, output).await?;
        let summary = format!(
            "`{command}` on {dyno} exited with status {}",
            status.map_or("unknown".into(), |status| status.to_string())
        );
        let value = json!({ "dyno": dyno, "exit_status": status, "output": lines });
        match status {
            Some(0) => Ok(Outcome { value, summary: Some(summary) }),
            _ => Err(OperationError::Failed(summary)),
        }
    }
}

/// Follows the dyno's lines until Heroku logs its exit; the exit status and the last lines.
async fn follow(
    reader: &Client,
    app: &AppName,
    dyno: &str,
    output: &OperationOutput<'_>,
) -> Result<(Option<i64>, Vec<Value>), OperationError> {
    let request = LogRequest {
        lines: Some(1500),
        source: None,
        dyno_name: Some(dyno.to_string()),
        tail: true,
    };
    let session = log_sessions::create(reader, app, &request).await?;
    let mut status = None;
    let mut kept: VecDeque<Value> = VecDeque::new();
    each_line(reader, &session.logplex_url, Silence::Waits, |line| {
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

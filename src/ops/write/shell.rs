//! `heroku.shell`: an attached one-off dyno (`heroku run bash`), this terminal connected to it
//! through Heroku's rendezvous service; its exit status decides the step.

use serde_json::json;

use super::{one_off_dyno, send_first};
use crate::heroku::rendezvous::{self, EXIT_MARKER};
use crate::ops::argument_sets::ShellArguments;
use crate::ops::behaviour::{Action, Prepare, Prepared, Preparing};
use crate::ops::outcome::{OperationError, Outcome, TerminalInfo};
use crate::ops::outcome::{OperationResult, Running};
use crate::ops::prepared::PreparedWrite;

pub struct Shell;

/// The command as given, for the summary.
struct Command(String);

impl Prepare for Shell {
    type Arguments = ShellArguments;

    async fn prepare(&self, arguments: ShellArguments, preparing: Preparing<'_>) -> Prepared {
        let ShellArguments { app, command, size } = arguments;
        let command = command.unwrap_or_else(|| "bash".into());
        let body = attached_body(&command, size.as_deref(), preparing.terminal);
        Ok(one_off_dyno(preparing.operation, app, body, Command(command)))
    }
}

impl Action for Command {
    async fn send(self, write: PreparedWrite, running: Running<'_>) -> OperationResult {
        let Running { effects, output } = running;
        let command = self.0;
        let (answer, _) = send_first(&write, effects).await?;
        let body = answer.body;
        let dyno = body["name"].as_str().unwrap_or_default().to_string();
        let attach_url = body["attach_url"].as_str().ok_or_else(|| {
            OperationError::Failed(format!("{dyno} has no attach_url: Heroku did not attach it"))
        })?;
        let trusted = simulator_certificate(effects.reader().base_url()).await;
        let stream = rendezvous::connect(attach_url, trusted).await?;
        let status = output.terminal.attach(stream, EXIT_MARKER).await.map_err(|error| {
            OperationError::Failed(format!("the session with {dyno} broke: {error}"))
        })?;
        let summary = format!(
            "`{command}` on {dyno} exited with status {}",
            status.map_or("unknown".into(), |status| status.to_string())
        );
        match status {
            Some(0) => Ok(Outcome {
                value: json!({ "dyno": dyno, "exit_status": 0 }),
                summary: Some(summary),
            }),
            _ => Err(OperationError::Failed(summary)),
        }
    }
}

/// The body of `heroku run`: the command with the exit-status marker, and the terminal's type
/// and size.
fn attached_body(command: &str, size: Option<&str>, terminal: &TerminalInfo) -> serde_json::Value {
    let mut body = json!({
        "command": rendezvous::with_exit_marker(command),
        "attach": true,
        "type": "run",
        "env": {
            "TERM": terminal.kind,
            "COLUMNS": terminal.columns.to_string(),
            "LINES": terminal.rows.to_string(),
        },
    });
    if let Some(size) = size {
        body["size"] = json!(size);
    }
    body
}

/// When the API is the local simulator, the certificate of its rendezvous server, to trust it.
async fn simulator_certificate(base_url: &str) -> Option<Vec<u8>> {
    let local =
        base_url.starts_with("http://127.0.0.1:") || base_url.starts_with("http://localhost:");
    if !local {
        return None;
    }
    let response = reqwest::get(format!("{base_url}/__sim/rendezvous-certificate")).await.ok()?;
    if !response.status().is_success() {
        return None;
    }
    response.bytes().await.ok().map(|bytes| bytes.to_vec())
}

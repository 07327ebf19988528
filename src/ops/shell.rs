//! `heroku.shell`: an attached one-off dyno (`heroku run bash`), this terminal connected to it
//! through Heroku's rendezvous service; its exit status decides the step.

use serde_json::json;

use super::arguments::ArgumentValues;
use super::invoke::{OperationError, OperationOutput, Outcome, not_sent};
use crate::effects::{Effects, PlannedRequest, WriteOutcome};
use crate::heroku::apps::path as app_path;
use crate::heroku::rendezvous::{self, EXIT_MARKER};

pub fn plan(values: &ArgumentValues) -> PlannedRequest {
    let app = values.string("app").unwrap_or_default();
    let command = values.string("command").unwrap_or_else(|| "bash".into());
    let (columns, lines) = console::Term::stdout().size();
    let mut body = json!({
        "command": rendezvous::with_exit_marker(&command),
        "attach": true,
        "type": "run",
        "env": { "TERM": std::env::var("TERM").unwrap_or_else(|_| "xterm".into()), "COLUMNS": columns.to_string(), "LINES": lines.to_string() },
    });
    if let Some(size) = values.string("size") {
        body["size"] = json!(size);
    }
    PlannedRequest::new(
        &app,
        (reqwest::Method::POST, format!("{}/dynos", app_path(&app))),
    )
    .with_body(Some(body))
}

pub async fn shell(
    effects: &Effects,
    values: &ArgumentValues,
    output: &OperationOutput<'_>,
) -> Result<Outcome, OperationError> {
    let request = plan(values);
    let described = request.describe();
    let WriteOutcome::Sent { body, .. } = effects.write(request).await? else {
        return Ok(not_sent(&described));
    };
    let dyno = body["name"].as_str().unwrap_or_default().to_string();
    let attach_url = body["attach_url"].as_str().ok_or_else(|| {
        OperationError::Failed(format!(
            "{dyno} has no attach_url: Heroku did not attach it"
        ))
    })?;
    let trusted = simulator_certificate(effects.client().base_url()).await;
    let stream = rendezvous::connect(attach_url, trusted).await?;
    (output.release_terminal)();
    let status = crate::output::terminal::attach(stream, EXIT_MARKER)
        .await
        .map_err(|error| {
            OperationError::Failed(format!("the session with {dyno} broke: {error}"))
        })?;
    let command = values.string("command").unwrap_or_else(|| "bash".into());
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

/// When the API is the local simulator, the certificate of its rendezvous server, to trust it.
async fn simulator_certificate(base_url: &str) -> Option<Vec<u8>> {
    let local =
        base_url.starts_with("http://127.0.0.1:") || base_url.starts_with("http://localhost:");
    if !local {
        return None;
    }
    let response = reqwest::get(format!("{base_url}/__sim/rendezvous-certificate"))
        .await
        .ok()?;
    if !response.status().is_success() {
        return None;
    }
    response.bytes().await.ok().map(|bytes| bytes.to_vec())
}

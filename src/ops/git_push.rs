//! `heroku.git_push`: `git push` of a branch to the app's git remote, run on this machine.

use std::path::PathBuf;

use serde_json::json;

use super::arguments::ArgumentValues;
use super::invoke::{OperationError, OperationOutput, Outcome};
use crate::effects::{Effects, LocalCommand, LocalOutcome};
use crate::heroku::apps;

pub async fn push(
    effects: &Effects,
    values: &ArgumentValues,
    output: &OperationOutput<'_>,
) -> Result<Outcome, OperationError> {
    let app = values.string("app").unwrap_or_default();
    let branch = values.string("branch").unwrap_or_else(|| "main".into());
    let directory = PathBuf::from(values.string("directory").unwrap_or_else(|| ".".into()));
    let info = apps::info(effects.client(), &app).await?;
    let remote = info
        .git_url
        .ok_or_else(|| OperationError::Failed(format!("`{app}` has no git URL")))?;
    let command = LocalCommand {
        app: app.clone(),
        program: "git".into(),
        arguments: vec!["push".into(), remote.clone(), format!("{branch}:main")],
        directory,
    };
    let described = command.describe();
    match effects
        .local(command, output.line)
        .await
        .map_err(OperationError::Failed)?
    {
        LocalOutcome::Recorded => Ok(Outcome {
            value: json!(null),
            summary: Some(format!("dry-run: would run `{described}`")),
        }),
        LocalOutcome::Ran(Some(0)) => Ok(Outcome {
            value: json!({ "remote": remote, "branch": branch }),
            summary: Some(format!("pushed {branch} to {remote}")),
        }),
        LocalOutcome::Ran(status) => Err(OperationError::Failed(format!(
            "`{described}` failed with status {}",
            status.map_or("unknown (a signal)".into(), |status| status.to_string())
        ))),
    }
}

//! `heroku.git_push`: `git push` of a branch to the app's git remote, run on this machine (a
//! `Local` effect: only planned in a dry-run).

use serde_json::json;

use super::deploy::checkout;
use crate::effects::{LocalCommand, LocalOutcome, Planned};
use crate::heroku::apps;
use crate::local::{self, check_branch};
use crate::ops::argument_sets::GitPushArguments;
use crate::ops::behaviour::{Action, Prepare, Prepared, Preparing, ThisMachineCheck};
use crate::ops::outcome::{OperationError, Outcome};
use crate::ops::outcome::{OperationResult, Running};
use crate::ops::prepared::PreparedWrite;

pub struct GitPush;

impl Prepare for GitPush {
    type Arguments = GitPushArguments;

    async fn prepare(&self, arguments: GitPushArguments, preparing: Preparing<'_>) -> Prepared {
        let app = arguments.app;
        let (directory, branch) = checkout(arguments.directory, arguments.branch);
        check_branch(&branch).map_err(|error| OperationError::Invalid(error.to_string()))?;
        let remote = apps::info(preparing.reader, &app)
            .await?
            .git_url
            .ok_or_else(|| OperationError::Failed(format!("`{app}` has no git URL")))?;
        let command = LocalCommand {
            app: Some(app.clone()),
            program: "git".into(),
            arguments: vec![
                "push".into(),
                "--".into(),
                remote,
                format!("refs/heads/{branch}:refs/heads/main"),
            ],
            directory,
        };
        let planned = Planned::Command(command.planned());
        Ok(PreparedWrite::new(preparing.operation, app, planned, Push { branch, command }))
    }

    const THIS_MACHINE: Option<ThisMachineCheck<Self>> = Some(branch_to_push);
}

/// The branch is there to push: said before the run starts rather than after its prompt.
fn branch_to_push(arguments: &GitPushArguments) -> Result<(), OperationError> {
    let (directory, branch) = checkout(arguments.directory.clone(), arguments.branch.clone());
    local::local_branch(&directory, &branch)?;
    Ok(())
}

/// The push a write prepared: the branch and the `git push` that sends it.
struct Push {
    branch: String,
    command: LocalCommand,
}

impl Action for Push {
    async fn send(self, _write: PreparedWrite, running: Running<'_>) -> OperationResult {
        let Running { effects, output } = running;
        let Push { branch, command } = self;
        let described = command.describe();
        match effects.local(&command, output.line).await.map_err(OperationError::from)? {
            LocalOutcome::Ran(Some(0)) => Ok(Outcome {
                value: json!({ "remote": command.arguments[2], "branch": branch }),
                summary: Some(format!("pushed {branch} to {}", command.arguments[2])),
            }),
            LocalOutcome::Ran(status) => Err(OperationError::Failed(format!(
                "`{described}` failed with status {}",
                status.map_or("unknown (a signal)".into(), |status| status.to_string())
            ))),
            LocalOutcome::Recorded => {
                Err(OperationError::Failed("a dry-run never runs `git push`".into()))
            }
        }
    }
}

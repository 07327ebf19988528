//! `heroku.rollback`: a new release restoring an earlier one's code and config; the one before the
//! current when none is named. The releases are read once, for the prompt and the request alike.

use super::{send_first, sent};
use crate::effects::Planned;
use crate::heroku::types::Release;
use crate::heroku::{Client, releases};
use crate::identifiers::{AppName, ReleaseRef};
use crate::ops::argument_sets::RollbackArguments;
use crate::ops::behaviour::{Action, Prepare, Prepared, Preparing};
use crate::ops::outcome::{OperationError, Outcome};
use crate::ops::outcome::{OperationResult, Running};
use crate::ops::prepared::PreparedWrite;

pub struct Rollback;

impl Prepare for Rollback {
    type Arguments = RollbackArguments;

    async fn prepare(&self, arguments: RollbackArguments, preparing: Preparing<'_>) -> Prepared {
        let app = arguments.app;
        let (current, target) = pair(preparing.reader, &app, arguments.release.as_ref()).await?;
        let impact = format!(
            "leaving v{} ({}), restoring v{} ({})",
            current.version, current.description, target.version, target.description
        );
        let request = releases::rollback_request(&app, &target.id);
        let write = PreparedWrite::new(
            preparing.operation,
            app.clone(),
            Planned::request(&app, request),
            RollBack,
        )
        .impact(impact);
        Ok(match undone_rollback(&current, &target) {
            Some(warning) => write.impact(warning),
            None => write,
        })
    }
}

/// Sends the rollback; its summary names the release now current.
struct RollBack;

impl Action for RollBack {
    async fn send(self, write: PreparedWrite, running: Running<'_>) -> OperationResult {
        let Running { effects, .. } = running;
        let (answer, described) = send_first(&write, effects).await?;
        let summary = format!(
            "{}; now v{}: {}",
            sent(&described, &answer),
            answer.body["version"],
            answer.body["description"].as_str().unwrap_or_default()
        );
        Ok(Outcome { summary: Some(summary), value: answer.body })
    }
}

/// When the current release is itself a rollback and `target` is the release it left, rolling
/// back undoes that rollback: said in the prompt, since it restores what someone rolled away from.
fn undone_rollback(current: &Release, target: &Release) -> Option<String> {
    let restored = current.description.strip_prefix("Rollback to v")?;
    (target.version + 1 == current.version).then(|| {
        format!(
            "WARNING: v{} is a rollback to v{restored}; this restores v{} ({}), the release that rollback left",
            current.version, target.version, target.description
        )
    })
}

/// The current release and the one a rollback restores: `wanted`, or the newest succeeded
/// release before the current one.
async fn pair(
    reader: &Client,
    app: &AppName,
    wanted: Option<&ReleaseRef>,
) -> Result<(Release, Release), OperationError> {
    let all = releases::list(reader, app).await?;
    let current =
        all.iter().find(|release| release.current).or(all.first()).cloned().ok_or_else(|| {
            OperationError::Failed(format!("`{app}` has no releases to roll back"))
        })?;
    let target = match wanted {
        Some(wanted) => all.iter().find(|release| wanted.names(&release.id, release.version)),
        None => all
            .iter()
            .find(|release| release.version < current.version && release.status == "succeeded"),
    };
    let target = target.cloned().ok_or_else(|| match wanted {
        Some(wanted) => OperationError::Failed(format!("`{app}` has no release `{wanted}`")),
        None => OperationError::Failed(format!("`{app}` has no earlier release to roll back to")),
    })?;
    if target.id == current.id {
        return Err(OperationError::Failed(format!(
            "v{} is already the current release of `{app}`",
            current.version
        )));
    }
    Ok((current, target))
}

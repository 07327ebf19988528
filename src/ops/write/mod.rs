//! The write operations, one type each: prepared once (what they read, what they send, what the
//! prompt shows), then sent through the effects chokepoint.

mod deploy;
mod git_push;
mod maintenance;
mod one_dyno;
mod one_request;
mod promote;
mod restart;
mod rollback;
mod rolling_restart;
mod run_detached;
mod scale;
mod set_config;
mod shell;
mod stop;

pub use deploy::Deploy;
pub use git_push::GitPush;
pub use maintenance::Maintenance;
pub use one_dyno::{RESTART_DYNO, STOP_DYNO};
pub use promote::Promote;
pub use restart::Restart;
pub use rollback::Rollback;
pub use run_detached::RunDetached;
pub use scale::Scale;
pub use set_config::SetConfig;
pub use shell::Shell;
pub use stop::Stop;

use super::outcome::{OperationError, Outcome};
use super::prepared::PreparedWrite;
use crate::effects::{Effects, Planned};
use crate::heroku::Answer;
use crate::identifiers::AppName;

/// A one-off dyno started on `app` (`POST /apps/{app}/dynos` with `body`), which `action` then
/// follows: `heroku run` attached or detached.
fn one_off_dyno(
    operation: &'static super::Operation,
    app: AppName,
    body: serde_json::Value,
    action: impl super::behaviour::Action,
) -> PreparedWrite {
    let planned = Planned::request(&app, crate::heroku::dynos::one_off_request(&app, body));
    PreparedWrite::new(operation, app, planned, action)
}

/// Sends the first planned request of `write`; its answer and how it is described.
async fn send_first(
    write: &PreparedWrite,
    effects: &Effects,
) -> Result<(Answer, String), OperationError> {
    let Planned::Request(request) = write.first() else {
        return Err(OperationError::Failed(format!("`{}` plans no request", write.operation.name)));
    };
    let answer = effects.send(request).await?;
    Ok((answer, request.describe()))
}

/// `sent DELETE /apps/x/dynos (Request-Id ...)`.
fn sent(described: &str, answer: &Answer) -> String {
    match &answer.request_id {
        Some(request_id) => format!("sent {described} (Request-Id {request_id})"),
        None => format!("sent {described}"),
    }
}

/// A write that is one request: sent, its answer the value, its request id in the summary.
async fn send_single(write: PreparedWrite, effects: &Effects) -> Result<Outcome, OperationError> {
    let (answer, described) = send_first(&write, effects).await?;
    Ok(Outcome { summary: Some(sent(&described, &answer)), value: answer.body })
}

//! Waiting until every dyno of an app runs a release and is up: the end of a deploy or a promotion.

use std::time::Duration;

use super::dyno_watch::{Wanted, Watched, wait};
use super::outcome::{OperationError, OperationOutput};
use crate::heroku::Client;
use crate::heroku::types::Dyno;
use crate::identifiers::AppName;

const LONGEST: Duration = Duration::from_secs(30 * 60);

pub async fn wait_for_release(
    reader: &Client,
    app: &AppName,
    release: &str,
    output: &OperationOutput<'_>,
) -> Result<(), OperationError> {
    let on_release = |dyno: &Dyno| {
        dyno.is_up() && dyno.release.as_ref().is_some_and(|running| running.id == release)
    };
    let wanted = Wanted { app, process_type: None, ready: &on_release, timeout: LONGEST };
    match wait(reader, &wanted, output).await? {
        Watched::Ready(_) => Ok(()),
        Watched::TimedOut(_) => {
            Err(OperationError::Failed("the dynos did not all start on the new release".into()))
        }
        Watched::Crashed { message, .. } => Err(OperationError::Failed(message)),
    }
}

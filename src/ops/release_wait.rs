//! Waiting until every dyno of an app runs a release and is up: the end of a deploy or a promotion.

use std::time::{Duration, Instant};

use super::outcome::{OperationError, OperationOutput};
use crate::heroku::{Client, dynos};
use crate::identifiers::AppName;

const POLL: Duration = Duration::from_millis(500);
const LONGEST: Duration = Duration::from_secs(30 * 60);

pub async fn wait_for_release(
    reader: &Client,
    app: &AppName,
    release: &str,
    output: &OperationOutput<'_>,
) -> Result<(), OperationError> {
    let started = Instant::now();
    loop {
        let all = dynos::list(reader, app).await?;
        let ready = all
            .iter()
            .filter(|dyno| {
                dyno.is_up()
                    && dyno
                        .release
                        .as_ref()
                        .is_some_and(|running| running.id == release)
            })
            .count();
        (output.progress)(
            ready as u64,
            all.len() as u64,
            format!("{ready}/{} dynos on the new release", all.len()),
        );
        if ready == all.len() {
            return Ok(());
        }
        if started.elapsed() > LONGEST {
            return Err(OperationError::Failed(
                "the dynos did not all start on the new release".into(),
            ));
        }
        tokio::time::sleep(POLL).await;
    }
}

//! `heroku.wait_dynos_up`: polls until every dyno (of a type) is up; at the timeout, fails naming
//! those that are not.

use std::time::{Duration, Instant};

use super::super::arguments::ArgumentValues;
use super::super::behaviour::{OperationFuture, ReadOperation};
use super::super::dyno_list::of_type;
use super::super::outcome::{OperationError, OperationOutput, Outcome};
use crate::effects::Effects;
use crate::heroku::dynos;
use crate::heroku::types::Dyno;

const DEFAULT_WAIT: Duration = Duration::from_secs(120);
const POLL_INTERVAL: Duration = Duration::from_millis(500);

pub struct WaitDynosUp;

impl ReadOperation for WaitDynosUp {
    fn read<'a>(
        &'a self,
        arguments: &'a ArgumentValues,
        effects: &'a Effects,
        output: &'a OperationOutput<'a>,
    ) -> OperationFuture<'a, Outcome> {
        Box::pin(wait_up(arguments, effects, output))
    }
}

async fn wait_up(
    arguments: &ArgumentValues,
    effects: &Effects,
    output: &OperationOutput<'_>,
) -> Result<Outcome, OperationError> {
    let app = arguments.app()?;
    let process_type = arguments.process_type("process_type")?;
    let timeout = arguments.duration("timeout").unwrap_or(DEFAULT_WAIT);
    let started = Instant::now();
    loop {
        let dynos = of_type(
            dynos::list(effects.reader(), &app).await?,
            process_type.as_ref(),
        );
        let up = dynos.iter().filter(|dyno| dyno.is_up()).count() as u64;
        let total = dynos.len() as u64;
        (output.progress)(up, total, format!("{up}/{total} dynos up"));
        if effects.is_dry_run() {
            return Ok(dry_run_outcome(&dynos, up, total));
        }
        if up == total {
            return Ok(Outcome {
                summary: Some(format!(
                    "{up}/{total} dynos up after {:.1}s",
                    started.elapsed().as_secs_f64()
                )),
                value: serde_json::to_value(&dynos).unwrap_or_default(),
            });
        }
        if started.elapsed() >= timeout {
            return Err(OperationError::Failed(not_up_message(&dynos, timeout)));
        }
        tokio::time::sleep(POLL_INTERVAL.min(timeout.saturating_sub(started.elapsed()))).await;
    }
}

/// A dry-run does not wait for writes it did not send: it reports the state as it is.
fn dry_run_outcome(dynos: &[Dyno], up: u64, total: u64) -> Outcome {
    Outcome {
        summary: Some(format!(
            "would wait until every dyno is up (now {up}/{total} up)"
        )),
        value: serde_json::to_value(dynos).unwrap_or_default(),
    }
}

fn not_up_message(dynos: &[Dyno], timeout: Duration) -> String {
    let waiting: Vec<String> = dynos
        .iter()
        .filter(|dyno| !dyno.is_up())
        .map(|dyno| format!("{} {}", dyno.name, dyno.state))
        .collect();
    format!(
        "not every dyno was up after {}: {}",
        humantime::format_duration(timeout),
        waiting.join(", ")
    )
}

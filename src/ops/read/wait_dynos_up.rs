//! `heroku.wait_dynos_up`: waits until every dyno (of a type) is up, following the app's log
//! (`ops::dyno_watch`); fails at once when one crashes as it starts, and at the timeout naming
//! those that are not up.

use std::time::Duration;

use crate::heroku::dynos;
use crate::heroku::types::Dyno;
use crate::ops::argument_sets::WaitDynosUpArguments;
use crate::ops::behaviour::Read;
use crate::ops::dyno_list::of_type;
use crate::ops::dyno_watch::{Wanted, Watched, wait};
use crate::ops::outcome::{OperationError, Outcome};
use crate::ops::outcome::{OperationResult, Running};

const DEFAULT_WAIT: Duration = Duration::from_secs(120);

pub struct WaitDynosUp;

impl Read for WaitDynosUp {
    type Arguments = WaitDynosUpArguments;

    async fn read(&self, arguments: WaitDynosUpArguments, running: Running<'_>) -> OperationResult {
        let Running { effects, output } = running;
        let WaitDynosUpArguments { app, process_type, timeout } = arguments;
        let timeout = timeout.unwrap_or(DEFAULT_WAIT);
        if effects.is_dry_run() {
            let dynos = of_type(dynos::list(effects.reader(), &app).await?, process_type.as_ref());
            return Ok(dry_run_outcome(&dynos));
        }
        let started = crate::clock::now();
        let wanted =
            Wanted { app: &app, process_type: process_type.as_ref(), ready: &Dyno::is_up, timeout };
        match wait(effects.reader(), &wanted, output).await? {
            Watched::Ready(dynos) => Ok(Outcome {
                summary: Some(format!(
                    "{up}/{up} dynos up after {:.1}s",
                    crate::clock::since(started).as_secs_f64(),
                    up = dynos.len()
                )),
                value: serde_json::to_value(&dynos).unwrap_or_default(),
            }),
            Watched::TimedOut(dynos) => {
                Err(OperationError::Failed(not_up_message(&dynos, timeout)))
            }
            Watched::Crashed { message, .. } => Err(OperationError::Failed(message)),
        }
    }
}

/// A dry-run does not wait for writes it did not send: it reports the state as it is.
fn dry_run_outcome(dynos: &[Dyno]) -> Outcome {
    let up = dynos.iter().filter(|dyno| dyno.is_up()).count();
    let total = dynos.len();
    Outcome {
        summary: Some(format!("would wait until every dyno is up (now {up}/{total} up)")),
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

//! Dyno operations: list them, say which a restart affects, and wait until they are up.

use std::time::{Duration, Instant};

use super::arguments::ArgumentValues;
use super::invoke::{OperationError, Outcome};
use crate::effects::Effects;
use crate::heroku::dynos;
use crate::heroku::types::Dyno;

const DEFAULT_WAIT: Duration = Duration::from_secs(120);
const POLL_INTERVAL: Duration = Duration::from_millis(500);

pub async fn list(
    effects: &Effects,
    app: &str,
    process_type: Option<&str>,
) -> Result<Outcome, OperationError> {
    let dynos = of_type(dynos::list(effects.client(), app).await?, process_type);
    Ok(Outcome {
        summary: Some(describe(&dynos)),
        value: serde_json::to_value(&dynos).unwrap_or_default(),
    })
}

/// `web.1 up, web.2 crashed`, or `no dynos`.
pub fn describe(dynos: &[Dyno]) -> String {
    if dynos.is_empty() {
        return "no dynos".to_string();
    }
    let listed: Vec<String> = dynos
        .iter()
        .map(|dyno| format!("{} {}", dyno.name, dyno.state))
        .collect();
    format!("{} dynos: {}", dynos.len(), listed.join(", "))
}

fn of_type(dynos: Vec<Dyno>, process_type: Option<&str>) -> Vec<Dyno> {
    match process_type {
        Some(process_type) => dynos
            .into_iter()
            .filter(|dyno| dyno.process_type == process_type)
            .collect(),
        None => dynos,
    }
}

/// The dynos a restart will touch, as a prompt line; `None` when they cannot be read.
pub async fn affected(
    effects: &Effects,
    app: &str,
    process_type: Option<&str>,
    dyno: Option<&str>,
) -> Option<String> {
    let dynos = dynos::list(effects.client(), app).await.ok()?;
    let dynos: Vec<Dyno> = match dyno {
        Some(name) => dynos
            .into_iter()
            .filter(|candidate| candidate.name == name || candidate.id == name)
            .collect(),
        None => of_type(dynos, process_type),
    };
    Some(format!("dynos: {}", describe(&dynos)))
}

/// Polls until every dyno (of the type) is up; at the timeout, fails naming those that are not.
pub async fn wait_up(
    effects: &Effects,
    values: &ArgumentValues,
    progress: &(dyn Fn(u64, u64, String) + Send + Sync),
) -> Result<Outcome, OperationError> {
    let app = values.string("app").unwrap_or_default();
    let process_type = values.string("process_type");
    let timeout = values.duration("timeout").unwrap_or(DEFAULT_WAIT);
    let started = Instant::now();
    loop {
        let dynos = of_type(
            dynos::list(effects.client(), &app).await?,
            process_type.as_deref(),
        );
        let up = dynos.iter().filter(|dyno| dyno.is_up()).count() as u64;
        let total = dynos.len() as u64;
        progress(up, total, format!("{up}/{total} dynos up"));
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

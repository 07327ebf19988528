//! `heroku.restart` with `rolling:`: dyno by dyno, in batches. Each batch is restarted (each
//! dyno's restart sent at most once), must come back up, and with `health` must be healthy (the
//! restarted dynos up, the router's errors since the batch under 1%) before the next; after
//! `max_failures` bad batches the roll stops, saying which dynos were restarted and which not.

use std::time::Duration;

use serde_json::json;

use crate::effects::{Effects, Planned};
use crate::heroku::types::DynoState;
use crate::heroku::{Client, dynos};
use crate::identifiers::{AppName, DynoName, ProcessType};
use crate::ops::arguments::Rolling;
use crate::ops::behaviour::Action;
use crate::ops::dyno_list::of_type;
use crate::ops::health::{self, HealthRule};
use crate::ops::operation::Operation;
use crate::ops::outcome::{OperationError, OperationOutput, Outcome};
use crate::ops::outcome::{OperationResult, Running};
use crate::ops::prepared::PreparedWrite;

/// How long one batch may take to come back up.
const BATCH_BOOT: Duration = Duration::from_secs(180);
const POLL: Duration = Duration::from_secs(1);
/// A dyno never seen starting counts as restarted once this has passed (a restart that was over
/// before the first look).
const SEEN_RESTARTING: Duration = Duration::from_secs(10);

/// Plans one restart per dyno, in the order of the roll.
pub async fn prepare(
    operation: &'static Operation,
    app: AppName,
    process_type: Option<ProcessType>,
    rolling: Rolling,
    reader: &Client,
) -> Result<PreparedWrite, OperationError> {
    let mut names: Vec<(String, u64, String)> =
        of_type(dynos::list(reader, &app).await?, process_type.as_ref())
            .into_iter()
            .filter(|dyno| dyno.process_type != "run")
            .map(|dyno| {
                let number = dyno
                    .name
                    .rsplit_once('.')
                    .and_then(|(_, number)| number.parse().ok())
                    .unwrap_or(0);
                (dyno.process_type, number, dyno.name)
            })
            .collect();
    names.sort();
    let mut planned = Vec::new();
    for (_, _, name) in &names {
        let dyno =
            DynoName::parse(name).map_err(|error| OperationError::Failed(error.to_string()))?;
        planned.push(Planned::request(&app, dynos::restart_dyno_request(&app, &dyno)));
    }
    let mut planned = planned.into_iter();
    let first = planned
        .next()
        .ok_or_else(|| OperationError::Failed(format!("`{app}` has no dynos to restart")))?;
    let order: Vec<String> = names.into_iter().map(|(_, _, name)| name).collect();
    let impact = impact(&order, &rolling);
    let mut write =
        PreparedWrite::new(operation, app, first, RollingRestart { order, rolling, process_type })
            .impact(impact);
    for next in planned {
        write = write.then(next);
    }
    Ok(write)
}

fn impact(order: &[String], rolling: &Rolling) -> String {
    let batches = order.len().div_ceil(rolling.batch as usize);
    let gate = if rolling.health { "up and healthy" } else { "up" };
    let pause = if rolling.pause.is_zero() {
        String::new()
    } else {
        format!(", {} between batches", humantime::format_duration(rolling.pause))
    };
    format!(
        "rolling: {} in {batches} batch(es) of {}, each {gate} before the next{pause}; stops after {} bad batch(es)",
        order.join(", "),
        rolling.batch,
        rolling.max_failures
    )
}

struct RollingRestart {
    order: Vec<String>,
    rolling: Rolling,
    process_type: Option<ProcessType>,
}

/// Where the roll stands.
#[derive(Default)]
struct Progress {
    restarted: Vec<String>,
    failures: Vec<String>,
}

impl Action for RollingRestart {
    async fn send(self, write: PreparedWrite, running: Running<'_>) -> OperationResult {
        let Running { effects, output } = running;
        let mut progress = Progress::default();
        let batches: Vec<&[String]> = self.order.chunks(self.rolling.batch as usize).collect();
        for (index, batch) in batches.iter().enumerate() {
            if index > 0 && !self.rolling.pause.is_zero() {
                (output.progress)(
                    index as u64,
                    batches.len() as u64,
                    format!(
                        "pausing {} before the next batch",
                        humantime::format_duration(self.rolling.pause)
                    ),
                );
                crate::clock::sleep(self.rolling.pause).await;
            }
            if let Some(reason) = self.batch(&write, effects, output, batch, &mut progress).await? {
                progress.failures.push(format!("{}: {reason}", batch.join(", ")));
                (output.line)(format!("batch {} of {}: {reason}", index + 1, batches.len()));
                if progress.failures.len() as u64 >= self.rolling.max_failures {
                    return Err(OperationError::Failed(self.stopped(&progress)));
                }
                continue;
            }
            let gate = if self.rolling.health { "up and healthy" } else { "up" };
            (output.line)(format!(
                "batch {} of {}: {} restarted, {gate}",
                index + 1,
                batches.len(),
                batch.join(", ")
            ));
        }
        Ok(self.finished(&write, &progress))
    }
}

impl RollingRestart {
    /// Restarts one batch and waits for it; what went wrong when it is not up (and healthy).
    async fn batch(
        &self,
        write: &PreparedWrite,
        effects: &Effects,
        output: &OperationOutput<'_>,
        batch: &[String],
        progress: &mut Progress,
    ) -> Result<Option<BadBatch>, OperationError> {
        let started = crate::clock::system_now();
        for name in batch {
            let request = planned_for(write, name)?;
            effects.send(request).await?;
            progress.restarted.push(name.clone());
        }
        if let Some(bad) = batch_up(effects.reader(), &write.app, batch, output).await? {
            return Ok(Some(bad));
        }
        if !self.rolling.health {
            return Ok(None);
        }
        let rule = HealthRule {
            process_type: self.process_type.clone(),
            only_dynos: progress.restarted.clone(),
            since: Some(started),
            ..HealthRule::default()
        };
        let verdict = health::read(effects.reader(), &write.app, &rule).await?;
        Ok((!verdict.healthy).then_some(BadBatch::Unhealthy(verdict.reasons)))
    }

    fn stopped(&self, progress: &Progress) -> String {
        let left: Vec<&str> = self
            .order
            .iter()
            .filter(|name| !progress.restarted.contains(name))
            .map(String::as_str)
            .collect();
        format!(
            "rolling restart stopped: {}; restarted: {}; not restarted: {}",
            progress.failures.join("; "),
            progress.restarted.join(", "),
            if left.is_empty() { "none".to_string() } else { left.join(", ") }
        )
    }

    fn finished(&self, write: &PreparedWrite, progress: &Progress) -> Outcome {
        let summary = if progress.failures.is_empty() {
            format!(
                "rolling restart of {} dynos of {}: each batch came back {}",
                progress.restarted.len(),
                write.app,
                if self.rolling.health { "up and healthy" } else { "up" }
            )
        } else {
            format!(
                "rolling restart of {} dynos of {}, with {} bad batch(es): {}",
                progress.restarted.len(),
                write.app,
                progress.failures.len(),
                progress.failures.join("; ")
            )
        };
        Outcome {
            summary: Some(summary),
            value: json!({ "restarted": progress.restarted, "failures": progress.failures }),
        }
    }
}

/// The planned restart of `name`: the roll sends only what the prompt showed.
fn planned_for<'a>(
    write: &'a PreparedWrite,
    name: &str,
) -> Result<&'a crate::effects::PlannedRequest, OperationError> {
    let suffix = format!("/dynos/{name}");
    write
        .planned
        .iter()
        .find_map(|planned| match planned {
            Planned::Request(request) if request.request.path.to_string().ends_with(&suffix) => {
                Some(request)
            }
            _ => None,
        })
        .ok_or_else(|| OperationError::Failed(format!("{name} is not in the planned roll")))
}

/// What went wrong with a batch: said in the step's lines and its summary.
#[derive(Debug, thiserror::Error)]
enum BadBatch {
    #[error("{0} crashed as it started")]
    CrashedAsItStarted(String),
    #[error("not up after {}: {}", humantime::format_duration(BATCH_BOOT), .0.join(", "))]
    NotUpInTime(Vec<String>),
    #[error("{}", .0.join("; "))]
    Unhealthy(Vec<String>),
}

/// Waits until every dyno of `batch` is up again; what went wrong when one crashes or the batch
/// is not up in time.
async fn batch_up(
    reader: &Client,
    app: &AppName,
    batch: &[String],
    output: &OperationOutput<'_>,
) -> Result<Option<BadBatch>, OperationError> {
    let started = crate::clock::now();
    let mut seen_restarting: Vec<String> = Vec::new();
    loop {
        let states = states_of(reader, app, batch).await?;
        for (name, state) in &states {
            if *state != DynoState::Up && !seen_restarting.contains(name) {
                seen_restarting.push(name.clone());
            }
        }
        if let Some((name, _)) = states
            .iter()
            .find(|(name, state)| *state == DynoState::Crashed && seen_restarting.contains(name))
        {
            return Ok(Some(BadBatch::CrashedAsItStarted(name.clone())));
        }
        let waited = crate::clock::since(started);
        let restarted = |name: &String| seen_restarting.contains(name) || waited >= SEEN_RESTARTING;
        if states.iter().all(|(name, state)| *state == DynoState::Up && restarted(name)) {
            return Ok(None);
        }
        if waited >= BATCH_BOOT {
            return Ok(Some(not_up(&states)));
        }
        let up = states.iter().filter(|(_, state)| *state == DynoState::Up).count();
        (output.progress)(
            up as u64,
            batch.len() as u64,
            format!("waiting for {} to be up", batch.join(", ")),
        );
        crate::clock::sleep(POLL).await;
    }
}

/// Each dyno of `batch` with its state now (`down` when it is not listed).
async fn states_of(
    reader: &Client,
    app: &AppName,
    batch: &[String],
) -> Result<Vec<(String, DynoState)>, OperationError> {
    let all = dynos::list(reader, app).await?;
    Ok(batch
        .iter()
        .map(|name| {
            let state = all
                .iter()
                .find(|dyno| &dyno.name == name)
                .map_or(DynoState::Down, |dyno| dyno.state.clone());
            (name.clone(), state)
        })
        .collect())
}

fn not_up(states: &[(String, DynoState)]) -> BadBatch {
    BadBatch::NotUpInTime(
        states
            .iter()
            .filter(|(_, state)| *state != DynoState::Up)
            .map(|(name, state)| format!("{name} {}", state.name()))
            .collect(),
    )
}

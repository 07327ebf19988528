//! One run in progress: what it targets, how effects happen, and what happened so far.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use super::gate::{Gate, Refusal};
use super::reporter::Reporter;
use crate::effects::Effects;
use crate::ops::arguments::ArgumentValues;
use crate::ops::invoke::{self, OperationError, Outcome};
use crate::ops::{Effect, Operation};
use crate::output::event::{Event, RunStatus, StepStatus};
use crate::runbook::Runbook;
use crate::runbook::environments::Environment;

/// How a run ended.
#[derive(Debug, Clone)]
pub enum RunEnd {
    Succeeded,
    Failed {
        error: String,
        hint: Option<String>,
        access_problem: bool,
    },
    NotConfirmed(Refusal),
    Aborted,
    /// Ctrl-C: the run stopped where it was.
    Interrupted,
}

/// Everything a running runbook needs, shared by YAML steps and Rhai host functions.
pub struct Run {
    pub runbook: Runbook,
    pub target: Option<Environment>,
    pub effects: Effects,
    pub reporter: Arc<Reporter>,
    pub gate: Gate,
    pub handle: tokio::runtime::Handle,
    started: Instant,
    tally: Mutex<Tally>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    done: usize,
    failed: usize,
    skipped: usize,
}

impl Run {
    pub fn new(
        runbook: Runbook,
        target: Option<Environment>,
        effects: Effects,
        reporter: Arc<Reporter>,
        gate: Gate,
        handle: tokio::runtime::Handle,
    ) -> Self {
        Self {
            runbook,
            target,
            effects,
            reporter,
            gate,
            handle,
            started: Instant::now(),
            tally: Mutex::default(),
        }
    }

    pub fn app(&self) -> Option<&str> {
        self.target.as_ref().map(|target| target.app.as_str())
    }

    /// Checks, confirms when asked, shows the write in a dry-run, then runs one operation.
    pub fn call_operation(
        &self,
        index: usize,
        step: &str,
        operation: &Operation,
        values: &ArgumentValues,
        confirm: Option<&str>,
    ) -> Result<Outcome, StepFailure> {
        invoke::check_arguments(operation, values).map_err(StepFailure::from)?;
        if let Some(message) = confirm {
            let impact = self
                .handle
                .block_on(invoke::impact(operation, values, &self.effects));
            self.gate
                .confirm(index, step, message, &impact.lines)
                .map_err(StepFailure::NotConfirmed)?;
        }
        if operation.effect == Effect::Write && self.effects.is_dry_run() {
            if let Some(request) = invoke::planned_request(operation, values) {
                self.reporter.emit(&Event::WouldSend { index, request });
            }
        }
        let reporter = Arc::clone(&self.reporter);
        let progress = move |done: u64, total: u64, message: String| {
            reporter.emit(&Event::StepProgress {
                index,
                done,
                total,
                message,
            });
        };
        self.handle
            .block_on(invoke::invoke(operation, values, &self.effects, &progress))
            .map_err(StepFailure::from)
    }

    /// Announces a step and starts its clock.
    pub fn start_step(
        &self,
        index: usize,
        total: Option<usize>,
        name: &str,
        id: Option<String>,
    ) -> StepClock {
        self.effects.client().take_request_ids();
        self.reporter.emit(&Event::StepStarted {
            index,
            total,
            name: name.to_string(),
            id,
        });
        StepClock {
            index,
            total,
            name: name.to_string(),
            started: Instant::now(),
        }
    }

    /// Reports how a step ended, with its result (kept for `--resume`) and Heroku's request ids.
    pub fn finish_step(&self, clock: StepClock, result: Result<Finished, &StepFailure>) {
        let duration_ms = clock.started.elapsed().as_millis() as u64;
        let (status, finished, error) = match result {
            Ok(finished) => (StepStatus::Done, finished, None),
            Err(failure) => (
                failure.status(),
                Finished::default(),
                Some(failure.message()),
            ),
        };
        self.count(|tally| match status {
            StepStatus::Done => tally.done += 1,
            StepStatus::Failed => tally.failed += 1,
            StepStatus::NotConfirmed | StepStatus::Aborted | StepStatus::Interrupted => {}
        });
        self.reporter.emit(&Event::StepFinished {
            index: clock.index,
            total: clock.total,
            name: clock.name,
            status,
            duration_ms,
            summary: finished.summary,
            error,
            result: finished.value,
            request_ids: self.effects.client().take_request_ids(),
        });
    }

    pub fn step_skipped(&self, index: usize, total: Option<usize>, name: &str, reason: String) {
        self.count(|tally| tally.skipped += 1);
        self.reporter.emit(&Event::StepSkipped {
            index,
            total,
            name: name.to_string(),
            reason,
        });
    }

    fn count(&self, change: impl FnOnce(&mut Tally)) {
        change(&mut self.tally.lock().unwrap_or_else(PoisonError::into_inner));
    }

    /// Emits the summary of the run.
    pub fn finish(&self, end: &RunEnd) {
        let tally = *self.tally.lock().unwrap_or_else(PoisonError::into_inner);
        let (status, error, hint) = match end {
            RunEnd::Succeeded => (RunStatus::Succeeded, None, None),
            RunEnd::Failed { error, hint, .. } => {
                (RunStatus::Failed, Some(error.clone()), hint.clone())
            }
            RunEnd::NotConfirmed(refusal) => (
                RunStatus::NotConfirmed,
                Some(refusal.message.clone()),
                refusal.hint.clone(),
            ),
            RunEnd::Aborted => (RunStatus::Aborted, None, None),
            RunEnd::Interrupted => (RunStatus::Interrupted, None, None),
        };
        self.reporter.emit(&Event::RunFinished {
            status,
            duration_ms: self.started.elapsed().as_millis() as u64,
            steps_done: tally.done,
            steps_failed: tally.failed,
            steps_skipped: tally.skipped,
            plan: self.effects.plan(),
            error,
            hint,
        });
    }
}

/// A step under way: what to report when it ends.
pub struct StepClock {
    index: usize,
    total: Option<usize>,
    name: String,
    started: Instant,
}

/// What a completed step reports.
#[derive(Debug, Default)]
pub struct Finished {
    pub summary: Option<String>,
    pub value: Option<serde_json::Value>,
}

/// Why a step did not complete.
#[derive(Debug, Clone)]
pub enum StepFailure {
    Operation {
        message: String,
        hint: Option<String>,
        access_problem: bool,
    },
    NotConfirmed(Refusal),
    /// The operator chose to abort at the `--step` prompt.
    Aborted,
}

impl StepFailure {
    pub fn message(&self) -> String {
        match self {
            StepFailure::Operation { message, .. } => message.clone(),
            StepFailure::NotConfirmed(refusal) => refusal.message.clone(),
            StepFailure::Aborted => "aborted at the --step prompt".to_string(),
        }
    }

    pub fn into_end(self) -> RunEnd {
        match self {
            StepFailure::Operation {
                message,
                hint,
                access_problem,
            } => RunEnd::Failed {
                error: message,
                hint,
                access_problem,
            },
            StepFailure::NotConfirmed(refusal) => RunEnd::NotConfirmed(refusal),
            StepFailure::Aborted => RunEnd::Aborted,
        }
    }

    fn status(&self) -> StepStatus {
        match self {
            StepFailure::Operation { .. } => StepStatus::Failed,
            StepFailure::NotConfirmed(_) => StepStatus::NotConfirmed,
            StepFailure::Aborted => StepStatus::Aborted,
        }
    }

    pub fn failed(message: impl Into<String>) -> Self {
        StepFailure::Operation {
            message: message.into(),
            hint: None,
            access_problem: false,
        }
    }
}

impl From<OperationError> for StepFailure {
    fn from(error: OperationError) -> Self {
        match &error {
            OperationError::Api(api) => StepFailure::Operation {
                message: api.to_string(),
                hint: api.hint(),
                access_problem: api.is_access_problem(),
            },
            _ => StepFailure::failed(error.to_string()),
        }
    }
}

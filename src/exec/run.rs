//! One run in progress: what it targets, how effects happen, and what happened so far.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::failure::{RunEnd, StepFailure};
use super::gate::Gate;
use super::reporter::Reporter;
use super::resume_plan::ResumePlan;

use crate::effects::Effects;
use crate::identifiers::AppName;
use crate::interrupt::Interrupt;
use crate::journal::{Event, Phase, RunId, RunStatus, StepStatus};
use crate::runbook::Runbook;
use crate::script::Budget;

/// The environment a run targets, its app checked as an identifier.
#[derive(Debug, Clone)]
pub struct Target {
    pub name: String,
    pub app: AppName,
    pub protected: bool,
}

/// Everything a running runbook needs, shared by YAML steps and Rhai host functions; the
/// composition root builds it.
pub struct Run {
    pub runbook: Runbook,
    pub target: Option<Target>,
    pub effects: Effects,
    pub reporter: Arc<Reporter>,
    pub gate: Arc<Gate>,
    /// The sandbox budget every script of the run shares.
    pub budget: Arc<Budget>,
    pub handle: tokio::runtime::Handle,
    pub interrupt: Interrupt,
    /// With `--resume`: the steps the earlier run finished.
    pub resume: Option<ResumePlan>,
    /// `TERM`, for attached dynos.
    pub terminal_kind: String,
    /// The run rehearses on the simulator (`rehearsal` in every runbook it runs).
    pub rehearsal: bool,
    /// Team mode's locks and approvals, for a live team run.
    pub team: Option<Arc<super::team_gate::TeamGate>>,
    /// `--no-rollback`: every operation's `rollback` argument is false.
    pub no_rollback: bool,
    /// Debug builds only: the step at whose start the run panics (`RUNBOOK_DEBUG_PANIC`).
    pub panic_at_step: Option<String>,
    /// What happened so far, from the moment the run was built.
    pub counts: RunCounts,
}

/// What the composition root reports just before the run's summary.
pub type BeforeSummary = Box<dyn FnOnce(&Reporter) + Send>;

/// A run's clock and its steps counted by how they ended, for its summary.
pub struct RunCounts {
    started: Instant,
    tally: Mutex<Tally>,
}

impl Default for RunCounts {
    fn default() -> Self {
        RunCounts { started: crate::clock::now(), tally: Mutex::default() }
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    done: usize,
    planned: usize,
    failed: usize,
    skipped: usize,
    stopped: usize,
    /// Main steps (not `on_failure`, not `finally`) started or skipped.
    main_reached: usize,
}

/// Where a step stands: `[2/4]`, `[on_failure 1/2]`, `[finally 1/1]`, or `[3]` in a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepLabel {
    pub index: usize,
    pub total: Option<usize>,
    pub phase: Option<Phase>,
}

/// A step under way: what to report when it ends.
pub struct StepClock {
    label: StepLabel,
    name: String,
    started: Instant,
    /// The time spent at questions when the step started: not the step's own.
    at_questions_before: Duration,
    /// The dry-run's planned writes when the step started.
    planned_before: usize,
}

/// What a completed step reports.
#[derive(Debug, Default)]
pub struct Finished {
    pub summary: Option<String>,
    pub value: Option<serde_json::Value>,
}

impl Run {
    /// How many main steps the runbook has, when it says beforehand (a YAML runbook).
    fn main_steps(&self) -> usize {
        match &self.runbook.body {
            crate::runbook::Body::Steps(steps) => steps.len(),
            crate::runbook::Body::Script(_) => 0,
        }
    }

    pub fn interrupted(&self) -> bool {
        self.interrupt.is_requested()
    }

    /// Once the journal cannot be written, no further step starts: what it would do could not
    /// be accounted for.
    pub fn journal_stop(&self) -> Option<StepFailure> {
        self.reporter
            .journal_failure()
            .map(|error| StepFailure::Unrecorded(format!("the run stopped: {error}")))
    }

    /// Waits `duration`, or less if Ctrl-C comes first.
    pub fn pause(&self, duration: Duration) -> Result<(), StepFailure> {
        let interrupt = self.interrupt.clone();
        self.handle.block_on(async move {
            tokio::select! {
                () = crate::clock::sleep(duration) => Ok(()),
                () = interrupt.requested() => Err(StepFailure::Interrupted),
            }
        })
    }

    /// Announces a step and starts its clock.
    pub fn start_step(&self, label: StepLabel, name: &str, id: Option<String>) -> StepClock {
        if self.panic_at_step.as_deref() == Some(name) {
            panic!("RUNBOOK_DEBUG_PANIC asked for a panic at step `{name}`");
        }
        self.effects.reader().take_request_ids();
        if label.phase.is_none() {
            self.count(|tally| tally.main_reached += 1);
        }
        self.reporter.set_current_step(label.index);
        self.reporter.emit(&Event::StepStarted {
            index: label.index,
            total: label.total,
            phase: label.phase,
            name: name.to_string(),
            id,
        });
        StepClock {
            label,
            name: name.to_string(),
            started: crate::clock::now(),
            at_questions_before: self.reporter.printer().time_at_questions(),
            planned_before: self.effects.planned_count(),
        }
    }

    /// Reports how a step ended, with its result (kept for `--resume`) and Heroku's request ids.
    pub fn finish_step(&self, clock: StepClock, result: Result<Finished, &StepFailure>) {
        let at_questions =
            self.reporter.printer().time_at_questions().saturating_sub(clock.at_questions_before);
        let duration_ms =
            crate::clock::since(clock.started).saturating_sub(at_questions).as_millis() as u64;
        let (status, finished, error) = match result {
            Ok(finished) if self.effects.planned_count() > clock.planned_before => {
                (StepStatus::Planned, finished, None)
            }
            Ok(finished) => (StepStatus::Done, finished, None),
            Err(failure) => (failure.status(), Finished::default(), Some(failure.message())),
        };
        self.count(|tally| match status {
            StepStatus::Done => tally.done += 1,
            StepStatus::Planned => tally.planned += 1,
            StepStatus::Failed => tally.failed += 1,
            StepStatus::NotConfirmed
            | StepStatus::Locked
            | StepStatus::Rejected
            | StepStatus::ApprovalExpired
            | StepStatus::Aborted
            | StepStatus::Interrupted => tally.stopped += 1,
        });
        self.reporter.emit(&Event::StepFinished {
            index: clock.label.index,
            total: clock.label.total,
            phase: clock.label.phase,
            name: clock.name,
            status,
            duration_ms,
            summary: finished.summary,
            error,
            result: finished.value,
            request_ids: self.effects.reader().take_request_ids(),
            result_kept: false,
        });
    }

    pub fn step_skipped(&self, label: StepLabel, name: &str, reason: String) {
        self.skipped(label, name, reason, None);
    }

    /// A step skipped because the run being resumed did it; `result` is what it gave there.
    pub fn step_done_before(
        &self,
        label: StepLabel,
        name: &str,
        done_in: &RunId,
        result: Option<serde_json::Value>,
    ) {
        self.skipped(
            label,
            name,
            format!("done in run {done_in}"),
            Some((done_in.clone(), result)),
        );
    }

    fn skipped(
        &self,
        label: StepLabel,
        name: &str,
        reason: String,
        done: Option<(RunId, Option<serde_json::Value>)>,
    ) {
        self.count(|tally| {
            tally.skipped += 1;
            tally.main_reached += usize::from(label.phase.is_none());
        });
        let (done_in, result) = done.map_or((None, None), |(run, result)| (Some(run), result));
        self.reporter.emit(&Event::StepSkipped {
            index: label.index,
            total: label.total,
            phase: label.phase,
            name: name.to_string(),
            reason,
            done_in,
            result,
            result_kept: false,
        });
    }

    /// Reports progress inside step `index`.
    pub fn progress(&self, index: usize, done: u64, total: u64, message: String) {
        self.reporter.emit(&Event::StepProgress { index, done, total, message });
    }

    fn count(&self, change: impl FnOnce(&mut Tally)) {
        change(&mut self.counts.tally.lock().unwrap_or_else(PoisonError::into_inner));
    }

    /// Emits the summary of the run.
    pub fn finish(&self, end: &RunEnd) {
        let tally = *self.counts.tally.lock().unwrap_or_else(PoisonError::into_inner);
        let (status, error, hint) = match end {
            RunEnd::Succeeded => (RunStatus::Succeeded, None, None),
            RunEnd::Failed { error, hint, .. } => {
                (RunStatus::Failed, Some(error.clone()), hint.clone())
            }
            RunEnd::NotConfirmed(refusal) => {
                (RunStatus::of_refusal(refusal), Some(refusal.message()), refusal.hint())
            }
            RunEnd::Aborted => (RunStatus::Aborted, None, None),
            RunEnd::Interrupted => (
                RunStatus::Interrupted,
                Some(format!("interrupted ({})", self.interrupt.cause().name())),
                Some(format!("resume it with `--resume {}`", self.reporter.run_id())),
            ),
        };
        self.reporter.emit(&Event::RunFinished {
            status,
            duration_ms: crate::clock::since(self.counts.started).as_millis() as u64,
            steps_done: tally.done,
            steps_planned: tally.planned,
            steps_failed: tally.failed,
            steps_skipped: tally.skipped,
            steps_stopped: tally.stopped,
            steps_not_reached: self.main_steps().saturating_sub(tally.main_reached),
            writes_sent: self.reporter.writes_sent(),
            plan: self.effects.plan(),
            error,
            hint,
            signal: matches!(end, RunEnd::Interrupted)
                .then(|| self.interrupt.cause().name().to_string()),
        });
    }
}

impl StepLabel {
    pub fn main(index: usize, total: Option<usize>) -> Self {
        Self { index, total, phase: None }
    }
}

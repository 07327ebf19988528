//! The events of a run: rendered as lines for people, or one JSON object per line for programs.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{ApiUrl, RunId};
use crate::effects::{
    Planned, PlannedCommand, PlannedRequest, PlannedUpload, ProcessGroup, RefusalOutcome,
};
use crate::visible::{Layout, visible, visible_value};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    RunStarted {
        run_id: RunId,
        runbook: String,
        environment: Option<String>,
        app: Option<String>,
        protected: bool,
        mode: RunMode,
        target: TargetKind,
        api_url: ApiUrl,
        params: Value,
        steps: Option<usize>,
        user: String,
        /// The Heroku account of the token (`GET /account`), when it answered.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        operator: Option<String>,
        /// In team mode: the shared journal, app locks and approvals.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        team: bool,
        content_hash: String,
        /// The run this one resumes, with `--resume`.
        #[serde(skip_serializing_if = "Option::is_none")]
        resumes: Option<RunId>,
        /// A rehearsal: what the simulated world carries from earlier rehearsals.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        world: Option<String>,
    },
    StepStarted {
        index: usize,
        total: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        phase: Option<Phase>,
        name: String,
        id: Option<String>,
    },
    StepProgress {
        index: usize,
        done: u64,
        total: u64,
        message: String,
    },
    StepSkipped {
        index: usize,
        total: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        phase: Option<Phase>,
        name: String,
        reason: String,
        /// Skipped because run RUN_ID (being resumed) did it: it counts as done in this run too,
        /// for a later resume of this one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        done_in: Option<RunId>,
        /// The result it gave there, restored for later steps (kept beside the journal).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        result: Option<Value>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        result_kept: bool,
    },
    StepFinished {
        index: usize,
        total: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        phase: Option<Phase>,
        name: String,
        status: StepStatus,
        duration_ms: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        summary: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
        /// The step's value, which later steps use; kept so that `--resume` can restore it.
        #[serde(skip_serializing_if = "Option::is_none")]
        result: Option<Value>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        request_ids: Vec<String>,
        /// The journal's record only: the result is kept beside the journal (`results/`).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        result_kept: bool,
    },
    /// A try of a step with `retry:` failed; the next comes after `delay_ms`.
    StepRetry {
        index: usize,
        attempt: u32,
        attempts: u32,
        error: String,
        delay_ms: u64,
    },
    /// A line an operation read or a command printed, as it arrives. A `detail` line (a raw
    /// line of a long read) is shown only with `--verbose`.
    LogLine {
        index: usize,
        line: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        detail: bool,
    },
    /// A dry-run recorded this write instead of sending it.
    WouldSend {
        index: usize,
        request: Planned,
    },
    /// A write is about to leave (journaled first, so that a crash mid-send still shows it).
    WriteSent {
        index: usize,
        request: PlannedRequest,
    },
    /// An upload to a storage URL is about to leave (journaled first).
    UploadSent {
        index: usize,
        upload: PlannedUpload,
    },
    /// A write was answered.
    WriteAnswered {
        index: usize,
        method: String,
        path: String,
        status: u16,
        #[serde(skip_serializing_if = "Option::is_none")]
        request_id: Option<String>,
    },
    /// A write got no usable answer; it may or may not have taken effect.
    WriteFailed {
        index: usize,
        method: String,
        path: String,
        error: String,
        may_have_taken_effect: bool,
    },
    /// A command on this machine is about to start (journaled first: if this cannot be written,
    /// it does not start).
    CommandStarted {
        index: usize,
        command: PlannedCommand,
        /// Its processes' mark (and this boot), recorded before it starts; absent in journals
        /// written before 2026-12-06.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<ProcessGroup>,
    },
    /// The command runs as this process group: enough for `--resume` to tell whether it may
    /// still be running.
    CommandRunning {
        index: usize,
        command: PlannedCommand,
        group: ProcessGroup,
    },
    /// The command ended: its exit status, or none when a signal, a timeout or Ctrl-C ended it.
    CommandEnded {
        index: usize,
        command: PlannedCommand,
        status: Option<i32>,
    },
    WouldAsk {
        index: usize,
        message: String,
        impact: Vec<String>,
    },
    Confirmation {
        index: usize,
        message: String,
        answer: Answer,
        how: How,
    },
    ScriptOutput {
        message: String,
    },
    /// The team's policy for an app changed (`runbook team policy`).
    PolicyChanged {
        app: String,
        protected: bool,
        approvals: i32,
        by: String,
    },
    /// A line an operator added to the incident's record (`runbook note`).
    Note {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        app: Option<String>,
        operator: String,
    },
    /// A notification could not be posted (said once per run; the run goes on).
    NotificationFailed {
        error: String,
    },
    /// A dry-run or a rehearsal of a run that would notify the team's channel.
    WouldNotify {
        variable: String,
    },
    /// What team mode says while a run waits for a lock or an approval.
    Team {
        message: String,
    },
    /// The run waits for a second operator to approve this plan.
    ApprovalRequested {
        app: String,
        /// What the approver runs: `runbook approve RUN_ID`.
        command: String,
        plan: Vec<String>,
        /// When the run stops waiting, RFC 3339.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expires_at: Option<String>,
    },
    /// A second operator's decision on the run, how they gave it, and why when they rejected.
    Approval {
        approved: bool,
        by: String,
        how: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    RunFinished {
        status: RunStatus,
        duration_ms: u64,
        steps_done: usize,
        /// Dry-run steps whose writes were planned, not sent.
        #[serde(default, skip_serializing_if = "is_zero")]
        steps_planned: usize,
        steps_failed: usize,
        steps_skipped: usize,
        /// Steps stopped before they did anything (not confirmed, locked, aborted, interrupted).
        #[serde(default, skip_serializing_if = "is_zero")]
        steps_stopped: usize,
        /// Steps of the runbook the run never reached (a YAML runbook's; a script's are not
        /// known beforehand).
        #[serde(default, skip_serializing_if = "is_zero")]
        steps_not_reached: usize,
        /// Writes that left during the run (a Rhai script's outside its steps included).
        #[serde(default, skip_serializing_if = "is_zero")]
        writes_sent: usize,
        #[serde(default)]
        plan: Vec<Planned>,
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        hint: Option<String>,
        /// What interrupted the run: `Ctrl-C`, `SIGTERM`, `SIGHUP`, `SIGQUIT`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signal: Option<String>,
    },
    SimulatorRequests {
        requests: Vec<Value>,
    },
    Error {
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        hint: Option<String>,
    },
    /// One runbook checked: `ok`, `warnings` or `invalid`.
    Checked {
        file: String,
        status: String,
        errors: usize,
        warnings: usize,
    },
    Diagnostic {
        severity: String,
        file: String,
        line: usize,
        column: usize,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        hint: Option<String>,
    },
}

impl Event {
    /// This event as it may be shown and recorded: every text from outside the program (names,
    /// messages, errors, log lines, params, request bodies) with what a terminal would act on
    /// written out (`crate::visible`); a step's name on one line.
    pub fn made_visible(&self) -> Cow<'_, Event> {
        match self {
            Event::LogLine { index, line, detail } => match visible(line, Layout::Line) {
                Cow::Borrowed(_) => Cow::Borrowed(self),
                Cow::Owned(line) => {
                    Cow::Owned(Event::LogLine { index: *index, line, detail: *detail })
                }
            },
            _ => {
                let Ok(mut value) = serde_json::to_value(self) else {
                    return Cow::Borrowed(self);
                };
                let before = value.clone();
                visible_value(&mut value);
                if let Some(Value::String(name)) = value.get_mut("name") {
                    *name = visible(name, Layout::Line).into_owned();
                }
                if value == before {
                    return Cow::Borrowed(self);
                }
                serde_json::from_value(value).map_or(Cow::Borrowed(self), Cow::Owned)
            }
        }
    }
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Done,
    /// A dry-run step that recorded writes instead of sending them: nothing was done.
    Planned,
    Failed,
    NotConfirmed,
    /// Another live run holds the team lock of an app it writes to.
    Locked,
    /// A second operator rejected the run's plan.
    Rejected,
    /// No second operator approved the run's plan in time.
    ApprovalExpired,
    Aborted,
    Interrupted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Succeeded,
    Failed,
    NotConfirmed,
    /// Another live run held the team lock of an app it would write to.
    Locked,
    /// A second operator rejected its plan.
    Rejected,
    /// No second operator approved its plan in time.
    ApprovalExpired,
    Aborted,
    Interrupted,
    /// A bug in runbook ended the run (the panic hook records it).
    Crashed,
}

impl RunStatus {
    /// The word the journal and `history --status` use.
    pub fn name(self) -> &'static str {
        match self {
            RunStatus::Succeeded => "succeeded",
            RunStatus::Failed => "failed",
            RunStatus::NotConfirmed => "not_confirmed",
            RunStatus::Locked => "locked",
            RunStatus::Rejected => "rejected",
            RunStatus::ApprovalExpired => "approval_expired",
            RunStatus::Aborted => "aborted",
            RunStatus::Interrupted => "interrupted",
            RunStatus::Crashed => "crashed",
        }
    }

    /// The status a name stands for; `None` for `unfinished` or a word that is none.
    pub fn from_name(name: &str) -> Option<Self> {
        [
            RunStatus::Succeeded,
            RunStatus::Failed,
            RunStatus::NotConfirmed,
            RunStatus::Locked,
            RunStatus::Rejected,
            RunStatus::ApprovalExpired,
            RunStatus::Aborted,
            RunStatus::Interrupted,
            RunStatus::Crashed,
        ]
        .into_iter()
        .find(|status| status.name() == name)
    }
}

impl RunStatus {
    /// How a run that ends on `refusal` is recorded.
    pub fn of_refusal(refusal: &crate::effects::Refusal) -> Self {
        match refusal.outcome() {
            RefusalOutcome::NotConfirmed => RunStatus::NotConfirmed,
            RefusalOutcome::Locked => RunStatus::Locked,
            RefusalOutcome::Rejected => RunStatus::Rejected,
            RefusalOutcome::ApprovalExpired => RunStatus::ApprovalExpired,
        }
    }
}

impl StepStatus {
    /// How a step that ends on `refusal` is recorded.
    pub fn of_refusal(refusal: &crate::effects::Refusal) -> Self {
        match refusal.outcome() {
            RefusalOutcome::NotConfirmed => StepStatus::NotConfirmed,
            RefusalOutcome::Locked => StepStatus::Locked,
            RefusalOutcome::Rejected => StepStatus::Rejected,
            RefusalOutcome::ApprovalExpired => StepStatus::ApprovalExpired,
        }
    }

    /// Whether the step ended on a refusal of some kind.
    pub fn is_refusal(self) -> bool {
        matches!(
            self,
            StepStatus::NotConfirmed
                | StepStatus::Locked
                | StepStatus::Rejected
                | StepStatus::ApprovalExpired
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            StepStatus::Done => "done",
            StepStatus::Planned => "planned",
            StepStatus::Failed => "failed",
            StepStatus::NotConfirmed => "not_confirmed",
            StepStatus::Locked => "locked",
            StepStatus::Rejected => "rejected",
            StepStatus::ApprovalExpired => "approval_expired",
            StepStatus::Aborted => "aborted",
            StepStatus::Interrupted => "interrupted",
        }
    }
}

/// Whether a run sent its writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunMode {
    Live,
    DryRun,
}

/// Where a run's requests went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    Heroku,
    Sim,
}

/// Which list of steps a step is in, when it is not a main step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    OnFailure,
    Finally,
    /// The steps of a runbook that a `run:` step runs.
    Run,
}

impl std::fmt::Display for Phase {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(match self {
            Phase::OnFailure => "on_failure",
            Phase::Finally => "finally",
            Phase::Run => "run",
        })
    }
}

/// How a confirmation was given (or refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    Prompt,
    YesFlag,
    ConfirmFlag,
    NoTerminal,
}

impl How {
    /// `by --yes`, `at the prompt`...
    pub fn describe(self) -> &'static str {
        match self {
            How::YesFlag => "by --yes",
            How::ConfirmFlag => "by --confirm",
            How::Prompt => "at the prompt",
            How::NoTerminal => "(no terminal to ask on)",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Accepted,
    Refused,
}

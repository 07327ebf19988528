//! The events of a run: rendered as lines for people, or one JSON object per line for programs.

use serde::Serialize;
use serde_json::Value;

use crate::effects::{Planned, PlannedRequest};

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    RunStarted {
        run_id: String,
        runbook: String,
        environment: Option<String>,
        app: Option<String>,
        protected: bool,
        mode: &'static str,
        target: &'static str,
        api_url: String,
        params: Value,
        steps: Option<usize>,
        user: String,
        content_hash: String,
        /// The run this one resumes, with `--resume`.
        #[serde(skip_serializing_if = "Option::is_none")]
        resumes: Option<String>,
    },
    StepStarted {
        index: usize,
        total: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        phase: Option<&'static str>,
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
        phase: Option<&'static str>,
        name: String,
        reason: String,
    },
    StepFinished {
        index: usize,
        total: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        phase: Option<&'static str>,
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
        #[serde(skip_serializing_if = "Vec::is_empty")]
        request_ids: Vec<String>,
    },
    /// A try of a step with `retry:` failed; the next comes after `delay_ms`.
    StepRetry {
        index: usize,
        attempt: u32,
        attempts: u32,
        error: String,
        delay_ms: u64,
    },
    /// A log line, as it arrives.
    LogLine {
        index: usize,
        line: String,
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
    WouldAsk {
        index: usize,
        message: String,
        impact: Vec<String>,
    },
    Confirmation {
        index: usize,
        message: String,
        answer: Answer,
        how: &'static str,
    },
    ScriptOutput {
        message: String,
    },
    RunFinished {
        status: RunStatus,
        duration_ms: u64,
        steps_done: usize,
        steps_failed: usize,
        steps_skipped: usize,
        plan: Vec<Planned>,
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        hint: Option<String>,
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
        status: &'static str,
        errors: usize,
        warnings: usize,
    },
    Diagnostic {
        severity: &'static str,
        file: String,
        line: usize,
        column: usize,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        hint: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Done,
    Failed,
    NotConfirmed,
    Aborted,
    Interrupted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Succeeded,
    Failed,
    NotConfirmed,
    Aborted,
    Interrupted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Accepted,
    Refused,
}

//! What a bug looks like to a user: a panic anywhere ends the process with a short report and
//! exit code 101, and the run in progress is recorded as crashed in the journal, not left open.

use std::sync::{Arc, Mutex, OnceLock};

use crate::journal::{Event, RunStatus};
use crate::journal::{Journal, Record, RunId, Timestamp};
use crate::redact::Redactor;

/// The run being journaled, if any: where the hook records the crash.
static CURRENT_RUN: Mutex<Option<(Journal, RunId)>> = Mutex::new(None);

/// The secrets of the process, masked in the report as everywhere else.
static SECRETS: OnceLock<Arc<Redactor>> = OnceLock::new();

/// From now on the crash report masks what `redactor` masks.
pub fn mask_with(redactor: &Arc<Redactor>) {
    let _ = SECRETS.set(Arc::clone(redactor));
}

fn masked(text: &str) -> String {
    match SECRETS.get() {
        Some(redactor) => redactor.apply(text).into_owned(),
        None => text.to_string(),
    }
}

/// Installs the hook; call once, first thing in `main`.
pub fn install() {
    std::panic::set_hook(Box::new(|information| {
        let location = information
            .location()
            .map(|location| format!(" ({}:{})", location.file(), location.line()))
            .unwrap_or_default();
        let message = masked(information.payload_as_str().unwrap_or("a panic with no message"));
        let message = crate::visible::visible(&message, crate::visible::Layout::Lines).into_owned();
        let run_id = record_crash(&format!("{message}{location}"));
        let terminal = console::Term::stderr();
        if terminal.is_term() {
            let _ = terminal.show_cursor();
        }
        let mut report = vec![
            String::new(),
            "runbook crashed: this is a bug in runbook, not in your runbook.".to_string(),
            format!("  {message}{location}"),
        ];
        if let Some(run_id) = run_id {
            report.push(format!(
                "  The journal records run {run_id} as crashed: `runbook history show {run_id}` shows which steps ran."
            ));
        }
        report.push("  Please report it with this message and the command you ran.".to_string());
        crate::output::write_crash_report(&report);
        std::process::exit(i32::from(crate::exit::CRASHED));
    }));
}

/// From now on a crash is recorded in `journal` against `run_id`.
pub fn watch(journal: Journal, run_id: RunId) {
    if let Ok(mut current) = CURRENT_RUN.lock() {
        *current = Some((journal, run_id));
    }
}

/// The run has ended and recorded its own end.
pub fn forget() {
    if let Ok(mut current) = CURRENT_RUN.lock() {
        *current = None;
    }
}

/// Appends a `run_finished` record with status `crashed`; the run's id when there was a run.
fn record_crash(message: &str) -> Option<String> {
    let current = CURRENT_RUN.try_lock().ok()?.take()?;
    let (journal, run_id) = current;
    let record = Record {
        run_id: run_id.clone(),
        time: Timestamp::now(),
        event: Event::RunFinished {
            status: RunStatus::Crashed,
            duration_ms: 0,
            steps_done: 0,
            steps_planned: 0,
            steps_failed: 0,
            steps_skipped: 0,
            steps_stopped: 0,
            steps_not_reached: 0,
            writes_sent: 0,
            plan: Vec::new(),
            error: Some(format!("runbook crashed: {message}")),
            hint: Some(
                "this is a bug in runbook; the steps recorded before this line are what ran".into(),
            ),
            signal: None,
        },
    };
    journal.append(&record).ok()?;
    Some(run_id.to_string())
}

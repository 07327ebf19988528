//! The journal as people read it: the table of runs (`runbook history`), and one run as an audit
//! record (`runbook history show`): who, what, against which app and API, with which params, and
//! each step, write, confirmation and wait in a line.

use serde_json::Value;

use crate::journal::{Event, RunMode, TargetKind};

/// One run as the table shows it.
pub struct RunRow {
    pub run_id: String,
    pub started_at: String,
    pub name: String,
    pub mode: RunMode,
    pub target: TargetKind,
    pub status: &'static str,
    pub user: String,
    pub api_url: String,
}

/// What the head of `history show` says of a run.
pub struct RunHead<'a> {
    pub row: RunRow,
    pub app: Option<&'a str>,
    pub environment: Option<&'a str>,
    pub protected: bool,
    pub params: &'a Value,
    pub content_hash: &'a str,
}

/// The table of runs, its columns as wide as their widest value.
pub fn table(rows: &[RunRow]) -> Vec<String> {
    let header = ["RUN", "STARTED", "RUNBOOK", "MODE", "STATUS", "USER", "API"].map(String::from);
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|row| {
            [
                row.run_id.clone(),
                super::people_time(&row.started_at),
                row.name.clone(),
                mode_word(row).to_string(),
                row.status.to_string(),
                row.user.clone(),
                row.api_url.clone(),
            ]
        })
        .collect();
    super::aligned(&header, &cells)
}

/// The head of one run: what, by whom, where, with what.
pub fn head(run: &RunHead<'_>) -> Vec<String> {
    let row = &run.row;
    let mut lines = vec![
        format!("run {}  {}", row.run_id, row.name),
        format!(
            "  started {} by {}, {}",
            crate::people_time::people_time_to_the_second(&row.started_at),
            row.user,
            mode_word(row)
        ),
    ];
    if let Some(app) = run.app {
        let environment = run.environment.unwrap_or("no environment");
        let protection = if run.protected { ", protected" } else { "" };
        lines.push(format!("  app {app} ({environment}{protection})"));
    }
    lines.push(format!("  api {}", row.api_url));
    lines.push(format!("  params {}", params_line(run.params)));
    lines.push(format!("  runbook content sha256 {}", run.content_hash));
    lines
}

/// `live`, `dry-run`, `sim` (a rehearsal on the built-in simulator), or `drill` (a live run
/// against an API that is not Heroku's: a team rehearsing on a shared `sim serve`).
fn mode_word(row: &RunRow) -> &'static str {
    match (row.target, row.mode) {
        (TargetKind::Sim, _) => "sim",
        (TargetKind::Heroku, RunMode::DryRun) => "dry-run",
        (TargetKind::Heroku, RunMode::Live) if !super::human::is_herokus(&row.api_url) => "drill",
        (TargetKind::Heroku, RunMode::Live) => "live",
    }
}

/// `a=1 token=••••••`, or `none`.
fn params_line(params: &Value) -> String {
    let given: Vec<String> = params
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, value)| !value.is_null())
        .map(|(name, value)| match value {
            Value::String(text) => format!("{name}={text}"),
            other => format!("{name}={other}"),
        })
        .collect();
    if given.is_empty() { "none".to_string() } else { given.join(" ") }
}

/// One journal event as a line of the run's story; `None` for events that add nothing there.
pub fn event_line(event: &Event) -> Option<String> {
    step_line(event).or_else(|| write_line(event)).or_else(|| other_line(event))
}

/// `[2/4] Restart dynos`, `[finally 1/1] ...`.
fn counter(index: usize, total: Option<usize>, phase: Option<crate::journal::Phase>) -> String {
    let phase = phase.map(|phase| format!("{phase} ")).unwrap_or_default();
    match total {
        Some(total) => format!("[{phase}{index}/{total}]"),
        None => format!("[{phase}{index}]"),
    }
}

fn step_line(event: &Event) -> Option<String> {
    Some(match event {
        Event::StepStarted { index, total, phase, name, .. } => {
            format!("started  {} {name}", counter(*index, *total, *phase))
        }
        Event::StepFinished {
            index,
            total,
            phase,
            name,
            status,
            duration_ms,
            error,
            summary,
            request_ids,
            ..
        } => {
            let mut line = format!(
                "{:<8} {} {name}  {duration_ms} ms",
                status.name(),
                counter(*index, *total, *phase)
            );
            if let Some(error) = error {
                line.push_str(&format!("  error: {error}"));
            }
            line.push_str(&requests_note(request_ids));
            if let Some(summary) = summary {
                let indented = summary.replace('\n', "\n         ");
                line.push_str(&format!("\n         {indented}"));
            }
            line
        }
        Event::StepSkipped { index, total, phase, name, reason, .. } => {
            format!("skipped  {} {name}  ({reason})", counter(*index, *total, *phase))
        }
        Event::StepRetry { index, attempt, attempts, error, .. } => {
            format!("retry    [{index}] attempt {attempt}/{attempts} failed: {error}")
        }
        _ => return None,
    })
}

/// The request ids of a step: each one when there are few (the writes' answers name them), a
/// count when a wait polled many times.
fn requests_note(request_ids: &[String]) -> String {
    match request_ids.len() {
        0 => String::new(),
        1..=3 => format!("  request ids: {}", request_ids.join(", ")),
        many => format!("  {many} requests"),
    }
}

fn write_line(event: &Event) -> Option<String> {
    Some(match event {
        Event::WouldSend { request, .. } => format!("would    {}", request.describe()),
        Event::WriteSent { request, .. } => format!("sent     {}", request.key()),
        Event::WriteAnswered { method, path, status, request_id, .. } => {
            let id =
                request_id.as_ref().map(|id| format!(" (Request-Id {id})")).unwrap_or_default();
            format!("answered {method} {path} {status}{id}")
        }
        Event::WriteFailed { method, path, error, may_have_taken_effect, .. } => {
            if *may_have_taken_effect {
                format!("no answer {method} {path}: {error} (it may have taken effect)")
            } else {
                format!("refused  {method} {path}: {error} (it did not take effect)")
            }
        }
        _ => return None,
    })
}

fn other_line(event: &Event) -> Option<String> {
    Some(match event {
        Event::Confirmation { answer, message, how, .. } => {
            let answer = match answer {
                crate::journal::Answer::Accepted => "accepted",
                crate::journal::Answer::Refused => "refused",
            };
            format!("{answer} \"{message}\" {}", how.describe())
        }
        Event::WouldAsk { message, .. } => format!("would ask \"{message}\""),
        Event::Approval { approved, by, how, .. } => {
            format!("{} by {by} ({how})", if *approved { "approved" } else { "rejected" })
        }
        Event::ScriptOutput { message } => format!("output   {message}"),
        Event::RunFinished { status, error, .. } => match error {
            Some(error) => format!("finished {}: {error}", status.name()),
            None => format!("finished {}", status.name()),
        },
        _ => return None,
    })
}

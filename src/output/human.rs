//! How each event reads as lines of text, on a terminal or in a log file.

use console::style;

use super::event::{Answer, Event, How, RunMode, RunStatus, StepStatus, TargetKind};

/// `[2/4] Restart dynos`, or `[2] Restart dynos` when the count is not known (Rhai).
pub fn step_header(event: &Event, color: bool) -> String {
    let (index, total, phase, name) = match event {
        Event::StepStarted {
            index,
            total,
            phase,
            name,
            ..
        }
        | Event::StepSkipped {
            index,
            total,
            phase,
            name,
            ..
        }
        | Event::StepFinished {
            index,
            total,
            phase,
            name,
            ..
        } => (index, total, phase, name),
        _ => return String::new(),
    };
    let counter = match (phase, total) {
        (Some(phase), Some(total)) => format!("[{phase} {index}/{total}]"),
        (None, Some(total)) => format!("[{index}/{total}]"),
        (_, None) => format!("[{index}]"),
    };
    let counter = if color {
        style(counter).dim().to_string()
    } else {
        counter
    };
    format!("{counter} {name}")
}

pub fn lines(event: &Event, color: bool) -> Vec<String> {
    match event {
        Event::RunStarted { .. } => vec![run_started(event)],
        Event::StepStarted { .. } => vec![step_header(event, color)],
        Event::StepProgress { .. } => Vec::new(),
        Event::StepSkipped { reason, .. } => {
            vec![format!(
                "{} {}  ({reason})",
                mark("-", color, Tone::Dim),
                step_header(event, color)
            )]
        }
        Event::StepFinished { .. } => step_finished(event, color),
        Event::WouldSend { request, .. } => would_send(request),
        Event::WouldAsk {
            message, impact, ..
        } => {
            let mut lines = vec![format!("    would ask: {message}")];
            lines.extend(impact.iter().map(|line| format!("      {line}")));
            lines
        }
        Event::Confirmation { answer, how, .. } => vec![confirmation(*answer, *how)],
        Event::ScriptOutput { message } => vec![format!("    {message}")],
        Event::LogLine { line, .. } => vec![format!("    {line}")],
        Event::WriteSent { .. } | Event::WriteAnswered { .. } => Vec::new(),
        Event::WriteFailed {
            method,
            path,
            may_have_taken_effect: true,
            ..
        } => vec![format!(
            "    {method} {path} got no usable answer: it may have taken effect, and is not sent again"
        )],
        Event::WriteFailed { .. } => Vec::new(),
        Event::StepRetry {
            attempt,
            attempts,
            error,
            delay_ms,
            ..
        } => vec![format!(
            "    attempt {attempt}/{attempts} failed: {error}; trying again in {:.1}s",
            *delay_ms as f64 / 1000.0
        )],
        Event::RunFinished { .. } => run_finished(event, color),
        Event::SimulatorRequests { requests } => simulator_requests(requests),
        Event::Error { message, hint } => vec![error_lines(message, hint.as_deref(), color)],
        Event::Checked { file, status, .. } => vec![format!("{status:<8} {file}")],
        Event::Diagnostic {
            file,
            line,
            column,
            message,
            ..
        } => vec![format!("error: {file}:{line}:{column}: {message}")],
    }
}

fn run_started(event: &Event) -> String {
    let Event::RunStarted {
        runbook,
        environment,
        app,
        protected,
        mode,
        target,
        run_id,
        resumes,
        ..
    } = event
    else {
        return String::new();
    };
    let mut parts = vec![format!("runbook {runbook}")];
    if let (Some(environment), Some(app)) = (environment, app) {
        let protection = if *protected { ", protected" } else { "" };
        parts.push(format!("{app} ({environment}{protection})"));
    }
    if *mode == RunMode::DryRun {
        parts.push("dry-run: writes are shown, not sent".into());
    }
    if *target == TargetKind::Sim {
        parts.push("rehearsal on the built-in simulator".into());
    }
    parts.push(format!("run {run_id}"));
    if let Some(resumed) = resumes {
        parts.push(format!("resuming {resumed}"));
    }
    format!("▶ {}", parts.join(" · "))
}

fn step_finished(event: &Event, color: bool) -> Vec<String> {
    let Event::StepFinished {
        status,
        duration_ms,
        summary,
        error,
        ..
    } = event
    else {
        return Vec::new();
    };
    let seconds = format!("{:.1}s", *duration_ms as f64 / 1000.0);
    let header = step_header(event, color);
    let mut lines = match status {
        StepStatus::Done => vec![format!(
            "{} {header}  {seconds}",
            mark("✓", color, Tone::Good)
        )],
        StepStatus::Failed => vec![format!(
            "{} {header}  {seconds}",
            mark("✗", color, Tone::Bad)
        )],
        StepStatus::NotConfirmed => {
            return vec![format!(
                "{} {header}  not confirmed",
                mark("■", color, Tone::Bad)
            )];
        }
        StepStatus::Aborted => {
            return vec![format!("{} {header}  aborted", mark("■", color, Tone::Bad))];
        }
        StepStatus::Interrupted => {
            return vec![format!(
                "{} {header}  interrupted",
                mark("■", color, Tone::Bad)
            )];
        }
    };
    if let Some(summary) = summary {
        lines.push(format!("    {summary}"));
    }
    if let Some(error) = error {
        lines.push(format!("    error: {error}"));
    }
    lines
}

fn confirmation(answer: Answer, how: How) -> String {
    let how = how.describe();
    match answer {
        Answer::Accepted => format!("    confirmed {how}"),
        Answer::Refused => format!("    not confirmed {how}"),
    }
}

fn run_finished(event: &Event, color: bool) -> Vec<String> {
    let Event::RunFinished {
        status,
        duration_ms,
        steps_done,
        steps_failed,
        steps_skipped,
        plan,
        error,
        hint,
    } = event
    else {
        return Vec::new();
    };
    let seconds = *duration_ms as f64 / 1000.0;
    let counts = format!("{steps_done} done, {steps_failed} failed, {steps_skipped} skipped");
    let mut lines = vec![String::new()];
    let headline = match status {
        RunStatus::Succeeded => format!(
            "{} finished in {seconds:.1}s: {counts}",
            mark("✓", color, Tone::Good)
        ),
        RunStatus::Failed => format!(
            "{} failed after {seconds:.1}s: {counts}",
            mark("✗", color, Tone::Bad)
        ),
        RunStatus::NotConfirmed => format!(
            "{} stopped, not confirmed: {counts}",
            mark("■", color, Tone::Bad)
        ),
        RunStatus::Aborted => format!("{} aborted: {counts}", mark("■", color, Tone::Bad)),
        RunStatus::Interrupted => format!("{} interrupted: {counts}", mark("■", color, Tone::Bad)),
        RunStatus::Crashed => format!("{} crashed: {counts}", mark("✗", color, Tone::Bad)),
    };
    lines.push(headline);
    if let Some(error) = error {
        lines.push(format!("error: {error}"));
    }
    if let Some(hint) = hint {
        lines.push(format!("hint: {hint}"));
    }
    if !plan.is_empty() {
        lines.push(format!("plan: {} change(s) would be made:", plan.len()));
        lines.extend(
            plan.iter()
                .map(|request| format!("  {}", request.describe())),
        );
    }
    lines
}

fn simulator_requests(requests: &[serde_json::Value]) -> Vec<String> {
    let mut lines = vec![format!(
        "the simulator received {} request(s):",
        requests.len()
    )];
    for request in requests {
        let method = request["method"].as_str().unwrap_or("?");
        let path = request["path"].as_str().unwrap_or("?");
        let status = request["status"].as_u64().unwrap_or(0);
        lines.push(format!("  {method} {path} -> {status}"));
    }
    lines
}

pub fn error_lines(message: &str, hint: Option<&str>, color: bool) -> String {
    let label = if color {
        style("error").red().bold().to_string()
    } else {
        "error".to_string()
    };
    match hint {
        Some(hint) => format!("{label}: {message}\nhint: {hint}"),
        None => format!("{label}: {message}"),
    }
}

enum Tone {
    Good,
    Bad,
    Dim,
}

fn mark(symbol: &str, color: bool, tone: Tone) -> String {
    if !color {
        return symbol.to_string();
    }
    match tone {
        Tone::Good => style(symbol).green().to_string(),
        Tone::Bad => style(symbol).red().to_string(),
        Tone::Dim => style(symbol).dim().to_string(),
    }
}

/// A write a dry-run did not send: `would send: DELETE /apps/x/dynos`, its body below.
fn would_send(planned: &crate::effects::Planned) -> Vec<String> {
    use crate::effects::Planned;
    match planned {
        Planned::Request(request) => {
            let mut lines = vec![format!(
                "    would send: {} {}",
                request.request.method, request.request.path
            )];
            if let Some(body) = &request.request.body {
                lines.push(format!("    with body: {body}"));
            }
            lines
        }
        Planned::Upload(upload) => vec![
            format!("    would send: {} {}", upload.method, upload.path),
            format!("    with body: {}", upload.body),
        ],
        Planned::Command(command) => vec![format!(
            "    would run: `{}` in {}",
            command.command, command.directory
        )],
    }
}

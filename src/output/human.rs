//! How each event reads as lines of text, on a terminal or in a log file.

use console::style;

use crate::journal::{Answer, Event, How, Phase, RunMode, RunStatus, StepStatus, TargetKind};

/// `[2/4] Restart dynos`, or `[2] Restart dynos` when the count is not known (Rhai).
pub fn step_header(event: &Event, color: bool) -> String {
    let (index, total, phase, name) = match event {
        Event::StepStarted { index, total, phase, name, .. }
        | Event::StepSkipped { index, total, phase, name, .. }
        | Event::StepFinished { index, total, phase, name, .. } => (index, total, phase, name),
        _ => return String::new(),
    };
    let counter = match (phase, total) {
        (Some(phase), Some(total)) => format!("[{phase} {index}/{total}]"),
        (None, Some(total)) => format!("[{index}/{total}]"),
        (_, None) => format!("[{index}]"),
    };
    let counter = if color { style(counter).dim().to_string() } else { counter };
    format!("{counter} {name}")
}

/// The lines of `event`; `verbose` lists every request of a rehearsal rather than each route.
pub fn lines(event: &Event, color: bool, verbose: bool) -> Vec<String> {
    match event {
        Event::RunStarted { .. } => run_started(event, color, None),
        Event::StepStarted { .. } => vec![step_header(event, color)],
        Event::StepProgress { .. }
        | Event::CommandStarted { .. }
        | Event::CommandRunning { .. }
        | Event::CommandEnded { .. }
        | Event::UploadSent { .. } => Vec::new(),
        Event::StepSkipped { reason, .. } => {
            vec![format!(
                "{} {}  ({reason})",
                mark("-", color, Tone::Dim),
                step_header(event, color)
            )]
        }
        Event::StepFinished { .. } => step_finished(event, color),
        Event::WouldSend { request, .. } => would_send(request),
        Event::WouldAsk { message, impact, .. } => would_ask(message, impact),
        Event::Confirmation { answer, how, .. } => vec![confirmation(*answer, *how)],
        Event::ScriptOutput { message } => vec![format!("    {message}")],
        // As `heroku logs` prints them: not indented, so that a long line wraps from the margin.
        Event::LogLine { line, .. } => vec![line.clone()],
        Event::WriteSent { .. } | Event::WriteAnswered { .. } | Event::WriteFailed { .. } => {
            write_lines(event)
        }
        Event::Team { .. }
        | Event::Approval { .. }
        | Event::ApprovalRequested { .. }
        | Event::PolicyChanged { .. }
        | Event::NotificationFailed { .. }
        | Event::WouldNotify { .. }
        | Event::Note { .. } => team_lines(event),
        Event::StepRetry { .. } => retry_line(event),
        Event::RunFinished { .. } => run_finished(event, color, None),
        Event::SimulatorRequests { requests } if verbose => simulator_requests(requests),
        Event::SimulatorRequests { requests } => simulator_routes(requests),
        Event::Error { message, hint } => vec![error_lines(message, hint.as_deref(), color)],
        Event::Checked { file, status, .. } => vec![format!("{status:<8} {file}")],
        Event::Diagnostic { file, line, column, message, .. } => {
            vec![format!("error: {file}:{line}:{column}: {message}")]
        }
    }
}

fn would_ask(message: &str, impact: &[String]) -> Vec<String> {
    let mut lines = vec![format!("    would ask: {message}")];
    lines.extend(impact.iter().map(|line| format!("      {line}")));
    lines
}

/// What team mode says of a lock or an approval, and what the notifier says.
fn team_lines(event: &Event) -> Vec<String> {
    match event {
        Event::Team { message } => vec![format!("    {message}")],
        Event::Approval { approved: true, by, how, .. } => {
            vec![format!("    approved by {by} ({how})")]
        }
        Event::Approval { by, how, reason: Some(reason), .. } => {
            vec![format!("    rejected by {by} ({how}): {reason}")]
        }
        Event::Approval { by, how, .. } => vec![format!("    rejected by {by} ({how})")],
        Event::ApprovalRequested { app, command, plan, expires_at } => {
            let until = expires_at
                .as_deref()
                .map(|end| format!(", until {}", super::people_time(end)))
                .unwrap_or_default();
            let mut lines = vec![format!(
                "    waiting for a second operator to approve this plan for {app}{until}: they run `{command}`"
            )];
            lines.extend(plan.iter().map(|line| format!("      {line}")));
            lines
        }
        Event::PolicyChanged { app, protected, approvals, by } => vec![format!(
            "team policy for {app} set by {by}: protected {protected}, approvals {approvals}"
        )],
        Event::NotificationFailed { error } => {
            vec![format!("    notification not posted: {error} (the run goes on; said once)")]
        }
        Event::Note { text, operator, .. } => vec![format!("note by {operator}: {text}")],
        Event::WouldNotify { variable } => vec![format!(
            "    would notify Slack (${variable}) at the start, on a failure and at the end; a dry-run or rehearsal posts nothing"
        )],
        _ => Vec::new(),
    }
}

/// A write as it left: its answer, or that it may have taken effect without one.
fn write_lines(event: &Event) -> Vec<String> {
    match event {
        Event::WriteAnswered { method, path, status, .. } => {
            vec![format!("    sent {method} {path} -> {status}")]
        }
        Event::WriteFailed { method, path, may_have_taken_effect: true, .. } => vec![format!(
            "    {method} {path} got no usable answer: it may have taken effect, and is not sent again"
        )],
        _ => Vec::new(),
    }
}

/// Where the run goes, so that nobody mistakes production for staging or a rehearsal for the
/// real thing: a protected app in red capitals, a rehearsal, a dry-run and an API that is not
/// Heroku's each said in words.
/// A try that failed and the wait before the next.
fn retry_line(event: &Event) -> Vec<String> {
    let Event::StepRetry { attempt, attempts, error, delay_ms, .. } = event else {
        return Vec::new();
    };
    vec![format!(
        "    attempt {attempt}/{attempts} failed: {error}; trying again in {:.1}s",
        *delay_ms as f64 / 1000.0
    )]
}

/// The run's header, laid out to fit `width` columns when the terminal's width is known, and
/// what a rehearsal's world carries from earlier rehearsals.
pub fn run_started(event: &Event, color: bool, width: Option<usize>) -> Vec<String> {
    let carried = match event {
        Event::RunStarted { world: Some(world), .. } => {
            Some(paint(format!("  {world}"), Tone::Notice, color))
        }
        _ => None,
    };
    laid_out(&header(event, color), width).into_iter().chain(carried).collect()
}

/// `▶ ` and the parts joined with ` · ` on one line; where that is wider than `width`, as few
/// rows as fit, a part whole where it fits a row (else broken between its words), the rows after
/// the first indented under the first part.
fn laid_out(parts: &[String], width: Option<usize>) -> Vec<String> {
    let one_line = format!("▶ {}", parts.join(" · "));
    let Some(width) = width.filter(|width| console::measure_text_width(&one_line) > *width) else {
        return vec![one_line];
    };
    let fits = |text: &str| console::measure_text_width(text) <= width;
    let mut rows = vec!["▶".to_string()];
    for (index, part) in parts.iter().enumerate() {
        let separator = if index == 0 { " " } else { " · " };
        let current = rows.last_mut().expect("a row");
        if fits(&format!("{current}{separator}{part}")) {
            current.push_str(separator);
            current.push_str(part);
        } else if fits(&format!("  {part}")) {
            rows.push(format!("  {part}"));
        } else {
            word_by_word(&mut rows, separator, part, &fits);
        }
    }
    rows
}

/// A part too wide for a row, laid out a word at a time.
fn word_by_word(rows: &mut Vec<String>, separator: &str, part: &str, fits: &dyn Fn(&str) -> bool) {
    for (index, word) in part.split(' ').enumerate() {
        let joint = if index == 0 { separator } else { " " };
        let current = rows.last_mut().expect("a row");
        if fits(&format!("{current}{joint}{word}")) {
            current.push_str(joint);
            current.push_str(word);
        } else {
            rows.push(format!("  {word}"));
        }
    }
}

/// The parts of the run's header: what runs, where, how, and its run id.
fn header(event: &Event, color: bool) -> Vec<String> {
    let Event::RunStarted {
        runbook,
        environment,
        app,
        protected,
        mode,
        target,
        api_url,
        run_id,
        resumes,
        operator,
        team,
        ..
    } = event
    else {
        return Vec::new();
    };
    let mut parts = vec![format!("runbook {runbook}")];
    if let Some(app) = app {
        let from = environment.as_deref().unwrap_or("from param `app`");
        parts.push(if *protected {
            paint(format!("{app} ({from}, PROTECTED)"), Tone::Danger, color)
        } else {
            paint(format!("{app} ({from})"), Tone::Good, color)
        });
    }
    if *mode == RunMode::DryRun {
        parts.push(paint("DRY-RUN: writes are planned, not sent".into(), Tone::Notice, color));
    }
    match target {
        TargetKind::Sim => parts.push(paint(
            "REHEARSAL (simulator): nothing reaches Heroku".into(),
            Tone::Notice,
            color,
        )),
        TargetKind::Heroku if !is_herokus(api_url) => parts.push(paint(
            format!("API {api_url}, not Heroku's (--api-url or HEROKU_API_URL)"),
            Tone::Notice,
            color,
        )),
        TargetKind::Heroku => {}
    }
    if *team {
        parts.push(match operator {
            Some(operator) => format!("team mode, as {operator}"),
            None => "team mode".to_string(),
        });
    }
    parts.push(format!("run {run_id}"));
    if let Some(resumed) = resumes {
        parts.push(format!("resuming {resumed}"));
    }
    parts
}

fn step_finished(event: &Event, color: bool) -> Vec<String> {
    let Event::StepFinished { status, duration_ms, summary, error, phase, .. } = event else {
        return Vec::new();
    };
    let seconds = format!("{:.1}s", *duration_ms as f64 / 1000.0);
    let header = step_header(event, color);
    let mut lines = match status {
        StepStatus::Done => vec![format!("{} {header}  {seconds}", mark("✓", color, Tone::Good))],
        StepStatus::Planned => {
            vec![format!("{} {header}  planned, not sent", mark("○", color, Tone::Notice))]
        }
        StepStatus::Failed => vec![format!("{} {header}  {seconds}", mark("✗", color, Tone::Bad))],
        StepStatus::NotConfirmed
        | StepStatus::Locked
        | StepStatus::Rejected
        | StepStatus::ApprovalExpired => {
            let mut lines = vec![format!(
                "{} {header}  {}",
                mark("■", color, Tone::Bad),
                status.name().replace('_', " ")
            )];
            // A main step's refusal ends the run, which says why; a `finally` step's may not.
            if let (Some(Phase::Finally), Some(error)) = (phase, error) {
                lines.push(format!("    {}", error_lines(error, None, color)));
            }
            return lines;
        }
        StepStatus::Aborted => {
            return vec![format!("{} {header}  aborted", mark("■", color, Tone::Bad))];
        }
        StepStatus::Interrupted => {
            return vec![format!("{} {header}  interrupted", mark("■", color, Tone::Bad))];
        }
    };
    if let Some(summary) = summary {
        lines.extend(summary.lines().map(|line| format!("    {line}")));
    }
    if let Some(error) = error {
        lines.push(format!("    {}", error_lines(error, None, color)));
    }
    lines
}

/// The lines of a step's result that say what to do after the run, which are shown after its
/// end (`next: runbook run restart-production`, `to undo: ...`), taken out of the step.
pub fn without_last_words(event: &Event) -> (std::borrow::Cow<'_, Event>, Vec<String>) {
    let is_last_word = |line: &str| line.starts_with("next: ") || line.starts_with("to undo: ");
    let Event::StepFinished { summary: Some(summary), .. } = event else {
        return (std::borrow::Cow::Borrowed(event), Vec::new());
    };
    let (words, kept): (Vec<&str>, Vec<&str>) =
        summary.lines().partition(|line| is_last_word(line));
    if words.is_empty() {
        return (std::borrow::Cow::Borrowed(event), Vec::new());
    }
    let mut shorter = event.clone();
    if let Event::StepFinished { summary, .. } = &mut shorter {
        *summary = (!kept.is_empty()).then(|| kept.join("\n"));
    }
    (std::borrow::Cow::Owned(shorter), words.into_iter().map(String::from).collect())
}

fn confirmation(answer: Answer, how: How) -> String {
    let how = how.describe();
    match answer {
        Answer::Accepted => format!("    confirmed {how}"),
        Answer::Refused => format!("    not confirmed {how}"),
    }
}

/// The end of a run. `failed_step` is the step whose failure ended it, already shown with its
/// error: the summary names it instead of printing the error again.
pub fn run_finished(event: &Event, color: bool, failed_step: Option<&str>) -> Vec<String> {
    let Event::RunFinished {
        status,
        duration_ms,
        steps_done,
        steps_planned,
        steps_failed,
        steps_skipped,
        steps_stopped,
        steps_not_reached,
        writes_sent,
        plan,
        error,
        hint,
        ..
    } = event
    else {
        return Vec::new();
    };
    let unfinished = [(*steps_stopped, "stopped"), (*steps_not_reached, "not reached")]
        .iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, word)| format!(", {count} {word}"))
        .collect::<String>();
    let seconds = *duration_ms as f64 / 1000.0;
    let planned =
        if *steps_planned > 0 { format!("{steps_planned} planned, ") } else { String::new() };
    let writes = match writes_sent {
        0 => String::new(),
        1 => "; 1 write sent".to_string(),
        many => format!("; {many} writes sent"),
    };
    let counts = format!(
        "{steps_done} done, {planned}{steps_failed} failed, {steps_skipped} skipped{unfinished}{writes}"
    );
    let mut headline = headline(*status, !plan.is_empty(), seconds, &counts, color);
    if let Some(step) = failed_step {
        headline.push_str(&format!(" (stopped at {step})"));
    }
    let mut lines = vec![String::new(), headline];
    match (error, failed_step) {
        (Some(error), None) => lines.push(error_lines(error, hint.as_deref(), color)),
        (_, _) => lines.extend(hint.iter().map(|hint| format!("hint: {hint}"))),
    }
    if !plan.is_empty() {
        lines.push(format!("plan: {} change(s) would be made:", plan.len()));
        lines.extend(plan.iter().map(|request| format!("  {}", request.describe())));
    }
    lines
}

fn simulator_requests(requests: &[serde_json::Value]) -> Vec<String> {
    let mut lines = vec![format!("the simulator received {}:", counted(requests.len(), "request"))];
    for request in requests {
        let method = request["method"].as_str().unwrap_or("?");
        let path = request["path"].as_str().unwrap_or("?");
        let status = request["status"].as_u64().unwrap_or(0);
        lines.push(format!("  {method} {path} -> {status}"));
    }
    lines
}

pub fn warning_lines(message: &str, hint: Option<&str>, color: bool) -> String {
    let label = paint("warning".to_string(), Tone::Notice, color);
    match hint {
        Some(hint) => format!("{label}: {message}\nhint: {hint}"),
        None => format!("{label}: {message}"),
    }
}

pub fn error_lines(message: &str, hint: Option<&str>, color: bool) -> String {
    let label = if color { style("error").red().bold().to_string() } else { "error".to_string() };
    match hint {
        Some(hint) => format!("{label}: {message}\nhint: {hint}"),
        None => format!("{label}: {message}"),
    }
}

/// `✓ finished in 0.4s: 3 done, 0 failed, 0 skipped`, and its kin for each way a run ends.
fn headline(status: RunStatus, planned: bool, seconds: f64, counts: &str, color: bool) -> String {
    let words = match status {
        RunStatus::Succeeded if planned => {
            format!("dry-run finished in {seconds:.1}s, nothing sent")
        }
        RunStatus::Succeeded => format!("finished in {seconds:.1}s"),
        RunStatus::Failed => format!("failed after {seconds:.1}s"),
        RunStatus::Crashed => "crashed".to_string(),
        RunStatus::NotConfirmed => "stopped, not confirmed".to_string(),
        RunStatus::Locked => "stopped, locked by another run".to_string(),
        RunStatus::Rejected => "stopped, its plan rejected".to_string(),
        RunStatus::ApprovalExpired => "stopped, no approval in time".to_string(),
        RunStatus::Aborted => "aborted".to_string(),
        RunStatus::Interrupted => "interrupted".to_string(),
    };
    let (symbol, tone) = match status {
        RunStatus::Succeeded if planned => ("○", Tone::Notice),
        RunStatus::Succeeded => ("✓", Tone::Good),
        RunStatus::Failed | RunStatus::Crashed => ("✗", Tone::Bad),
        _ => ("■", Tone::Bad),
    };
    format!("{} {words}: {counts}", mark(symbol, color, tone))
}

/// The requests of a rehearsal summed up by route, in the order each was first seen:
/// `GET /apps/x/dynos x23 -> 200`.
fn simulator_routes(requests: &[serde_json::Value]) -> Vec<String> {
    let mut routes: Vec<(String, Vec<u64>)> = Vec::new();
    for request in requests {
        let method = request["method"].as_str().unwrap_or("?");
        let path = request["path"].as_str().unwrap_or("?");
        let route = format!("{method} {path}");
        let status = request["status"].as_u64().unwrap_or(0);
        match routes.iter_mut().find(|(seen, _)| *seen == route) {
            Some((_, statuses)) => statuses.push(status),
            None => routes.push((route, vec![status])),
        }
    }
    let mut lines = vec![format!(
        "the simulator received {} on {} (--verbose lists each):",
        counted(requests.len(), "request"),
        counted(routes.len(), "route")
    )];
    for (route, statuses) in routes {
        let times =
            if statuses.len() > 1 { format!(" x{}", statuses.len()) } else { String::new() };
        lines.push(format!("  {route}{times} -> {}", status_counts(&statuses)));
    }
    lines
}

/// `1 request`, `7 requests`.
fn counted(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        _ => format!("{count} {noun}s"),
    }
}

/// `200`, or `200 x20, 503 x3` when the answers differed.
fn status_counts(statuses: &[u64]) -> String {
    let mut counts: Vec<(u64, usize)> = Vec::new();
    for status in statuses {
        match counts.iter_mut().find(|(seen, _)| seen == status) {
            Some((_, count)) => *count += 1,
            None => counts.push((*status, 1)),
        }
    }
    match counts.as_slice() {
        [(status, _)] => status.to_string(),
        _ => counts
            .iter()
            .map(|(status, count)| format!("{status} x{count}"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Whether `url` is Heroku's own API.
pub(super) fn is_herokus(url: &str) -> bool {
    url.trim_end_matches('/') == crate::heroku::DEFAULT_API_URL.trim_end_matches('/')
}

enum Tone {
    Good,
    Bad,
    Dim,
    /// Not done, or not the real thing: planned writes, a rehearsal.
    Notice,
    /// Production: read twice.
    Danger,
}

fn mark(symbol: &str, color: bool, tone: Tone) -> String {
    paint(symbol.to_string(), tone, color)
}

fn paint(text: String, tone: Tone, color: bool) -> String {
    if !color {
        return text;
    }
    match tone {
        Tone::Good => style(text).green().to_string(),
        Tone::Bad => style(text).red().to_string(),
        Tone::Dim => style(text).dim().to_string(),
        Tone::Notice => style(text).yellow().bold().to_string(),
        Tone::Danger => style(text).red().bold().reverse().to_string(),
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
        Planned::Command(command) => {
            vec![format!("    would run: `{}` in {}", command.command, command.directory)]
        }
    }
}

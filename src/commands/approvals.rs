//! `runbook approvals`: the runs waiting for a second operator's approval, with who asked, the
//! runbook, the app, since when and the time left (team mode); and the plan as an approver reads
//! it, for `runbook approve`.

use std::time::SystemTime;

use super::failure::Failure;
use crate::settings::Settings;
use crate::team::{ApprovalRequest, PlanWrite};

pub fn execute(settings: &Settings) -> Result<(), Failure> {
    let session = super::team::required(settings, "approvals")?;
    let waiting = session.read("the approvals", session.team.waiting_approvals())?;
    let printer = &settings.printer;
    if printer.listed_as_json(&waiting) {
        return Ok(());
    }
    if waiting.is_empty() {
        printer.out_line("no run waits for an approval");
        return Ok(());
    }
    let rows: Vec<[String; 6]> = waiting.iter().map(row).collect();
    let header = ["RUN", "REQUESTED BY", "RUNBOOK", "APP", "SINCE", "TIME LEFT"].map(String::from);
    for line in crate::output::aligned(&header, &rows) {
        printer.out_line(&line);
    }
    printer.out_line("");
    printer
        .out_line("to read a plan and decide: runbook approve RUN (or --reject --reason \"...\")");
    Ok(())
}

fn row(request: &ApprovalRequest) -> [String; 6] {
    [
        request.run_id.clone(),
        request.requested_by.clone(),
        request.runbook.clone(),
        request.app.clone(),
        crate::output::people_time(&request.requested_at),
        time_left(request.expires_at.as_deref()),
    ]
}

/// `12m 05s`, `no limit`, or `expired`.
fn time_left(expires_at: Option<&str>) -> String {
    let Some(expires_at) = expires_at else {
        return "no limit".to_string();
    };
    let Ok(end) = humantime::parse_rfc3339_weak(expires_at.trim_end_matches('Z')) else {
        return expires_at.to_string();
    };
    match end.duration_since(SystemTime::now()) {
        Ok(left) => {
            humantime::format_duration(std::time::Duration::from_secs(left.as_secs())).to_string()
        }
        Err(_) => "expired".to_string(),
    }
}

/// What an approver reads before deciding: who asks, for what, and exactly what will be sent.
pub fn plan_lines(request: &ApprovalRequest) -> Vec<String> {
    let mut lines = vec![
        format!(
            "run {}: {} on {}, asked by {} at {}",
            request.run_id,
            request.runbook,
            request.app,
            request.requested_by,
            crate::output::people_time(&request.requested_at)
        ),
        format!("  API: {}", request.api_url),
        format!("  runbook content: sha256 {}", request.plan.content_hash),
        format!("  params: {}", params(&request.plan.params)),
        format!("  time left: {}", time_left(request.expires_at.as_deref())),
        "  what its operator was shown:".to_string(),
    ];
    lines.extend(request.plan.lines.iter().map(|line| format!("    {line}")));
    lines.push("  the writes it will send, and no other without a new approval:".to_string());
    lines.extend(request.plan.writes.iter().map(|write| format!("    {}", write_line(write))));
    lines
}

fn write_line(write: &PlanWrite) -> String {
    match &write.body {
        Some(body) => format!("{} {} {body}", write.method, write.path),
        None => format!("{} {}", write.method, write.path),
    }
}

fn params(given: &serde_json::Value) -> String {
    let given = crate::output::given_params(given);
    if given.is_empty() { "none".to_string() } else { given.join(" ") }
}

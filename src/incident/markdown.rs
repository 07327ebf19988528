//! The report as Markdown: a title, the period, the apps and people, one table in time order,
//! then the dashboards and the undo hints.

use super::Report;

pub fn render(report: &Report) -> String {
    let mut lines = vec![format!("# {}", report.title), String::new()];
    lines.push(format!("- Period: {} to {} (UTC)", short(&report.from), short(&report.to)));
    lines.push(format!("- Apps: {}", list_or_none(&report.apps)));
    lines.push(format!("- People: {}", list_or_none(&report.operators)));
    if !report.drill_operators.is_empty() {
        lines.push(format!(
            "- In drills and rehearsals only: {}",
            report.drill_operators.join(", ")
        ));
    }
    lines.push(match report.rehearsals {
        0 => format!("- Runs: {}", report.runs),
        rehearsals => format!(
            "- Runs: {} ({rehearsals} of them dry-runs, rehearsals or drills, which changed nothing real)",
            report.runs
        ),
    });
    lines.extend(heading("Timeline"));
    if report.entries.is_empty() {
        lines.push("Nothing was recorded in this period.".to_string());
    } else {
        lines.push("| Time (UTC) | Who | What | Run | Request-Id |".to_string());
        lines.push("| --- | --- | --- | --- | --- |".to_string());
        for entry in &report.entries {
            lines.push(format!(
                "| {} | {} | {} | {} | {} |",
                short(&entry.time),
                cell(&entry.who),
                cell(&entry.what),
                entry.run_id.as_deref().unwrap_or(""),
                entry.request_id.as_deref().unwrap_or("")
            ));
        }
    }
    lines.extend(dashboards(report));
    lines.extend(heading("To undo"));
    if report.undo.is_empty() {
        lines.push("No run of this period printed an undo hint.".to_string());
    } else {
        lines.extend(report.undo.iter().map(|undo| format!("- `{undo}`")));
    }
    lines.push(String::new());
    lines.join("\n")
}

/// A section's heading, a blank line on each side.
fn heading(title: &str) -> [String; 3] {
    [String::new(), format!("## {title}"), String::new()]
}

/// The dashboards section: each dashboard found, and why some could not be read.
fn dashboards(report: &Report) -> Vec<String> {
    let mut lines = heading("Dashboards").to_vec();
    lines.extend(report.dashboards.iter().map(|dashboard| {
        format!("- {} on {}: {}", dashboard.service, dashboard.app, dashboard.url)
    }));
    match (&report.dashboards_unread, report.dashboards.is_empty()) {
        (Some(why), _) => lines.push(format!("Not read: {}.", cell(why.trim_end_matches('.')))),
        (None, true) => {
            lines.push("None of the apps has a Papertrail, Sentry or Scout add-on.".to_string())
        }
        (None, false) => {}
    }
    lines
}

/// `2026-12-01T03:12:00.123Z` as `2026-12-01 03:12:00`.
fn short(time: &str) -> String {
    time.replace('T', " ").chars().take(19).collect()
}

/// Text safe in a table cell: no pipe ends it, no newline breaks it (the escaping the Redactor
/// also knows, so that a secret escaped here is still masked).
fn cell(text: &str) -> String {
    crate::redact::markdown_cell(text)
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() { "none".to_string() } else { items.join(", ") }
}

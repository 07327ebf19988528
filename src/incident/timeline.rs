//! The timeline built from journal records (every operator's, in team mode) and notes.

use std::collections::{BTreeMap, BTreeSet};

use super::{Entry, Report};
use crate::journal::Record;
use crate::journal::{Answer, Event, RunMode, StepStatus, TargetKind};
use crate::team::Note;

/// The report of `records` (of whole runs) and `notes`, over the period `from`..`to`.
pub fn build(records: &[Record], notes: &[Note], from: &str, to: &str) -> Report {
    let operators = operators_of(records);
    let rehearsals = rehearsals_of(records);
    let mut entries: Vec<Entry> = records
        .iter()
        .filter_map(|record| entry(record, &operators))
        .map(|mut entry| {
            let word = entry.run_id.as_ref().and_then(|run| rehearsals.get(run));
            if let Some(word) = word
                && entry.kind != "run_started"
            {
                entry.what = format!("({word}) {}", entry.what);
            }
            entry
        })
        .collect();
    entries.extend(notes.iter().map(note_entry));
    entries.sort_by(|left, right| left.time.cmp(&right.time));
    let entries = fold_reads(entries);
    let apps = apps_of(records, notes);
    let only_drills = !operators.is_empty() && rehearsals.len() == operators.len();
    let kind = if only_drills { "Drill timeline" } else { "Incident timeline" };
    let title = match (apps.is_empty(), only_drills) {
        (true, false) => kind.to_string(),
        (true, true) => format!("{kind} (no run reached Heroku)"),
        (false, false) => format!("{kind}: {}", apps.join(", ")),
        (false, true) => format!("{kind}: {} (no run reached Heroku)", apps.join(", ")),
    };
    let (who, drilled) = people(&entries, &rehearsals);
    Report {
        title,
        from: from.to_string(),
        to: to.to_string(),
        apps,
        operators: who,
        drill_operators: drilled,
        runs: operators.len(),
        rehearsals: rehearsals.len(),
        entries,
        dashboards: Vec::new(),
        dashboards_unread: None,
        undo: undo_of(records),
    }
}

/// The runs that changed nothing real, with the words that mark each of their moments:
/// dry-runs, rehearsals on the built-in simulator, and drills (live runs against an API that is
/// not Heroku's: a `sim serve` a team rehearses on).
fn rehearsals_of(records: &[Record]) -> BTreeMap<String, String> {
    records
        .iter()
        .filter_map(|record| match &record.event {
            Event::RunStarted { mode, target, api_url, .. } => match (mode, target) {
                (RunMode::DryRun, _) => Some((record.run_id.to_string(), "dry-run".to_string())),
                (_, TargetKind::Sim) => Some((record.run_id.to_string(), "rehearsal".to_string())),
                _ if crate::team::is_drill(api_url) => {
                    Some((record.run_id.to_string(), "drill".to_string()))
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Who took part for real (runs that reached Heroku, notes), and who only in drills, rehearsals
/// and dry-runs.
fn people(entries: &[Entry], rehearsals: &BTreeMap<String, String>) -> (Vec<String>, Vec<String>) {
    let (mut real, mut drilled) = (BTreeSet::new(), BTreeSet::new());
    for entry in entries {
        let in_drill = entry.run_id.as_ref().is_some_and(|run| rehearsals.contains_key(run));
        if in_drill {
            drilled.insert(entry.who.clone());
        } else {
            real.insert(entry.who.clone());
        }
    }
    let drilled = drilled.difference(&real).cloned().collect();
    (real.into_iter().collect(), drilled)
}

/// Each run's operator: its Heroku account when known, else the local login.
fn operators_of(records: &[Record]) -> BTreeMap<String, String> {
    records
        .iter()
        .filter_map(|record| match &record.event {
            Event::RunStarted { user, operator, .. } => {
                Some((record.run_id.to_string(), operator.clone().unwrap_or_else(|| user.clone())))
            }
            _ => None,
        })
        .collect()
}

fn apps_of(records: &[Record], notes: &[Note]) -> Vec<String> {
    let mut apps = BTreeSet::new();
    for record in records {
        match &record.event {
            Event::RunStarted { app: Some(app), .. } => {
                apps.insert(app.clone());
            }
            Event::WriteSent { request, .. } => {
                apps.insert(request.app.to_string());
            }
            _ => {}
        }
    }
    apps.extend(notes.iter().filter_map(|note| note.app.clone()));
    apps.into_iter().collect()
}

fn undo_of(records: &[Record]) -> Vec<String> {
    let mut undo = Vec::new();
    for record in records {
        let text = match &record.event {
            Event::StepFinished { summary: Some(summary), .. } => summary,
            Event::ScriptOutput { message } => message,
            _ => continue,
        };
        for line in text.lines().map(str::trim) {
            if line.starts_with("to undo:") && !undo.iter().any(|known| known == line) {
                undo.push(line.to_string());
            }
        }
    }
    undo
}

fn note_entry(note: &Note) -> Entry {
    let about = note.app.as_ref().map(|app| format!(" ({app})")).unwrap_or_default();
    Entry {
        time: note.time.clone(),
        who: note.operator.clone(),
        kind: "note",
        what: format!("note{about}: {}", note.text),
        run_id: None,
        request_id: None,
    }
}

fn entry(record: &Record, operators: &BTreeMap<String, String>) -> Option<Entry> {
    let who = operators.get(record.run_id.as_str()).cloned().unwrap_or_default();
    let (kind, who, what, request_id) = match &record.event {
        Event::Note { text, app, operator } => {
            let note = note_entry(&Note {
                time: record.time.to_string(),
                operator: operator.clone(),
                app: app.clone(),
                text: text.clone(),
            });
            ("note", note.who, note.what, None)
        }
        Event::Approval { approved, by, how, .. } => (
            "approval",
            by.clone(),
            format!("{} the run ({how})", if *approved { "approved" } else { "rejected" }),
            None,
        ),
        event => {
            let (kind, what, request_id) = run_moment(event)?;
            (kind, who, what, request_id)
        }
    };
    Some(Entry {
        time: record.time.to_string(),
        who,
        kind,
        what,
        run_id: (kind != "note").then(|| record.run_id.to_string()),
        request_id,
    })
}

type Moment = (&'static str, String, Option<String>);

/// What a run's own event says on the timeline, if anything.
fn run_moment(event: &Event) -> Option<Moment> {
    Some(match event {
        Event::RunStarted { .. } => ("run_started", started(event), None),
        Event::Confirmation { message, answer, how, .. } => {
            let word = match answer {
                Answer::Accepted => "confirmed",
                Answer::Refused => "refused",
            };
            ("confirmation", format!("{word} \"{message}\" {}", how.describe()), None)
        }
        Event::WriteAnswered { .. } | Event::WriteFailed { .. } => write_moment(event)?,
        Event::StepFinished { name, status, error, .. }
            if *status == StepStatus::Failed || status.is_refusal() =>
        {
            let word = match status {
                StepStatus::Failed => "failed",
                StepStatus::Locked => "was refused: the app was locked by another run",
                StepStatus::Rejected => "was rejected by the approver",
                StepStatus::ApprovalExpired => "was not approved in time",
                _ => "was not confirmed",
            };
            let error = error.as_ref().map(|error| format!(": {error}")).unwrap_or_default();
            ("failure", format!("step `{name}` {word}{error}"), None)
        }
        Event::RunFinished { .. } => ("run_finished", finished(event), None),
        Event::StepFinished { summary: Some(summary), .. } => ("finding", findings(summary)?, None),
        _ => return None,
    })
}

/// What a step found that an incident's record should keep: a health verdict that is bad,
/// Heroku error codes counted, server errors, maintenance, the runbook it says to run next.
fn findings(summary: &str) -> Option<String> {
    let found: Vec<&str> = summary
        .lines()
        .map(str::trim)
        .filter(|line| {
            line.starts_with("UNHEALTHY")
                || line.starts_with("next: ")
                || line.starts_with("HTTP 500 x")
                || line.starts_with("maintenance mode is ON")
                || is_code_count(line)
        })
        .collect();
    (!found.is_empty()).then(|| format!("found: {}", found.join("; ")))
}

/// `H10 x200: App crashed...`.
fn is_code_count(line: &str) -> bool {
    let bytes = line.as_bytes();
    bytes.len() > 5
        && bytes[0].is_ascii_uppercase()
        && bytes[1].is_ascii_digit()
        && bytes[2].is_ascii_digit()
        && line[3..].starts_with(" x")
}

/// A run that changed nothing and had nothing happen between its start and its end (a read)
/// takes one row: its start, with how it ended; and of a run's findings, its last (a diagnosis
/// sums up the reads before it).
fn fold_reads(entries: Vec<Entry>) -> Vec<Entry> {
    let last_finding: BTreeMap<String, usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, entry)| entry.kind == "finding")
        .filter_map(|(index, entry)| Some((entry.run_id.clone()?, index)))
        .collect();
    let entries: Vec<Entry> = entries
        .into_iter()
        .enumerate()
        .filter(|(index, entry)| {
            entry.kind != "finding"
                || entry.run_id.as_ref().and_then(|run| last_finding.get(run)) == Some(index)
        })
        .map(|(_, entry)| entry)
        .collect();
    let busy: BTreeSet<String> = entries
        .iter()
        .filter(|entry| !matches!(entry.kind, "run_started" | "run_finished" | "finding"))
        .filter_map(|entry| entry.run_id.clone())
        .collect();
    let endings: BTreeMap<String, String> = entries
        .iter()
        .filter(|entry| entry.kind == "run_finished")
        .filter_map(|entry| Some((entry.run_id.clone()?, entry.what.clone())))
        .filter(|(run, _)| !busy.contains(run))
        .collect();
    entries
        .into_iter()
        .filter(|entry| {
            entry.kind != "run_finished"
                || entry.run_id.as_ref().is_none_or(|run| !endings.contains_key(run))
        })
        .map(|mut entry| {
            if entry.kind == "run_started"
                && let Some(ending) = entry.run_id.as_ref().and_then(|run| endings.get(run))
            {
                let ending = match ending.split_once(") ") {
                    Some((word, rest)) if word.starts_with('(') => rest,
                    _ => ending,
                };
                entry.what = format!("{}: {ending}", entry.what);
            }
            entry
        })
        .collect()
}

fn write_moment(event: &Event) -> Option<Moment> {
    Some(match event {
        Event::WriteAnswered { method, path, status, request_id, .. } => {
            ("write", format!("sent `{method} {path}` → {status}"), request_id.clone())
        }
        Event::WriteFailed { method, path, error, may_have_taken_effect, .. } => {
            let effect = if *may_have_taken_effect {
                "it may have taken effect"
            } else {
                "it did not take effect"
            };
            ("write", format!("`{method} {path}` failed: {error} ({effect})"), None)
        }
        _ => return None,
    })
}

fn started(event: &Event) -> String {
    let Event::RunStarted { runbook, environment, app, mode, target, params, api_url, .. } = event
    else {
        return String::new();
    };
    let name = match environment {
        Some(environment) => format!("{runbook}-{environment}"),
        None => runbook.clone(),
    };
    let on = app.as_ref().map(|app| format!(" on {app}")).unwrap_or_default();
    let how = match (mode, target) {
        (RunMode::DryRun, TargetKind::Sim) => " (dry-run, rehearsal)".to_string(),
        (RunMode::DryRun, _) => " (dry-run)".to_string(),
        (_, TargetKind::Sim) => " (rehearsal on the simulator)".to_string(),
        _ if crate::team::is_drill(api_url) => format!(" (drill on {api_url}, not Heroku)"),
        _ => String::new(),
    };
    let given = crate::output::given_params(params);
    let params =
        if given.is_empty() { String::new() } else { format!(", params {}", given.join(" ")) };
    format!("ran `{name}`{on}{how}{params}")
}

fn finished(event: &Event) -> String {
    let Event::RunFinished { status, steps_done, steps_failed, writes_sent, error, .. } = event
    else {
        return String::new();
    };
    let error = error.as_ref().map(|error| format!(": {error}")).unwrap_or_default();
    format!(
        "finished {} ({steps_done} done, {steps_failed} failed, {writes_sent} write(s) sent){error}",
        status.name()
    )
}

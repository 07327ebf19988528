//! `runbook history`: the runs recorded in the journal, and one run step by step.

use std::sync::Arc;

use serde_json::Value;

use super::failure::Failure;
use crate::cli::{HistoryArguments, HistoryCommand};
use crate::journal::{Journal, RunHistory, find_run, group_runs};
use crate::output::OutputFormat;
use crate::settings::Settings;

pub fn execute(settings: &Settings, arguments: &HistoryArguments) -> Result<(), Failure> {
    let runs = read_runs(settings)?;
    match &arguments.command {
        Some(HistoryCommand::Show { run_id }) => show(settings, &runs, run_id),
        None => list(settings, &runs, arguments),
    }
}

fn read_runs(settings: &Settings) -> Result<Vec<RunHistory>, Failure> {
    let folder = settings.state_folder.clone().ok_or_else(|| {
        Failure::usage(
            "no journal folder: HOME is not set",
            "set RUNBOOK_STATE_DIR or XDG_STATE_HOME",
        )
    })?;
    let journal =
        Journal::open(&folder, Arc::clone(settings.printer.redactor())).map_err(|error| {
            Failure::usage(
                error.to_string(),
                "set RUNBOOK_STATE_DIR to the journal's folder",
            )
        })?;
    let records = journal.read().map_err(|error| {
        Failure::usage(error.to_string(), "check the journal folder's permissions")
    })?;
    Ok(group_runs(records))
}

fn list(
    settings: &Settings,
    runs: &[RunHistory],
    arguments: &HistoryArguments,
) -> Result<(), Failure> {
    let selected: Vec<&RunHistory> = runs
        .iter()
        .rev()
        .filter(|run| {
            arguments
                .runbook
                .as_ref()
                .is_none_or(|name| run.runbook == *name || run.target_name() == *name)
        })
        .filter(|run| {
            arguments
                .status
                .as_ref()
                .is_none_or(|status| run.status == *status)
        })
        .take(arguments.limit)
        .collect();
    let printer = &settings.printer;
    if printer.format() == OutputFormat::Json {
        for run in selected {
            printer.out_line(&serde_json::to_string(run).unwrap_or_default());
        }
        return Ok(());
    }
    if selected.is_empty() {
        printer.out_line("no runs recorded yet (or none match)");
        return Ok(());
    }
    printer.out_line(&format!(
        "{:<22} {:<20} {:<30} {:<7} {:<13} {:<12} {}",
        "RUN", "STARTED", "RUNBOOK", "MODE", "STATUS", "USER", "TARGET"
    ));
    for run in selected {
        let mode = if run.target == "sim" {
            "sim".to_string()
        } else {
            run.mode.replace("dry_run", "dry-run")
        };
        printer.out_line(&format!(
            "{:<22} {:<20} {:<30} {:<7} {:<13} {:<12} {}",
            run.run_id,
            short_time(&run.started_at),
            run.target_name(),
            mode,
            run.status,
            run.user,
            run.api_url
        ));
    }
    Ok(())
}

fn show(settings: &Settings, runs: &[RunHistory], wanted: &str) -> Result<(), Failure> {
    let run = find_run(runs, wanted)
        .map_err(|message| Failure::usage(message, "`runbook history` lists the runs"))?;
    let printer = &settings.printer;
    if printer.format() == OutputFormat::Json {
        for record in &run.records {
            printer.out_line(&serde_json::to_string(record).unwrap_or_default());
        }
        return Ok(());
    }
    printer.out_line(&format!("run {}  {}", run.run_id, run.target_name()));
    printer.out_line(&format!(
        "  started {} by {}, {} on {}",
        short_time(&run.started_at),
        run.user,
        run.mode,
        run.target
    ));
    if let Some(app) = &run.app {
        printer.out_line(&format!("  app {app}"));
    }
    printer.out_line(&format!("  api {}", run.api_url));
    printer.out_line(&format!("  params {}", params_line(run)));
    printer.out_line(&format!("  runbook content sha256 {}", run.content_hash));
    for record in &run.records {
        if let Some(line) = describe(&record.event) {
            printer.out_line(&format!("  {} {line}", short_time(&record.time)));
        }
    }
    printer.out_line(&format!("  status: {}", run.status));
    Ok(())
}

/// One journal event as a line of the run's story; `None` for events that add nothing there.
fn describe(event: &Value) -> Option<String> {
    let text = |key: &str| event[key].as_str().unwrap_or_default().to_string();
    let step = || {
        let phase = event["phase"]
            .as_str()
            .map(|phase| format!("{phase} "))
            .unwrap_or_default();
        match event["total"].as_u64() {
            Some(total) => format!("[{phase}{}/{total}] {}", event["index"], text("name")),
            None => format!("[{phase}{}] {}", event["index"], text("name")),
        }
    };
    Some(match event["event"].as_str()? {
        "step_started" => format!("started  {}", step()),
        "step_finished" => {
            let mut line = format!(
                "{:<8} {}  {} ms",
                text("status"),
                step(),
                event["duration_ms"]
            );
            if let Some(error) = event["error"].as_str() {
                line.push_str(&format!("  error: {error}"));
            }
            if let Some(ids) = event["request_ids"].as_array() {
                let ids: Vec<&str> = ids.iter().filter_map(Value::as_str).collect();
                line.push_str(&format!("  request ids: {}", ids.join(", ")));
            }
            line
        }
        "step_skipped" => format!("skipped  {}  ({})", step(), text("reason")),
        "confirmation" => format!(
            "{}  \"{}\" ({})",
            text("answer"),
            text("message"),
            text("how")
        ),
        "would_ask" => format!("would ask \"{}\"", text("message")),
        "would_send" => format!(
            "would send {} {}",
            event["request"]["method"].as_str().unwrap_or("run"),
            event["request"]["path"]
                .as_str()
                .or(event["request"]["command"].as_str())?
        ),
        "write_sent" => format!(
            "sent     {} {}",
            event["request"]["method"].as_str()?,
            event["request"]["path"].as_str()?
        ),
        "write_answered" => format!(
            "answered {} {} {}{}",
            text("method"),
            text("path"),
            event["status"],
            event["request_id"]
                .as_str()
                .map(|id| format!(" (Request-Id {id})"))
                .unwrap_or_default()
        ),
        "write_failed" => format!(
            "no answer {} {}: {}{}",
            text("method"),
            text("path"),
            text("error"),
            if event["may_have_taken_effect"] == true {
                " (it may have taken effect)"
            } else {
                ""
            }
        ),
        "script_output" => format!("output   {}", text("message")),
        "step_retry" => format!(
            "retry    [{}] attempt {}/{} failed: {}",
            event["index"],
            event["attempt"],
            event["attempts"],
            text("error")
        ),
        "run_finished" => {
            let mut line = format!("finished {}", text("status"));
            if let Some(error) = event["error"].as_str() {
                line.push_str(&format!(": {error}"));
            }
            line
        }
        _ => return None,
    })
}

/// The params of the run as it started (secrets already masked in the journal).
fn params_line(run: &RunHistory) -> String {
    let params = run
        .records
        .iter()
        .find(|record| record.kind() == "run_started")
        .and_then(|record| record.event["params"].as_object().cloned())
        .unwrap_or_default();
    let given: Vec<String> = params
        .iter()
        .filter(|(_, value)| !value.is_null())
        .map(|(name, value)| match value {
            Value::String(text) => format!("{name}={text}"),
            other => format!("{name}={other}"),
        })
        .collect();
    if given.is_empty() {
        "none".to_string()
    } else {
        given.join(" ")
    }
}

/// `2026-11-26T10:32:12.345Z` as `2026-11-26 10:32:12`.
fn short_time(time: &str) -> String {
    time.replace('T', " ").chars().take(19).collect()
}

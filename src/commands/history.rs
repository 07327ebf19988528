//! `runbook history`: the runs recorded in the journal, and one run step by step.

use std::sync::Arc;

use super::failure::Failure;
use crate::cli::{HistoryArguments, HistoryCommand};
use crate::journal::{Journal, RunHistory, find_run, group_runs};
use crate::output::{
    OutputFormat, RunHead, RunRow, history_head, history_line, history_table, short_time,
};
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
                .is_none_or(|status| run.status_name() == status)
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
    let rows: Vec<RunRow> = selected.into_iter().map(row).collect();
    for line in history_table(&rows) {
        printer.out_line(&line);
    }
    Ok(())
}

fn row(run: &RunHistory) -> RunRow {
    RunRow {
        run_id: run.run_id.clone(),
        started_at: run.started_at.clone(),
        name: run.target_name(),
        mode: run.mode,
        target: run.target,
        status: run.status_name(),
        user: run.user.clone(),
        api_url: run.api_url.clone(),
    }
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
    let head = RunHead {
        row: row(run),
        app: run.app.as_deref(),
        environment: run.environment.as_deref(),
        protected: run.protected,
        params: &run.params,
        content_hash: &run.content_hash,
    };
    for line in history_head(&head) {
        printer.out_line(&line);
    }
    for record in &run.records {
        if let Some(line) = history_line(&record.event) {
            printer.out_line(&format!("  {} {line}", short_time(&record.time)));
        }
    }
    printer.out_line(&format!("  status: {}", run.status_name()));
    Ok(())
}

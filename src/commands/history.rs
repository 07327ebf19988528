//! `runbook history`: the runs recorded in the journal, and one run step by step.

use super::failure::Failure;
use crate::cli::{HistoryArguments, HistoryCommand};
use crate::journal::{Lookup, RunHistory, RunSelection, find_run, group_runs};
use crate::output::{
    OutputFormat, RunHead, RunRow, history_head, history_line, history_table,
    people_time_to_the_second,
};
use crate::settings::Settings;
use crate::team::RunFilter;

pub fn execute(settings: &Settings, arguments: &HistoryArguments) -> Result<(), Failure> {
    if let Some(status) = &arguments.status {
        check_status(status)?;
    }
    let resolved;
    let arguments = match &arguments.app {
        Some(given) => {
            resolved = HistoryArguments {
                app: Some(super::app_names::resolve(settings, given)?),
                ..arguments.clone()
            };
            &resolved
        }
        None => arguments,
    };
    match &arguments.command {
        Some(HistoryCommand::Show { run_id }) => show(settings, &run_with(settings, run_id)?),
        None if arguments.team => {
            let runs = team_runs(settings, arguments)?;
            print_runs(settings, runs.iter().collect())
        }
        None => list(settings, arguments),
    }
}

/// `--status` names one of the words the journal uses.
fn check_status(status: &str) -> Result<(), Failure> {
    if status == "unfinished" || crate::journal::RunStatus::from_name(status).is_some() {
        return Ok(());
    }
    Err(Failure::usage(
        format!("`--status {status}` is not a run status"),
        "use one of: succeeded, failed, not_confirmed, locked, rejected, approval_expired, aborted, interrupted, crashed, unfinished",
    ))
}

/// Every operator's newest runs that match, from the shared journal.
fn team_runs(
    settings: &Settings,
    arguments: &HistoryArguments,
) -> Result<Vec<RunHistory>, Failure> {
    let session = super::team::required(settings, "history --team")?;
    let filter = RunFilter {
        app: arguments.app.clone(),
        runbook: arguments.runbook.clone(),
        operator: arguments.operator.clone(),
        status: arguments.status.clone(),
        limit: arguments.limit,
    };
    session.read("the shared journal", session.team.runs(&filter))
}

/// The run `wanted` from the local journal, or in team mode from the shared records when this
/// machine does not have it (another operator's run).
fn run_with(settings: &Settings, wanted: &str) -> Result<RunHistory, Failure> {
    let local = super::local_journal::open(settings)?.run(wanted);
    match local {
        Err(Lookup::Missing(_)) if settings.database_url.is_some() => {}
        local => return local.map_err(super::local_journal::lookup_failure),
    }
    let session = super::team::required(settings, "history show")?;
    let records = session.read("the shared journal", session.team.records(wanted))?;
    find_run(&group_runs(records), wanted).cloned().map_err(super::local_journal::lookup_failure)
}

/// The newest local runs that match the filters, read from the end of the journal.
fn list(settings: &Settings, arguments: &HistoryArguments) -> Result<(), Failure> {
    let keep = |run: &RunHistory| {
        arguments
            .runbook
            .as_ref()
            .is_none_or(|name| run.runbook == *name || run.target_name() == *name)
            && arguments.status.as_ref().is_none_or(|status| run.status_name() == status)
            && arguments.app.as_ref().is_none_or(|app| run.app.as_deref() == Some(app.as_str()))
            && arguments
                .operator
                .as_ref()
                .is_none_or(|operator| run.operator().eq_ignore_ascii_case(operator))
    };
    let selection = RunSelection { limit: arguments.limit, keep: &keep };
    let runs = super::local_journal::open(settings)?
        .newest_runs(&selection)
        .map_err(super::local_journal::unreadable)?;
    print_runs(settings, runs.iter().collect())
}

fn print_runs(settings: &Settings, selected: Vec<&RunHistory>) -> Result<(), Failure> {
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
        run_id: run.run_id.to_string(),
        started_at: run.started_at.to_string(),
        name: run.target_name(),
        mode: run.mode,
        target: run.target,
        status: run.status_name(),
        user: run.operator().to_string(),
        api_url: run.api_url.to_string(),
    }
}

fn show(settings: &Settings, run: &RunHistory) -> Result<(), Failure> {
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
            let time = people_time_to_the_second(&record.time);
            // A step's summary lines go under its name, whatever the width of the time.
            let under = format!("\n{}", " ".repeat(time.chars().count() + 3));
            printer.out_line(&format!("  {time} {}", line.replace('\n', &under)));
        }
    }
    printer.out_line(&format!("  status: {}", run.status_name()));
    Ok(())
}

//! `runbook report RUN_ID` and `runbook report --since 2h [--app APP]`: the incident timeline as
//! Markdown (or `--output json`), every operator's in team mode, with the apps' dashboards.

use std::time::{Duration, SystemTime};

use super::failure::Failure;
use super::team::TeamSession;
use crate::cli::ReportArguments;
use crate::heroku::{Access, Client};
use crate::identifiers::AppName;
use crate::incident::{self, DASHBOARD_SERVICES, Dashboard, Report};
use crate::journal::Event;
use crate::journal::{Lookup, Record, RunHistory, find_run, group_runs};
use crate::output::OutputFormat;
use crate::settings::Settings;
use crate::team::{Note, TeamResult};

pub fn execute(settings: &Settings, arguments: &ReportArguments) -> Result<(), Failure> {
    let app = arguments
        .app
        .as_deref()
        .map(|given| super::app_names::resolve(settings, given))
        .transpose()?;
    let app = app.as_deref();
    let session = team(settings)?;
    let team = session.as_ref().map(|session| TeamReader { session });
    let mut report = match (&arguments.run_id, arguments.since) {
        (Some(run_id), _) => one_run(settings, team.as_ref(), run_id)?,
        (None, Some(since)) => period(settings, team.as_ref(), since, app)?,
        (None, None) => {
            return Err(Failure::usage(
                "say which part of the record to report",
                "give a run's id (`runbook report 20261201-031200`) or a period (`runbook report --since 2h`)",
            ));
        }
    };
    add_dashboards(settings, arguments, &mut report);
    let printer = &settings.printer;
    match printer.format() {
        OutputFormat::Json => printer.out_json(&report),
        OutputFormat::Human => printer.out_text(&incident::markdown(&report)),
    }
    Ok(())
}

/// The team's database in team mode, after pushing the runs it lacks.
fn team(settings: &Settings) -> Result<Option<TeamSession>, Failure> {
    if settings.database_url.is_none() {
        return Ok(None);
    }
    let session = super::team::required(settings, "report")?;
    let folder = super::team::journal_folder(settings)?;
    if folder.join(super::team::PENDING_FILE).exists()
        && let Err(failure) = session.run(super::team::sync(&session.team, settings, &folder))
    {
        settings.printer.warning(&failure.to_string(), None);
    }
    Ok(Some(session))
}

/// The shared journal's reads a report makes, each run to its end on the session's runtime.
struct TeamReader<'a> {
    session: &'a TeamSession,
}

impl TeamReader<'_> {
    fn records_since(&self, from: &str, app: Option<&str>) -> TeamResult<Vec<Record>> {
        self.session.run(self.session.team.records_since(from, app))
    }

    fn notes_since(&self, from: &str, app: Option<&str>) -> TeamResult<Vec<Note>> {
        self.session.run(self.session.team.notes_since(from, app))
    }

    fn records(&self, wanted: &str) -> TeamResult<Vec<Record>> {
        self.session.run(self.session.team.records(wanted))
    }
}

/// Everything from `since` ago until now.
fn period(
    settings: &Settings,
    team: Option<&TeamReader<'_>>,
    since: Duration,
    app: Option<&str>,
) -> Result<Report, Failure> {
    let now = SystemTime::now();
    let start = now
        .checked_sub(since)
        .filter(|start| *start >= SystemTime::UNIX_EPOCH)
        .unwrap_or(SystemTime::UNIX_EPOCH);
    let from = humantime::format_rfc3339_millis(start).to_string();
    let to = humantime::format_rfc3339_millis(now).to_string();
    let (records, notes) = match team {
        Some(team) => (
            team.records_since(&from, app).map_err(shared_failure)?,
            team.notes_since(&from, app).map_err(shared_failure)?,
        ),
        None => local_period(settings, &from, app)?,
    };
    Ok(incident::build(&records, &notes, &from, &to))
}

/// One run, from its first record to its last, with the notes of that time about its app.
fn one_run(
    settings: &Settings,
    team: Option<&TeamReader<'_>>,
    wanted: &str,
) -> Result<Report, Failure> {
    let journal = super::local_journal::open(settings)?;
    let run = match (journal.run(wanted), team) {
        (Err(Lookup::Missing(_)), Some(team)) => {
            find_run(&group_runs(team.records(wanted).map_err(shared_failure)?), wanted)
                .cloned()
                .map_err(super::local_journal::lookup_failure)?
        }
        (local, _) => local.map_err(super::local_journal::lookup_failure)?,
    };
    let from = run.started_at.clone();
    let to = run.records.last().map_or(from.clone(), |record| record.time.clone());
    let notes = match team {
        Some(team) => team.notes_since(&from, run.app.as_deref()).map_err(shared_failure)?,
        None => {
            let records = journal
                .records_between(&from, Some(&to))
                .map_err(super::local_journal::unreadable)?;
            notes_of(&records, &from, run.app.as_deref())
        }
    }
    .into_iter()
    .filter(|note| note.time.as_str() <= to.as_str())
    .collect::<Vec<_>>();
    Ok(incident::build(&run.records, &notes, &from, &to))
}

fn shared_failure(message: crate::team::TeamError) -> Failure {
    Failure::Access { message: format!("cannot read the shared journal: {message}"), hint: None }
}

/// The local runs started from `from` on that targeted or wrote to `app`, and the notes.
fn local_period(
    settings: &Settings,
    from: &str,
    app: Option<&str>,
) -> Result<(Vec<Record>, Vec<Note>), Failure> {
    let records = super::local_journal::open(settings)?
        .records_between(from, None)
        .map_err(super::local_journal::unreadable)?;
    let notes = notes_of(&records, from, app);
    let runs: Vec<RunHistory> = group_runs(records)
        .into_iter()
        .filter(|run| run.started_at.as_str() >= from)
        .filter(|run| app.is_none_or(|app| touches(run, app)))
        .collect();
    Ok((runs.into_iter().flat_map(|run| run.records).collect(), notes))
}

fn touches(run: &RunHistory, app: &str) -> bool {
    run.app.as_deref() == Some(app)
        || run.records.iter().any(|record| {
            matches!(&record.event, Event::WriteSent { request, .. } if request.app.as_str() == app)
        })
}

fn notes_of(records: &[Record], from: &str, app: Option<&str>) -> Vec<Note> {
    records
        .iter()
        .filter(|record| record.time.as_str() >= from)
        .filter_map(|record| match &record.event {
            Event::Note { text, app: about, operator }
                if app.is_none() || about.is_none() || about.as_deref() == app =>
            {
                Some(Note {
                    time: record.time.to_string(),
                    operator: operator.clone(),
                    app: about.clone(),
                    text: text.clone(),
                })
            }
            _ => None,
        })
        .collect()
}

/// The Papertrail, Sentry and Scout dashboards of the report's apps, read from their add-ons;
/// an app that cannot be read is said, and the others' dashboards stay.
fn add_dashboards(settings: &Settings, arguments: &ReportArguments, report: &mut Report) {
    if report.apps.is_empty() {
        return;
    }
    let Some(token) = crate::settings::token() else {
        report.dashboards_unread =
            Some("no Heroku token (HEROKU_API_KEY or ~/.netrc) to read the add-ons with".into());
        return;
    };
    settings.printer.redactor().add(secrecy::ExposeSecret::expose_secret(&token));
    let api_url = super::identity::api_url(arguments.api_url.as_ref());
    let client = match Client::new(&api_url, Some(token), Access::ReadOnly, Duration::from_secs(30))
    {
        Ok(client) => client,
        Err(error) => {
            report.dashboards_unread = Some(error.to_string());
            return;
        }
    };
    let runtime = match super::runtime() {
        Ok(runtime) => runtime,
        Err(failure) => {
            report.dashboards_unread = Some(failure.to_string());
            return;
        }
    };
    let mut unread = Vec::new();
    for app in report.apps.clone() {
        match read_dashboards(&runtime, &client, &app) {
            Ok(found) => report.dashboards.extend(found),
            Err(why) => unread.push(why.to_string()),
        }
    }
    report.dashboards_unread = (!unread.is_empty()).then(|| unread.join("; "));
}

/// Why the dashboards of an app were not read: said in the report.
#[derive(Debug, thiserror::Error)]
enum DashboardsUnread {
    #[error(transparent)]
    NotAnApp(#[from] crate::identifiers::IdentifierError),
    #[error("the add-ons of {app}: {error}")]
    Api { app: String, error: Box<crate::heroku::ApiError> },
}

/// The dashboards of `app`'s add-ons.
fn read_dashboards(
    runtime: &tokio::runtime::Runtime,
    client: &Client,
    app: &str,
) -> Result<Vec<Dashboard>, DashboardsUnread> {
    let name = AppName::parse(app)?;
    let addons = runtime
        .block_on(crate::heroku::addons::list(client, &name))
        .map_err(|error| DashboardsUnread::Api { app: app.to_string(), error: Box::new(error) })?;
    Ok(addons
        .into_iter()
        .filter_map(|addon| {
            let service = addon.addon_service.name.to_lowercase();
            let url = addon.web_url.clone()?;
            DASHBOARD_SERVICES.iter().any(|wanted| service.contains(wanted)).then(|| Dashboard {
                app: app.to_string(),
                service: display_name(&service),
                url,
            })
        })
        .collect())
}

/// `papertrail` as people name it.
fn display_name(service: &str) -> String {
    match service {
        "papertrail" => "Papertrail".to_string(),
        "sentry" => "Sentry".to_string(),
        "scout" => "Scout APM".to_string(),
        other => other.to_string(),
    }
}

//! A run's side of team mode: the database reached before anything is sent (or the run stopped,
//! exit 4, with the way to go on alone), the journal mirrored to the shared one, the runs kept
//! only here while it was out of reach pushed when it is back, and the team gate built.

use std::path::Path;
use std::sync::Arc;

use std::collections::BTreeSet;

use super::super::failure::Failure;
use super::super::team::{self as team_command, PENDING_FILE};
use super::shared_journal::{SharedJournal, mark_pending};
use crate::exec::{ApprovalNeed, Reporter, RunIdentity, Target, TeamGate, TeamGateParts};
use crate::heroku::Client;
use crate::identifiers::AppName;
use crate::interrupt::Interrupt;
use crate::journal::Journal;
use crate::output::approval_lines;
use crate::runbook::{Library, Runbook};
use crate::settings::{Mode, RunSettings, Settings};
use crate::team::Team;

/// What the team part of a run is built from.
pub struct Context<'a> {
    pub settings: &'a Settings,
    pub run: &'a RunSettings,
    pub library: &'a Library,
    pub rehearsal: bool,
    pub target: Option<&'a Target>,
    pub runtime: &'a tokio::runtime::Runtime,
    pub client: &'a Client,
}

/// The team part of a run, decided before anything is sent.
pub struct TeamSetup {
    pub team: Option<Arc<Team>>,
    /// The Heroku account of the token (team mode).
    pub operator: Option<String>,
    /// The apps whose writes wait for a second operator.
    pub approval_apps: BTreeSet<AppName>,
}

/// Connects (or stops the run), names the operator, and mirrors `journal` to the shared one.
pub fn setup(context: &Context<'_>, journal: Journal) -> Result<(TeamSetup, Journal), Failure> {
    let team = connect(
        context.settings,
        context.run,
        context.rehearsal,
        journal.folder(),
    )?;
    let operator = operator(
        context.runtime,
        context.client,
        team.is_some(),
        context.run.mode == Mode::Live,
    )?;
    let approval_apps = approval_apps(
        context.library,
        context.run,
        context.rehearsal,
        team.is_some(),
        context.target,
    )?;
    let journal = match &team {
        Some(team) => {
            let folder = journal.folder().to_path_buf();
            journal.mirrored(Arc::new(SharedJournal::start(
                Arc::clone(team),
                folder,
                Arc::clone(&context.settings.printer),
            )))
        }
        None => journal,
    };
    let setup = TeamSetup {
        team,
        operator,
        approval_apps,
    };
    Ok((setup, journal))
}

/// What the team gate of a run is built from, once the run has its id.
pub struct GateContext<'a> {
    pub settings: &'a Settings,
    pub run: &'a RunSettings,
    pub runbook: &'a Runbook,
    pub target: Option<&'a Target>,
    pub api_url: &'a str,
    pub params: &'a [(String, serde_json::Value)],
    pub reporter: &'a Arc<Reporter>,
    pub interrupt: &'a Interrupt,
}

impl TeamSetup {
    /// The team's word on each write: locks, and the approval when an app needs one.
    pub fn gate(&self, context: GateContext<'_>) -> Option<Arc<TeamGate>> {
        let team = self.team.as_ref()?;
        let printer = &context.settings.printer;
        let approval = (!self.approval_apps.is_empty()).then(|| ApprovalNeed {
            apps: self.approval_apps.clone(),
            timeout: context.run.approval_timeout,
            plan: approval_lines(context.runbook, context.params)
                .iter()
                .map(|line| printer.redactor().apply(line).into_owned())
                .collect(),
        });
        Some(Arc::new(TeamGate::new(TeamGateParts {
            team: Arc::clone(team),
            identity: RunIdentity {
                run_id: context.reporter.run_id().to_string(),
                runbook: target_name(context.runbook, context.target),
                operator: self
                    .operator
                    .clone()
                    .unwrap_or_else(|| context.settings.login()),
                api_url: context.api_url.to_string(),
            },
            wait_lock: context.run.wait_lock,
            approval,
            reporter: Arc::clone(context.reporter),
            interrupt: context.interrupt.clone(),
        })))
    }
}

/// The team's database for this run: `None` working alone (no database, `--no-team`, or a
/// dry-run or rehearsal that could not reach it).
fn connect(
    settings: &Settings,
    run: &RunSettings,
    rehearsal: bool,
    folder: &Path,
) -> Result<Option<Arc<Team>>, Failure> {
    if settings.database_url.is_none() {
        return Ok(None);
    }
    if run.no_team {
        if run.mode == Mode::Live && !rehearsal {
            settings.printer.warning(
                "--no-team: this run takes no app lock and asks for no approval; it is journaled here and pushed to the shared journal later",
                Some("tell your team what you are doing"),
            );
        }
        mark_pending(folder);
        return Ok(None);
    }
    match team_command::connect(settings) {
        Ok(team) => {
            if folder.join(PENDING_FILE).exists()
                && let Err(failure) = team_command::sync(&team, settings, folder)
            {
                settings.printer.warning(&failure.to_string(), None);
            }
            Ok(Some(Arc::new(team)))
        }
        Err(failure @ Failure::Usage { .. }) => Err(failure),
        Err(failure) if run.mode == Mode::Live && !rehearsal => Err(Failure::Access {
            message: format!("{failure}: nothing was sent"),
            hint: Some("to go on without the team, add --no-team: the run is journaled here and pushed to the shared journal when it is reachable again (on the next team run, or `runbook team sync`)".into()),
        }),
        Err(failure) => {
            settings.printer.warning(
                &format!("{failure}; this run is journaled here only"),
                Some("it is pushed to the shared journal on the next team run, or by `runbook team sync`"),
            );
            mark_pending(folder);
            Ok(None)
        }
    }
}

/// Who runs this, in team mode: the Heroku account of the token, recorded on every run and
/// answer; a live team run that cannot tell stops here, before anything is sent. Alone, the
/// local login says (and no request is spent on it).
fn operator(
    runtime: &tokio::runtime::Runtime,
    client: &Client,
    team: bool,
    live: bool,
) -> Result<Option<String>, Failure> {
    if !team {
        return Ok(None);
    }
    match runtime.block_on(crate::heroku::account::email(client)) {
        Ok(email) => Ok(Some(email)),
        Err(error) if live => Err(Failure::Access {
            message: format!(
                "team mode records who runs each run, and GET /account failed: {error}: nothing was sent"
            ),
            hint: error.hint(),
        }),
        Err(_) => Ok(None),
    }
}

/// The apps whose writes wait for a second operator. A rehearsal rehearses without; a live run
/// on one of them outside team mode is refused here, before anything is sent.
fn approval_apps(
    library: &Library,
    run: &RunSettings,
    rehearsal: bool,
    team: bool,
    target: Option<&Target>,
) -> Result<BTreeSet<AppName>, Failure> {
    if rehearsal || run.mode == Mode::DryRun {
        return Ok(Default::default());
    }
    let apps = library.environments.approval_apps();
    if let Some(target) = target
        && apps.contains(&target.app)
        && !team
    {
        return Err(Failure::Refused {
            message: format!(
                "`{}` needs a second operator's approval (`approvals:` in environments.yaml), and this run is not in team mode: nothing was sent",
                target.app
            ),
            hint: Some("run it in team mode (RUNBOOK_DATABASE_URL, without --no-team), or rehearse it with --sim".into()),
        });
    }
    Ok(apps)
}

/// `deploy-production`, or the runbook's name when it has no environment.
fn target_name(runbook: &Runbook, target: Option<&Target>) -> String {
    match target {
        Some(target) => format!("{}-{}", runbook.name, target.name),
        None => runbook.name.clone(),
    }
}

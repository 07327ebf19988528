//! A run's side of team mode: the database reached before anything is sent (or the run stopped,
//! exit 4, with the way to go on alone), the journal mirrored to the shared one, the runs kept
//! only here while it was out of reach pushed when it is back, and the team gate built.

use std::path::Path;
use std::sync::Arc;

use std::collections::BTreeSet;

use super::shared_journal::{SharedJournal, mark_pending};
use crate::commands::failure::Failure;
use crate::commands::team::{self as team_command, PENDING_FILE};
use crate::exec::{ApprovalNeed, Reporter, RunIdentity, Target, TeamGate, TeamGateParts};
use crate::heroku::Client;
use crate::identifiers::AppName;
use crate::interrupt::Interrupt;
use crate::journal::Journal;
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
    /// The Heroku account of the token (a live team run).
    pub operator: Option<String>,
    /// The apps whose writes wait for a second operator.
    pub approval_apps: BTreeSet<AppName>,
    /// The apps the team's policy protects, whatever the checkout says.
    pub protected_apps: BTreeSet<AppName>,
    /// What the run says once it has started (the team's policy stricter than the checkout, a
    /// dry-run on an app a live run would wait for).
    pub notices: Vec<String>,
    /// Locks and approvals apply: a live run off the in-process simulator.
    pub live: bool,
}

/// Connects (or stops the run), names the operator, applies the team's policy, and mirrors
/// `journal` to the shared one.
pub fn setup(context: &Context<'_>, journal: Journal) -> Result<(TeamSetup, Journal), Failure> {
    let team = connect(context, journal.folder())?;
    let live = context.run.mode == Mode::Live && !context.rehearsal;
    let operator = match &team {
        Some(_) if !context.rehearsal => operator(context.runtime, context.client, live)?,
        _ => None,
    };
    let policy = match &team {
        Some(team) => TeamPolicy::read(context, team)?,
        None => TeamPolicy::default(),
    };
    let mut notices = policy.notices.clone();
    let approval_apps = approval_apps(context, team.is_some(), &policy, &mut notices)?;
    let journal = match &team {
        Some(team) => {
            let folder = journal.folder().to_path_buf();
            journal.mirrored(Arc::new(SharedJournal::start(
                Arc::clone(team),
                folder,
                Arc::clone(&context.settings.printer),
                context.runtime.handle(),
            )))
        }
        None => journal,
    };
    let setup = TeamSetup {
        team,
        operator,
        approval_apps,
        protected_apps: policy.protected,
        notices,
        live,
    };
    Ok((setup, journal))
}

/// What the team's database says of the apps, beyond the checkout.
#[derive(Default)]
struct TeamPolicy {
    protected: BTreeSet<AppName>,
    approvals: BTreeSet<AppName>,
    notices: Vec<String>,
}

impl TeamPolicy {
    fn read(context: &Context<'_>, team: &Team) -> Result<Self, Failure> {
        let policies =
            context.runtime.block_on(team.policies()).map_err(|error| Failure::Access {
                message: format!("cannot read the team's policy: {error}: nothing was sent"),
                hint: Some("to go on without the team, add --no-team".into()),
            })?;
        let environments = &context.library.environments;
        let mut policy = TeamPolicy::default();
        for entry in policies {
            let Ok(app) = AppName::parse(&entry.app) else {
                continue;
            };
            if entry.protected && !environments.protected_apps().contains(&app) {
                policy.notices.push(format!(
                    "the team's policy protects {app} (your environments.yaml does not): its name is typed before any write"
                ));
            }
            if entry.approvals > 0 && !environments.approval_apps().contains(&app) {
                policy.notices.push(format!(
                    "the team's policy needs an approval for writes to {app} (your environments.yaml does not say so)"
                ));
            }
            if entry.protected {
                policy.protected.insert(app.clone());
            }
            if entry.approvals > 0 {
                policy.approvals.insert(app);
            }
        }
        Ok(policy)
    }
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
    /// The team's word on each write of a live run: locks, and the approval of its plan when an
    /// app needs one. A dry-run or a rehearsal takes no lock and asks no approval.
    pub fn gate(&self, context: GateContext<'_>) -> Option<Arc<TeamGate>> {
        let team = self.team.as_ref().filter(|_| self.live)?;
        let printer = &context.settings.printer;
        let params: serde_json::Map<String, serde_json::Value> =
            context.params.iter().map(|(name, value)| (name.clone(), value.clone())).collect();
        let approval = (!self.approval_apps.is_empty()).then(|| ApprovalNeed {
            apps: self.approval_apps.clone(),
            timeout: context.run.approval_timeout,
            validity: context.run.approval_validity,
            params: printer.redactor().apply_to_value(&serde_json::Value::Object(params)),
        });
        Some(Arc::new(TeamGate::new(TeamGateParts {
            team: Arc::clone(team),
            identity: RunIdentity {
                run_id: context.reporter.run_id().to_string(),
                runbook: target_name(context.runbook, context.target),
                operator: self.operator.clone().unwrap_or_else(|| context.settings.login()),
                api_url: context.api_url.to_string(),
                content_hash: super::started::content_hash(context.runbook),
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
fn connect(context: &Context<'_>, folder: &Path) -> Result<Option<Arc<Team>>, Failure> {
    let (settings, run) = (context.settings, context.run);
    let live = run.mode == Mode::Live && !context.rehearsal;
    if settings.database_url.is_none() {
        return Ok(None);
    }
    if run.no_team {
        if live {
            settings.printer.warning(
                "--no-team: this run takes no app lock and asks for no approval; it is journaled here and pushed to the shared journal later",
                Some("tell your team what you are doing"),
            );
        }
        mark_pending(folder);
        return Ok(None);
    }
    match context.runtime.block_on(team_command::connect(settings)) {
        Ok(team) => {
            if folder.join(PENDING_FILE).exists()
                && let Err(failure) = context
                    .runtime
                    .block_on(team_command::sync(&team, settings, folder))
            {
                settings.printer.warning(&failure.to_string(), None);
            }
            Ok(Some(Arc::new(team)))
        }
        Err(failure @ Failure::Usage { .. }) => Err(failure),
        Err(failure) if live => Err(Failure::Access {
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

/// Who runs this team run: the Heroku account of the token, recorded on every run and answer; a
/// live run that cannot tell stops here, before anything is sent. Alone, or rehearsing (the
/// simulator's account is nobody's), the local login says, and no request is spent on it.
fn operator(
    runtime: &tokio::runtime::Runtime,
    client: &Client,
    live: bool,
) -> Result<Option<String>, Failure> {
    match runtime.block_on(crate::heroku::account::email(client)) {
        Ok(email) => Ok(Some(email)),
        Err(_) if !live => Ok(None),
        Err(error) => Err(Failure::Access {
            message: format!(
                "team mode records who runs each run, and GET /account failed: {error}: nothing was sent"
            ),
            hint: error.hint(),
        }),
    }
}

/// The apps whose writes wait for a second operator: the checkout's and the team policy's. A
/// rehearsal rehearses without, and a dry-run says a live run would wait; a live run on one of
/// them outside team mode is refused here, before anything is sent.
fn approval_apps(
    context: &Context<'_>,
    team: bool,
    policy: &TeamPolicy,
    notices: &mut Vec<String>,
) -> Result<BTreeSet<AppName>, Failure> {
    let mut apps = context.library.environments.approval_apps();
    apps.extend(policy.approvals.iter().cloned());
    let targeted = context.target.filter(|target| apps.contains(&target.app));
    if context.rehearsal {
        return Ok(BTreeSet::new());
    }
    if context.run.mode == Mode::DryRun {
        if let Some(target) = targeted {
            notices.push(format!(
                "a live run would wait for a second operator's approval of its plan before writing to {}",
                target.app
            ));
        }
        return Ok(BTreeSet::new());
    }
    if let Some(target) = targeted
        && !team
    {
        return Err(Failure::Refused {
            message: format!(
                "`{}` needs a second operator's approval (`approvals:` in environments.yaml, or the team's policy), and this run is not in team mode: nothing was sent",
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

//! The composition root of a run: everything between a validated runbook and its first step is
//! built here, once, and handed to the executor: the runtime, the journal, the simulator of a
//! rehearsal, the API client, the gate, the effects chokepoint and the reporter.

use std::sync::Arc;

use serde_json::Value;

use super::params::params_for;
use super::resume::{self, ResumeRequest, Resumption};
use super::started::{Started, content_hash, run_started};
use super::target::{check_policy, choose_target, destination};
use super::{notification, team_run};
use crate::commands::failure::Failure;
use crate::commands::local_journal::UNWRITABLE_HINT;
use crate::effects::Effects;
use crate::exec::{ConfirmPolicy, Gate, Reporter, Run, RunCounts, RunEnd, Target, WriteGuard};
use crate::heroku::{Access, ApiError, Client};
use crate::interrupt::Interrupt;
use crate::journal::Event;
use crate::journal::{Journal, RunId};
use crate::output::Printer;
use crate::runbook::{Environment, REHEARSAL};
use crate::runbook::{Library, Runbook};
use crate::settings::{Mode, RunSettings, Settings, Target as Destination, UnderTest};
use crate::sim::{self, Scenario, SimOptions, Simulator};

pub use crate::sim::SCENARIOS_FOLDER;

/// The token the in-process simulator is called with: it is not a secret.
const SIM_TOKEN: &str = "simulator";

/// What a run is made of before it starts.
pub struct Launch<'a> {
    pub settings: &'a Settings,
    pub library: &'a Library,
    pub runbook: Runbook,
    pub environment: Option<Environment>,
    pub run: &'a RunSettings,
}

/// Builds the run and runs it; every refusal here happens before anything is sent.
pub fn launch(mut launch: Launch<'_>) -> Result<RunEnd, Failure> {
    let printer = &launch.settings.printer;
    let under_test = prepare_under_test(printer, launch.run);
    let target = choose_target(&launch.runbook, launch.environment.take())?;
    check_policy(launch.run, target.as_ref())?;
    mask_machine_secrets(printer, launch.run, launch.library);
    let journal = open_journal(launch.settings)?;
    let runtime = crate::commands::runtime()?;
    let simulator = start_simulator(&runtime, &launch, target.as_ref())?;
    let client = client(launch.run, simulator.as_ref())?;
    let interrupt = listen(printer, launch.library, &runtime);
    let resumption = resumption(&journal, &launch, target.as_ref(), &client)?;
    let params = params_for(printer, &launch.runbook, launch.run, resumption.as_ref())?;
    let names = scope_names(target.as_ref(), &params, simulator.is_some());
    needs_of_this_machine(&launch.runbook, &names, resumption.is_some(), &interrupt)?;
    let (team, journal) = team_setup(&launch, &simulator, &target, &runtime, &client, journal)?;
    let reporter = new_reporter(printer, journal);
    let (gate, effects, team_gate) =
        guarded_effects(&launch, &team, target.as_ref(), client, &params, &reporter, &interrupt);
    let begun = Beginning {
        params: &params,
        resumption: resumption.as_ref(),
        world: simulator.as_ref().and_then(|sim| sim.carried.clone()),
    };
    start(&launch, target.as_ref(), &effects, &begun, &reporter, &team)?;
    let run = Run {
        runbook: launch.runbook,
        target,
        effects,
        reporter: Arc::clone(&reporter),
        gate,
        budget: Arc::default(),
        handle: runtime.handle().clone(),
        interrupt,
        resume: resumption.map(|resumption| resumption.plan),
        terminal_kind: launch.run.terminal_kind.clone(),
        panic_at_step: launch.run.panic_at_step.clone(),
        rehearsal: simulator.is_some(),
        team: team_gate.clone(),
        no_rollback: launch.run.no_rollback,
        counts: RunCounts::default(),
    };
    let end = crate::exec::execute(run, simulator.as_ref().map(report_simulator), &names);
    let ended = Ended {
        reporter: &reporter,
        team_gate: team_gate.as_deref(),
        runtime: &runtime,
        simulator: simulator.as_ref(),
    };
    ended.close(launch.settings, under_test);
    Ok(end)
}

/// The run's reporter, with a new run id, writing to `journal`.
fn new_reporter(printer: &Arc<Printer>, journal: Journal) -> Arc<Reporter> {
    Arc::new(Reporter::new(Arc::clone(printer), Some(journal), RunId::new()))
}

/// What is left to close once the run ended.
struct Ended<'a> {
    reporter: &'a Reporter,
    team_gate: Option<&'a crate::exec::TeamGate>,
    runtime: &'a tokio::runtime::Runtime,
    simulator: Option<&'a Simulator>,
}

impl Ended<'_> {
    /// Background reports flushed, the team's locks released, a rehearsal's world kept.
    fn close(&self, settings: &Settings, under_test: Option<&UnderTest>) {
        self.reporter.finish_background();
        if let Some(team_gate) = self.team_gate {
            self.runtime.block_on(team_gate.release());
        }
        if let Some(simulator) = self.simulator {
            keep_world(settings, simulator, under_test);
        }
    }
}

/// Under `runbook test`, the clock is simulated and the questions answered by the test, from
/// before anything runs.
fn prepare_under_test<'a>(printer: &Printer, run: &'a RunSettings) -> Option<&'a UnderTest> {
    let under_test = under_test(run)?;
    crate::clock::simulate();
    printer.script_answers(&under_test.answers);
    Some(under_test)
}

/// The rehearsal's world, kept for the next `--sim` run and, under test, written for the test.
fn keep_world(settings: &Settings, simulator: &Simulator, under_test: Option<&UnderTest>) {
    save_world(settings, simulator);
    if let Some(under_test) = under_test {
        write_test_world(&settings.printer, simulator, &under_test.world_file);
    }
}

/// `runbook test`'s part of a rehearsal, which only a simulator target carries.
fn under_test(run: &RunSettings) -> Option<&UnderTest> {
    match &run.target {
        Destination::Sim { under_test, .. } => under_test.as_ref(),
        Destination::Heroku { .. } => None,
    }
}

/// The world as the rehearsal leaves it, for `runbook test` to check.
fn write_test_world(printer: &Printer, simulator: &Simulator, file: &std::path::Path) {
    let mut world = simulator.summary();
    world["unused_answers"] = serde_json::json!(printer.unused_answers());
    if let Err(error) = std::fs::write(file, world.to_string()) {
        printer.warning(&format!("cannot write the world to {}: {error}", file.display()), None);
    }
}

/// The team part of the run, decided before anything is sent.
fn team_setup(
    launch: &Launch<'_>,
    simulator: &Option<Simulator>,
    target: &Option<Target>,
    runtime: &tokio::runtime::Runtime,
    client: &Client,
    journal: Journal,
) -> Result<(team_run::TeamSetup, Journal), Failure> {
    let context = team_run::Context {
        settings: launch.settings,
        run: launch.run,
        library: launch.library,
        rehearsal: simulator.is_some(),
        target: target.as_ref(),
        runtime,
        client,
    };
    team_run::setup(&context, journal)
}

/// The gate, and the effects chokepoint that asks it (and the team, in team mode) before each
/// write leaves.
fn guarded_effects(
    launch: &Launch<'_>,
    team: &team_run::TeamSetup,
    target: Option<&Target>,
    client: Client,
    params: &[(String, Value)],
    reporter: &Arc<Reporter>,
    interrupt: &Interrupt,
) -> (Arc<Gate>, Effects, Option<Arc<crate::exec::TeamGate>>) {
    let mut protected = launch.library.environments.protected_apps();
    protected.extend(team.protected_apps.iter().cloned());
    let gate = Arc::new(gate(launch.run, protected, reporter, interrupt));
    let team_gate = team.gate(team_run::GateContext {
        settings: launch.settings,
        run: launch.run,
        runbook: &launch.runbook,
        target,
        api_url: client.base_url(),
        params,
        reporter,
        interrupt,
    });
    let guard = WriteGuard::new(
        Arc::clone(&gate),
        Arc::clone(reporter),
        team_gate.clone(),
        team.approval_apps.clone(),
    );
    (gate, effects(launch.run, client, guard), team_gate)
}

/// Ctrl-C listened for from now on; app and environment names marked public for masking.
fn listen(
    printer: &Arc<Printer>,
    library: &Library,
    runtime: &tokio::runtime::Runtime,
) -> Interrupt {
    let interrupt = Interrupt::listen(runtime.handle());
    printer.watch_interrupt(interrupt.clone());
    mark_public(printer, library);
    interrupt
}

/// App and environment names are public: masking never hides them.
fn mark_public(printer: &Printer, library: &Library) {
    for environment in &library.environments.entries {
        printer.redactor().add_public(environment.app.as_str());
        printer.redactor().add_public(&environment.name.value);
    }
}

/// The secrets of this machine are masked in every run, a rehearsal or a dry-run too: a
/// command of the run (`sh:`) can print them whatever the run's target. The operator's API
/// token, and the webhook URL of every environment that notifies (the database URL is masked
/// when the settings are read).
fn mask_machine_secrets(printer: &Printer, run: &RunSettings, library: &Library) {
    if let Some(token) = &run.token {
        printer.redactor().add(secrecy::ExposeSecret::expose_secret(token));
    }
    for environment in &library.environments.entries {
        if let Some(url) = environment.notify_slack.as_deref().and_then(crate::settings::variable) {
            printer.redactor().add(&url);
        }
    }
}

/// What the run starts with: its params, the run it resumes, and a rehearsal's carried world.
struct Beginning<'a> {
    params: &'a [(String, Value)],
    resumption: Option<&'a Resumption>,
    world: Option<String>,
}

/// Records the start of the run (a journal that cannot be written stops it here), with its
/// notifier told first.
fn start(
    launch: &Launch<'_>,
    target: Option<&Target>,
    effects: &Effects,
    beginning: &Beginning<'_>,
    reporter: &Arc<Reporter>,
    team: &team_run::TeamSetup,
) -> Result<(), Failure> {
    let Beginning { params, resumption, world } = beginning;
    let mut protected_apps = launch.library.environments.protected_apps();
    protected_apps.extend(team.protected_apps.iter().cloned());
    let started = run_started(&Started {
        operator: team.operator.clone(),
        team: team.team.is_some(),
        protected_apps: &protected_apps,
        settings: launch.settings,
        runbook: &launch.runbook,
        target,
        run: launch.run,
        api_url: effects.reader().base_url(),
        params,
        run_id: reporter.run_id(),
        resumes: resumption.map(|resumption| resumption.plan.run_id.clone()),
        world: world.clone(),
    });
    let notification =
        notification::prepare(launch.settings, launch.run, launch.library, target, reporter);
    reporter.start(&started).map_err(|error| Failure::usage(error, UNWRITABLE_HINT))?;
    notification::report(&notification, reporter);
    for notice in &team.notices {
        reporter.emit(&Event::Team { message: notice.clone() });
    }
    Ok(())
}

fn gate(
    run: &RunSettings,
    protected: std::collections::BTreeSet<crate::identifiers::AppName>,
    reporter: &Arc<Reporter>,
    interrupt: &Interrupt,
) -> Gate {
    let policy = ConfirmPolicy {
        yes: run.confirmations.yes,
        confirm_app: run.confirmations.confirm_app.clone(),
        interactive: run.interactive,
        step: run.confirmations.step,
    };
    Gate::new(policy, Arc::clone(reporter), protected, run.mode == Mode::DryRun, interrupt.clone())
}

/// The chokepoint: writes sent through the gate (and the team's locks and approvals) and the
/// journal, or only planned in a dry-run.
fn effects(run: &RunSettings, client: Client, guard: WriteGuard) -> Effects {
    let guard = Arc::new(guard);
    match run.mode {
        Mode::Live => Effects::live(client, guard),
        Mode::DryRun => Effects::dry_run(client, guard),
    }
}

/// What the rehearsal's simulator received, reported at the end of the run.
fn report_simulator(simulator: &Simulator) -> crate::exec::BeforeSummary {
    let simulator = simulator.request_log();
    Box::new(move |reporter: &Reporter| {
        let requests = simulator
            .requests()
            .iter()
            .map(|request| serde_json::to_value(request).unwrap_or_default())
            .collect();
        reporter.emit(&Event::SimulatorRequests { requests });
    })
}

/// The earlier run `--resume` names, checked against this one.
fn resumption(
    journal: &Journal,
    launch: &Launch<'_>,
    target: Option<&Target>,
    client: &Client,
) -> Result<Option<Resumption>, Failure> {
    let (runbook, run) = (&launch.runbook, launch.run);
    let Some(run_id) = &run.resume else {
        return Ok(None);
    };
    let request = ResumeRequest {
        run_id,
        runbook,
        environment: target.map(|target| target.name.as_str()),
        dry_run: run.mode == Mode::DryRun,
        target: destination(run),
        api_url: client.base_url(),
        force: run.force,
        content_hash: &content_hash(runbook),
    };
    resume::plan_for(journal, &request).map(Some)
}

fn open_journal(settings: &Settings) -> Result<Journal, Failure> {
    let folder = settings.state_folder.as_ref().ok_or_else(|| {
        Failure::usage(
            "no folder for the journal: HOME is not set",
            "set RUNBOOK_STATE_DIR or XDG_STATE_HOME",
        )
    })?;
    Journal::open(folder, Arc::clone(settings.printer.redactor()))
        .map_err(|error| Failure::usage(error, UNWRITABLE_HINT))
}

/// A rehearsal's simulator, going on from the world the last one left; its scenario is set up on
/// the rehearsed app (`target`) unless it names its apps.
fn start_simulator(
    runtime: &tokio::runtime::Runtime,
    launch: &Launch<'_>,
    target: Option<&Target>,
) -> Result<Option<Simulator>, Failure> {
    let (settings, run, library) = (launch.settings, launch.run, launch.library);
    let rehearsed_app = target.map(|target| target.app.to_string());
    let Destination::Sim { boot_delay, scenario, .. } = &run.target else {
        return Ok(None);
    };
    let apps: Vec<String> =
        library.environments.entries.iter().map(|entry| entry.app.to_string()).collect();
    let mut options = SimOptions::rehearsal(*boot_delay);
    options.scenario_apps = rehearsed_app.into_iter().collect();
    if let Some(wanted) = scenario {
        let scenario = Scenario::load(wanted, &library.directory.join(SCENARIOS_FOLDER)).map_err(
            |message| Failure::usage(message, "scenarios live in runbooks/scenarios/NAME.yaml"),
        )?;
        options.scenario = Some(scenario);
    }
    let saved = settings
        .state_folder
        .as_ref()
        .and_then(|folder| std::fs::read_to_string(folder.join(sim::WORLD_FILE)).ok());
    runtime.block_on(sim::start_from(saved.as_deref(), &apps, options, 0)).map(Some).map_err(
        |error| Failure::Access {
            message: format!("cannot start the simulator: {error}"),
            hint: None,
        },
    )
}

/// Keeps the rehearsal's world for the next `--sim` run (written whole, then renamed into place);
/// a rehearsal that cannot save it says so and goes on.
fn save_world(settings: &Settings, simulator: &Simulator) {
    let Some(folder) = &settings.state_folder else {
        return;
    };
    let path = folder.join(sim::WORLD_FILE);
    let partial = folder.join(format!("{}.partial", sim::WORLD_FILE));
    let written = std::fs::create_dir_all(folder)
        .and_then(|()| std::fs::write(&partial, simulator.saved()))
        .and_then(|()| std::fs::rename(&partial, &path));
    if let Err(error) = written {
        settings.printer.warning(
            &format!("cannot keep the rehearsal's state in {}: {error}", path.display()),
            Some("the next --sim run starts from a fresh simulator"),
        );
    }
}

/// The API client of the run: read-only in a dry-run, the simulator's in a rehearsal.
fn client(run: &RunSettings, simulator: Option<&Simulator>) -> Result<Client, Failure> {
    let (api_url, token) = match (simulator, &run.target) {
        (Some(simulator), _) => {
            (simulator.url.clone(), Some(secrecy::SecretString::from(SIM_TOKEN)))
        }
        (None, Destination::Heroku { api_url }) => (api_url.clone(), run.token.clone()),
        (None, Destination::Sim { .. }) => {
            unreachable!("a simulator target always has a simulator")
        }
    };
    let Some(token) = token else {
        let error = ApiError::NoCredentials;
        return Err(Failure::Access { message: error.to_string(), hint: error.hint() });
    };
    let access = match run.mode {
        Mode::DryRun => Access::ReadOnly,
        Mode::Live => Access::ReadWrite,
    };
    Client::new(&api_url, Some(token), access, run.http_timeout)
        .map_err(|error| Failure::Access { message: error.to_string(), hint: None })
}

/// What the run needs of this machine (a deploy's git checkout), there before its first step: a
/// run from the wrong folder stops here. A resumed run's steps ask when they run, since the steps
/// it skips may be the ones that needed it.
fn needs_of_this_machine(
    runbook: &Runbook,
    names: &[(String, Value)],
    resuming: bool,
    interrupt: &Interrupt,
) -> Result<(), Failure> {
    if resuming {
        return Ok(());
    }
    crate::exec::check_this_machine(runbook, names, interrupt.clone()).map_err(|not_from_here| {
        let is_param = |name: &str| runbook.params.iter().any(|param| param.name.value == name);
        let hint = match not_from_here.error.as_ref() {
            crate::ops::OperationError::Git(git) => git.hint_for(&is_param),
            other => other.hint(),
        };
        Failure::Usage {
            message: format!(
                "{} cannot run, so nothing was started: {}",
                not_from_here.step, not_from_here.error
            ),
            hint,
        }
    })
}

/// Names in scope for expressions: `app`, `env`, and every param.
fn scope_names(
    target: Option<&Target>,
    params: &[(String, Value)],
    rehearsal: bool,
) -> Vec<(String, Value)> {
    let mut names = vec![(REHEARSAL.to_string(), Value::Bool(rehearsal))];
    if let Some(target) = target {
        names.push(("app".to_string(), Value::String(target.app.to_string())));
        names.push(("env".to_string(), Value::String(target.name.clone())));
    }
    names.extend(params.iter().cloned());
    names
}

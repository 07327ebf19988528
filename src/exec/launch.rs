//! Everything between a validated runbook and its first step: target, params, policy checks,
//! the simulator, the effects chokepoint with the run's gate, the journal; then the run itself.

use std::sync::Arc;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::gate::wrong_confirm;
use super::reporter::Reporter;
use super::resume::{self, ResumeRequest, Resumption};
use super::run::Target;
use super::write_guard::WriteGuard;
use super::{Gate, Run, RunEnd, evaluate::Evaluator, params, script, steps};
use crate::effects::Effects;
use crate::error::Failure;
use crate::heroku::{Access, ApiError, Client, credentials};
use crate::interrupt::Interrupt;
use crate::journal::{Journal, location, record};
use crate::output::{Event, Printer};
use crate::runbook::environments::Environment;
use crate::runbook::model::Body;
use crate::runbook::{Library, Runbook};
use crate::settings::{Mode, RunSettings, Target as Destination};
use crate::sim::Scenario;
use crate::sim::{self, SimOptions, Simulator};

/// Where the shipped incident scenarios live, inside the runbooks folder.
pub const SCENARIOS_FOLDER: &str = "scenarios";

/// The token the in-process simulator is called with: it is not a secret.
const SIM_TOKEN: &str = "simulator";

/// Prepares and runs `runbook`; every refusal here happens before anything is sent.
pub fn launch(
    printer: &Arc<Printer>,
    library: &Library,
    runbook: Runbook,
    environment: Option<Environment>,
    settings: &RunSettings,
) -> Result<RunEnd, Failure> {
    let target = choose_target(&runbook, environment)?;
    check_policy(settings, target.as_ref())?;
    let journal = open_journal(printer)?;
    let runtime = super::super::commands::runtime()?;
    let simulator = start_simulator(&runtime, settings, library)?;
    let client = client(printer, settings, simulator.as_ref())?;
    let interrupt = Interrupt::listen(runtime.handle());
    printer.watch_interrupt(interrupt.clone());
    for environment in &library.environments.entries {
        printer.redactor().add_public(environment.app.as_str());
        printer.redactor().add_public(&environment.name.value);
    }
    let resumption = resumption(&journal, &runbook, target.as_ref(), settings, &client)?;
    let params = params_for(printer, &runbook, settings, resumption.as_ref())?;
    let reporter = Arc::new(Reporter::new(
        Arc::clone(printer),
        Some(journal),
        record::new_run_id(),
    ));
    let dry_run = settings.mode == Mode::DryRun;
    let gate = Arc::new(Gate::new(
        settings.policy.clone(),
        Arc::clone(&reporter),
        library.environments.protected_apps(),
        dry_run,
        interrupt.clone(),
    ));
    let guard = Arc::new(WriteGuard::new(Arc::clone(&gate), Arc::clone(&reporter)));
    let effects = match settings.mode {
        Mode::Live => Effects::live(client, guard),
        Mode::DryRun => Effects::dry_run(client, guard),
    };
    let resumes = resumption
        .as_ref()
        .map(|resumption| resumption.plan.run_id.clone());
    let started = run_started(
        &runbook,
        target.as_ref(),
        settings,
        &effects,
        &params,
        reporter.run_id(),
        resumes,
    );
    reporter.start(&started).map_err(|error| {
        Failure::usage(
            error.to_string(),
            "set RUNBOOK_STATE_DIR to a folder you can write",
        )
    })?;
    let names = scope_names(target.as_ref(), &params);
    let mut run = Run::new(
        runbook,
        target,
        effects,
        Arc::clone(&reporter),
        gate,
        runtime.handle().clone(),
        interrupt,
    );
    run.resume = resumption.map(|resumption| resumption.plan);
    let run = Arc::new(run);
    let end = execute(&run, &names);
    run.finish(&end);
    if let Some(simulator) = &simulator {
        let requests = simulator
            .requests()
            .iter()
            .map(|request| serde_json::to_value(request).unwrap_or_default())
            .collect();
        reporter.emit(&Event::SimulatorRequests { requests });
    }
    Ok(end)
}

/// The earlier run `--resume` names, checked against this one.
fn resumption(
    journal: &Journal,
    runbook: &Runbook,
    target: Option<&Target>,
    settings: &RunSettings,
    client: &Client,
) -> Result<Option<Resumption>, Failure> {
    let Some(run_id) = &settings.resume else {
        return Ok(None);
    };
    let request = ResumeRequest {
        run_id,
        runbook,
        environment: target.map(|target| target.name.as_str()),
        dry_run: settings.mode == Mode::DryRun,
        target: destination_name(settings),
        api_url: client.base_url(),
        force: settings.force,
        content_hash: &content_hash(runbook),
    };
    resume::plan_for(journal, &request).map(Some)
}

/// The params of this run: those given, over those of the run it resumes (secrets never come
/// from the journal: they are given again, or asked for on a terminal).
fn params_for(
    printer: &Printer,
    runbook: &Runbook,
    settings: &RunSettings,
    resumption: Option<&Resumption>,
) -> Result<Vec<(String, Value)>, Failure> {
    let mut given = resumption.map_or_else(Vec::new, |resumption| resumption.params.clone());
    given.extend(settings.params.iter().cloned());
    let interactive = settings.policy.interactive;
    if let Some(resumption) = resumption {
        for secret in &resumption.secrets {
            let named = |entry: &String| {
                entry
                    .split_once('=')
                    .is_some_and(|(name, _)| name == secret)
            };
            if settings.params.iter().any(named) {
                continue;
            }
            if !interactive {
                return Err(Failure::usage(
                    format!(
                        "param `{secret}` is secret: the journal keeps only its mask, so --resume needs it again"
                    ),
                    format!("pass it again with `-p {secret}=VALUE`"),
                ));
            }
            let param = runbook
                .params
                .iter()
                .find(|param| &param.name.value == secret)
                .expect("a secret the runbook declares");
            let value = printer
                .ask_param(&param.name.value, &param.doc, &param.choices, true)
                .map_err(|error| Failure::usage(error.to_string(), "pass it with -p"))?;
            printer.redactor().add(&value);
            given.push(format!("{secret}={value}"));
        }
    }
    resolve_params(printer, runbook, &given, interactive)
}

/// Typed param values; values of secret params are masked from here on.
fn resolve_params(
    printer: &Printer,
    runbook: &Runbook,
    given: &[String],
    interactive: bool,
) -> Result<Vec<(String, Value)>, Failure> {
    let asking = |param: &crate::runbook::model::Param| {
        let answer =
            printer.ask_param(&param.name.value, &param.doc, &param.choices, param.secret)?;
        if param.secret {
            printer.redactor().add(&answer);
        }
        Ok(answer)
    };
    let ask: params::Asker<'_> = if interactive { Some(&asking) } else { None };
    let params =
        params::resolve(&runbook.params, given, ask).map_err(|(message, hint)| Failure::Usage {
            message,
            hint: Some(hint),
        })?;
    for param in runbook.params.iter().filter(|param| param.secret) {
        if let Some((_, value)) = params.iter().find(|(name, _)| *name == param.name.value) {
            printer.redactor().add_strings_of(value);
        }
    }
    Ok(params)
}

fn execute(run: &Arc<Run>, names: &[(String, Value)]) -> RunEnd {
    match &run.runbook.body {
        Body::Steps(steps) => {
            let evaluator = Evaluator::new(
                run.engine(&run.runbook.folder()),
                names,
                run.interrupt.clone(),
                Arc::clone(&run.budget),
            );
            steps::run_steps(run, steps, &run.runbook.finally, &evaluator)
        }
        Body::Script(ast) => script::run_script(Arc::clone(run), &Arc::clone(ast), names),
    }
}

/// `RUNBOOK_HTTP_TIMEOUT`, or 60 seconds: how long one API request may take.
fn request_timeout() -> Result<std::time::Duration, Failure> {
    let Ok(text) = std::env::var(crate::heroku::client::TIMEOUT_VARIABLE) else {
        return Ok(crate::heroku::client::DEFAULT_TIMEOUT);
    };
    crate::duration::parse_duration(&text)
        .ok()
        .filter(|timeout| !timeout.is_zero())
        .ok_or_else(|| {
            Failure::usage(
                format!("RUNBOOK_HTTP_TIMEOUT=`{text}` is not a duration"),
                "write it like `30s` or `2m`",
            )
        })
}

fn open_journal(printer: &Arc<Printer>) -> Result<Journal, Failure> {
    let folder = location::state_folder().ok_or_else(|| {
        Failure::usage(
            "no folder for the journal: HOME is not set",
            "set RUNBOOK_STATE_DIR or XDG_STATE_HOME",
        )
    })?;
    Journal::open(&folder, Arc::clone(printer.redactor())).map_err(|error| {
        Failure::usage(
            error.to_string(),
            "set RUNBOOK_STATE_DIR to a folder you can write",
        )
    })
}

/// The environment a run targets: required when the runbook declares environments.
fn choose_target(
    runbook: &Runbook,
    chosen: Option<Environment>,
) -> Result<Option<Target>, Failure> {
    let declared: Vec<&str> = runbook
        .environments
        .iter()
        .map(|environment| environment.value.as_str())
        .collect();
    match chosen {
        None if declared.is_empty() => Ok(None),
        None => Err(Failure::usage(
            format!("`{}` runs against an environment", runbook.name),
            format!(
                "run one of: {}",
                declared
                    .iter()
                    .map(|name| format!("`{}-{name}`", runbook.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
        Some(environment) if declared.contains(&environment.name.value.as_str()) => {
            Ok(Some(Target {
                name: environment.name.value,
                app: environment.app,
                protected: environment.protected,
            }))
        }
        Some(environment) => Err(Failure::usage(
            format!(
                "`{}` does not run against `{}`",
                runbook.name, environment.name.value
            ),
            if declared.is_empty() {
                "it declares no environments".to_string()
            } else {
                format!("it runs against: {}", declared.join(", "))
            },
        )),
    }
}

/// Refusals that can be known before anything is sent.
fn check_policy(settings: &RunSettings, target: Option<&Target>) -> Result<(), Failure> {
    if let (Some(flag), Some(target)) = (&settings.policy.confirm_app, target)
        && flag != target.app.as_str()
    {
        let refusal = wrong_confirm(flag, target.app.as_str());
        return Err(Failure::Refused {
            message: refusal.message,
            hint: refusal.hint,
        });
    }
    if settings.policy.step && !settings.policy.interactive {
        return Err(Failure::usage(
            "--step needs a terminal to ask on",
            "drop --step, or run it on a terminal without --no-input and CI",
        ));
    }
    Ok(())
}

fn start_simulator(
    runtime: &tokio::runtime::Runtime,
    settings: &RunSettings,
    library: &Library,
) -> Result<Option<Simulator>, Failure> {
    let Destination::Sim {
        boot_delay,
        scenario,
    } = &settings.target
    else {
        return Ok(None);
    };
    let apps: Vec<String> = library
        .environments
        .entries
        .iter()
        .map(|entry| entry.app.to_string())
        .collect();
    let mut options = SimOptions::rehearsal(*boot_delay);
    if let Some(wanted) = scenario {
        let scenario = Scenario::load(wanted, &library.directory.join(SCENARIOS_FOLDER)).map_err(
            |message| Failure::usage(message, "scenarios live in runbooks/scenarios/NAME.yaml"),
        )?;
        options.scenario = Some(scenario);
    }
    runtime
        .block_on(sim::start(&apps, options, 0))
        .map(Some)
        .map_err(|error| Failure::Access {
            message: format!("cannot start the simulator: {error}"),
            hint: None,
        })
}

/// The API client of the run: read-only in a dry-run, the simulator's in a rehearsal.
fn client(
    printer: &Printer,
    settings: &RunSettings,
    simulator: Option<&Simulator>,
) -> Result<Client, Failure> {
    let (api_url, token) = match (simulator, &settings.target) {
        (Some(simulator), _) => (
            simulator.url.clone(),
            Some(secrecy::SecretString::from(SIM_TOKEN)),
        ),
        (None, Destination::Heroku { api_url }) => (api_url.clone(), credentials::find_token()),
        (None, Destination::Sim { .. }) => {
            unreachable!("a simulator target always has a simulator")
        }
    };
    let Some(token) = token else {
        let error = ApiError::NoCredentials;
        return Err(Failure::Access {
            message: error.to_string(),
            hint: error.hint(),
        });
    };
    if simulator.is_none() {
        printer
            .redactor()
            .add(secrecy::ExposeSecret::expose_secret(&token));
    }
    let access = if settings.mode == Mode::DryRun {
        Access::ReadOnly
    } else {
        Access::ReadWrite
    };
    Client::new(&api_url, Some(token), access, request_timeout()?).map_err(|error| {
        Failure::Access {
            message: error.to_string(),
            hint: None,
        }
    })
}

/// Names in scope for expressions: `app`, `env`, and every param.
fn scope_names(target: Option<&Target>, params: &[(String, Value)]) -> Vec<(String, Value)> {
    let mut names = Vec::new();
    if let Some(target) = target {
        names.push(("app".to_string(), Value::String(target.app.to_string())));
        names.push(("env".to_string(), Value::String(target.name.clone())));
    }
    names.extend(params.iter().cloned());
    names
}

fn destination_name(settings: &RunSettings) -> &'static str {
    if matches!(settings.target, Destination::Sim { .. }) {
        "sim"
    } else {
        "heroku"
    }
}

fn run_started(
    runbook: &Runbook,
    target: Option<&Target>,
    settings: &RunSettings,
    effects: &Effects,
    params: &[(String, Value)],
    run_id: &str,
    resumes: Option<String>,
) -> Event {
    Event::RunStarted {
        run_id: run_id.to_string(),
        runbook: runbook.name.clone(),
        environment: target.map(|target| target.name.clone()),
        app: target.map(|target| target.app.to_string()),
        protected: target.is_some_and(|target| target.protected),
        mode: if settings.mode == Mode::DryRun {
            "dry_run"
        } else {
            "live"
        },
        target: destination_name(settings),
        api_url: effects.reader().base_url().to_string(),
        params: Value::Object(params.iter().cloned().collect()),
        steps: match &runbook.body {
            Body::Steps(steps) => Some(steps.len()),
            Body::Script(_) => None,
        },
        user: operating_user(),
        content_hash: content_hash(runbook),
        resumes,
    }
}

/// The SHA-256 of the runbook's source, so that `--resume` can tell whether it changed.
pub fn content_hash(runbook: &Runbook) -> String {
    let digest = Sha256::digest(runbook.source.text.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn operating_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|variable| std::env::var(variable).ok().filter(|user| !user.is_empty()))
        .or_else(account_name)
        .unwrap_or_else(|| "unknown".to_string())
}

/// The login name of the account, as `id -un` prints it, when no variable says.
fn account_name() -> Option<String> {
    let output = std::process::Command::new("id").arg("-un").output().ok()?;
    let name = String::from_utf8(output.stdout).ok()?.trim().to_string();
    (output.status.success() && !name.is_empty()).then_some(name)
}

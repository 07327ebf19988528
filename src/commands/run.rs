//! `runbook run NAME`: validate, resolve the target, then execute live, dry or on the simulator.

use std::sync::Arc;

use serde_json::Value;

use crate::cli::RunArguments;
use crate::effects::{Effects, Recorder};
use crate::error::{Failure, exit};
use crate::exec::gate::wrong_confirm;
use crate::exec::{Gate, Run, RunEnd, evaluate::Evaluator, params, script, steps};
use crate::heroku::{Access, Client, credentials};
use crate::output::Event;
use crate::runbook::environments::Environment;
use crate::runbook::model::Body;
use crate::runbook::{Library, Runbook};
use crate::settings::{Mode, RunSettings, Settings, Target};
use crate::sim::{self, SimOptions, Simulator};

/// The token the in-process simulator is called with: it is not a secret.
const SIM_TOKEN: &str = "simulator";

pub fn run(settings: &Settings, arguments: &RunArguments) -> Result<(), Failure> {
    let run_settings = RunSettings::resolve(arguments, settings.interactive)
        .map_err(|error| Failure::usage(error, "see `runbook run --help`"))?;
    let library = Library::open(settings.directory.as_deref())?;
    let resolved = library.resolve(&run_settings.name, run_settings.environment.as_deref())?;
    let runbook = library.load(&resolved.file).map_err(Failure::Invalid)?;
    let target = choose_target(&runbook, resolved.environment)?;
    let params =
        params::resolve(&runbook.params, &run_settings.params).map_err(|(message, hint)| {
            Failure::Usage {
                message,
                hint: Some(hint),
            }
        })?;
    check_policy(&run_settings, target.as_ref())?;
    let runtime = super::runtime()?;
    let simulator = start_simulator(&runtime, &run_settings, &library)?;
    let effects = effects(&run_settings, simulator.as_ref())?;
    let names = scope_names(target.as_ref(), &params);
    let printer = Arc::clone(&settings.printer);
    printer.emit(&run_started(
        &runbook,
        target.as_ref(),
        &run_settings,
        &effects,
        &params,
    ));
    let gate = Gate::new(
        run_settings.policy.clone(),
        Arc::clone(&printer),
        target.clone(),
        run_settings.mode == Mode::DryRun,
    );
    let run = Arc::new(Run::new(
        runbook,
        target,
        effects,
        Arc::clone(&printer),
        gate,
        runtime.handle().clone(),
    ));
    let end = execute(&run, &names);
    run.finish(&end);
    if let Some(simulator) = &simulator {
        let requests = simulator
            .requests()
            .iter()
            .map(|request| serde_json::to_value(request).unwrap_or_default())
            .collect();
        printer.emit(&Event::SimulatorRequests { requests });
    }
    drop(simulator);
    match end {
        RunEnd::Succeeded => Ok(()),
        RunEnd::Failed {
            access_problem: true,
            ..
        } => Err(Failure::Reported(exit::UNREACHABLE)),
        RunEnd::Failed { .. } => Err(Failure::Reported(exit::STEP_FAILED)),
        RunEnd::NotConfirmed(_) | RunEnd::Aborted => Err(Failure::Reported(exit::NOT_CONFIRMED)),
    }
}

fn execute(run: &Arc<Run>, names: &[(String, Value)]) -> RunEnd {
    match &run.runbook.body {
        Body::Steps(steps) => {
            let evaluator = Evaluator::new(crate::script::engine::sandboxed(), names);
            steps::run_steps(run, steps, &evaluator)
        }
        Body::Script(ast) => script::run_script(Arc::clone(run), &Arc::clone(ast), names),
    }
}

/// The environment a run targets: required when the runbook declares environments.
fn choose_target(
    runbook: &Runbook,
    chosen: Option<Environment>,
) -> Result<Option<Environment>, Failure> {
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
            Ok(Some(environment))
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
fn check_policy(settings: &RunSettings, target: Option<&Environment>) -> Result<(), Failure> {
    if let (Some(flag), Some(target)) = (&settings.policy.confirm_app, target) {
        if *flag != target.app {
            let refusal = wrong_confirm(flag, &target.app);
            return Err(Failure::Refused {
                message: refusal.message,
                hint: refusal.hint,
            });
        }
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
    let Target::Sim { boot_delay } = settings.target else {
        return Ok(None);
    };
    let apps: Vec<String> = library
        .environments
        .entries
        .iter()
        .map(|entry| entry.app.clone())
        .collect();
    runtime
        .block_on(sim::start(
            &apps,
            SimOptions {
                boot_delay,
                api_key: None,
                page_size: sim::DEFAULT_PAGE_SIZE,
            },
            0,
        ))
        .map(Some)
        .map_err(|error| Failure::Access {
            message: format!("cannot start the simulator: {error}"),
            hint: None,
        })
}

fn effects(settings: &RunSettings, simulator: Option<&Simulator>) -> Result<Effects, Failure> {
    let (api_url, token) = match (simulator, &settings.target) {
        (Some(simulator), _) => (
            simulator.url.clone(),
            Some(secrecy::SecretString::from(SIM_TOKEN)),
        ),
        (None, Target::Heroku { api_url }) => (api_url.clone(), credentials::find_token()),
        (None, Target::Sim { .. }) => unreachable!("a simulator target always has a simulator"),
    };
    let Some(token) = token else {
        let error = crate::heroku::ApiError::NoCredentials;
        return Err(Failure::Access {
            message: error.to_string(),
            hint: error.hint(),
        });
    };
    let access = if settings.mode == Mode::DryRun {
        Access::ReadOnly
    } else {
        Access::ReadWrite
    };
    let client = Client::new(&api_url, Some(token), access).map_err(|error| Failure::Access {
        message: error.to_string(),
        hint: None,
    })?;
    Ok(match settings.mode {
        Mode::Live => Effects::Live(client),
        Mode::DryRun => Effects::DryRun {
            client,
            recorder: Arc::new(Recorder::default()),
        },
    })
}

/// Names in scope for expressions: `app`, `env`, and every param.
fn scope_names(target: Option<&Environment>, params: &[(String, Value)]) -> Vec<(String, Value)> {
    let mut names = Vec::new();
    if let Some(target) = target {
        names.push(("app".to_string(), Value::String(target.app.clone())));
        names.push(("env".to_string(), Value::String(target.name.value.clone())));
    }
    names.extend(params.iter().cloned());
    names
}

fn run_started(
    runbook: &Runbook,
    target: Option<&Environment>,
    settings: &RunSettings,
    effects: &Effects,
    params: &[(String, Value)],
) -> Event {
    Event::RunStarted {
        runbook: runbook.name.clone(),
        environment: target.map(|target| target.name.value.clone()),
        app: target.map(|target| target.app.clone()),
        protected: target.is_some_and(|target| target.protected),
        mode: if settings.mode == Mode::DryRun {
            "dry_run"
        } else {
            "live"
        },
        target: if matches!(settings.target, Target::Sim { .. }) {
            "sim"
        } else {
            "heroku"
        },
        api_url: effects.client().base_url().to_string(),
        params: Value::Object(params.iter().cloned().collect()),
        steps: match &runbook.body {
            Body::Steps(steps) => Some(steps.len()),
            Body::Script(_) => None,
        },
    }
}

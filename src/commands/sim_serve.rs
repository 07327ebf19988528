//! `runbook sim serve`: the simulator as a standalone server on 127.0.0.1.

use super::failure::Failure;
use super::run::SCENARIOS_FOLDER;
use crate::cli::SimServeArguments;
use crate::runbook::Library;
use crate::settings::Settings;
use crate::sim::Scenario;
use crate::sim::{self, SimOptions};

pub fn execute(settings: &Settings, arguments: &SimServeArguments) -> Result<(), Failure> {
    let mut options = options(arguments);
    options.scenario = scenario(settings, arguments.scenario.as_deref())?;
    let mut apps = seeded_apps(settings)?;
    apps.extend(arguments.app.iter().cloned());
    let runtime = super::runtime()?;
    runtime.block_on(serve(settings, apps, options, arguments.port))
}

fn options(arguments: &SimServeArguments) -> SimOptions {
    SimOptions {
        boot_delay: arguments.boot_delay,
        api_key: arguments.api_key.clone(),
        page_size: arguments.page_size as usize,
        latency: arguments.latency,
        faults: arguments.fault.clone(),
        synthetic_log_lines: arguments.synthetic_log_lines,
        scenario: None,
        scenario_apps: Vec::new(),
        git_root: Some(arguments.git_root.clone().unwrap_or_else(sim::default_git_root)),
        accounts: arguments.account.clone(),
        rate_limit: sim::RateLimit {
            capacity: arguments.rate_limit,
            per_minute: arguments.rate_refill,
        },
    }
}

/// Serves until Ctrl-C, after saying where and how to use it.
async fn serve(
    settings: &Settings,
    apps: Vec<String>,
    options: SimOptions,
    port: u16,
) -> Result<(), Failure> {
    let description = options.scenario.as_ref().map(|scenario| scenario.description.clone());
    let key = match (&options.api_key, options.accounts.first()) {
        (Some(_), _) => "<the --api-key>".to_string(),
        (None, Some((token, email))) => {
            format!("{token} (or another --account token; it is {email})")
        }
        (None, None) => "anything".to_string(),
    };
    let simulator = sim::start(&apps, options, port).await.map_err(|error| {
        Failure::usage(
            format!("cannot listen on 127.0.0.1:{port}: {error}"),
            "pick another --port, or --port 0 for a free one",
        )
    })?;
    let printer = &settings.printer;
    printer.out_line(&format!("simulator listening on {}", simulator.url));
    printer.out_line(&format!("apps: {}", apps.join(", ")));
    if let Some(description) = &description {
        printer.out_line(&format!("scenario: {description}"));
    }
    printer.out_line(&format!(
        "use it with: HEROKU_API_URL={} HEROKU_API_KEY={key} runbook run NAME",
        simulator.url
    ));
    printer.out_line("any client: docs/simulator.md (the Heroku CLI, heroku3, curl)");
    let _ = tokio::signal::ctrl_c().await;
    drop(simulator);
    Ok(())
}

/// The scenario `--scenario` names, from the runbooks folder's `scenarios/` or a file.
fn scenario(settings: &Settings, wanted: Option<&str>) -> Result<Option<Scenario>, Failure> {
    let Some(wanted) = wanted else {
        return Ok(None);
    };
    let folder = match Library::open(settings.directory.as_deref()) {
        Ok(library) => library.directory.join(SCENARIOS_FOLDER),
        Err(_) => std::path::PathBuf::from("."),
    };
    Scenario::load(wanted, &folder).map(Some).map_err(|message| {
        Failure::usage(message, "scenarios live in runbooks/scenarios/NAME.yaml")
    })
}

/// The apps of `environments.yaml`, or a demo app when there is no runbooks folder.
fn seeded_apps(settings: &Settings) -> Result<Vec<String>, Failure> {
    match Library::open(settings.directory.as_deref()) {
        Ok(library) => {
            Ok(library.environments.entries.iter().map(|entry| entry.app.to_string()).collect())
        }
        Err(crate::runbook::LibraryError::NotFound) => Ok(vec!["example-app".to_string()]),
        Err(error) => Err(error.into()),
    }
}

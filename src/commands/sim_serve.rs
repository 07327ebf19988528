//! `runbook sim serve`: the simulator as a standalone server on 127.0.0.1.

use std::time::Duration;

use super::failure::Failure;
use super::run::SCENARIOS_FOLDER;
use crate::cli::SimServeArguments;
use crate::duration::parse_duration;
use crate::runbook::Library;
use crate::settings::Settings;
use crate::sim::Fault;
use crate::sim::Scenario;
use crate::sim::{self, SimOptions};

pub fn execute(settings: &Settings, arguments: &SimServeArguments) -> Result<(), Failure> {
    let boot_delay: Duration = parse_duration(&arguments.boot_delay).map_err(|error| {
        Failure::usage(
            format!("--boot-delay: {error}"),
            "for example --boot-delay 3s",
        )
    })?;
    let latency = parse_duration(&arguments.latency).map_err(|error| {
        Failure::usage(format!("--latency: {error}"), "for example --latency 50ms")
    })?;
    let faults = arguments
        .fault
        .iter()
        .map(|text| Fault::parse(text))
        .collect::<Result<Vec<_>, String>>()
        .map_err(|error| {
            Failure::usage(
                format!("--fault: {error}"),
                "for example --fault \"GET /apps/my-app/dynos 503x2\"",
            )
        })?;
    let mut options = SimOptions {
        boot_delay,
        api_key: arguments.api_key.clone(),
        page_size: arguments.page_size.max(1),
        latency,
        faults,
        synthetic_log_lines: arguments.synthetic_log_lines,
        scenario: None,
        git_root: Some(
            arguments
                .git_root
                .clone()
                .unwrap_or_else(sim::default_git_root),
        ),
    };
    let port = arguments.port;
    options.scenario = scenario(settings, arguments.scenario.as_deref())?;
    let description = options
        .scenario
        .as_ref()
        .map(|scenario| scenario.description.clone());
    let mut apps = seeded_apps(settings)?;
    apps.extend(arguments.app.iter().cloned());
    let runtime = super::runtime()?;
    runtime.block_on(async {
        let simulator = sim::start(&apps, options, port).await.map_err(|error| {
            Failure::usage(
                format!("cannot listen on 127.0.0.1:{port}: {error}"),
                "pick another --port, or --port 0 for a free one",
            )
        })?;
        settings
            .printer
            .out_line(&format!("simulator listening on {}", simulator.url));
        settings
            .printer
            .out_line(&format!("apps: {}", apps.join(", ")));
        if let Some(description) = &description {
            settings
                .printer
                .out_line(&format!("scenario: {description}"));
        }
        settings.printer.out_line(&format!(
            "use it with: HEROKU_API_URL={} HEROKU_API_KEY=anything runbook run NAME",
            simulator.url
        ));
        let _ = tokio::signal::ctrl_c().await;
        drop(simulator);
        Ok(())
    })
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
    Scenario::load(wanted, &folder)
        .map(Some)
        .map_err(|message| {
            Failure::usage(message, "scenarios live in runbooks/scenarios/NAME.yaml")
        })
}

/// The apps of `environments.yaml`, or a demo app when there is no runbooks folder.
fn seeded_apps(settings: &Settings) -> Result<Vec<String>, Failure> {
    match Library::open(settings.directory.as_deref()) {
        Ok(library) => Ok(library
            .environments
            .entries
            .iter()
            .map(|entry| entry.app.to_string())
            .collect()),
        Err(crate::runbook::LibraryError::NotFound) => Ok(vec!["example-app".to_string()]),
        Err(error) => Err(error.into()),
    }
}

//! `runbook run NAME`: resolve and validate the runbook, then launch it live, dry or rehearsed.
//! `wiring` is the composition root: what the executor is handed is built there.

mod notification;
mod params;
mod resume;
mod shared_journal;
mod started;
mod target;
mod team_run;
mod wiring;

pub use wiring::SCENARIOS_FOLDER;

use super::failure::Failure;
use crate::cli::RunArguments;
use crate::exec::RunEnd;
use crate::exit;
use crate::runbook::Library;
use crate::settings::{RunSettings, Settings};

pub fn execute(settings: &Settings, arguments: &RunArguments) -> Result<(), Failure> {
    let run = RunSettings::resolve(arguments, settings.interactive)
        .map_err(|error| Failure::usage(error, "see `runbook run --help`"))?;
    let library = Library::open(settings.directory.as_deref())?;
    let resolved = library.resolve(&run.name, run.environment.as_deref())?;
    let runbook = library.load(&resolved.file).map_err(Failure::Invalid)?;
    let end = wiring::launch(wiring::Launch {
        settings,
        library: &library,
        runbook,
        environment: resolved.environment,
        run: &run,
    })?;
    match end {
        RunEnd::Succeeded => Ok(()),
        RunEnd::Failed { access_problem: true, .. } => Err(Failure::Reported(exit::UNREACHABLE)),
        RunEnd::Failed { .. } => Err(Failure::Reported(exit::STEP_FAILED)),
        RunEnd::NotConfirmed(refusal) => Err(Failure::Reported(refusal.exit_code())),
        RunEnd::Aborted => Err(Failure::Reported(exit::NOT_CONFIRMED)),
        RunEnd::Interrupted => Err(Failure::Reported(exit::INTERRUPTED)),
    }
}

//! `runbook run NAME`: resolve and validate the runbook, then launch it live, dry or rehearsed.

use crate::cli::RunArguments;
use crate::error::{Failure, exit};
use crate::exec::{RunEnd, launch};
use crate::runbook::Library;
use crate::settings::{RunSettings, Settings};

pub fn run(settings: &Settings, arguments: &RunArguments) -> Result<(), Failure> {
    let run_settings = RunSettings::resolve(arguments, settings.interactive)
        .map_err(|error| Failure::usage(error, "see `runbook run --help`"))?;
    let library = Library::open(settings.directory.as_deref())?;
    let resolved = library.resolve(&run_settings.name, run_settings.environment.as_deref())?;
    let runbook = library.load(&resolved.file).map_err(Failure::Invalid)?;
    let end = launch::launch(
        &settings.printer,
        &library,
        runbook,
        resolved.environment,
        &run_settings,
    )?;
    match end {
        RunEnd::Succeeded => Ok(()),
        RunEnd::Failed {
            access_problem: true,
            ..
        } => Err(Failure::Reported(exit::UNREACHABLE)),
        RunEnd::Failed { .. } => Err(Failure::Reported(exit::STEP_FAILED)),
        RunEnd::NotConfirmed(_) | RunEnd::Aborted => Err(Failure::Reported(exit::NOT_CONFIRMED)),
        RunEnd::Interrupted => Err(Failure::Reported(exit::INTERRUPTED)),
    }
}

//! `runbook show NAME`: params, steps, gates, and what a runbook touches.

use super::failure::Failure;
use crate::output::runbook_lines;
use crate::runbook::Library;
use crate::settings::Settings;

pub fn execute(settings: &Settings, name: &str, environment: Option<&str>) -> Result<(), Failure> {
    let library = Library::open(settings.directory.as_deref())?;
    let resolved = library.resolve(name, environment)?;
    let runbook = library.load(&resolved.file).map_err(Failure::Invalid)?;
    let chosen = resolved.environment.as_ref().map(|target| target.name.value.as_str());
    for line in runbook_lines(&runbook, &library.environments, chosen) {
        settings.printer.out_line(&line);
    }
    Ok(())
}

//! `runbook docs`: the operations guide, generated from the runbooks, on standard output.

use super::failure::Failure;
use crate::runbook::Library;
use crate::settings::Settings;

pub fn execute(settings: &Settings) -> Result<(), Failure> {
    let library = Library::open(settings.directory.as_deref())?;
    settings.printer.out_text(&crate::docs::render(&library));
    Ok(())
}

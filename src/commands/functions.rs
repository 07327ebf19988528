//! `runbook functions`: the reference of every operation usable in runbooks, in Markdown.

use super::failure::Failure;
use crate::settings::Settings;

pub fn execute(settings: &Settings) -> Result<(), Failure> {
    settings.printer.out_text(&crate::docs::render_functions());
    Ok(())
}

//! `runbook functions`: the reference of every operation usable in runbooks, in Markdown.

use crate::error::Failure;
use crate::settings::Settings;

pub fn functions(settings: &Settings) -> Result<(), Failure> {
    settings.printer.out_text(&crate::docs::functions::render());
    Ok(())
}

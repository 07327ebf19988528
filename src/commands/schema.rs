//! `runbook schema`: the JSON Schema of the YAML runbook format, for editors and CI.

use super::failure::Failure;
use crate::settings::Settings;

pub fn execute(settings: &Settings) -> Result<(), Failure> {
    let schema = crate::runbook::json_schema();
    let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    settings.printer.out_text(&format!("{text}\n"));
    Ok(())
}

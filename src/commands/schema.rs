//! `runbook schema`: the JSON Schema of the YAML runbook format (or, with `--tests`, of test
//! files), for editors and CI.

use super::failure::Failure;
use crate::settings::Settings;

pub fn execute(settings: &Settings, tests: bool) -> Result<(), Failure> {
    let schema = if tests { crate::testing::json_schema() } else { crate::runbook::json_schema() };
    let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    settings.printer.out_text(&format!("{text}\n"));
    Ok(())
}

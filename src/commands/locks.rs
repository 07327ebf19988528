//! `runbook locks`: which apps a run holds locked now, by whom, since when (team mode).

use super::failure::Failure;
use crate::output::OutputFormat;
use crate::settings::Settings;

pub fn execute(settings: &Settings) -> Result<(), Failure> {
    let team = super::team::required(settings, "locks")?;
    let holders = team.holders().map_err(|message| Failure::Access {
        message: format!("cannot read the locks: {message}"),
        hint: None,
    })?;
    let printer = &settings.printer;
    if printer.format() == OutputFormat::Json {
        for holder in &holders {
            printer.out_json(holder);
        }
        return Ok(());
    }
    if holders.is_empty() {
        printer.out_line("no app is locked");
        return Ok(());
    }
    let width = holders
        .iter()
        .map(|holder| holder.app.len())
        .max()
        .unwrap_or(0);
    for holder in &holders {
        printer.out_line(&format!(
            "{:<width$}  {}  {}  since {}  run {}  (beat {})",
            holder.app,
            holder.operator,
            holder.runbook,
            holder.since,
            holder.run_id,
            holder.heartbeat
        ));
    }
    Ok(())
}

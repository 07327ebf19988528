//! `runbook sim reset`: forget the world rehearsals carry over, so that the next `--sim` run
//! starts from the simulator's seed.

use super::failure::Failure;
use crate::settings::Settings;
use crate::sim::WORLD_FILE;

pub fn execute(settings: &Settings) -> Result<(), Failure> {
    let Some(folder) = &settings.state_folder else {
        return Err(Failure::usage(
            "no state folder: set RUNBOOK_STATE_DIR, XDG_STATE_HOME or HOME".to_string(),
            "rehearsals keep their state there",
        ));
    };
    let path = folder.join(WORLD_FILE);
    match std::fs::remove_file(&path) {
        Ok(()) => settings.printer.out_line(&format!(
            "forgot the rehearsals' state ({}): the next --sim run starts fresh",
            path.display()
        )),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => settings
            .printer
            .out_line("no rehearsal state to forget: the next --sim run starts fresh"),
        Err(error) => {
            return Err(Failure::usage(
                format!("cannot remove {}: {error}", path.display()),
                "remove it by hand",
            ));
        }
    }
    Ok(())
}

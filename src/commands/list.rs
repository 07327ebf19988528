//! `runbook list`: what can I run here?

use super::failure::Failure;
use crate::runbook::Library;
use crate::settings::Settings;

pub fn execute(settings: &Settings) -> Result<(), Failure> {
    let library = Library::open(settings.directory.as_deref())?;
    let printer = &settings.printer;
    for file in &library.files {
        match library.load(file) {
            Ok(runbook) => {
                printer.out_line(&format!(
                    "{:<24} {:<4}  {}",
                    runbook.name,
                    file.format.name(),
                    runbook.description
                ));
                for environment in &runbook.environments {
                    let Some(target) = library.environments.get(&environment.value) else {
                        continue;
                    };
                    let protection = if target.protected {
                        "  (protected)"
                    } else {
                        ""
                    };
                    printer.out_line(&format!(
                        "  {:<22} {}{protection}",
                        format!("{}-{}", runbook.name, target.name.value),
                        target.app
                    ));
                }
            }
            Err(problems) => printer.out_line(&format!(
                "{:<24} {:<4}  invalid: {} problem(s), see `runbook check {}`",
                file.name,
                file.format.name(),
                problems.len(),
                file.name
            )),
        }
    }
    Ok(())
}

//! `runbook check`: validate runbooks without touching the network.

use crate::error::{Failure, exit};
use crate::runbook::{Library, LibraryError};
use crate::settings::Settings;

pub fn check(settings: &Settings, names: &[String]) -> Result<(), Failure> {
    let library = Library::open(settings.directory.as_deref())?;
    let files = if names.is_empty() {
        library.files.clone()
    } else {
        names
            .iter()
            .map(|name| library.resolve(name, None).map(|resolved| resolved.file))
            .collect::<Result<Vec<_>, LibraryError>>()?
    };
    let printer = &settings.printer;
    let mut invalid = 0;
    for file in &files {
        match library.load(file) {
            Ok(_) => printer.out_line(&format!(
                "ok       {}",
                crate::runbook::source::display_path(&file.path)
            )),
            Err(problems) => {
                invalid += 1;
                printer.out_line(&format!(
                    "invalid  {}",
                    crate::runbook::source::display_path(&file.path)
                ));
                for problem in &problems {
                    printer.diagnostic(problem);
                }
            }
        }
    }
    printer.out_line(&format!(
        "{} runbook(s) checked, {invalid} invalid",
        files.len()
    ));
    if invalid > 0 {
        Err(Failure::Reported(exit::USAGE))
    } else {
        Ok(())
    }
}

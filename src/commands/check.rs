//! `runbook check`: validate runbooks without touching the network, with warnings for what would
//! run but probably should not be written so.

use super::failure::Failure;
use crate::exit;
use crate::journal::Event;
use crate::output::OutputFormat;
use crate::runbook::display_path;
use crate::runbook::{Library, LibraryError, RunbookFile};
use crate::settings::Settings;

pub fn execute(settings: &Settings, names: &[String], deny_warnings: bool) -> Result<(), Failure> {
    let library = Library::open(settings.directory.as_deref())?;
    let files = chosen(&library, names)?;
    let (mut invalid, mut warned) = (0, 0);
    if settings.database_url.is_none() {
        let problems = library.environments.approvals_without_team();
        if !problems.is_empty() {
            invalid += 1;
            for problem in &problems {
                settings.printer.diagnostic(problem);
            }
        }
    }
    for file in &files {
        if let Some(error) = library.shadowing_error(&file.name) {
            invalid += 1;
            let failure = Failure::from(error);
            settings
                .printer
                .error(&failure.to_string(), failure.hint().as_deref());
            continue;
        }
        let (errors, warnings) = match library.check(file) {
            Ok(warnings) => (Vec::new(), warnings),
            Err(errors) => (errors, Vec::new()),
        };
        invalid += usize::from(!errors.is_empty());
        warned += usize::from(!warnings.is_empty());
        report(settings, file, &errors, &warnings);
    }
    if settings.printer.format() == OutputFormat::Human {
        let summary = format!(
            "{} runbook(s) checked, {invalid} invalid, {warned} with warnings",
            files.len()
        );
        settings.printer.out_line(&summary);
        if deny_warnings && warned > 0 && invalid == 0 {
            settings.printer.error(
                &format!(
                    "{warned} runbook(s) with warnings, and --deny-warnings makes warnings fatal"
                ),
                Some("without --deny-warnings these runbooks are valid and may run"),
            );
        }
    }
    if invalid > 0 || (deny_warnings && warned > 0) {
        Err(Failure::Reported(exit::USAGE))
    } else {
        Ok(())
    }
}

fn chosen(library: &Library, names: &[String]) -> Result<Vec<RunbookFile>, LibraryError> {
    if names.is_empty() {
        return Ok(library.files.clone());
    }
    names
        .iter()
        .map(|name| library.resolve(name, None).map(|resolved| resolved.file))
        .collect()
}

fn report(
    settings: &Settings,
    file: &RunbookFile,
    errors: &[crate::runbook::Diagnostic],
    warnings: &[crate::runbook::Diagnostic],
) {
    let printer = &settings.printer;
    let status = match (errors.is_empty(), warnings.is_empty()) {
        (false, _) => "invalid",
        (true, false) => "warnings",
        (true, true) => "ok",
    };
    let checked = Event::Checked {
        file: display_path(&file.path),
        status: status.to_string(),
        errors: errors.len(),
        warnings: warnings.len(),
    };
    match printer.format() {
        OutputFormat::Json => printer.emit(&checked),
        OutputFormat::Human => {
            printer.out_line(&format!("{status:<8} {}", display_path(&file.path)))
        }
    }
    for problem in errors.iter().chain(warnings) {
        printer.diagnostic(problem);
    }
}

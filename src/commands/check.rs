//! `runbook check`: validate runbooks without touching the network, with warnings for what would
//! run but probably should not be written so.

use super::failure::Failure;
use crate::exit;
use crate::journal::Event;
use crate::output::OutputFormat;
use crate::runbook::display_path;
use crate::runbook::{Library, LibraryError, RunbookFile};
use crate::settings::Settings;

/// What `check` is asked beyond the runbooks' names.
pub struct CheckOptions {
    pub deny_warnings: bool,
    pub require_tests: bool,
}

pub fn execute(
    settings: &Settings,
    names: &[String],
    options: &CheckOptions,
) -> Result<(), Failure> {
    let deny_warnings = options.deny_warnings;
    let library = Library::open(settings.directory.as_deref())?;
    let files = chosen(&library, names)?;
    let tested = if names.is_empty() || options.require_tests {
        check_tests(settings, &library)
    } else {
        Tested::default()
    };
    let mut invalid = tested.invalid + approvals_without_team(settings, &library);
    let mut warned = 0;
    for file in &files {
        if let Some(error) = library.shadowing_error(&file.name) {
            invalid += 1;
            let failure = Failure::from(error);
            settings.printer.error(&failure.to_string(), failure.hint().as_deref());
            continue;
        }
        let (errors, warnings) = match library.check(file) {
            Ok(warnings) => (Vec::new(), warnings),
            Err(errors) => (errors, Vec::new()),
        };
        invalid += usize::from(!errors.is_empty());
        warned += usize::from(!warnings.is_empty());
        report(settings, file, &errors, &warnings);
        if options.require_tests && !tested.runbooks.contains(&file.name) {
            invalid += 1;
            untested(settings, file);
        }
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

/// `--require-tests`, and no test runs `file`.
fn untested(settings: &Settings, file: &RunbookFile) {
    settings.printer.error(
        &format!("no test runs `{}` (--require-tests)", file.name),
        Some(&format!(
            "add one to runbooks/tests/{}.yaml; `runbook new` writes a first test, docs/authoring.md says how",
            file.name
        )),
    );
}

/// The test files, checked as runbooks are: each reported, and the runbooks they test.
#[derive(Default)]
struct Tested {
    invalid: usize,
    runbooks: std::collections::BTreeSet<String>,
}

fn check_tests(settings: &Settings, library: &Library) -> Tested {
    let mut tested = Tested { invalid: 0, runbooks: std::collections::BTreeSet::new() };
    for path in crate::testing::test_files(library) {
        let (status, problems) = match crate::testing::load(library, &path) {
            Ok(cases) => {
                tested.runbooks.extend(cases.into_iter().map(|case| case.runbook_file));
                ("ok", Vec::new())
            }
            Err(problems) => ("invalid", problems),
        };
        tested.invalid += usize::from(!problems.is_empty());
        let checked = Event::Checked {
            file: display_path(&path),
            status: status.to_string(),
            errors: problems.len(),
            warnings: 0,
        };
        match settings.printer.format() {
            OutputFormat::Json => settings.printer.emit(&checked),
            OutputFormat::Human => {
                settings.printer.out_line(&format!("{status:<8} {}", display_path(&path)))
            }
        }
        for problem in &problems {
            settings.printer.diagnostic(problem);
        }
    }
    tested
}

/// Approvals asked of environments without a team database: one problem, said per environment.
fn approvals_without_team(settings: &Settings, library: &Library) -> usize {
    if settings.database_url.is_some() {
        return 0;
    }
    let problems = library.environments.approvals_without_team();
    for problem in &problems {
        settings.printer.diagnostic(problem);
    }
    usize::from(!problems.is_empty())
}

fn chosen(library: &Library, names: &[String]) -> Result<Vec<RunbookFile>, LibraryError> {
    if names.is_empty() {
        return Ok(library.files.clone());
    }
    names.iter().map(|name| library.resolve(name, None).map(|resolved| resolved.file)).collect()
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

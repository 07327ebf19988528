//! `runbook test [NAME...]`: validate every chosen test file whole, run the tests in parallel,
//! one line each and `N passed, N failed`; the differences of each failure side by side with the
//! journal of its run; `--junit FILE`, `--coverage`.

use super::failure::Failure;
use crate::cli::TestArguments;
use crate::exit;
use crate::runbook::{Diagnostic, Library, display_path, suggestion};
use crate::settings::Settings;
use crate::testing::{self, Reached, TestCase, TestResult};

pub fn execute(settings: &Settings, arguments: &TestArguments) -> Result<(), Failure> {
    let library = Library::open(settings.directory.as_deref())?;
    let all = load_all(settings, &library)?;
    let cases = chosen(&library, &all, &arguments.names)?;
    let everything = cases.len() == all.len();
    let jobs = arguments.jobs.map_or_else(default_jobs, |jobs| jobs as usize);
    let printer = &settings.printer;
    let started = std::time::Instant::now();
    let directory = std::path::absolute(&library.directory).unwrap_or(library.directory.clone());
    if let Some(file) = &arguments.junit {
        writable(file)?;
    }
    let runtime = super::runtime()?;
    let interrupt = crate::interrupt::Interrupt::listen(runtime.handle());
    let total = cases.len();
    let results =
        testing::run_all(&directory, cases, jobs, &|| interrupt.is_requested(), &|result| {
            printer.out_line(&result_line(result));
        });
    let failed: Vec<&TestResult> = results.iter().filter(|result| !result.passed()).collect();
    for result in &failed {
        printer.out_text(&failure_details(result));
    }
    if let Some(file) = &arguments.junit {
        write_junit(file, &results)?;
    }
    if arguments.coverage {
        let ran_all = everything && results.len() == all.len();
        show_coverage(settings, &library, &results, ran_all);
    }
    printer.out_line(&format!(
        "{} passed, {} failed ({:.2}s)",
        results.len() - failed.len(),
        failed.len(),
        started.elapsed().as_secs_f64()
    ));
    if interrupt.is_requested() {
        printer.error(
            &format!("interrupted: {} of {total} tests ran", results.len()),
            Some("the tests that ran are reported above; run `runbook test` again for the rest"),
        );
        return Err(Failure::Reported(exit::INTERRUPTED));
    }
    if failed.is_empty() { Ok(()) } else { Err(Failure::Reported(exit::STEP_FAILED)) }
}

/// Refuses, before any test runs, a `--junit` file that cannot be written.
fn writable(file: &std::path::Path) -> Result<(), Failure> {
    std::fs::write(file, "").map_err(|error| {
        Failure::usage(
            format!("cannot write {}: {error}", file.display()),
            "give --junit a file in a folder you can write",
        )
    })
}

/// Every test file of the library, loaded and checked whole: one invalid file runs nothing.
fn load_all(settings: &Settings, library: &Library) -> Result<Vec<TestCase>, Failure> {
    let mut cases = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    for file in testing::test_files(library) {
        match testing::load(library, &file) {
            Ok(loaded) => cases.extend(loaded),
            Err(found) => problems.extend(found),
        }
    }
    if problems.is_empty() {
        return Ok(cases);
    }
    for problem in &problems {
        settings.printer.diagnostic(problem);
    }
    Err(Failure::usage(
        format!("{} problem(s) in the tests; no test ran", problems.len()),
        "fix the tests, then `runbook test` again",
    ))
}

/// The tests `names` choose (a runbook's name, as `run` takes it or its file's, or a test
/// file's name); all without names.
fn chosen(
    library: &Library,
    cases: &[TestCase],
    names: &[String],
) -> Result<Vec<TestCase>, Failure> {
    let folder = library.directory.join(testing::TESTS_FOLDER);
    if cases.is_empty() {
        return Err(Failure::usage(
            format!("no tests in {}", display_path(&folder)),
            "`runbook new NAME` writes a runbook with its first test; docs/authoring.md says how to write one",
        ));
    }
    let mut picked = vec![names.is_empty(); cases.len()];
    for name in names {
        let matching: Vec<usize> = cases
            .iter()
            .enumerate()
            .filter(|(_, case)| [&case.file, &case.runbook, &case.runbook_file].contains(&name))
            .map(|(index, _)| index)
            .collect();
        if matching.is_empty() {
            let known: Vec<&str> = cases.iter().map(|case| case.file.as_str()).collect();
            return Err(Failure::usage(
                format!("no test of `{name}` in {}", display_path(&folder)),
                suggestion(name, &known, "name a runbook or a test file"),
            ));
        }
        for index in matching {
            picked[index] = true;
        }
    }
    Ok(cases
        .iter()
        .zip(picked)
        .filter(|(_, picked)| *picked)
        .map(|(case, _)| case.clone())
        .collect())
}

fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
}

fn result_line(result: &TestResult) -> String {
    let word = if result.passed() { "ok  " } else { "FAIL" };
    format!(
        "{word} {}: {} ({:.2}s)",
        result.case.file,
        crate::visible::visible(&result.case.name, crate::visible::Layout::Line),
        result.seconds
    )
}

/// The failure's differences, expected and actual side by side, and the run's journal.
fn failure_details(result: &TestResult) -> String {
    let mut text = format!(
        "\nFAIL {}: {}\n",
        result.case.file,
        crate::visible::visible(&result.case.name, crate::visible::Layout::Line)
    );
    if let Some(error) = &result.error {
        text.push_str(&format!("  {error}\n"));
    }
    for mismatch in &result.mismatches {
        text.push_str(&format!(
            "  {}\n    expected: {}\n    actual:   {}\n",
            mismatch.what, mismatch.expected, mismatch.actual
        ));
    }
    if !result.output_tail.is_empty() {
        text.push_str("  the run's last lines:\n");
        for line in &result.output_tail {
            text.push_str(&format!("  | {line}\n"));
        }
    }
    match &result.journal {
        Some(journal) => text.push_str(&format!("  journal: {}\n", journal.display())),
        None if !result.passed() => text.push_str("  journal: none (the run did not start)\n"),
        None => {}
    }
    text
}

fn write_junit(file: &std::path::Path, results: &[TestResult]) -> Result<(), Failure> {
    let cases: Vec<testing::JunitCase<'_>> = results
        .iter()
        .map(|result| testing::JunitCase {
            suite: &result.case.file,
            name: &result.case.name,
            seconds: result.seconds,
            failure: (!result.passed()).then(|| failure_details(result).trim().to_string()),
        })
        .collect();
    std::fs::write(file, testing::junit_document(&cases)).map_err(|error| {
        Failure::usage(
            format!("cannot write {}: {error}", file.display()),
            "give --junit a file in a folder you can write",
        )
    })
}

/// Coverage of the runbooks `results` ran; of every runbook when `everything` ran (a coverage
/// of some tests lists only their runbooks).
fn show_coverage(settings: &Settings, library: &Library, results: &[TestResult], everything: bool) {
    let mut reached = Reached::default();
    for result in results {
        let runbook = result.case.runbook_file.clone();
        *reached.tests.entry(runbook.clone()).or_default() += 1;
        reached.steps.entry(runbook).or_default().extend(result.reached.iter().cloned());
    }
    settings.printer.out_line("coverage:");
    for covered in testing::coverage(library, &reached)
        .into_iter()
        .filter(|covered| everything || covered.tests > 0)
    {
        settings.printer.out_line(&format!("  {}", covered.line()));
    }
}

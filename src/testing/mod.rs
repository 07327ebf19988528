//! `runbook test`: runbooks tested against incidents. Each test of `runbooks/tests/*.yaml` is a
//! real rehearsal of this binary in a world of its own, on a simulated clock, with scripted
//! answers; what it did is compared with what the test expects, and with what every run must
//! hold (the dry-run twin sends nothing, no write twice, no secret seen).

mod case;
mod coverage;
mod expect;
mod junit;
mod load;
mod outcome;
mod properties;
mod rehearse;
mod spec;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

pub use case::TestCase;
pub use coverage::{Reached, coverage};
pub use expect::Mismatch;
pub use junit::{JunitCase, document as junit_document};
pub use load::{TESTS_FOLDER, load, test_files};
pub use spec::json_schema;

/// A test's result.
pub struct TestResult {
    pub case: TestCase,
    pub mismatches: Vec<Mismatch>,
    /// Why the test could not run at all.
    pub error: Option<String>,
    pub seconds: f64,
    /// The journal of the failed run, kept for a look.
    pub journal: Option<PathBuf>,
    /// The steps the run started, by name.
    pub reached: Vec<String>,
    /// The last lines the failed run printed.
    pub output_tail: Vec<String>,
}

impl TestResult {
    pub fn passed(&self) -> bool {
        self.error.is_none() && self.mismatches.is_empty()
    }
}

/// Runs `cases`, `jobs` at a time; `finished` sees each result in the order of `cases`.
pub fn run_all(
    library: &Path,
    cases: Vec<TestCase>,
    jobs: usize,
    stop: &(dyn Fn() -> bool + Sync),
    finished: &(dyn Fn(&TestResult) + Sync),
) -> Vec<TestResult> {
    let total = cases.len();
    let slots: Vec<Mutex<Option<TestCase>>> =
        cases.into_iter().map(|case| Mutex::new(Some(case))).collect();
    let results: Mutex<Vec<Option<TestResult>>> = Mutex::new((0..total).map(|_| None).collect());
    let next = AtomicUsize::new(0);
    let shown = Mutex::new(0usize);
    let twins = Twins::default();
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, total.max(1)) {
            scope.spawn(|| {
                loop {
                    if stop() {
                        break;
                    }
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(slot) = slots.get(index) else { break };
                    let Some(case) = slot.lock().ok().and_then(|mut slot| slot.take()) else {
                        continue;
                    };
                    let result = run_one(library, case, index, &twins, stop);
                    let mut results =
                        results.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    results[index] = Some(result);
                    show_ready(&results, &shown, finished);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .into_iter()
        .flatten()
        .collect()
}

/// Shows every result whose predecessors are all shown.
fn show_ready(
    results: &[Option<TestResult>],
    shown: &Mutex<usize>,
    finished: &(dyn Fn(&TestResult) + Sync),
) {
    let mut shown = shown.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    while let Some(Some(result)) = results.get(*shown) {
        finished(result);
        *shown += 1;
    }
}

/// The dry-run twins' findings, by what makes two twins the same run (tests that differ only
/// in their answers or expectations share one: a dry-run asks nothing).
#[derive(Default)]
struct Twins(Mutex<HashMap<String, Arc<Twin>>>);

/// One dry-run twin's findings, once it ran (or why it could not).
type Twin = OnceLock<Result<Vec<Mismatch>, TwinNotRun>>;

/// Why a dry-run twin could not run, shared by the tests that share the twin.
#[derive(Debug, Clone, thiserror::Error)]
#[error("its dry-run twin could not run: {0}")]
struct TwinNotRun(Arc<std::io::Error>);

impl Twins {
    fn of(&self, case: &TestCase) -> Arc<Twin> {
        let mut twins = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(twins.entry(case.twin_key()).or_default())
    }
}

fn run_one(
    library: &Path,
    case: TestCase,
    index: usize,
    twins: &Twins,
    stop: &(dyn Fn() -> bool + Sync),
) -> TestResult {
    let started = std::time::Instant::now();
    let mut result = TestResult {
        case,
        mismatches: Vec::new(),
        error: None,
        seconds: 0.0,
        journal: None,
        reached: Vec::new(),
        output_tail: Vec::new(),
    };
    match rehearse::Workspace::create(&result.case, index) {
        Ok(workspace) => {
            if let Err(error) = check(library, &workspace, &mut result, twins, stop) {
                result.error = Some(format!("the rehearsal could not run: {error}"));
            }
            if result.passed() {
                workspace.remove();
            }
        }
        Err(error) => result.error = Some(format!("no folder for the test: {error}")),
    }
    result.seconds = started.elapsed().as_secs_f64();
    result
}

/// The run and, unless the test is a dry-run, its dry-run twin; every mismatch into `result`.
fn check(
    library: &Path,
    workspace: &rehearse::Workspace,
    result: &mut TestResult,
    twins: &Twins,
    stop: &(dyn Fn() -> bool + Sync),
) -> std::io::Result<()> {
    let case = &result.case;
    let run = rehearse::rehearse(case, library, workspace, case.dry_run, stop)?;
    let mut mismatches = expect::compare(&case.expect, &run);
    mismatches.extend(properties::of_run(case, &run));
    if case.dry_run {
        mismatches.extend(properties::of_dry_run(case, &run));
    } else {
        let twin = twins.of(case);
        let found = twin.get_or_init(|| {
            rehearse::rehearse(case, library, workspace, true, stop)
                .map(|dry| properties::of_dry_run(case, &dry))
                .map_err(|error| TwinNotRun(Arc::new(error)))
        });
        mismatches.extend(found.clone().map_err(std::io::Error::other)?);
    }
    result.reached = run
        .steps
        .iter()
        .filter(|step| step.status != "skipped")
        .map(|step| step.name.clone())
        .collect();
    if !mismatches.is_empty() {
        result.journal = Some(run.journal_path.clone()).filter(|path| path.exists());
        result.output_tail = last_lines(&run.output, OUTPUT_TAIL);
    }
    result.mismatches = mismatches;
    Ok(())
}

/// How many of a failed run's last lines its report shows.
const OUTPUT_TAIL: usize = 12;

fn last_lines(output: &str, count: usize) -> Vec<String> {
    let lines: Vec<&str> = output.lines().filter(|line| !line.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(count)..]
        .iter()
        .map(|line| crate::visible::visible(line, crate::visible::Layout::Line).into_owned())
        .collect()
}

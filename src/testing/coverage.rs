//! `runbook test --coverage`: per runbook, the steps its tests reached and those they did not,
//! and the runbooks no test runs.

use std::collections::{BTreeMap, BTreeSet};

use crate::runbook::Library;

/// One runbook's coverage.
pub struct Covered {
    pub runbook: String,
    pub tests: usize,
    /// Its steps (names), in order.
    pub steps: Vec<String>,
    pub reached: BTreeSet<String>,
}

impl Covered {
    pub fn line(&self) -> String {
        if self.tests == 0 {
            return format!("{:<20} no test", self.runbook);
        }
        let reached = self.steps.iter().filter(|step| self.reached.contains(*step)).count();
        let missed: Vec<&str> = self
            .steps
            .iter()
            .filter(|step| !self.reached.contains(*step))
            .map(String::as_str)
            .collect();
        let tests = if self.tests == 1 { "test" } else { "tests" };
        let mut line = format!(
            "{:<20} {reached}/{} steps reached by {} {tests}",
            self.runbook,
            self.steps.len(),
            self.tests
        );
        if !missed.is_empty() {
            line.push_str(&format!("; not reached: {}", missed.join(", ")));
        }
        line
    }
}

/// What the tests reached: steps started, by runbook file; tests run, by runbook file.
#[derive(Default)]
pub struct Reached {
    pub steps: BTreeMap<String, BTreeSet<String>>,
    pub tests: BTreeMap<String, usize>,
}

/// Every runbook of the library with what its tests reached.
pub fn coverage(library: &Library, reached: &Reached) -> Vec<Covered> {
    library
        .files
        .iter()
        .map(|file| {
            let steps = library
                .load(file)
                .map(|runbook| {
                    super::load::steps_of(&runbook).into_iter().map(|(name, _)| name).collect()
                })
                .unwrap_or_default();
            Covered {
                runbook: file.name.clone(),
                tests: reached.tests.get(&file.name).copied().unwrap_or(0),
                steps,
                reached: reached.steps.get(&file.name).cloned().unwrap_or_default(),
            }
        })
        .collect()
}

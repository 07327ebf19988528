//! The run from its first step to its summary: YAML steps or the Rhai script, then the end.

use std::sync::Arc;

use serde_json::Value;

use super::evaluate::Evaluator;
use super::failure::RunEnd;
use super::run::{BeforeSummary, Run};
use super::{rhai_run, steps};
use crate::runbook::Body;

/// Runs `run` with `names` (`app`, `env`, params) in scope, `before_summary` reported after its
/// last step; how it ended.
pub fn execute(
    run: Run,
    before_summary: Option<BeforeSummary>,
    names: &[(String, Value)],
) -> RunEnd {
    let run = Arc::new(run);
    let end = match &run.runbook.body {
        Body::Steps(steps) => {
            let evaluator = Evaluator::new(
                crate::script::sandboxed(Arc::clone(&run.runbook.modules)),
                names,
                run.interrupt.clone(),
                Arc::clone(&run.budget),
            );
            steps::run_steps(&run, steps, &run.runbook.finally, &evaluator)
        }
        Body::Script(ast) => {
            let file = run.runbook.source.display_path();
            rhai_run::run_script(Arc::clone(&run), &Arc::clone(ast), names, &file)
        }
    };
    if let Some(report) = before_summary {
        report(&run.reporter);
    }
    // A run whose record could not all be written did not end well, whatever its steps did.
    let end = match (end, run.journal_stop()) {
        (RunEnd::Succeeded, Some(broken)) => broken.into_end(),
        (end, _) => end,
    };
    run.finish(&end);
    end
}

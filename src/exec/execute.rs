//! The run from its first step to its summary: YAML steps or the Rhai script, then the end.

use std::sync::Arc;

use serde_json::Value;

use super::evaluate::Evaluator;
use super::failure::RunEnd;
use super::run::{Run, RunParts};
use super::{rhai_run, steps};
use crate::runbook::Body;

/// Runs what `parts` describe with `names` (`app`, `env`, params) in scope; how it ended.
pub fn execute(mut parts: RunParts, names: &[(String, Value)]) -> RunEnd {
    let before_summary = parts.before_summary.take();
    let run = Arc::new(Run::new(parts));
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

//! What a run needs of this machine, checked before its first step: each write step whose
//! arguments are known from the params alone is asked (a deploy's git checkout and branch), so
//! that a run started from the wrong folder stops before anything is read, asked or sent.

use std::sync::Arc;

use serde_json::Value;

use super::evaluate::Evaluator;
use crate::interrupt::Interrupt;
use crate::ops::{Behaviour, OperationError};
use crate::runbook::{Action, Body, Runbook, Step};
use crate::script::Budget;

/// A step that cannot run from here, and why.
#[derive(Debug)]
pub struct NotFromHere {
    /// `step 2 (Deploy)`.
    pub step: String,
    pub error: Box<OperationError>,
}

/// Asks every write step of a YAML runbook that will run (no `when:`, or one the params decide
/// true) and whose arguments the params decide, up to the first step that may change this
/// machine (`sh:`, `run:`). Steps that depend on earlier results, `for_each` steps, the steps
/// after such a step and Rhai runbooks are asked when they run, as before.
pub fn check_this_machine(
    runbook: &Runbook,
    names: &[(String, Value)],
    interrupt: Interrupt,
) -> Result<(), NotFromHere> {
    let Body::Steps(steps) = &runbook.body else {
        return Ok(());
    };
    // Made only for a runbook with a write that checks this machine: most runs pay nothing here.
    let evaluator = std::cell::OnceCell::new();
    let evaluator = || {
        evaluator.get_or_init(|| {
            Evaluator::new(
                crate::script::sandboxed(Arc::clone(&runbook.modules)),
                names,
                interrupt.clone(),
                Arc::new(Budget::default()),
            )
        })
    };
    let main = steps.iter().enumerate().map(|(index, step)| (format!("step {}", index + 1), step));
    let finally = (runbook.finally.iter().enumerate())
        .map(|(index, step)| (format!("finally step {}", index + 1), step));
    for (label, step) in main.chain(finally) {
        if may_change_this_machine(step) {
            break;
        }
        check_step(step, evaluator).map_err(|error| NotFromHere {
            step: format!("{label} ({})", step.name),
            error: Box::new(error),
        })?;
    }
    Ok(())
}

/// A step after which this machine may not be what it was (an `sh:` that clones the checkout,
/// a called runbook that does): the steps after it are asked when they run.
fn may_change_this_machine(step: &Step) -> bool {
    matches!(step.action, Action::Shell { .. } | Action::Run { .. })
}

fn check_step<'a>(
    step: &Step,
    evaluator: impl Fn() -> &'a Evaluator,
) -> Result<(), OperationError> {
    let Action::Operation { resolved: Some(operation), arguments, .. } = &step.action else {
        return Ok(());
    };
    let Behaviour::Write(write) = operation.behaviour else {
        return Ok(());
    };
    if !write.checks_this_machine() {
        return Ok(());
    }
    if step.control.for_each.is_some() {
        return Ok(());
    }
    let evaluator = evaluator();
    if let Some(when) = &step.when
        && !evaluator.condition(&when.value).unwrap_or(false)
    {
        return Ok(());
    }
    match evaluator.arguments(arguments, None) {
        Ok(values) => write.check_this_machine(&values),
        Err(_) => Ok(()),
    }
}

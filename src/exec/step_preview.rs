//! What a step will do, shown at the `--step` prompt before it runs: the request a write will
//! send and what it touches (prepared as the step itself will prepare it), the read it makes, the
//! command it runs, the runbook it calls.

use super::evaluate::Evaluator;
use super::run::Run;
use crate::ops::{Behaviour, Operation};
use crate::runbook::{Action, Argument, Step};
use crate::script::value;

impl Run {
    /// The lines of the `--step` question about `step`.
    pub fn step_preview(&self, step: &Step, evaluator: &Evaluator) -> Vec<String> {
        match &step.action {
            Action::Operation { resolved: Some(operation), arguments, .. } => {
                self.operation_preview(step, evaluator, operation, arguments)
            }
            Action::Operation { .. } => Vec::new(),
            Action::Shell { command, .. } => match evaluator.template(command) {
                Ok(command) => vec![format!("runs on this machine: {}", value::display(&command))],
                Err(error) => vec![format!("its command cannot be worked out yet: {error}")],
            },
            Action::Script(_) => vec!["computes with a script; sends nothing".to_string()],
            Action::Run { runbook, callee, .. } => vec![callee_preview(&runbook.value, callee)],
        }
    }

    fn operation_preview(
        &self,
        step: &Step,
        evaluator: &Evaluator,
        operation: &'static Operation,
        arguments: &[Argument],
    ) -> Vec<String> {
        let mut lines = Vec::new();
        let item = match &step.control.for_each {
            Some(for_each) => match evaluator.items(&for_each.items) {
                Ok(items) => {
                    lines.push(format!(
                        "for each of {} item(s), {}; the first:",
                        items.len(),
                        operation.name
                    ));
                    match items.into_iter().next() {
                        Some(first) => Some(first),
                        None => return lines,
                    }
                }
                Err(error) => return vec![format!("its items cannot be worked out yet: {error}")],
            },
            None => None,
        };
        let values = match evaluator.arguments(arguments, item.as_ref()) {
            Ok(values) => values,
            Err(error) => {
                lines.push(format!("its arguments cannot be worked out yet: {error}"));
                return lines;
            }
        };
        match operation.behaviour {
            Behaviour::Read(_) => {
                let app = values.text("app").unwrap_or_default();
                lines.push(format!("reads {app}: {}", operation.endpoint));
            }
            Behaviour::Write(_) => match self.prepare(operation, &values, None) {
                Ok(write) => lines.extend(self.prompt_lines(&write)),
                Err(failure) => lines.push(format!(
                    "what it would send cannot be worked out: {}",
                    failure.message()
                )),
            },
        }
        lines
    }
}

/// `runs the runbook restart (4 steps: Current dynos, Restart dynos, ...)`.
fn callee_preview(
    name: &str,
    callee: &std::sync::OnceLock<std::sync::Arc<crate::runbook::Runbook>>,
) -> String {
    let Some(callee) = callee.get() else {
        return format!("runs the runbook {name}");
    };
    match &callee.body {
        crate::runbook::Body::Steps(steps) => {
            let names: Vec<&str> = steps.iter().map(|step| step.name.as_str()).collect();
            format!("runs the runbook {name} ({} step(s): {})", steps.len(), names.join(", "))
        }
        crate::runbook::Body::Script(_) => format!("runs the Rhai runbook {name}"),
    }
}

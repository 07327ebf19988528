//! Runs a Rhai runbook: the sandboxed engine with the host functions, params and target in scope.

use std::sync::Arc;

use rhai::{AST, Scope};

use super::failure::{RunEnd, StepFailure};
use super::rhai_host::{Host, ScriptEnding};
use super::run::Run;
use super::script_error::outside_any_step;
use crate::ops::Operation;
use crate::script::{self, value};

/// Runs `ast` (read from `file`, the name its errors are placed in) with `names` in scope.
pub fn run_script(
    run: Arc<Run>,
    ast: &Arc<AST>,
    names: &[(String, serde_json::Value)],
    file: &str,
) -> RunEnd {
    let host = Host::new(Arc::clone(&run));
    let mut engine = script::sandboxed(Arc::clone(&run.runbook.modules));
    host.register(&mut engine);
    let engine = Arc::new(engine);
    let _ = host.compiled.set((Arc::clone(&engine), Arc::clone(ast)));
    let mut scope = Scope::new();
    for (name, json) in names {
        scope.push_dynamic(name.clone(), value::to_dynamic(json));
    }
    let result = engine
        .run_ast_with_scope(&mut scope, ast)
        .and_then(|()| host.ask_unused_confirmation(None));
    match result {
        Ok(()) => RunEnd::Succeeded,
        Err(error) => match host.ending(&error) {
            ScriptEnding::Stopped(failure) | ScriptEnding::InStep(failure) => failure.into_end(),
            ScriptEnding::HostOutsideSteps(failure, operation) => {
                placed(failure, operation, &error, file).into_end()
            }
            ScriptEnding::ScriptOutsideSteps => {
                StepFailure::failed(outside_any_step(&error, file)).into_end()
            }
        },
    }
}

/// An operation's failure outside any step, with the operation and the file and line of the call.
fn placed(
    failure: StepFailure,
    operation: Option<&'static Operation>,
    error: &rhai::EvalAltResult,
    file: &str,
) -> StepFailure {
    let StepFailure::Operation {
        message,
        hint,
        access_problem,
        maybe_sent,
    } = failure
    else {
        return failure;
    };
    let place = match error.position().line() {
        Some(line) => format!("{file}:{line}"),
        None => file.to_string(),
    };
    StepFailure::Operation {
        message: match operation {
            Some(operation) => format!(
                "heroku::{} at {place} (outside any step): {message}",
                operation.function_name()
            ),
            None => format!("at {place} (outside any step): {message}"),
        },
        hint,
        access_problem,
        maybe_sent,
    }
}

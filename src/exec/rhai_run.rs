//! Runs a Rhai runbook: the sandboxed engine with the host functions, params and target in scope.

use std::sync::Arc;

use rhai::{AST, Scope};

use super::failure::{RunEnd, StepFailure};
use super::rhai_host::Host;
use super::run::Run;
use super::script_error::outside_any_step;
use crate::script::{self, value};

pub fn run_script(run: Arc<Run>, ast: &Arc<AST>, names: &[(String, serde_json::Value)]) -> RunEnd {
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
        Err(error) if host.stopped_in_a_step() => host.failure_of(&error).into_end(),
        Err(error) => match host.failure_of(&error) {
            StepFailure::Operation { .. } => {
                let file = run.runbook.source.display_path();
                StepFailure::failed(outside_any_step(&error, &file)).into_end()
            }
            other => other.into_end(),
        },
    }
}

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
    let StepFailure::Operation { message, hint, access_problem, maybe_sent } = failure else {
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

#[cfg(test)]
mod tests {
    //! The host functions `check` knows (`runbook::HOST_FUNCTIONS`) are exactly those a run
    //! registers beside the sandbox's own: a function added to one list and not the other would
    //! make `check` refuse a working script, or pass a call the run cannot make.

    use std::collections::BTreeSet;
    use std::sync::Arc;

    use super::*;
    use crate::effects::Effects;
    use crate::exec::{ConfirmPolicy, Gate, Reporter, RunCounts, WriteGuard};
    use crate::heroku::{Access, Client};
    use crate::output::{OutputFormat, Printer};
    use crate::runbook::{HOST_FUNCTIONS, SourceFile};

    fn names(engine: &rhai::Engine) -> BTreeSet<String> {
        engine
            .collect_fn_metadata(
                None,
                |info| info.namespace.is_empty().then(|| info.metadata.name.to_string()),
                false,
            )
            .into_iter()
            .collect()
    }

    #[test]
    fn check_knows_every_host_function_and_no_other() {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let source = Arc::new(SourceFile { path: "t.rhai".into(), text: "//! A test.\n".into() });
        let runbook = crate::runbook::load_rhai("t", &source, &script::for_validation()).unwrap();
        let printer = Arc::new(Printer::new(OutputFormat::Human, false, false));
        let reporter = Arc::new(Reporter::new(printer, None, crate::journal::RunId::new()));
        let interrupt = crate::interrupt::Interrupt::default();
        let gate = Arc::new(Gate::new(
            ConfirmPolicy::default(),
            Arc::clone(&reporter),
            BTreeSet::new(),
            true,
            interrupt.clone(),
        ));
        let guard =
            WriteGuard::new(Arc::clone(&gate), Arc::clone(&reporter), None, BTreeSet::new());
        let client = Client::new(
            "http://127.0.0.1:9",
            None,
            Access::ReadOnly,
            std::time::Duration::from_secs(1),
        )
        .unwrap();
        let run = Arc::new(Run {
            runbook,
            target: None,
            effects: Effects::dry_run(client, Arc::new(guard)),
            reporter,
            gate,
            handle: runtime.handle().clone(),
            interrupt,
            resume: None,
            terminal_kind: String::new(),
            panic_at_step: None,
            no_rollback: false,
            rehearsal: false,
            team: None,
            budget: Arc::default(),
            counts: RunCounts::default(),
        });
        let sandbox = script::sandboxed(Arc::default());
        let mut engine = script::sandboxed(Arc::default());
        Host::new(run).register(&mut engine);
        let registered: BTreeSet<String> =
            names(&engine).difference(&names(&sandbox)).cloned().collect();
        let known: BTreeSet<String> =
            HOST_FUNCTIONS.iter().map(|(name, _)| name.to_string()).collect();
        assert_eq!(registered, known);
    }
}

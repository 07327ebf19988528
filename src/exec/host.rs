//! The functions a Rhai runbook calls: `step`, `confirm`, `print` and every `heroku::` operation.

use std::sync::{Arc, Mutex, PoisonError};

use rhai::{Dynamic, Engine, EvalAltResult, FnPtr, FuncRegistration, Module, NativeCallContext};

use super::run::{Finished, Run, StepFailure};
use crate::ops::arguments::ArgumentValues;
use crate::ops::{CATALOGUE, Operation};
use crate::output::event::Event;
use crate::output::prompt::StepChoice;
use crate::script::value;

/// State of a script run that host functions share.
pub struct Host {
    pub run: Arc<Run>,
    current_step: Mutex<Option<CurrentStep>>,
    next_index: Mutex<usize>,
    /// The typed reason a script stopped, kept because Rhai errors carry only text.
    pub failure: Mutex<Option<StepFailure>>,
}

struct CurrentStep {
    index: usize,
    name: String,
    summary: Option<String>,
}

type HostResult = Result<Dynamic, Box<EvalAltResult>>;

impl Host {
    pub fn new(run: Arc<Run>) -> Arc<Self> {
        Arc::new(Self {
            run,
            current_step: Mutex::new(None),
            next_index: Mutex::new(0),
            failure: Mutex::new(None),
        })
    }

    /// Registers the host functions on `engine`.
    pub fn register(self: &Arc<Self>, engine: &mut Engine) {
        let host = Arc::clone(self);
        engine.register_fn(
            "step",
            move |context: NativeCallContext, name: &str, body: FnPtr| {
                host.step(&context, name, &body)
            },
        );
        let host = Arc::clone(self);
        engine.register_fn("confirm", move |message: &str| host.confirm(message));
        let host = Arc::clone(self);
        engine.on_print(move |text| {
            host.run.reporter.emit(&Event::ScriptOutput {
                message: text.to_string(),
            })
        });
        let host = Arc::clone(self);
        engine.on_debug(move |text, _, _| {
            host.run.reporter.emit(&Event::ScriptOutput {
                message: text.to_string(),
            })
        });
        engine.register_static_module("heroku", self.heroku_module().into());
    }

    fn heroku_module(self: &Arc<Self>) -> Module {
        let mut module = Module::new();
        for operation in CATALOGUE {
            for arity in operation.required_count()..=operation.arguments.len() {
                self.register_operation(&mut module, operation, arity);
            }
        }
        module
    }

    fn register_operation(
        self: &Arc<Self>,
        module: &mut Module,
        operation: &'static Operation,
        arity: usize,
    ) {
        let name = operation.function_name();
        let host = Arc::clone(self);
        let registration = FuncRegistration::new(name);
        match arity {
            1 => {
                registration
                    .set_into_module(module, move |a: Dynamic| host.call(operation, vec![a]));
            }
            2 => {
                registration.set_into_module(module, move |a: Dynamic, b: Dynamic| {
                    host.call(operation, vec![a, b])
                });
            }
            3 => {
                registration.set_into_module(module, move |a: Dynamic, b: Dynamic, c: Dynamic| {
                    host.call(operation, vec![a, b, c])
                });
            }
            _ => unreachable!("catalogue operations take one to three arguments"),
        }
    }

    fn call(&self, operation: &Operation, arguments: Vec<Dynamic>) -> HostResult {
        let values = ArgumentValues(
            operation
                .arguments
                .iter()
                .zip(&arguments)
                .map(|(spec, argument)| (spec.name.to_string(), value::to_json(argument)))
                .collect(),
        );
        let (index, step) = self.current();
        let outcome = self
            .run
            .call_operation(index, &step, operation, &values, None)
            .map_err(|failure| self.fail(failure))?;
        if let Some(current) = self.lock_step().as_mut() {
            current.summary = outcome.summary.clone();
        }
        Ok(value::to_dynamic(&outcome.value))
    }

    fn step(&self, context: &NativeCallContext, name: &str, body: &FnPtr) -> HostResult {
        let index = {
            let mut next = self
                .next_index
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            *next += 1;
            *next
        };
        match self.run.gate.before_step(&format!("[{index}] {name}")) {
            Some(StepChoice::Skip) => {
                let reason = "skipped at the --step prompt".to_string();
                self.run.step_skipped(index, None, name, reason);
                return Ok(Dynamic::UNIT);
            }
            Some(StepChoice::Abort) => return Err(self.fail(StepFailure::Aborted)),
            _ => {}
        }
        let clock = self.run.start_step(index, None, name, None);
        *self.lock_step() = Some(CurrentStep {
            index,
            name: name.to_string(),
            summary: None,
        });
        let result = body.call_within_context::<Dynamic>(context, ());
        let summary = self.lock_step().take().and_then(|current| current.summary);
        match result {
            Ok(value) => {
                let json = value::to_json(&value);
                let value_kept = (!json.is_null()).then_some(json);
                self.run.finish_step(
                    clock,
                    Ok(Finished {
                        summary,
                        value: value_kept,
                    }),
                );
                Ok(value)
            }
            Err(error) => {
                let failure = self.failure_of(&error);
                self.run.finish_step(clock, Err(&failure));
                Err(error)
            }
        }
    }

    fn confirm(&self, message: &str) -> HostResult {
        let (index, step) = self.current();
        let mut impact: Vec<String> = self
            .run
            .app()
            .map(|app| format!("app: {app}"))
            .into_iter()
            .collect();
        if let Some(target) = &self.run.target {
            impact.push(format!(
                "environment: {}{}",
                target.name.value,
                if target.protected { " (protected)" } else { "" }
            ));
        }
        self.run
            .gate
            .confirm(index, &step, message, &impact)
            .map_err(|refusal| self.fail(StepFailure::NotConfirmed(refusal)))?;
        Ok(Dynamic::UNIT)
    }

    fn current(&self) -> (usize, String) {
        match self.lock_step().as_ref() {
            Some(current) => (current.index, current.name.clone()),
            None => (0, self.run.runbook.name.clone()),
        }
    }

    /// Keeps the typed failure and gives Rhai an error that unwinds the script.
    fn fail(&self, failure: StepFailure) -> Box<EvalAltResult> {
        let message = failure.message();
        *self.failure.lock().unwrap_or_else(PoisonError::into_inner) = Some(failure);
        EvalAltResult::ErrorRuntime(Dynamic::from(message), rhai::Position::NONE).into()
    }

    /// The failure behind a Rhai error: ours when a host function raised it, else the script's own.
    pub fn failure_of(&self, error: &EvalAltResult) -> StepFailure {
        self.failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .unwrap_or_else(|| StepFailure::failed(script_error(error)))
    }

    fn lock_step(&self) -> std::sync::MutexGuard<'_, Option<CurrentStep>> {
        self.current_step
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// A Rhai error as one line, with its position.
pub fn script_error(error: &EvalAltResult) -> String {
    let mut inner = error;
    while let EvalAltResult::ErrorInFunctionCall(_, _, next, _) = inner {
        inner = next;
    }
    let position = inner.position();
    match position.line() {
        Some(line) => format!("{inner} (line {line})").replace(&format!(" ({position})"), ""),
        None => inner.to_string(),
    }
}

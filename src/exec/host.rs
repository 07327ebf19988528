//! The functions a Rhai runbook calls: `step`, `confirm`, `print` and every `heroku::` operation.
//! `retry`, `with_timeout` and `for_each` live in `host_flow`.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use rhai::{
    AST, Dynamic, Engine, EvalAltResult, FnPtr, FuncRegistration, Module, NativeCallContext,
};

use super::call::OperationCall;
use super::failure::StepFailure;
use super::run::{Finished, Run, StepLabel};
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
    failure: Mutex<Option<StepFailure>>,
    /// The innermost `with_timeout`: when it ends, and how long it was.
    pub deadline: Mutex<Option<(Instant, Duration)>>,
    /// The engine and script, for `for_each` to call closures from worker threads.
    pub compiled: OnceLock<(Arc<Engine>, Arc<AST>)>,
}

struct CurrentStep {
    index: usize,
    name: String,
    summary: Option<String>,
}

pub type HostResult = Result<Dynamic, Box<EvalAltResult>>;

/// The token that ends a script at Ctrl-C or at its deadline.
const STOPPED: &str = "stopped";

impl Host {
    pub fn new(run: Arc<Run>) -> Arc<Self> {
        Arc::new(Self {
            run,
            current_step: Mutex::new(None),
            next_index: Mutex::new(0),
            failure: Mutex::new(None),
            deadline: Mutex::new(None),
            compiled: OnceLock::new(),
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
        let host = Arc::clone(self);
        engine.on_progress(move |_| host.should_stop().then(|| Dynamic::from(STOPPED)));
        self.register_flow(engine);
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
        let host = Arc::clone(self);
        let registration = FuncRegistration::new(operation.function_name());
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
            4 => {
                registration.set_into_module(
                    module,
                    move |a: Dynamic, b: Dynamic, c: Dynamic, d: Dynamic| {
                        host.call(operation, vec![a, b, c, d])
                    },
                );
            }
            5 => {
                registration.set_into_module(
                    module,
                    move |a: Dynamic, b: Dynamic, c: Dynamic, d: Dynamic, e: Dynamic| {
                        host.call(operation, vec![a, b, c, d, e])
                    },
                );
            }
            6 => {
                registration.set_into_module(
                    module,
                    move |a: Dynamic,
                          b: Dynamic,
                          c: Dynamic,
                          d: Dynamic,
                          e: Dynamic,
                          f: Dynamic| {
                        host.call(operation, vec![a, b, c, d, e, f])
                    },
                );
            }
            _ => unreachable!("catalogue operations take one to six arguments"),
        }
    }

    fn call(&self, operation: &'static Operation, arguments: Vec<Dynamic>) -> HostResult {
        let values = ArgumentValues(
            operation
                .arguments
                .iter()
                .zip(&arguments)
                .map(|(spec, argument)| (spec.name.to_string(), value::to_json(argument)))
                .collect(),
        );
        let (index, _) = self.current();
        let timeout = self.remaining_time();
        let call = OperationCall {
            index,
            operation,
            values,
            timeout,
        };
        let outcome = self
            .run
            .call_operation(&call)
            .map_err(|failure| self.fail(self.explain_timeout(failure)))?;
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
        let label = StepLabel::main(index, None);
        if let Some(result) = self.run.resumed_result(index) {
            self.run.skip_resumed(label, name);
            return Ok(result.as_ref().map_or(Dynamic::UNIT, value::to_dynamic));
        }
        match self.run.gate.before_step(&format!("[{index}] {name}")) {
            Some(StepChoice::Skip) => {
                self.run
                    .step_skipped(label, name, "skipped at the --step prompt".to_string());
                return Ok(Dynamic::UNIT);
            }
            Some(StepChoice::Abort) => return Err(self.fail(StepFailure::Aborted)),
            _ => {}
        }
        let clock = self.run.start_step(label, name, None);
        *self.lock_step() = Some(CurrentStep {
            index,
            name: name.to_string(),
            summary: None,
        });
        let result = body.call_within_context::<Dynamic>(context, ());
        let summary = self.lock_step().take().and_then(|current| current.summary);
        match result {
            Ok(returned) => {
                let json = value::to_json(&returned);
                let value = (!json.is_null()).then_some(json);
                self.run.finish_step(clock, Ok(Finished { summary, value }));
                Ok(returned)
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
            let protection = if target.protected { " (protected)" } else { "" };
            impact.push(format!("environment: {}{protection}", target.name.value));
        }
        self.run
            .gate
            .confirm(index, &step, message, &impact)
            .map_err(|failure| self.fail(failure))?;
        Ok(Dynamic::UNIT)
    }

    /// The current step's index and name (0 and the runbook's name outside any step).
    pub fn current(&self) -> (usize, String) {
        match self.lock_step().as_ref() {
            Some(current) => (current.index, current.name.clone()),
            None => (0, self.run.runbook.name.clone()),
        }
    }

    /// A call cut short by `with_timeout` says so with the limit the script gave.
    fn explain_timeout(&self, failure: StepFailure) -> StepFailure {
        let deadline = *self.deadline.lock().unwrap_or_else(PoisonError::into_inner);
        match deadline {
            Some((end, limit)) if Instant::now() >= end && failure.is_operation_failure() => {
                StepFailure::failed(format!(
                    "timed out after {}",
                    humantime::format_duration(limit)
                ))
            }
            _ => failure,
        }
    }

    /// Ctrl-C, or the innermost `with_timeout` has run out.
    fn should_stop(&self) -> bool {
        self.run.interrupted() || self.remaining_time().is_some_and(|left| left.is_zero())
    }

    fn remaining_time(&self) -> Option<Duration> {
        let deadline = *self.deadline.lock().unwrap_or_else(PoisonError::into_inner);
        deadline.map(|(end, _)| end.saturating_duration_since(Instant::now()))
    }

    /// Keeps the typed failure and gives Rhai an error that unwinds the script.
    pub fn fail(&self, failure: StepFailure) -> Box<EvalAltResult> {
        let message = failure.message();
        *self.failure.lock().unwrap_or_else(PoisonError::into_inner) = Some(failure);
        EvalAltResult::ErrorRuntime(Dynamic::from(message), rhai::Position::NONE).into()
    }

    /// Forgets a failure that a `retry` dealt with.
    pub fn forget_failure(&self) {
        *self.failure.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// The failure behind a Rhai error: ours when a host function raised it, else the script's own.
    pub fn failure_of(&self, error: &EvalAltResult) -> StepFailure {
        if let Some(failure) = self
            .failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
        {
            return failure;
        }
        match error {
            EvalAltResult::ErrorTerminated(..) if self.run.interrupted() => {
                StepFailure::Interrupted
            }
            EvalAltResult::ErrorTerminated(..) => {
                let limit = self
                    .deadline
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .map(|(_, limit)| limit);
                StepFailure::failed(format!(
                    "timed out after {}",
                    humantime::format_duration(limit.unwrap_or_default())
                ))
            }
            other => StepFailure::failed(script_error(other)),
        }
    }

    fn lock_step(&self) -> MutexGuard<'_, Option<CurrentStep>> {
        self.current_step
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// A Rhai error as one line, with its position, and a plain word for the sandbox's limits.
pub fn script_error(error: &EvalAltResult) -> String {
    let mut inner = error;
    while let EvalAltResult::ErrorInFunctionCall(_, _, next, _) = inner {
        inner = next;
    }
    let line = inner
        .position()
        .line()
        .map(|line| format!(" (line {line})"))
        .unwrap_or_default();
    let explained = match inner {
        EvalAltResult::ErrorTooManyOperations(_) => {
            "the script ran too long without finishing (more than the sandbox's operation limit): an endless loop?".to_string()
        }
        EvalAltResult::ErrorStackOverflow(_) => "the script called functions too deeply: unbounded recursion?".to_string(),
        EvalAltResult::ErrorDataTooLarge(what, _) => format!("the script made a {what} larger than the sandbox allows"),
        other => other.to_string().replace(&format!(" ({})", other.position()), ""),
    };
    format!("{explained}{line}")
}

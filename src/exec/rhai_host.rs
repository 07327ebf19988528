//! The functions a Rhai runbook calls: `step`, `confirm`, `print` and every `heroku::` operation.
//! `retry`, `with_timeout` and `for_each` live in `host_flow`.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use rhai::{
    AST, Dynamic, Engine, EvalAltResult, FnPtr, FuncRegistration, Module, NativeCallContext,
};

use super::call::{Confirmation, OperationCall};
use super::failure::StepFailure;
use super::resume_plan::Restored;
use super::rhai_failures::{Raised, RaisedFailures, STOPPED};
use super::run::{Finished, Run, StepLabel};
use crate::journal::Event;
use crate::ops::ArgumentValues;
use crate::ops::{CATALOGUE, MOST_ARGUMENTS, Operation};
use crate::output::StepChoice;
use crate::script::value;

/// Registers `operation` as a Rhai function of as many `Dynamic` arguments as names are given.
macro_rules! register_arity {
    ($registration:expr, $module:expr, $host:expr, $operation:expr, $($name:ident),+) => {{
        $registration.set_into_module(
            $module,
            move |context: NativeCallContext, $($name: Dynamic),+| {
                $host.call($operation, vec![$($name),+]).map_err(|mut error| {
                    error.set_position(context.call_position());
                    error
                })
            },
        );
    }};
}

/// State of a script run that host functions share.
pub struct Host {
    pub run: Arc<Run>,
    current_step: Mutex<Option<CurrentStep>>,
    next_index: Mutex<usize>,
    /// The typed failures the script's errors carry, found again by their tag.
    raised: RaisedFailures,
    /// The innermost `with_timeout`: when it ends, and how long it was.
    pub deadline: Mutex<Option<(Instant, Duration)>>,
    /// The engine and script, for `for_each` to call closures from worker threads.
    pub compiled: OnceLock<(Arc<Engine>, Arc<AST>)>,
    /// The last `confirm()` not yet asked: it is asked with the next write (and what that write
    /// sends), or when the step it was called in ends, or when the script ends.
    pending: Mutex<Option<Pending>>,
    /// A refusal, an abort or Ctrl-C: the script stops, on every thread, and cannot catch it.
    stopped: Mutex<Option<StepFailure>>,
}

/// Where a script that failed stopped, for the one error line of its run's end.
pub enum ScriptEnding {
    /// A refusal, an abort or Ctrl-C.
    Stopped(StepFailure),
    /// A step failed and the script let its error out: that step already showed it.
    InStep(StepFailure),
    /// A host function (an operation, when one was called) failed outside any step.
    HostOutsideSteps(StepFailure, Option<&'static Operation>),
    /// The script's own error outside any step.
    ScriptOutsideSteps,
}

/// A `confirm()` waiting for its write.
struct Pending {
    confirmation: Arc<Confirmation>,
    /// The step it was called in (0 outside any step).
    step: usize,
}

struct CurrentStep {
    index: usize,
    name: String,
    summary: Option<String>,
}

pub type HostResult = Result<Dynamic, Box<EvalAltResult>>;

impl Host {
    pub fn new(run: Arc<Run>) -> Arc<Self> {
        Arc::new(Self {
            run,
            current_step: Mutex::new(None),
            next_index: Mutex::new(0),
            raised: RaisedFailures::default(),
            deadline: Mutex::new(None),
            compiled: OnceLock::new(),
            pending: Mutex::new(None),
            stopped: Mutex::new(None),
        })
    }

    /// Registers the host functions on `engine`.
    pub fn register(self: &Arc<Self>, engine: &mut Engine) {
        let host = Arc::clone(self);
        engine.register_fn("step", move |context: NativeCallContext, name: &str, body: FnPtr| {
            host.step(&context, name, &body)
        });
        let host = Arc::clone(self);
        engine.register_fn("confirm", move |message: &str| host.confirm(message));
        let host = Arc::clone(self);
        engine.register_fn("sleep", move |seconds: rhai::FLOAT| host.sleep(seconds));
        let host = Arc::clone(self);
        engine.register_fn("sleep", move |seconds: rhai::INT| host.sleep(seconds as rhai::FLOAT));
        let host = Arc::clone(self);
        engine.on_print(move |text| {
            host.run.reporter.emit(&Event::ScriptOutput { message: text.to_string() })
        });
        let host = Arc::clone(self);
        engine.on_debug(move |text, _, _| {
            host.run.reporter.emit(&Event::ScriptOutput { message: text.to_string() })
        });
        // The run's budget is the one limit: an item of a `for_each` (a call of its own) does
        // not start with a fresh count.
        engine.set_max_operations(0);
        let host = Arc::clone(self);
        engine.on_progress(move |_| {
            if host.should_stop() {
                return Some(Dynamic::from(STOPPED));
            }
            host.run.budget.spend()
        });
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
            1 => register_arity!(registration, module, host, operation, a),
            2 => register_arity!(registration, module, host, operation, a, b),
            3 => register_arity!(registration, module, host, operation, a, b, c),
            4 => register_arity!(registration, module, host, operation, a, b, c, d),
            5 => register_arity!(registration, module, host, operation, a, b, c, d, e),
            6 => register_arity!(registration, module, host, operation, a, b, c, d, e, f),
            7 => register_arity!(registration, module, host, operation, a, b, c, d, e, f, g),
            _ => unreachable!("catalogue operations take one to {MOST_ARGUMENTS} arguments"),
        }
    }

    fn call(&self, operation: &'static Operation, arguments: Vec<Dynamic>) -> HostResult {
        if let Some(stopped) = self.lock_stopped().clone() {
            return Err(self.fail(stopped));
        }
        let values = ArgumentValues(
            operation
                .arguments
                .iter()
                .zip(&arguments)
                .map(|(spec, argument)| (spec.name.to_string(), value::to_json(argument)))
                .collect(),
        );
        let (index, step) = self.current();
        let timeout = self.remaining_time();
        let confirmation = match operation.behaviour {
            crate::ops::Behaviour::Write(_) => {
                self.lock_pending().as_ref().map(|pending| Arc::clone(&pending.confirmation))
            }
            crate::ops::Behaviour::Read(_) => None,
        };
        let call = OperationCall {
            index,
            step: &step,
            operation,
            values,
            timeout,
            confirmation: confirmation.as_deref(),
        };
        let result = self.run.call_operation(&call);
        if confirmation.is_some_and(|confirmation| confirmation.pending().is_none()) {
            *self.lock_pending() = None;
        }
        let outcome = result.map_err(|failure| {
            self.raise(Raised {
                failure: self.explain_timeout(failure),
                operation: Some(operation),
                reported_by_step: false,
            })
        })?;
        if let Some(current) = self.lock_step().as_mut() {
            current.summary = outcome.summary.clone();
        }
        Ok(value::to_dynamic(&outcome.value))
    }

    /// What a step gives without running: its result in the run being resumed, or nothing when
    /// skipped at the `--step` prompt; `None` when it runs.
    fn instead_of_step(
        &self,
        label: StepLabel,
        name: &str,
    ) -> Result<Option<Dynamic>, Box<EvalAltResult>> {
        let resumed =
            self.run.resumed_result(label.index, name).map_err(|failure| self.fail(failure))?;
        match resumed {
            Some(Restored::Lost) => return Err(self.fail(self.run.lost_result(name))),
            Some(restored) => {
                self.run.skip_resumed(label, name, &restored);
                return Ok(Some(match restored {
                    Restored::Value(result) => value::to_dynamic(&result),
                    _ => Dynamic::UNIT,
                }));
            }
            None => {}
        }
        self.run.check_resumable(label, name).map_err(|failure| self.fail(failure))?;
        let preview = || {
            vec!["a Rhai step: what it sends is known only as it runs; each write in it shows its request at its confirmation".to_string()]
        };
        let asked = self.run.gate.before_step(&format!("[{}] {name}", label.index), &preview);
        match asked.map_err(|failure| self.fail(failure))? {
            Some(StepChoice::Skip) => {
                self.run.step_skipped(label, name, "skipped at the --step prompt".to_string());
                Ok(Some(Dynamic::UNIT))
            }
            Some(StepChoice::Abort) => Err(self.fail(StepFailure::Aborted)),
            _ => Ok(None),
        }
    }

    fn step(&self, context: &NativeCallContext, name: &str, body: &FnPtr) -> HostResult {
        let index = {
            let mut next = self.next_index.lock().unwrap_or_else(PoisonError::into_inner);
            *next += 1;
            *next
        };
        let label = StepLabel::main(index, None);
        if let Some(broken) = self.run.journal_stop() {
            return Err(self.fail(broken));
        }
        if let Some(instead) = self.instead_of_step(label, name)? {
            return Ok(instead);
        }
        let clock = self.run.start_step(label, name, None);
        *self.lock_step() = Some(CurrentStep { index, name: name.to_string(), summary: None });
        let result = body
            .call_within_context::<Dynamic>(context, ())
            .and_then(|returned| self.ask_unused_confirmation(Some(index)).map(|()| returned));
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
                if !error.is_catchable() {
                    return Err(error);
                }
                Err(self.raised.reported(error, failure))
            }
        }
    }

    /// `confirm(message)`: asked with the next write, showing what that write sends.
    fn confirm(&self, message: &str) -> HostResult {
        let (index, _) = self.current();
        self.ask_unused_confirmation(None)?;
        *self.lock_pending() = Some(Pending {
            confirmation: Arc::new(Confirmation::new(message.to_string())),
            step: index,
        });
        Ok(Dynamic::UNIT)
    }

    /// Asks a `confirm()` that no write used: at the end of the step it was called in (`Some`),
    /// before another `confirm()` or at the end of the script (`None`).
    pub fn ask_unused_confirmation(
        &self,
        ending_step: Option<usize>,
    ) -> Result<(), Box<EvalAltResult>> {
        let pending = {
            let mut pending = self.lock_pending();
            match (pending.as_ref(), ending_step) {
                (Some(waiting), Some(step)) if waiting.step != step => return Ok(()),
                (None, _) => return Ok(()),
                _ => pending.take(),
            }
        };
        let Some(pending) = pending else {
            return Ok(());
        };
        let Some(message) = pending.confirmation.pending() else {
            return Ok(());
        };
        let (index, step) = self.current();
        let mut extra = Vec::new();
        if let Some(target) = &self.run.target {
            let protection = if target.protected { " (protected)" } else { "" };
            extra.push(format!("environment: {}{protection}", target.name));
        }
        extra.push("no write follows it in this step".to_string());
        self.run.confirm_plain(index, &step, message, &extra).map_err(|failure| self.fail(failure))
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
            Some((end, limit)) if crate::clock::now() >= end && failure.is_operation_failure() => {
                StepFailure::failed(format!(
                    "timed out after {}",
                    humantime::format_duration(limit)
                ))
            }
            _ => failure,
        }
    }

    /// Rhai's `sleep`, in slices: Ctrl-C (any signal) and the deadline of `with_timeout` or the
    /// step end it, as they end every other wait.
    fn sleep(&self, seconds: rhai::FLOAT) -> HostResult {
        super::evaluate::sliced_sleep(seconds, &|| {
            self.should_stop().then(|| Dynamic::from(STOPPED))
        })
    }

    /// Ctrl-C, a refusal, or the innermost `with_timeout` has run out.
    fn should_stop(&self) -> bool {
        self.run.interrupted()
            || self.lock_stopped().is_some()
            || self.remaining_time().is_some_and(|left| left.is_zero())
    }

    fn remaining_time(&self) -> Option<Duration> {
        let deadline = *self.deadline.lock().unwrap_or_else(PoisonError::into_inner);
        deadline.map(|(end, _)| end.saturating_duration_since(crate::clock::now()))
    }

    /// The Rhai error that carries `failure` and unwinds the script. A refusal, an abort or
    /// Ctrl-C unwinds it as a termination, which no `try`/`catch` can stop.
    pub fn fail(&self, failure: StepFailure) -> Box<EvalAltResult> {
        self.raise(Raised { failure, operation: None, reported_by_step: false })
    }

    fn raise(&self, raised: Raised) -> Box<EvalAltResult> {
        let stops = matches!(
            raised.failure,
            StepFailure::NotConfirmed(_)
                | StepFailure::Aborted
                | StepFailure::Interrupted
                | StepFailure::Unrecorded(_)
        );
        if stops {
            self.lock_stopped().get_or_insert_with(|| raised.failure.clone());
        }
        self.raised.error(raised, stops, rhai::Position::NONE)
    }

    /// How a script that ended with `error` stopped: at a stop (refusal, abort, Ctrl-C), in the
    /// step that reported its failure, or outside any step (raised by an operation, or by the
    /// script itself).
    pub fn ending(&self, error: &EvalAltResult) -> ScriptEnding {
        let failure = self.failure_of(error);
        if self.lock_stopped().is_some() || matches!(failure, StepFailure::Interrupted) {
            return ScriptEnding::Stopped(failure);
        }
        match self.raised.of(error) {
            Some(raised) if raised.reported_by_step => ScriptEnding::InStep(raised.failure),
            Some(raised) => ScriptEnding::HostOutsideSteps(raised.failure, raised.operation),
            None => ScriptEnding::ScriptOutsideSteps,
        }
    }

    /// The failure behind a Rhai error: a stop (refusal, abort, Ctrl-C) first, then the one its
    /// tag carries when a host function or a step raised it, else the script's own.
    pub fn failure_of(&self, error: &EvalAltResult) -> StepFailure {
        if let Some(stopped) = self.lock_stopped().clone() {
            return stopped;
        }
        if let Some(raised) = self.raised.of(error) {
            return raised.failure;
        }
        match error {
            EvalAltResult::ErrorTerminated(..) if self.run.interrupted() => {
                StepFailure::Interrupted
            }
            EvalAltResult::ErrorTerminated(token, position)
                if crate::script::Budget::explain(&token.to_string()).is_some() =>
            {
                let line =
                    position.line().map(|line| format!(" (line {line})")).unwrap_or_default();
                StepFailure::failed(format!(
                    "{}{line}",
                    crate::script::Budget::explain(&token.to_string()).unwrap_or_default()
                ))
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
            other => StepFailure::failed(super::script_error::script_error(other)),
        }
    }

    fn lock_pending(&self) -> MutexGuard<'_, Option<Pending>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_stopped(&self) -> MutexGuard<'_, Option<StepFailure>> {
        self.stopped.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_step(&self) -> MutexGuard<'_, Option<CurrentStep>> {
        self.current_step.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

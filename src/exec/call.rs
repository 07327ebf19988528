//! Calling a catalogue operation from a step: arguments checked, a write prepared once, its gate
//! decided from the app it targets, then carried out; bounded by the step's timeout and by Ctrl-C.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::failure::StepFailure;
use super::gate::Question;
use super::run::Run;
use crate::effects::{LocalCommand, LocalOutcome};
use crate::journal::Event;
use crate::ops::{
    self, ArgumentValues, Behaviour, Operation, OperationError, Outcome, PreparedWrite,
};

/// The argument `--no-rollback` turns off, in every operation that takes it.
const ROLLBACK: &str = "rollback";

/// One call of an operation by a step.
pub struct OperationCall<'a> {
    pub index: usize,
    pub step: &'a str,
    pub operation: &'static Operation,
    pub values: ArgumentValues,
    pub timeout: Option<Duration>,
    /// The step's own confirmation, asked before the write (with what it will send).
    pub confirmation: Option<&'a Confirmation>,
}

/// A step's own confirmation (`confirm:`, Rhai `confirm()`): asked once, when the step first gets
/// to its write; once given, a retry does not ask again.
pub struct Confirmation {
    message: String,
    given: AtomicBool,
}

impl Confirmation {
    pub fn new(message: String) -> Self {
        Self { message, given: AtomicBool::new(false) }
    }

    /// What it asks.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The message, while it still has to be asked.
    pub fn pending(&self) -> Option<&str> {
        (!self.given.load(Ordering::SeqCst)).then_some(self.message.as_str())
    }

    fn give(&self) {
        self.given.store(true, Ordering::SeqCst);
    }

    /// The write it guards was prepared again (after a wait for another run's lock): what it
    /// says is asked again.
    pub fn ask_again(&self) {
        self.given.store(false, Ordering::SeqCst);
    }
}

/// The pending message of an optional confirmation.
fn pending(confirmation: Option<&Confirmation>) -> Option<&str> {
    confirmation.and_then(Confirmation::pending)
}

impl Run {
    /// Checks, prepares, confirms and runs one operation.
    pub fn call_operation(&self, call: &OperationCall<'_>) -> Result<Outcome, StepFailure> {
        ops::check_arguments(call.operation, &call.values).map_err(StepFailure::from)?;
        self.mask_arguments(call.operation, &call.values);
        let outcome = match call.operation.behaviour {
            Behaviour::Read(_) => {
                self.confirm_step(call.index, call.step, call.confirmation, &[])?;
                let work = async {
                    let output = self.output(call.index);
                    ops::read(call.operation, &call.values, &self.effects, &output.view()).await
                };
                self.bounded(work, call.timeout)?
            }
            Behaviour::Write(_) => {
                let write = self.prepared_and_claimed(call)?;
                let lines = || self.prompt_lines(&write);
                self.clear(call.index, call.step, call.confirmation, &[&write], &lines)?;
                self.approve_plan(&[&write], &|| {
                    let mut lines = vec![format!("step: {}", call.step)];
                    lines.extend(
                        call.confirmation.map(|asked| format!("asked: {}", asked.message())),
                    );
                    lines.extend(self.prompt_lines(&write));
                    lines
                })?;
                self.carry_out(write, call.index, call.timeout)?
            }
        };
        if crate::ops::reveals(call.operation, &call.values) {
            self.reporter.keep_out_of_journal(&outcome.value);
        } else {
            self.mask_secrets(call.operation, &outcome.value);
        }
        Ok(outcome)
    }

    /// A write prepared, and in team mode its apps' locks taken before anything is asked; a
    /// write prepared before waiting for another run's lock is prepared again from fresh reads,
    /// and its confirmation asked again.
    fn prepared_and_claimed(&self, call: &OperationCall<'_>) -> Result<PreparedWrite, StepFailure> {
        let write = self.prepare(call.operation, &call.values, call.timeout)?;
        if !self.claim_locks(&[&write])? {
            return Ok(write);
        }
        if let Some(confirmation) = call.confirmation {
            confirmation.ask_again();
        }
        self.prepare(call.operation, &call.values, call.timeout)
    }

    /// A write prepared: what it needs read, what it will send built.
    pub fn prepare(
        &self,
        operation: &'static Operation,
        values: &ArgumentValues,
        timeout: Option<Duration>,
    ) -> Result<PreparedWrite, StepFailure> {
        let terminal = self.terminal_info();
        let values = self.overridden(operation, values);
        self.bounded(ops::prepare(operation, &values, self.effects.reader(), &terminal), timeout)
    }

    /// The run's flags over the runbook's values: `--no-rollback` makes every `rollback` false.
    fn overridden(&self, operation: &'static Operation, values: &ArgumentValues) -> ArgumentValues {
        let mut values = values.clone();
        let takes_rollback = operation.arguments.iter().any(|argument| argument.name == ROLLBACK);
        if self.no_rollback && takes_rollback {
            values.0.retain(|(name, _)| name != ROLLBACK);
            values.0.push((ROLLBACK.to_string(), serde_json::Value::Bool(false)));
        }
        values
    }

    /// The gate of prepared writes, its prompt showing `lines`: the step's confirmation, and the
    /// typed name of every protected app they target that nobody confirmed yet.
    pub fn clear(
        &self,
        index: usize,
        step: &str,
        confirmation: Option<&Confirmation>,
        writes: &[&PreparedWrite],
        lines: &dyn Fn() -> Vec<String>,
    ) -> Result<(), StepFailure> {
        self.gate.clear(&Question {
            index,
            step,
            message: pending(confirmation),
            apps: writes.iter().map(|write| write.app.clone()).collect(),
            lines,
        })?;
        if let Some(confirmation) = confirmation {
            confirmation.give();
        }
        Ok(())
    }

    /// What the prompt of one write shows: its app, what it touches (read now), its requests.
    pub fn prompt_lines(&self, write: &PreparedWrite) -> Vec<String> {
        let affected = self.handle.block_on(ops::affected(write, self.effects.reader()));
        let mut lines = write.lines();
        lines.splice(1..1, affected);
        lines
    }

    /// Sends a prepared write (or records it, in a dry-run).
    pub fn carry_out(
        &self,
        write: PreparedWrite,
        index: usize,
        timeout: Option<Duration>,
    ) -> Result<Outcome, StepFailure> {
        let work = async {
            let output = self.output(index);
            ops::carry_out(write, &self.effects, &output.view()).await
        };
        self.bounded(work, timeout)
    }

    /// A step's confirmation not tied to a prepared write, decided for the run's target app.
    pub fn confirm_step(
        &self,
        index: usize,
        step: &str,
        confirmation: Option<&Confirmation>,
        extra: &[String],
    ) -> Result<(), StepFailure> {
        let Some(message) = pending(confirmation) else {
            return Ok(());
        };
        self.confirm_plain(index, step, message, extra)?;
        if let Some(confirmation) = confirmation {
            confirmation.give();
        }
        Ok(())
    }

    /// A confirmation of `message`, decided for the run's target app.
    pub fn confirm_plain(
        &self,
        index: usize,
        step: &str,
        message: &str,
        extra: &[String],
    ) -> Result<(), StepFailure> {
        let app = self.target.as_ref().map(|target| &target.app);
        let mut lines: Vec<String> = app.map(|app| format!("app: {app}")).into_iter().collect();
        lines.extend(extra.iter().cloned());
        self.gate.confirm(index, step, message, app, &lines)
    }

    /// From now on, masks the values of an argument that holds secrets (config vars to set).
    pub fn mask_arguments(&self, operation: &Operation, values: &ArgumentValues) {
        if let Some(value) = operation.secret_argument.and_then(|name| values.get(name)) {
            self.reporter.printer().redactor().add_strings_of(value);
        }
    }

    /// From now on, masks every value of a result that holds secrets (config vars).
    pub fn mask_secrets(&self, operation: &Operation, result: &serde_json::Value) {
        if operation.secret_result {
            self.reporter.printer().redactor().add_strings_of(result);
        }
    }

    /// An `sh:` command: run live (its process group killed when the step ends); in a dry-run
    /// only listed, its `dry_run:` form named beside it. A non-zero status fails the step.
    pub fn run_shell(
        &self,
        index: usize,
        step: &str,
        command: &str,
        dry_run_form: Option<&str>,
        timeout: Option<Duration>,
    ) -> Result<String, StepFailure> {
        let app = self.target.as_ref().map(|target| target.app.clone());
        self.claim_apps(&app.iter().cloned().collect::<Vec<_>>())?;
        let runs = format!("runs on this machine: {command}");
        let lines = || {
            let mut lines: Vec<String> = app.iter().map(|app| format!("app: {app}")).collect();
            lines.push(runs.clone());
            lines
        };
        self.gate.clear(&Question {
            index,
            step,
            message: None,
            apps: app.iter().cloned().collect(),
            lines: &lines,
        })?;
        let local = LocalCommand {
            app: app.clone(),
            program: "sh".into(),
            arguments: vec!["-c".into(), command.to_string()],
            directory: std::path::PathBuf::from("."),
        };
        let reporter = Arc::clone(&self.reporter);
        let line =
            move |line: String| reporter.emit(&Event::LogLine { index, line, detail: false });
        let outcome = self.bounded(
            async { self.effects.local(&local, &line).await.map_err(OperationError::from) },
            timeout,
        )?;
        match (outcome, dry_run_form) {
            (LocalOutcome::Recorded, Some(form)) => Ok(format!(
                "dry-run: would run `{command}` (its dry-run form `{form}` is not run either)"
            )),
            (LocalOutcome::Recorded, None) => Ok(format!("dry-run: would run `{command}`")),
            (LocalOutcome::Ran(Some(0)), _) => Ok(format!("`{command}` exited with status 0")),
            (LocalOutcome::Ran(Some(code)), _) => {
                Err(StepFailure::failed(format!("`{command}` exited with status {code}")))
            }
            (LocalOutcome::Ran(None), _) => {
                Err(StepFailure::failed(format!("`{command}` was ended by a signal")))
            }
        }
    }

    /// Runs `work` to its end, its timeout, or Ctrl-C, whichever comes first.
    pub fn bounded<T>(
        &self,
        work: impl Future<Output = Result<T, OperationError>>,
        timeout: Option<Duration>,
    ) -> Result<T, StepFailure> {
        let interrupt = self.interrupt.clone();
        self.handle.block_on(async move {
            let limited = within(work, timeout);
            tokio::select! {
                // A write that waited (a lock, an approval) and was refused because Ctrl-C came
                // during the wait was interrupted, not refused.
                result = limited => result.map_err(|error| {
                    if interrupt.is_requested() {
                        StepFailure::Interrupted
                    } else {
                        StepFailure::from(error)
                    }
                }),
                () = interrupt.requested() => Err(StepFailure::Interrupted),
            }
        })
    }
}

/// `work` to its end, or the failure `timed out after LIMIT` once `timeout` has passed: a
/// step's limit, and a `for_each` item's.
pub(super) async fn within<T>(
    work: impl Future<Output = Result<T, OperationError>>,
    timeout: Option<Duration>,
) -> Result<T, OperationError> {
    match timeout {
        Some(limit) => crate::clock::timeout(limit, work).await.unwrap_or_else(|_| {
            Err(OperationError::Failed(format!(
                "timed out after {}",
                humantime::format_duration(limit)
            )))
        }),
        None => work.await,
    }
}

//! Calling a catalogue operation from a step: checked, confirmed, shown in a dry-run, bounded by
//! the step's timeout and by Ctrl-C.

use std::sync::Arc;
use std::time::Duration;

use super::failure::StepFailure;
use super::run::Run;
use crate::effects::{LocalCommand, LocalOutcome};
use crate::ops::arguments::ArgumentValues;
use crate::ops::invoke::{self, OperationOutput, Outcome};
use crate::ops::{Effect, Operation};
use crate::output::event::Event;

/// One call of an operation by a step.
pub struct OperationCall {
    pub index: usize,
    pub operation: &'static Operation,
    pub values: ArgumentValues,
    pub timeout: Option<Duration>,
}

impl Run {
    /// Asks to confirm `message` before `operation`, showing what it will affect.
    pub fn confirm_operation(
        &self,
        index: usize,
        step: &str,
        message: &str,
        operation: &Operation,
        values: &ArgumentValues,
    ) -> Result<(), StepFailure> {
        invoke::check_arguments(operation, values).map_err(StepFailure::from)?;
        self.mask_arguments(operation, values);
        let impact = self
            .handle
            .block_on(invoke::impact(operation, values, &self.effects));
        self.gate.confirm(index, step, message, &impact.lines)
    }

    /// Checks, shows the write in a dry-run, then runs the operation.
    pub fn call_operation(&self, call: &OperationCall) -> Result<Outcome, StepFailure> {
        invoke::check_arguments(call.operation, &call.values).map_err(StepFailure::from)?;
        self.mask_arguments(call.operation, &call.values);
        self.show_planned_write(call.index, call.operation, &call.values);
        let (progress_reporter, line_reporter) =
            (Arc::clone(&self.reporter), Arc::clone(&self.reporter));
        let index = call.index;
        let progress = move |done: u64, total: u64, message: String| {
            progress_reporter.emit(&Event::StepProgress {
                index,
                done,
                total,
                message,
            });
        };
        let line = move |line: String| line_reporter.emit(&Event::LogLine { index, line });
        let printer = Arc::clone(self.reporter.printer());
        let release_terminal = move || printer.release_terminal();
        let output = OperationOutput {
            progress: &progress,
            line: &line,
            release_terminal: &release_terminal,
        };
        let work = invoke::invoke(call.operation, &call.values, &self.effects, &output);
        let outcome = self.bounded(work, call.timeout)?;
        if call.values.bool("reveal") == Some(true) {
            self.reporter.keep_out_of_journal(&outcome.value);
        } else {
            self.mask_secrets(call.operation, &outcome.value);
        }
        Ok(outcome)
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

    /// An `sh:` command: run live; in a dry-run, its `dry_run` form is run instead, or it is only
    /// listed. Its output lines are shown as they come; a non-zero status fails the step.
    pub fn run_shell(
        &self,
        index: usize,
        command: &str,
        dry_run_form: Option<&str>,
        timeout: Option<Duration>,
    ) -> Result<String, StepFailure> {
        let local = |text: &str| LocalCommand {
            app: self.app().unwrap_or_default().to_string(),
            program: "sh".into(),
            arguments: vec!["-c".into(), text.to_string()],
            directory: std::path::PathBuf::from("."),
        };
        let reporter = Arc::clone(&self.reporter);
        let line = move |line: String| reporter.emit(&Event::LogLine { index, line });
        let outcome = match dry_run_form {
            Some(form) => {
                let status = self.bounded(
                    async {
                        local(form)
                            .run(&line)
                            .await
                            .map_err(invoke::OperationError::Failed)
                    },
                    timeout,
                )?;
                return shell_status(form, Some(status))
                    .map(|()| format!("dry-run: ran `{form}` instead"));
            }
            None => self.bounded(
                async {
                    self.effects
                        .local(local(command), &line)
                        .await
                        .map_err(invoke::OperationError::Failed)
                },
                timeout,
            )?,
        };
        match outcome {
            LocalOutcome::Recorded => Ok(format!("dry-run: would run `{command}`")),
            LocalOutcome::Ran(status) => shell_status(command, Some(status))
                .map(|()| format!("`{command}` exited with status 0")),
        }
    }

    /// In a dry-run, shows the request a write would send.
    pub fn show_planned_write(&self, index: usize, operation: &Operation, values: &ArgumentValues) {
        if operation.effect == Effect::Write
            && self.effects.is_dry_run()
            && let Some(request) =
                self.handle
                    .block_on(invoke::planned_request(operation, values, &self.effects))
        {
            self.reporter.emit(&Event::WouldSend { index, request });
        }
    }

    /// Runs `work` to its end, its timeout, or Ctrl-C, whichever comes first.
    pub fn bounded<T>(
        &self,
        work: impl Future<Output = Result<T, invoke::OperationError>>,
        timeout: Option<Duration>,
    ) -> Result<T, StepFailure> {
        let interrupt = self.interrupt.clone();
        self.handle.block_on(async move {
            let limited = async {
                match timeout {
                    Some(limit) => tokio::time::timeout(limit, work).await.unwrap_or_else(|_| {
                        Err(invoke::OperationError::Failed(format!(
                            "timed out after {}",
                            humantime::format_duration(limit)
                        )))
                    }),
                    None => work.await,
                }
            };
            tokio::select! {
                result = limited => result.map_err(StepFailure::from),
                () = interrupt.requested() => Err(StepFailure::Interrupted),
            }
        })
    }
}

/// A command's exit: fine at 0, a step failure otherwise (or when a signal ended it).
fn shell_status(command: &str, status: Option<Option<i32>>) -> Result<(), StepFailure> {
    match status.flatten() {
        Some(0) => Ok(()),
        Some(code) => Err(StepFailure::failed(format!(
            "`{command}` exited with status {code}"
        ))),
        None => Err(StepFailure::failed(format!(
            "`{command}` was ended by a signal"
        ))),
    }
}

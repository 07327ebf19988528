//! Runs the steps of a YAML runbook: in order, with `when`, `retry`, `timeout`, `for_each`,
//! `on_failure` and `continue_on_failure`, then the `finally` steps whatever happened.

use std::sync::Arc;

use serde_json::Value;

use super::call::{Confirmation, OperationCall};
use super::evaluate::Evaluator;
use super::failure::{RunEnd, StepFailure};
use super::fan_out::EachCall;
use super::run::{Finished, Run, StepLabel};
use crate::journal::{Event, Phase};
use crate::output::StepChoice;
use crate::runbook::{Action, RetryPolicy, Step};
use crate::script::value;

const ONCE: RetryPolicy =
    RetryPolicy { attempts: 1, delay: std::time::Duration::ZERO, backoff: 1.0 };

/// The main steps, then `finally` (after an interruption too), and the worse of both ends.
pub fn run_steps(
    run: &Arc<Run>,
    steps: &[Step],
    finally: &[Step],
    evaluator: &Evaluator,
) -> RunEnd {
    run_phase(run, steps, finally, None, evaluator)
}

/// The same for the steps of a runbook that a `run:` step runs.
pub fn run_nested(
    run: &Arc<Run>,
    steps: &[Step],
    finally: &[Step],
    evaluator: &Evaluator,
) -> RunEnd {
    run_phase(run, steps, finally, Some(Phase::Run), evaluator)
}

fn run_phase(
    run: &Arc<Run>,
    steps: &[Step],
    finally: &[Step],
    phase: Option<Phase>,
    evaluator: &Evaluator,
) -> RunEnd {
    let end = run_sequence(run, steps, phase, evaluator);
    if finally.is_empty() {
        return end;
    }
    run.interrupt.acknowledge();
    end.then_finally(run_sequence(run, finally, Some(Phase::Finally), evaluator))
}

/// Runs `steps` in order; the first that fails ends the sequence, but in `finally:` every step
/// is tried (each is a cleanup of its own), and the sequence ends as its first failure did.
fn run_sequence(
    run: &Arc<Run>,
    steps: &[Step],
    phase: Option<Phase>,
    evaluator: &Evaluator,
) -> RunEnd {
    let cleaning_up = phase == Some(Phase::Finally);
    let mut first_end = RunEnd::Succeeded;
    for (position, step) in steps.iter().enumerate() {
        if run.interrupted() {
            return RunEnd::Interrupted;
        }
        if let Some(broken) = run.journal_stop() {
            return broken.into_end();
        }
        let label = StepLabel { index: position + 1, total: Some(steps.len()), phase };
        if phase.is_none() {
            match run.restore_finished(label, step, evaluator) {
                Ok(true) => continue,
                Ok(false) => {}
                Err(failure) => return failure.into_end(),
            }
        }
        if let Err(failure) = resumable(run, label, step) {
            if !cleaning_up {
                return failure.into_end();
            }
            first_end = first_end.then_finally(failure.into_end());
            continue;
        }
        match should_run(run, label, step, evaluator) {
            Ok(true) => {}
            Ok(false) => continue,
            Err(end) => return end,
        }
        let Err(failure) = run_one(run, label, step, evaluator) else {
            continue;
        };
        let failure = match recover(run, step, failure, evaluator) {
            Ok(Some(failure)) => failure,
            Ok(None) => continue,
            Err(end) => return end,
        };
        if !cleaning_up || matches!(failure, StepFailure::Interrupted) {
            return failure.into_end();
        }
        first_end = first_end.then_finally(failure.into_end());
    }
    first_end
}

/// A failed step's `on_failure` steps, then whether the failure still counts (`None` with
/// `continue_on_failure`); `Err` when the recovery was interrupted.
fn recover(
    run: &Arc<Run>,
    step: &Step,
    failure: StepFailure,
    evaluator: &Evaluator,
) -> Result<Option<StepFailure>, RunEnd> {
    if failure.is_operation_failure() && !step.control.on_failure.is_empty() {
        let recovery =
            run_sequence(run, &step.control.on_failure, Some(Phase::OnFailure), evaluator);
        if matches!(recovery, RunEnd::Interrupted) {
            return Err(recovery);
        }
    }
    if failure.is_operation_failure() && step.control.continue_on_failure {
        return Ok(None);
    }
    Ok(Some(failure))
}

/// `--resume`'s check of a step the earlier run left unfinished; a refusal is shown as the step's
/// own end, since in `finally` the run's end may be an earlier failure.
fn resumable(run: &Arc<Run>, label: StepLabel, step: &Step) -> Result<(), StepFailure> {
    run.check_resumable(label, &step.name).inspect_err(|failure| {
        let clock = run.start_step(label, &step.name, None);
        run.finish_step(clock, Err(failure));
    })
}

/// `--step` and `when:`: whether the step runs; `Err` ends the run.
fn should_run(
    run: &Arc<Run>,
    label: StepLabel,
    step: &Step,
    evaluator: &Evaluator,
) -> Result<bool, RunEnd> {
    let preview = || run.step_preview(step, evaluator);
    let asked = run.gate.before_step(&format!("{} {}", header(label), step.name), &preview);
    match asked.map_err(StepFailure::into_end)? {
        Some(StepChoice::Skip) => {
            run.step_skipped(label, &step.name, "skipped at the --step prompt".into());
            return Ok(false);
        }
        Some(StepChoice::Abort) => return Err(RunEnd::Aborted),
        _ => {}
    }
    let Some(when) = &step.when else {
        return Ok(true);
    };
    match evaluator.condition(&when.value) {
        Ok(true) => Ok(true),
        Ok(false) => {
            run.step_skipped(label, &step.name, format!("when: {} is false", when.value));
            Ok(false)
        }
        Err(error) => Err(StepFailure::from(error).into_end()),
    }
}

fn header(label: StepLabel) -> String {
    match (label.phase, label.total) {
        (Some(phase), Some(total)) => format!("[{phase} {}/{total}]", label.index),
        (None, Some(total)) => format!("[{}/{total}]", label.index),
        (_, None) => format!("[{}]", label.index),
    }
}

fn run_one(
    run: &Arc<Run>,
    label: StepLabel,
    step: &Step,
    evaluator: &Evaluator,
) -> Result<(), StepFailure> {
    let id = step.id.as_ref().map(|id| id.value.clone());
    let clock = run.start_step(label, &step.name, id.clone());
    match with_retries(run, label.index, step, evaluator) {
        Ok((result, summary)) => {
            if let Some(id) = &id {
                evaluator.define(id, &result);
            }
            let value = id.map(|_| result);
            run.finish_step(clock, Ok(Finished { summary, value }));
            Ok(())
        }
        Err(failure) => {
            run.finish_step(clock, Err(&failure));
            Err(failure)
        }
    }
}

/// Tries the step as `retry:` allows; its confirmation is asked once, before the first try that
/// gets that far. A write that may have left is never tried again.
fn with_retries(
    run: &Arc<Run>,
    index: usize,
    step: &Step,
    evaluator: &Evaluator,
) -> Result<(Value, Option<String>), StepFailure> {
    let policy = step.control.retry.unwrap_or(ONCE);
    let mut delay = policy.delay;
    let confirmation = match &step.confirm {
        Some(template) => Some(Confirmation::new(
            evaluator
                .template(template)
                .map(|message| value::display(&message))
                .map_err(StepFailure::from)?,
        )),
        None => None,
    };
    for attempt in 1..=policy.attempts {
        match perform(run, index, step, evaluator, confirmation.as_ref()) {
            Err(failure) if failure.is_retryable() && attempt < policy.attempts => {
                run.reporter.emit(&Event::StepRetry {
                    index,
                    attempt,
                    attempts: policy.attempts,
                    error: failure.message(),
                    delay_ms: delay.as_millis() as u64,
                });
                run.pause(delay)?;
                delay = delay.mul_f64(policy.backoff);
            }
            result => return result,
        }
    }
    unreachable!("the last attempt returns")
}

/// One try of a step.
fn perform(
    run: &Arc<Run>,
    index: usize,
    step: &Step,
    evaluator: &Evaluator,
    confirmation: Option<&Confirmation>,
) -> Result<(Value, Option<String>), StepFailure> {
    match &step.action {
        Action::Operation { operation, resolved, arguments } => {
            let operation = resolved.ok_or_else(|| {
                StepFailure::failed(format!("unknown operation `{}`", operation.value))
            })?;
            perform_operation(run, index, step, evaluator, operation, arguments, confirmation)
        }
        Action::Run { runbook, arguments, callee } => {
            let callee = callee.get().ok_or_else(|| {
                StepFailure::failed(format!("`{}` was not linked", runbook.value))
            })?;
            let values = evaluator.arguments(arguments, None).map_err(StepFailure::from)?;
            run.confirm_step(index, &step.name, confirmation, &[])?;
            super::callee::run_callee(run, callee, values.0)
        }
        Action::Shell { command, dry_run } => {
            perform_shell(run, index, step, evaluator, command, dry_run.as_ref(), confirmation)
        }
        Action::Script(code) => {
            run.confirm_step(index, &step.name, confirmation, &[])?;
            let result = evaluator.script(&code.value, step.control.timeout)?;
            let summary = result.is_string().then(|| result.to_string());
            Ok((value::to_json(&result), summary))
        }
    }
}

fn perform_operation(
    run: &Arc<Run>,
    index: usize,
    step: &Step,
    evaluator: &Evaluator,
    operation: &'static crate::ops::Operation,
    arguments: &[crate::runbook::Argument],
    confirmation: Option<&Confirmation>,
) -> Result<(Value, Option<String>), StepFailure> {
    let timeout = step.control.timeout;
    if let Some(for_each) = &step.control.for_each {
        let items = evaluator.items(&for_each.items).map_err(StepFailure::from)?;
        let calls = items
            .into_iter()
            .map(|item| evaluator.arguments(arguments, Some(&item)).map(|values| (item, values)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(StepFailure::from)?;
        let outcome = run.call_each(EachCall {
            index,
            step: &step.name,
            operation,
            calls,
            concurrency: for_each.concurrency,
            timeout,
            confirmation,
        })?;
        return Ok((outcome.value, outcome.summary));
    }
    let values = evaluator.arguments(arguments, None).map_err(StepFailure::from)?;
    let outcome = run.call_operation(&OperationCall {
        index,
        step: &step.name,
        operation,
        values,
        timeout,
        confirmation,
    })?;
    Ok((outcome.value, outcome.summary))
}

fn perform_shell(
    run: &Arc<Run>,
    index: usize,
    step: &Step,
    evaluator: &Evaluator,
    command: &crate::runbook::Template,
    dry_run: Option<&crate::runbook::Template>,
    confirmation: Option<&Confirmation>,
) -> Result<(Value, Option<String>), StepFailure> {
    let command = value::display(&evaluator.template(command).map_err(StepFailure::from)?);
    let runs = format!("runs on this machine: {command}");
    run.confirm_step(index, &step.name, confirmation, &[runs])?;
    let form = match dry_run {
        Some(form) if run.effects.is_dry_run() => {
            Some(value::display(&evaluator.template(form).map_err(StepFailure::from)?))
        }
        _ => None,
    };
    let summary =
        run.run_shell(index, &step.name, &command, form.as_deref(), step.control.timeout)?;
    Ok((Value::Null, Some(summary)))
}

//! Runs the steps of a YAML runbook in order.

use serde_json::Value;

use super::evaluate::Evaluator;
use super::run::{Finished, Run, RunEnd, StepFailure};
use crate::ops::arguments::ArgumentValues;
use crate::output::prompt::StepChoice;
use crate::runbook::model::{Action, Argument, ArgumentValue, Step};
use crate::script::value;

pub fn run_steps(run: &Run, steps: &[Step], evaluator: &Evaluator) -> RunEnd {
    let total = Some(steps.len());
    for (position, step) in steps.iter().enumerate() {
        let index = position + 1;
        match run
            .gate
            .before_step(&format!("[{index}/{}] {}", steps.len(), step.name))
        {
            Some(StepChoice::Skip) => {
                run.step_skipped(
                    index,
                    total,
                    &step.name,
                    "skipped at the --step prompt".into(),
                );
                continue;
            }
            Some(StepChoice::Abort) => return RunEnd::Aborted,
            _ => {}
        }
        if let Some(when) = &step.when {
            match evaluator.condition(&when.value) {
                Ok(true) => {}
                Ok(false) => {
                    run.step_skipped(
                        index,
                        total,
                        &step.name,
                        format!("when: {} is false", when.value),
                    );
                    continue;
                }
                Err(error) => return StepFailure::failed(error).into_end(),
            }
        }
        let id = step.id.as_ref().map(|id| id.value.clone());
        let clock = run.start_step(index, total, &step.name, id.clone());
        match run_step(run, index, step, evaluator) {
            Ok((result, summary)) => {
                if let Some(id) = &id {
                    evaluator.define(id, &result);
                }
                let value = id.map(|_| result);
                run.finish_step(clock, Ok(Finished { summary, value }));
            }
            Err(failure) => {
                run.finish_step(clock, Err(&failure));
                return failure.into_end();
            }
        }
    }
    RunEnd::Succeeded
}

fn run_step(
    run: &Run,
    index: usize,
    step: &Step,
    evaluator: &Evaluator,
) -> Result<(Value, Option<String>), StepFailure> {
    let confirm = step
        .confirm
        .as_ref()
        .map(|template| {
            evaluator
                .template(template)
                .map(|message| value::display(&message))
        })
        .transpose()
        .map_err(StepFailure::failed)?;
    match &step.action {
        Action::Operation {
            operation,
            arguments,
        } => {
            let operation = crate::ops::find(&operation.value).ok_or_else(|| {
                StepFailure::failed(format!("unknown operation `{}`", operation.value))
            })?;
            let values = evaluate_arguments(arguments, evaluator).map_err(StepFailure::failed)?;
            let outcome =
                run.call_operation(index, &step.name, operation, &values, confirm.as_deref())?;
            Ok((outcome.value, outcome.summary))
        }
        Action::Script(code) => {
            if let Some(message) = &confirm {
                let impact: Vec<String> = run
                    .app()
                    .map(|app| format!("app: {app}"))
                    .into_iter()
                    .collect();
                run.gate
                    .confirm(index, &step.name, message, &impact)
                    .map_err(StepFailure::NotConfirmed)?;
            }
            let result = evaluator.script(&code.value).map_err(StepFailure::failed)?;
            Ok((value::to_json(&result), None))
        }
    }
}

fn evaluate_arguments(
    arguments: &[Argument],
    evaluator: &Evaluator,
) -> Result<ArgumentValues, String> {
    let mut values = Vec::new();
    for argument in arguments {
        let value = match &argument.value {
            ArgumentValue::Literal(literal) => literal.clone(),
            ArgumentValue::Template(template) => value::to_json(&evaluator.template(template)?),
        };
        values.push((argument.name.value.clone(), value));
    }
    Ok(ArgumentValues(values))
}

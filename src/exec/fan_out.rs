//! `for_each`: one operation over many items, at most `concurrency` in flight, progress per item.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::failure::StepFailure;
use super::run::Run;
use crate::effects::Effects;
use crate::ops::Operation;
use crate::ops::arguments::ArgumentValues;
use crate::ops::invoke::{self, OperationError, OperationOutput, Outcome};

/// One operation to call once per item.
pub struct EachCall<'a> {
    pub index: usize,
    pub step: &'a str,
    pub operation: &'static Operation,
    /// Each item with the arguments evaluated for it.
    pub calls: Vec<(Value, ArgumentValues)>,
    pub concurrency: usize,
    pub timeout: Option<Duration>,
}

/// How many items a confirmation lists before it says "and N more".
const LISTED_ITEMS: usize = 10;

impl Run {
    /// Asks to confirm `message` before the whole fan-out, listing the items and requests.
    pub fn confirm_each(&self, each: &EachCall<'_>, message: &str) -> Result<(), StepFailure> {
        for (_, values) in &each.calls {
            invoke::check_arguments(each.operation, values).map_err(StepFailure::from)?;
        }
        for (_, values) in &each.calls {
            self.mask_arguments(each.operation, values);
        }
        let lines = self.handle.block_on(impact(each, &self.effects));
        self.gate.confirm(each.index, each.step, message, &lines)
    }

    pub fn call_each(&self, each: EachCall<'_>) -> Result<Outcome, StepFailure> {
        for (_, values) in &each.calls {
            invoke::check_arguments(each.operation, values).map_err(StepFailure::from)?;
        }
        for (_, values) in &each.calls {
            self.show_planned_write(each.index, each.operation, values);
        }
        let total = each.calls.len();
        let outcomes = self.run_all(&each)?;
        for outcome in outcomes.iter().flatten() {
            self.mask_secrets(each.operation, &outcome.value);
        }
        let failures: Vec<String> = outcomes
            .iter()
            .zip(&each.calls)
            .filter_map(|(outcome, (item, _))| {
                outcome
                    .as_ref()
                    .err()
                    .map(|error| format!("{}: {error}", display(item)))
            })
            .collect();
        if !failures.is_empty() {
            return Err(StepFailure::failed(format!(
                "{} of {total} failed: {}",
                failures.len(),
                failures.join("; ")
            )));
        }
        let values: Vec<Value> = outcomes
            .into_iter()
            .filter_map(Result::ok)
            .map(|outcome| outcome.value)
            .collect();
        Ok(Outcome {
            value: Value::Array(values),
            summary: Some(format!(
                "{total}/{total} done, {} at a time",
                each.concurrency
            )),
        })
    }

    /// Runs every call, `concurrency` at a time, reporting progress as each ends.
    fn run_all(
        &self,
        each: &EachCall<'_>,
    ) -> Result<Vec<Result<Outcome, OperationError>>, StepFailure> {
        let interrupt = self.interrupt.clone();
        let work = fan_out(self, each);
        self.handle.block_on(async move {
            tokio::select! {
                outcomes = work => Ok(outcomes),
                () = interrupt.requested() => Err(StepFailure::Interrupted),
            }
        })
    }
}

async fn fan_out(run: &Run, each: &EachCall<'_>) -> Vec<Result<Outcome, OperationError>> {
    let total = each.calls.len();
    let permits = Arc::new(Semaphore::new(each.concurrency));
    let mut tasks = JoinSet::new();
    for (position, (_, values)) in each.calls.iter().enumerate() {
        let permit = Arc::clone(&permits).acquire_owned().await;
        let (operation, values, effects, timeout) = (
            each.operation,
            values.clone(),
            run.effects.clone(),
            each.timeout,
        );
        tasks.spawn(async move {
            let _permit = permit;
            (
                position,
                call_one(operation, values, effects, timeout).await,
            )
        });
    }
    let mut outcomes: Vec<Option<Result<Outcome, OperationError>>> =
        (0..total).map(|_| None).collect();
    let mut done = 0;
    while let Some(joined) = tasks.join_next().await {
        let Ok((position, outcome)) = joined else {
            continue;
        };
        done += 1;
        run.progress(
            each.index,
            done as u64,
            total as u64,
            format!("{done}/{total} done"),
        );
        outcomes[position] = Some(outcome);
    }
    outcomes
        .into_iter()
        .map(|outcome| {
            outcome.unwrap_or_else(|| Err(OperationError::Failed("the task did not finish".into())))
        })
        .collect()
}

async fn call_one(
    operation: &'static Operation,
    values: ArgumentValues,
    effects: Effects,
    timeout: Option<Duration>,
) -> Result<Outcome, OperationError> {
    let quiet = OperationOutput::quiet();
    let work = invoke::invoke(operation, &values, &effects, &quiet);
    match timeout {
        Some(limit) => tokio::time::timeout(limit, work).await.unwrap_or_else(|_| {
            Err(OperationError::Failed(format!(
                "timed out after {}",
                humantime::format_duration(limit)
            )))
        }),
        None => work.await,
    }
}

/// What a confirmation of a `for_each` shows: how many items, which, and the requests.
async fn impact(each: &EachCall<'_>, effects: &Effects) -> Vec<String> {
    let mut lines = vec![format!(
        "{} items, {} at a time:",
        each.calls.len(),
        each.concurrency
    )];
    for (item, values) in each.calls.iter().take(LISTED_ITEMS) {
        match invoke::planned_request(each.operation, values, effects).await {
            Some(request) => lines.push(format!("  {}: {}", display(item), request.describe())),
            None => lines.push(format!("  {}", display(item))),
        }
    }
    if each.calls.len() > LISTED_ITEMS {
        lines.push(format!("  and {} more", each.calls.len() - LISTED_ITEMS));
    }
    lines
}

fn display(item: &Value) -> String {
    match item {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

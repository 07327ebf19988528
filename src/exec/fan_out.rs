//! `for_each`: one operation over many items, at most `concurrency` in flight, progress per item.
//! Every write is prepared first and the whole gate decided before the first one leaves.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::failure::StepFailure;
use super::run::Run;
use crate::effects::Effects;
use crate::ops::{
    self, ArgumentValues, Behaviour, Operation, OperationError, OperationOutput, Outcome,
    PreparedWrite,
};

/// One operation to call once per item.
pub struct EachCall<'a> {
    pub index: usize,
    pub step: &'a str,
    pub operation: &'static Operation,
    /// Each item with the arguments evaluated for it.
    pub calls: Vec<(Value, ArgumentValues)>,
    pub concurrency: usize,
    pub timeout: Option<Duration>,
    /// The step's own confirmation, asked once for every item.
    pub confirmation: Option<&'a super::call::Confirmation>,
}

/// How many items a confirmation lists before it says "and N more".
const LISTED_ITEMS: usize = 10;

type ItemResult = Result<Outcome, OperationError>;

impl Run {
    pub fn call_each(&self, each: EachCall<'_>) -> Result<Outcome, StepFailure> {
        for (_, values) in &each.calls {
            ops::check_arguments(each.operation, values).map_err(StepFailure::from)?;
            self.mask_arguments(each.operation, values);
        }
        let outcomes = match each.operation.behaviour {
            Behaviour::Read(_) => self.read_each(&each)?,
            Behaviour::Write(_) => self.write_each(&each)?,
        };
        for outcome in outcomes.iter().flatten() {
            self.mask_secrets(each.operation, &outcome.value);
        }
        gather(&each, outcomes)
    }

    fn read_each(&self, each: &EachCall<'_>) -> Result<Vec<ItemResult>, StepFailure> {
        let items: Vec<String> = each.calls.iter().map(|(item, _)| display(item)).collect();
        self.confirm_step(each.index, each.step, each.confirmation, &listed(each, &items))?;
        let works = each.calls.iter().map(|(_, values)| {
            let (operation, values, effects) =
                (each.operation, values.clone(), self.effects.clone());
            async move {
                let quiet = OperationOutput::quiet();
                ops::read(operation, &values, &effects, &quiet).await
            }
        });
        self.run_all(each, works.collect())
    }

    fn write_each(&self, each: &EachCall<'_>) -> Result<Vec<ItemResult>, StepFailure> {
        let mut writes = self.prepare_each(each)?;
        if self.claim_locks(&writes.iter().collect::<Vec<_>>())? {
            if let Some(confirmation) = each.confirmation {
                confirmation.ask_again();
            }
            writes = self.prepare_each(each)?;
        }
        refuse_duplicates(&writes)?;
        let shown: Vec<String> = each
            .calls
            .iter()
            .zip(&writes)
            .map(|((item, _), write)| format!("{}: {}", display(item), write.first().describe()))
            .collect();
        let lines = listed(each, &shown);
        let refs: Vec<&PreparedWrite> = writes.iter().collect();
        self.clear(each.index, each.step, each.confirmation, &refs, &|| lines.clone())?;
        self.approve_plan(&refs, &|| {
            let mut plan = vec![format!("step: {}", each.step)];
            plan.extend(each.confirmation.map(|asked| format!("asked: {}", asked.message())));
            plan.extend(lines.iter().cloned());
            plan
        })?;
        let works = writes.into_iter().map(|write| {
            let effects: Effects = self.effects.clone();
            async move {
                let quiet = OperationOutput::quiet();
                ops::carry_out(write, &effects, &quiet).await
            }
        });
        self.run_all(each, works.collect())
    }

    fn prepare_each(&self, each: &EachCall<'_>) -> Result<Vec<PreparedWrite>, StepFailure> {
        each.calls
            .iter()
            .map(|(_, values)| self.prepare(each.operation, values, each.timeout))
            .collect()
    }

    /// Runs every item's work, `concurrency` at a time, reporting progress as each ends.
    fn run_all<W>(&self, each: &EachCall<'_>, works: Vec<W>) -> Result<Vec<ItemResult>, StepFailure>
    where
        W: Future<Output = ItemResult> + Send + 'static,
    {
        let interrupt = self.interrupt.clone();
        let work = fan_out(self, each, works);
        self.handle.block_on(async move {
            tokio::select! {
                outcomes = work => Ok(outcomes),
                () = interrupt.requested() => Err(StepFailure::Interrupted),
            }
        })
    }
}

async fn fan_out<W>(run: &Run, each: &EachCall<'_>, works: Vec<W>) -> Vec<ItemResult>
where
    W: Future<Output = ItemResult> + Send + 'static,
{
    let total = works.len();
    let permits = Arc::new(Semaphore::new(each.concurrency));
    let mut tasks = JoinSet::new();
    for (position, work) in works.into_iter().enumerate() {
        let permit = Arc::clone(&permits).acquire_owned().await;
        let timeout = each.timeout;
        tasks.spawn(async move {
            let _permit = permit;
            (position, bounded(work, timeout).await)
        });
    }
    let mut outcomes: Vec<Option<ItemResult>> = (0..total).map(|_| None).collect();
    let mut done = 0;
    while let Some(joined) = tasks.join_next().await {
        let Ok((position, outcome)) = joined else {
            continue;
        };
        done += 1;
        run.progress(each.index, done as u64, total as u64, format!("{done}/{total} done"));
        outcomes[position] = Some(outcome);
    }
    outcomes
        .into_iter()
        .map(|outcome| {
            outcome.unwrap_or_else(|| Err(OperationError::Failed("the task did not finish".into())))
        })
        .collect()
}

async fn bounded(work: impl Future<Output = ItemResult>, timeout: Option<Duration>) -> ItemResult {
    super::call::within(work, timeout).await
}

/// The values in item order, or one failure naming every item that failed (a refusal first).
fn gather(each: &EachCall<'_>, outcomes: Vec<ItemResult>) -> Result<Outcome, StepFailure> {
    let total = outcomes.len();
    let mut values = Vec::with_capacity(total);
    let mut failures = Vec::new();
    let mut first_failure: Option<StepFailure> = None;
    let mut any_maybe_sent = false;
    for ((item, _), outcome) in each.calls.iter().zip(outcomes) {
        match outcome {
            Ok(outcome) => values.push(outcome.value),
            Err(error) => {
                any_maybe_sent |= error.may_have_taken_effect();
                failures.push(format!("{}: {error}", display(item)));
                let failure = StepFailure::from(error);
                if first_failure.is_none() || matches!(failure, StepFailure::NotConfirmed(_)) {
                    first_failure = Some(failure);
                }
            }
        }
    }
    match first_failure {
        None => Ok(Outcome {
            value: Value::Array(values),
            summary: Some(format!("{total}/{total} done, {} at a time", each.concurrency)),
        }),
        Some(StepFailure::NotConfirmed(refusal)) => Err(StepFailure::NotConfirmed(refusal)),
        Some(StepFailure::Operation { hint, access_problem, .. }) => Err(StepFailure::Operation {
            message: format!("{} of {total} failed: {}", failures.len(), failures.join("; ")),
            hint,
            access_problem,
            maybe_sent: any_maybe_sent,
        }),
        Some(other) => Err(other),
    }
}

/// Two items that would send the same write: a `for_each` sends each write once.
fn refuse_duplicates(writes: &[PreparedWrite]) -> Result<(), StepFailure> {
    let mut seen: Vec<String> = Vec::new();
    for (position, write) in writes.iter().enumerate() {
        let key = write.first().describe();
        if let Some(earlier) = seen.iter().position(|known| *known == key) {
            return Err(StepFailure::failed(format!(
                "items {} and {} both send {key}: a for_each sends each write once",
                earlier + 1,
                position + 1
            )));
        }
        seen.push(key);
    }
    Ok(())
}

/// What a confirmation of a `for_each` shows: how many items, which, and what each sends.
fn listed(each: &EachCall<'_>, shown: &[String]) -> Vec<String> {
    let mut lines = vec![format!("{} items, {} at a time:", each.calls.len(), each.concurrency)];
    lines.extend(shown.iter().take(LISTED_ITEMS).map(|line| format!("  {line}")));
    if shown.len() > LISTED_ITEMS {
        lines.push(format!("  and {} more", shown.len() - LISTED_ITEMS));
    }
    lines
}

fn display(item: &Value) -> String {
    match item {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

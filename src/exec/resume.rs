//! `--resume RUN_ID`: which steps of an earlier run finished, so that this run skips them and
//! starts at the one that failed or was interrupted.

use std::collections::BTreeMap;

use serde_json::Value;

use super::evaluate::Evaluator;
use super::launch::content_hash;
use super::run::{Run, StepLabel};
use crate::error::Failure;
use crate::journal::Journal;
use crate::journal::runs::{self, RunHistory};
use crate::runbook::Runbook;
use crate::runbook::environments::Environment;
use crate::runbook::model::Step;
use crate::settings::RunSettings;

/// What `--resume` brings from the earlier run: the steps it finished, and its params.
pub struct Resumption {
    pub plan: ResumePlan,
    /// The params of the earlier run as `name=value`, used when none are given this time.
    pub params: Vec<String>,
}

/// The resumption `--resume` asks for, after checking that the earlier run may be resumed:
/// the same runbook and environment, not already succeeded, and (unless `--force`) unchanged.
pub fn plan_for(
    journal: &Journal,
    runbook: &Runbook,
    target: Option<&Environment>,
    settings: &RunSettings,
) -> Result<Option<Resumption>, Failure> {
    let Some(wanted) = &settings.resume else {
        return Ok(None);
    };
    let records = journal
        .read()
        .map_err(|error| Failure::usage(error.to_string(), "check RUNBOOK_STATE_DIR"))?;
    let history = runs::group(records);
    let earlier = runs::find(&history, wanted)
        .map_err(|message| Failure::usage(message, "`runbook history` lists the runs"))?;
    let environment = target.map(|target| target.name.value.clone());
    if earlier.runbook != runbook.name || earlier.environment != environment {
        return Err(Failure::usage(
            format!(
                "run {} was `{}`, not this runbook",
                earlier.run_id,
                earlier.target_name()
            ),
            format!(
                "resume it with `runbook run {} --resume {}`",
                earlier.target_name(),
                earlier.run_id
            ),
        ));
    }
    if earlier.status == "succeeded" {
        return Err(Failure::usage(
            format!(
                "run {} succeeded: there is nothing to resume",
                earlier.run_id
            ),
            "start a new run instead",
        ));
    }
    if earlier.content_hash != content_hash(runbook) && !settings.force {
        return Err(Failure::usage(
            format!(
                "`{}` changed since run {}: its steps may not line up any more",
                runbook.name, earlier.run_id
            ),
            "check the change, then pass --force to resume anyway",
        ));
    }
    Ok(Some(Resumption {
        plan: ResumePlan::from_history(earlier),
        params: earlier_params(earlier),
    }))
}

fn earlier_params(run: &RunHistory) -> Vec<String> {
    let Some(started) = run
        .records
        .iter()
        .find(|record| record.kind() == "run_started")
    else {
        return Vec::new();
    };
    let Some(params) = started.event["params"].as_object() else {
        return Vec::new();
    };
    params
        .iter()
        .filter(|(_, value)| !value.is_null())
        .map(|(name, value)| match value {
            Value::String(text) => format!("{name}={text}"),
            other => format!("{name}={other}"),
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct ResumePlan {
    pub run_id: String,
    /// Main steps that finished, by index, with the result they gave.
    finished: BTreeMap<usize, Option<Value>>,
}

impl ResumePlan {
    pub fn from_history(run: &RunHistory) -> Self {
        let finished = run
            .finished_steps()
            .into_iter()
            .filter(|record| record.event.get("phase").is_none_or(Value::is_null))
            .filter_map(|record| {
                let index = record.event["index"].as_u64()? as usize;
                Some((index, record.event.get("result").cloned()))
            })
            .collect();
        Self {
            run_id: run.run_id.clone(),
            finished,
        }
    }

    /// The result of main step `index` if it finished in the earlier run.
    pub fn finished(&self, index: usize) -> Option<&Option<Value>> {
        self.finished.get(&index)
    }
}

impl Run {
    /// When resuming, skips a step that finished before, restoring its result for later steps.
    pub fn restore_finished(&self, label: StepLabel, step: &Step, evaluator: &Evaluator) -> bool {
        let Some(result) = self.resumed_result(label.index) else {
            return false;
        };
        if let (Some(id), Some(result)) = (&step.id, &result) {
            evaluator.define(&id.value, result);
        }
        self.skip_resumed(label, &step.name);
        true
    }

    /// The result a step gave in the run being resumed, if it finished there.
    pub fn resumed_result(&self, index: usize) -> Option<Option<Value>> {
        self.resume.as_ref()?.finished(index).cloned()
    }

    pub fn skip_resumed(&self, label: StepLabel, name: &str) {
        let run_id = self
            .resume
            .as_ref()
            .map(|plan| plan.run_id.as_str())
            .unwrap_or_default();
        self.step_skipped(label, name, format!("done in run {run_id}"));
    }
}

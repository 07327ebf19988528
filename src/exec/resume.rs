//! `--resume RUN_ID`: which steps of an earlier run finished, so that this run skips them and
//! starts at the one that failed or was interrupted. A write that may have taken effect in that
//! step is never sent again silently: the operator sees what is known and decides, on a terminal.

use std::collections::BTreeMap;

use serde_json::Value;

use super::evaluate::Evaluator;
use super::failure::{Refusal, StepFailure};
use super::run::{Run, StepLabel};
use crate::error::Failure;
use crate::identifiers::AppName;
use crate::journal::runs::{self, RunHistory};
use crate::journal::{Journal, Record};
use crate::runbook::Runbook;
use crate::runbook::model::Param;

/// What this run is, to compare with the one it resumes.
pub struct ResumeRequest<'a> {
    pub run_id: &'a str,
    pub runbook: &'a Runbook,
    pub environment: Option<&'a str>,
    pub dry_run: bool,
    /// `sim` or `heroku`.
    pub target: &'a str,
    pub api_url: &'a str,
    pub force: bool,
    pub content_hash: &'a str,
}

/// What `--resume` brings from the earlier run: the steps it finished, and its params.
pub struct Resumption {
    pub plan: ResumePlan,
    /// The params of the earlier run as `name=value`, secrets left out.
    pub params: Vec<String>,
    /// Secret params the earlier run had: they must be given again.
    pub secrets: Vec<String>,
}

/// The resumption asked for, after checking that the earlier run may be resumed: the same
/// runbook, environment, target and API URL, not a dry-run resumed live, not already succeeded,
/// and (unless `--force`) unchanged.
pub fn plan_for(journal: &Journal, wanted: &ResumeRequest<'_>) -> Result<Resumption, Failure> {
    let records = journal
        .read()
        .map_err(|error| Failure::usage(error.to_string(), "check RUNBOOK_STATE_DIR"))?;
    let history = runs::group(records);
    let earlier = runs::find(&history, wanted.run_id)
        .map_err(|message| Failure::usage(message, "`runbook history` lists the runs"))?;
    refuse_mismatch(earlier, wanted)?;
    Ok(Resumption {
        plan: ResumePlan::from_history(earlier),
        params: earlier_params(earlier, &wanted.runbook.params),
        secrets: earlier_secrets(earlier, &wanted.runbook.params),
    })
}

fn refuse_mismatch(earlier: &RunHistory, wanted: &ResumeRequest<'_>) -> Result<(), Failure> {
    let again = format!(
        "resume it with `runbook run {} --resume {}`",
        earlier.target_name(),
        earlier.run_id
    );
    if earlier.runbook != wanted.runbook.name
        || earlier.environment.as_deref() != wanted.environment
    {
        return Err(Failure::usage(
            format!(
                "run {} was `{}`, not this runbook",
                earlier.run_id,
                earlier.target_name()
            ),
            again,
        ));
    }
    if earlier.mode == "dry_run" && !wanted.dry_run {
        return Err(Failure::usage(
            format!(
                "run {} was a dry-run: nothing it planned was sent, so none of its steps count as done",
                earlier.run_id
            ),
            "start a new run instead",
        ));
    }
    if earlier.target != wanted.target
        || (wanted.target == "heroku" && earlier.api_url != wanted.api_url)
    {
        return Err(Failure::usage(
            format!(
                "run {} went to {} ({}), not to {} ({})",
                earlier.run_id, earlier.target, earlier.api_url, wanted.target, wanted.api_url
            ),
            "a run resumes only against the same target and API URL (a rehearsal never resumes live)",
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
    if earlier.content_hash != wanted.content_hash && !wanted.force {
        return Err(Failure::usage(
            format!(
                "`{}` changed since run {}: its steps may not line up any more",
                wanted.runbook.name, earlier.run_id
            ),
            "check the change, then pass --force to resume anyway",
        ));
    }
    Ok(())
}

fn started_params(run: &RunHistory) -> Option<&serde_json::Map<String, Value>> {
    run.records
        .iter()
        .find(|record| record.kind() == "run_started")?
        .event["params"]
        .as_object()
}

/// The earlier run's params as `name=value`, leaving out secrets (the journal holds only a mask).
fn earlier_params(run: &RunHistory, declared: &[Param]) -> Vec<String> {
    let Some(params) = started_params(run) else {
        return Vec::new();
    };
    params
        .iter()
        .filter(|(name, value)| !value.is_null() && !is_secret(declared, name))
        .map(|(name, value)| match value {
            Value::String(text) => format!("{name}={text}"),
            Value::Array(items) => format!(
                "{name}={}",
                items
                    .iter()
                    .map(|item| item.as_str().map_or(item.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            other => format!("{name}={other}"),
        })
        .collect()
}

fn earlier_secrets(run: &RunHistory, declared: &[Param]) -> Vec<String> {
    let Some(params) = started_params(run) else {
        return Vec::new();
    };
    params
        .iter()
        .filter(|(name, value)| !value.is_null() && is_secret(declared, name))
        .map(|(name, _)| name.clone())
        .collect()
}

fn is_secret(declared: &[Param], name: &str) -> bool {
    declared
        .iter()
        .any(|param| param.secret && param.name.value == name)
}

/// A write of the earlier run that may have taken effect.
#[derive(Debug, Clone)]
pub struct LeftWrite {
    pub app: Option<AppName>,
    pub described: String,
    pub sent_at: String,
    /// What is known of its answer.
    pub answer: String,
}

#[derive(Debug, Clone)]
pub struct ResumePlan {
    pub run_id: String,
    /// Main steps that finished, by index, with the result they gave.
    finished: BTreeMap<usize, Option<Value>>,
    /// Writes that may have taken effect, by the main step that sent them.
    left: BTreeMap<usize, Vec<LeftWrite>>,
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
            left: left_writes(&run.records),
        }
    }

    /// The result of main step `index` if it finished in the earlier run.
    pub fn finished(&self, index: usize) -> Option<&Option<Value>> {
        self.finished.get(&index)
    }
}

/// Every write that left during each main step and may have taken effect: sent with no answer,
/// or answered with something other than a refusal.
fn left_writes(records: &[Record]) -> BTreeMap<usize, Vec<LeftWrite>> {
    let mut step = 0;
    let mut left: BTreeMap<usize, Vec<LeftWrite>> = BTreeMap::new();
    for record in records {
        let event = &record.event;
        match record.kind() {
            "step_started" if event.get("phase").is_none_or(Value::is_null) => {
                step = event["index"].as_u64().unwrap_or(0) as usize;
            }
            "write_sent" => left.entry(step).or_default().push(LeftWrite {
                app: event["request"]["app"]
                    .as_str()
                    .and_then(|app| AppName::parse(app).ok()),
                described: format!(
                    "{} {}",
                    event["request"]["method"].as_str().unwrap_or_default(),
                    event["request"]["path"].as_str().unwrap_or_default()
                ),
                sent_at: record.time.clone(),
                answer: "no answer recorded".into(),
            }),
            "write_answered" | "write_failed" => answered(&mut left, step, event),
            _ => {}
        }
    }
    left.retain(|_, writes| !writes.is_empty());
    left
}

/// Takes the answer of the last write of `step` into account.
fn answered(left: &mut BTreeMap<usize, Vec<LeftWrite>>, step: usize, event: &Value) {
    let Some(writes) = left.get_mut(&step) else {
        return;
    };
    let Some(last) = writes.last_mut() else {
        return;
    };
    if let Some(status) = event["status"].as_u64() {
        if (400..500).contains(&status) || status == 503 {
            writes.pop();
            return;
        }
        last.answer = format!("answered {status}");
        return;
    }
    if event["may_have_taken_effect"] == false {
        writes.pop();
        return;
    }
    last.answer = format!(
        "answer unknown: {}",
        event["error"].as_str().unwrap_or("no answer")
    );
}

impl Run {
    /// When resuming, skips a step that finished before, restoring its result for later steps.
    pub fn restore_finished(
        &self,
        label: StepLabel,
        step: &crate::runbook::model::Step,
        evaluator: &Evaluator,
    ) -> bool {
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

    /// Before a step of the resumed run sent writes that may have taken effect: what is known,
    /// a fresh read of the app, and the operator's decision; off a terminal, a refusal.
    pub fn check_resumable(&self, label: StepLabel, name: &str) -> Result<(), StepFailure> {
        if label.phase.is_some() {
            return Ok(());
        }
        let Some(plan) = &self.resume else {
            return Ok(());
        };
        let Some(writes) = plan.left.get(&label.index) else {
            return Ok(());
        };
        let mut lines: Vec<String> = writes
            .iter()
            .map(|write| {
                format!(
                    "run {} sent {} at {}: {}",
                    plan.run_id, write.described, write.sent_at, write.answer
                )
            })
            .collect();
        lines.extend(self.fresh_read(writes));
        let message = format!(
            "step `{name}` may already have taken effect in run {}: run it again?",
            plan.run_id
        );
        let decided = if self.gate.is_interactive() && !self.effects.is_dry_run() {
            self.reporter.printer().ask_yes_no(&message, &lines)
        } else {
            Ok(false)
        };
        match decided {
            Ok(true) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {
                self.interrupt.request();
                Err(StepFailure::Interrupted)
            }
            _ => Err(StepFailure::NotConfirmed(Refusal {
                message: format!(
                    "step `{name}` sent {} in run {} and it may have taken effect: it is not sent again without a decision",
                    writes
                        .iter()
                        .map(|write| write.described.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                    plan.run_id
                ),
                hint: Some(format!(
                    "check the app first: {}; then resume on a terminal to decide, or start a new run",
                    lines.last().cloned().unwrap_or_default()
                )),
            })),
        }
    }

    /// The state of the apps those writes touched, read now.
    fn fresh_read(&self, writes: &[LeftWrite]) -> Vec<String> {
        let mut apps: Vec<&AppName> = writes
            .iter()
            .filter_map(|write| write.app.as_ref())
            .collect();
        apps.dedup();
        apps.into_iter()
            .map(|app| {
                let reader = self.effects.reader();
                let (dynos, releases) = self.handle.block_on(async {
                    (
                        crate::heroku::dynos::list(reader, app).await,
                        crate::heroku::releases::list(reader, app).await,
                    )
                });
                let dynos = dynos.map_or_else(
                    |error| format!("dynos unreadable ({error})"),
                    |dynos| crate::ops::describe_dynos(&dynos),
                );
                let release = releases.ok().and_then(|all| all.into_iter().next()).map_or(
                    "no release read".to_string(),
                    |release| {
                        format!(
                            "v{} {} ({})",
                            release.version, release.description, release.status
                        )
                    },
                );
                format!("now {app}: {dynos}; newest release {release}")
            })
            .collect()
    }
}

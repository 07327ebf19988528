//! What `--resume` brings from the earlier run: the steps it finished (with their results) and the
//! writes that left during the step it stopped at and may have taken effect.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::effects::{PlannedCommand, ProcessGroup};
use crate::identifiers::AppName;
use crate::journal::{Record, RunHistory};
use crate::output::{Event, StepStatus};

/// A write of the earlier run that may have taken effect.
#[derive(Debug, Clone)]
pub struct LeftWrite {
    pub app: Option<AppName>,
    pub described: String,
    pub sent_at: String,
    /// What is known of its answer.
    pub answer: String,
}

/// What a finished step of the earlier run gave, as far as it is known now.
#[derive(Debug, Clone)]
pub enum Restored {
    /// No value (a step without an id, a script that returned nothing).
    Nothing,
    Value(Value),
    /// It gave a value, but the run is too old for it to be kept.
    Lost,
}

#[derive(Debug, Clone)]
pub struct ResumePlan {
    pub run_id: String,
    /// Main steps that finished, by index, with the result they gave (`None`: none, or no longer
    /// kept).
    finished: BTreeMap<usize, Restored>,
    /// Writes that may have taken effect, by the main step that sent them.
    left: BTreeMap<usize, Vec<LeftWrite>>,
    /// Local commands that started and were never seen to end, by the main step that ran them.
    unended: BTreeMap<usize, Vec<UnendedCommand>>,
}

/// A local command of the earlier run with no record of its end: its process group may still be
/// running (the run was killed, or the machine lost power).
#[derive(Debug, Clone)]
pub struct UnendedCommand {
    pub command: PlannedCommand,
    pub group: ProcessGroup,
}

impl ResumePlan {
    /// The plan from the earlier run's records and the results kept for it.
    pub fn from_history(run: &RunHistory, mut kept: BTreeMap<usize, Value>) -> Self {
        let finished = run
            .records
            .iter()
            .filter_map(|record| match &record.event {
                Event::StepFinished {
                    index,
                    phase: None,
                    status: StepStatus::Done,
                    result,
                    result_kept,
                    ..
                } => {
                    let restored =
                        match (result.clone().or_else(|| kept.remove(index)), result_kept) {
                            (Some(value), _) => Restored::Value(value),
                            (None, true) => Restored::Lost,
                            (None, false) => Restored::Nothing,
                        };
                    Some((*index, restored))
                }
                _ => None,
            })
            .collect();
        Self {
            run_id: run.run_id.clone(),
            finished,
            left: left_writes(&run.records),
            unended: unended_commands(&run.records),
        }
    }

    /// The commands of main step `index` that may still be running now, on this machine.
    pub fn still_running(&self, index: usize) -> Vec<&UnendedCommand> {
        self.unended
            .get(&index)
            .into_iter()
            .flatten()
            .filter(|unended| unended.group.may_still_run())
            .collect()
    }

    /// What main step `index` gave, if it finished in the earlier run.
    pub fn finished(&self, index: usize) -> Option<&Restored> {
        self.finished.get(&index)
    }

    /// The writes of main step `index` that may have taken effect in the earlier run.
    pub fn left(&self, index: usize) -> Option<&[LeftWrite]> {
        self.left.get(&index).map(Vec::as_slice)
    }
}

/// Every write that left during each main step and may have taken effect: sent with no answer,
/// or answered with something other than a refusal.
fn left_writes(records: &[Record]) -> BTreeMap<usize, Vec<LeftWrite>> {
    let mut step = 0;
    let mut left: BTreeMap<usize, Vec<LeftWrite>> = BTreeMap::new();
    for record in records {
        match &record.event {
            Event::StepStarted {
                index, phase: None, ..
            } => step = *index,
            Event::WriteSent { request, .. } => left.entry(step).or_default().push(LeftWrite {
                app: Some(request.app.clone()),
                described: request.key(),
                sent_at: record.time.clone(),
                answer: "no answer recorded".into(),
            }),
            Event::WriteAnswered { status, .. } => answered(&mut left, step, Some(*status), None),
            Event::WriteFailed {
                error,
                may_have_taken_effect: true,
                ..
            } => answered(&mut left, step, None, Some(error)),
            Event::WriteFailed { .. } => forget_last(&mut left, step),
            _ => {}
        }
    }
    left.retain(|_, writes| !writes.is_empty());
    left
}

/// Takes the answer of the last write of `step` into account: a refusal (4xx, 503) did not take
/// effect; anything else may have.
fn answered(
    left: &mut BTreeMap<usize, Vec<LeftWrite>>,
    step: usize,
    status: Option<u16>,
    error: Option<&str>,
) {
    if let Some(status) = status
        && ((400..500).contains(&status) || status == 503)
    {
        forget_last(left, step);
        return;
    }
    let Some(last) = left.get_mut(&step).and_then(|writes| writes.last_mut()) else {
        return;
    };
    last.answer = match (status, error) {
        (Some(status), _) => format!("answered {status}"),
        (None, Some(error)) => format!("answer unknown: {error}"),
        (None, None) => last.answer.clone(),
    };
}

/// Every local command that started running during each main step and has no record of its end.
fn unended_commands(records: &[Record]) -> BTreeMap<usize, Vec<UnendedCommand>> {
    let mut step = 0;
    let mut unended: BTreeMap<usize, Vec<UnendedCommand>> = BTreeMap::new();
    for record in records {
        match &record.event {
            Event::StepStarted {
                index, phase: None, ..
            } => step = *index,
            Event::CommandRunning { command, group, .. } => {
                unended.entry(step).or_default().push(UnendedCommand {
                    command: command.clone(),
                    group: group.clone(),
                })
            }
            Event::CommandEnded { command, .. } => {
                if let Some(commands) = unended.get_mut(&step) {
                    commands.retain(|unended| &unended.command != command);
                }
            }
            _ => {}
        }
    }
    unended
}

fn forget_last(left: &mut BTreeMap<usize, Vec<LeftWrite>>, step: usize) {
    if let Some(writes) = left.get_mut(&step) {
        writes.pop();
    }
}

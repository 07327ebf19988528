//! What `--resume` brings from the earlier run: the steps it finished (with their results and
//! names), and, for each place a step can stand (a main step, a `finally` step), the writes that
//! left there and may have taken effect and the local commands that started there and were never
//! seen to end. Writes of a Rhai script outside any step cannot be placed: such a run is not
//! resumed (`outside_steps`).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::effects::{PlannedCommand, ProcessGroup};
use crate::identifiers::AppName;
use crate::journal::{Event, Phase, StepStatus};
use crate::journal::{Record, RunHistory, RunId, Timestamp};

/// A write of the earlier run that may have taken effect.
#[derive(Debug, Clone)]
pub struct LeftWrite {
    /// The run that sent it: the resumed run, or one it resumed in turn.
    pub run_id: RunId,
    pub app: Option<AppName>,
    pub described: String,
    pub sent_at: Timestamp,
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

/// Where a step stands in its runbook: a main step, or a `finally` step; `on_failure` steps and
/// the steps of a `run:` callee belong to the main step they run under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// Outside any step (a Rhai script's own code).
    Outside,
    Main(usize),
    Finally(usize),
}

#[derive(Debug, Clone)]
pub struct ResumePlan {
    pub run_id: RunId,
    /// Main steps that finished, by index: their name and the result they gave.
    finished: BTreeMap<usize, (String, Restored)>,
    /// Writes that may have taken effect, by the place that sent them.
    left: BTreeMap<Place, Vec<LeftWrite>>,
    /// Local commands that started and were never seen to end, by the place that ran them.
    unended: BTreeMap<Place, Vec<UnendedCommand>>,
}

/// A local command of the earlier run with no record of its end: its process group may still be
/// running (the run was killed, or the machine lost power).
#[derive(Debug, Clone)]
pub struct UnendedCommand {
    pub command: PlannedCommand,
    pub group: ProcessGroup,
}

impl ResumePlan {
    /// The plan from the earlier run's records and the results kept for it, and from the runs it
    /// resumed in turn (`chain`, newest first): a write one of them left, or a command it started,
    /// at a place no later run finished, is still the operator's to decide.
    pub fn from_chain(chain: &[&RunHistory], kept: BTreeMap<usize, Value>) -> Self {
        let run = chain[0];
        let finished = finished_steps(run, kept);
        let mut left: BTreeMap<Place, Vec<LeftWrite>> = BTreeMap::new();
        let mut unended: BTreeMap<Place, Vec<UnendedCommand>> = BTreeMap::new();
        for earlier in chain.iter().rev() {
            for (place, writes) in left_writes(earlier) {
                left.entry(place).or_default().extend(writes);
            }
            for (place, commands) in unended_commands(&earlier.records) {
                unended.entry(place).or_default().extend(commands);
            }
        }
        let done =
            |place: &Place| matches!(place, Place::Main(index) if finished.contains_key(index));
        left.retain(|place, _| !done(place));
        unended.retain(|place, _| !done(place));
        Self { run_id: run.run_id.clone(), finished, left, unended }
    }

    /// The name and the result of main step `index`, if it finished in the earlier run.
    pub fn finished(&self, index: usize) -> Option<&(String, Restored)> {
        self.finished.get(&index)
    }

    /// The writes sent at `place` that may have taken effect in the earlier run.
    pub fn left(&self, place: Place) -> Option<&[LeftWrite]> {
        self.left.get(&place).map(Vec::as_slice)
    }

    /// The commands started at `place` that may still be running now, on this machine.
    pub fn still_running(&self, place: Place) -> Vec<&UnendedCommand> {
        self.unended
            .get(&place)
            .into_iter()
            .flatten()
            .filter(|unended| unended.group.may_still_run())
            .collect()
    }
}

/// The main steps `run` finished (or counted done from the run it resumed), by index: their name
/// and what they gave.
fn finished_steps(
    run: &RunHistory,
    mut kept: BTreeMap<usize, Value>,
) -> BTreeMap<usize, (String, Restored)> {
    run.records
        .iter()
        .filter_map(|record| match &record.event {
            Event::StepFinished {
                index,
                phase: None,
                status: StepStatus::Done,
                name,
                result,
                result_kept,
                ..
            }
            | Event::StepSkipped {
                index,
                phase: None,
                name,
                done_in: Some(_),
                result,
                result_kept,
                ..
            } => {
                let restored = match (result.clone().or_else(|| kept.remove(index)), result_kept) {
                    (Some(value), _) => Restored::Value(value),
                    (None, true) => Restored::Lost,
                    (None, false) => Restored::Nothing,
                };
                Some((*index, (name.clone(), restored)))
            }
            _ => None,
        })
        .collect()
}

/// Follows the places of `records`: each record's event, and the place it happened at. An
/// `on_failure` step belongs to the main step it recovers; between steps, a script's own code is
/// outside any step.
fn placed(records: &[Record]) -> impl Iterator<Item = (Place, &Record)> {
    let mut place = Place::Outside;
    let mut last_main = None;
    records.iter().map(move |record| {
        let at = match &record.event {
            Event::StepStarted { index, phase: None, .. } => {
                last_main = Some(*index);
                place = Place::Main(*index);
                place
            }
            Event::StepStarted { index, phase: Some(Phase::Finally), .. } => {
                place = Place::Finally(*index);
                place
            }
            Event::StepStarted { phase: Some(Phase::OnFailure), .. } => {
                place = last_main.map_or(Place::Outside, Place::Main);
                place
            }
            Event::StepFinished {
                phase: None | Some(Phase::Finally) | Some(Phase::OnFailure),
                ..
            } => std::mem::replace(&mut place, Place::Outside),
            _ => place,
        };
        (at, record)
    })
}

/// Every write that left at each place and may have taken effect: sent with no answer, or
/// answered with something other than a refusal.
fn left_writes(run: &RunHistory) -> BTreeMap<Place, Vec<LeftWrite>> {
    let mut left: BTreeMap<Place, Vec<LeftWrite>> = BTreeMap::new();
    for (place, record) in placed(&run.records) {
        match &record.event {
            Event::WriteSent { request, .. } => left.entry(place).or_default().push(LeftWrite {
                run_id: run.run_id.clone(),
                app: Some(request.app.clone()),
                described: request.key(),
                sent_at: record.time.clone(),
                answer: "no answer recorded".into(),
            }),
            Event::WriteAnswered { status, .. } => answered(&mut left, place, Some(*status), None),
            Event::WriteFailed { error, may_have_taken_effect: true, .. } => {
                answered(&mut left, place, None, Some(error))
            }
            Event::WriteFailed { .. } => forget_last(&mut left, place),
            _ => {}
        }
    }
    left.retain(|_, writes| !writes.is_empty());
    left
}

/// Takes the answer of the last write at `place` into account: a refusal (4xx, 503) did not take
/// effect; anything else may have.
fn answered(
    left: &mut BTreeMap<Place, Vec<LeftWrite>>,
    place: Place,
    status: Option<u16>,
    error: Option<&str>,
) {
    if let Some(status) = status
        && ((400..500).contains(&status) || status == 503)
    {
        forget_last(left, place);
        return;
    }
    let Some(last) = left.get_mut(&place).and_then(|writes| writes.last_mut()) else {
        return;
    };
    last.answer = match (status, error) {
        (Some(status), _) => format!("answered {status}"),
        (None, Some(error)) => format!("answer unknown: {error}"),
        (None, None) => last.answer.clone(),
    };
}

/// Every local command that started at each place and has no record of its end: known by its
/// mark from the moment it was about to start, and by its process group once it ran.
fn unended_commands(records: &[Record]) -> BTreeMap<Place, Vec<UnendedCommand>> {
    let mut unended: BTreeMap<Place, Vec<UnendedCommand>> = BTreeMap::new();
    for (place, record) in placed(records) {
        match &record.event {
            Event::CommandStarted { command, group: Some(group), .. }
            | Event::CommandRunning { command, group, .. } => {
                let commands = unended.entry(place).or_default();
                // The group of a command first known by its mark (journals of before
                // 2026-12-06 have no mark: each record is a command of its own).
                commands
                    .retain(|unended| group.mark.is_empty() || unended.group.mark != group.mark);
                commands.push(UnendedCommand { command: command.clone(), group: group.clone() });
            }
            Event::CommandEnded { command, .. } => {
                if let Some(commands) = unended.get_mut(&place) {
                    commands.retain(|unended| &unended.command != command);
                }
            }
            _ => {}
        }
    }
    unended
}

fn forget_last(left: &mut BTreeMap<Place, Vec<LeftWrite>>, place: Place) {
    if let Some(writes) = left.get_mut(&place) {
        writes.pop();
    }
}

/// Whether the earlier run sent a write outside any step (a Rhai script's own code): the script
/// runs that code again on resume, and nothing tells which of its writes left.
pub fn wrote_outside_steps(run: &RunHistory) -> bool {
    placed(&run.records).any(|(place, record)| {
        place == Place::Outside
            && matches!(record.event, Event::WriteSent { .. } | Event::CommandStarted { .. })
    })
}

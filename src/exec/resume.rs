//! `--resume RUN_ID` in the run: a step that finished before is skipped (its result restored), and
//! a step whose write may have taken effect is not run again without the operator's decision.

use super::evaluate::Evaluator;
use super::failure::{Refusal, StepFailure};
use super::resume_plan::{LeftWrite, Place, Restored, ResumePlan};
use super::run::{Run, StepLabel};
use crate::identifiers::AppName;
use crate::journal::Phase;
use crate::runbook::{Action, Step};

/// Whether `--resume` runs `step` again rather than restoring its result: a read or a script
/// (without a confirmation of its own) changes nothing, and reads now what is true now; the
/// journal then keeps its summary, not its (often bulky) result.
pub fn replays_on_resume(step: &Step) -> bool {
    let changes_nothing = match &step.action {
        Action::Operation { resolved: Some(operation), .. } => {
            matches!(operation.behaviour, crate::ops::Behaviour::Read(_))
        }
        Action::Script(_) => true,
        _ => false,
    };
    changes_nothing && step.confirm.is_none()
}

impl Run {
    /// When resuming, skips a step that finished before, restoring its result for later steps.
    /// A step whose result is no longer kept runs again if it changes nothing (a read, a script);
    /// any other stops the resumption rather than be done twice.
    pub fn restore_finished(
        &self,
        label: StepLabel,
        step: &Step,
        evaluator: &Evaluator,
    ) -> Result<bool, StepFailure> {
        let Some(restored) = self.resumed_result(label.index, &step.name)? else {
            return Ok(false);
        };
        match (&restored, &step.id) {
            (Restored::Lost, Some(_)) if replays_on_resume(step) => return Ok(false),
            (Restored::Lost, Some(_)) => return Err(self.lost_result(&step.name)),
            (Restored::Value(result), Some(id)) => evaluator.define(&id.value, result),
            _ => {}
        }
        self.skip_resumed(label, &step.name, &restored);
        Ok(true)
    }

    /// What main step `index`, named `name`, gave in the run being resumed, if it finished there.
    /// A step of another name at that place means the runbook changed: its steps no longer line
    /// up with the earlier run's, and counting one as done for the other could do a write twice.
    pub fn resumed_result(
        &self,
        index: usize,
        name: &str,
    ) -> Result<Option<Restored>, StepFailure> {
        let Some(plan) = &self.resume else {
            return Ok(None);
        };
        match plan.finished(index) {
            Some((earlier, _)) if earlier != name => {
                Err(StepFailure::NotConfirmed(Refusal::not_confirmed(
                    format!(
                        "step {index} is `{name}` now and was `{earlier}` in run {}: the runbook changed, and its steps no longer line up with the run's",
                        plan.run_id
                    ),
                    Some("start a new run".into()),
                )))
            }
            Some((_, restored)) => Ok(Some(restored.clone())),
            None => Ok(None),
        }
    }

    /// Resuming after a step whose result is gone would do it twice or run on without it.
    pub fn lost_result(&self, step: &str) -> StepFailure {
        let run_id = self.resume.as_ref().map(|plan| plan.run_id.as_str()).unwrap_or_default();
        StepFailure::failed(format!(
            "the result of step `{step}` in run {run_id} is no longer kept (only the last {} runs keep theirs): this run cannot resume after it; start a new run",
            crate::journal::KEPT_RUNS
        ))
    }

    /// A step the resumed run finished counts as done in this one too, its result kept again:
    /// a resume of this run then knows it is done.
    pub fn skip_resumed(&self, label: StepLabel, name: &str, restored: &Restored) {
        let Some(plan) = &self.resume else {
            return;
        };
        let run_id = &plan.run_id;
        let value = match restored {
            Restored::Value(value) => Some(value.clone()),
            Restored::Nothing | Restored::Lost => None,
        };
        self.step_done_before(label, name, run_id, value);
    }

    /// Before a step of the resumed run sent writes that may have taken effect: what is known,
    /// a fresh read of the app, and the operator's decision; off a terminal, a refusal.
    pub fn check_resumable(&self, label: StepLabel, name: &str) -> Result<(), StepFailure> {
        let place = match label.phase {
            None => Place::Main(label.index),
            Some(Phase::Finally) => Place::Finally(label.index),
            Some(_) => return Ok(()),
        };
        let Some(plan) = &self.resume else {
            return Ok(());
        };
        refuse_while_running(plan, place, name)?;
        let Some(writes) = plan.left(place) else {
            return Ok(());
        };
        let mut lines: Vec<String> = writes
            .iter()
            .map(|write| {
                format!(
                    "run {} sent {} at {}: {}",
                    write.run_id,
                    write.described,
                    crate::output::people_time_to_the_second(&write.sent_at.to_string()),
                    write.answer
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
            _ => Err(StepFailure::NotConfirmed(Refusal::NotConfirmed {
                message: format!(
                    "step `{name}` sent {} and it may have taken effect: it is not sent again without a decision",
                    writes
                        .iter()
                        .map(|write| format!("{} in run {}", write.described, write.run_id))
                        .collect::<Vec<_>>()
                        .join(", "),
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
        let mut apps: Vec<&AppName> =
            writes.iter().filter_map(|write| write.app.as_ref()).collect();
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
                        format!("v{} {} ({})", release.version, release.description, release.status)
                    },
                );
                format!("now {app}: {dynos}; newest release {release}")
            })
            .collect()
    }
}

/// A step whose command from the earlier run may still be running is never started beside it:
/// the journal recorded the command's process group (and this machine's boot) before it ran, and
/// the kernel still knows that group.
fn refuse_while_running(plan: &ResumePlan, place: Place, name: &str) -> Result<(), StepFailure> {
    let running = plan.still_running(place);
    let Some(first) = running.first() else {
        return Ok(());
    };
    Err(StepFailure::NotConfirmed(Refusal::NotConfirmed {
        message: format!(
            "step `{name}` is still running from run {}: `{}` (process group {} on this machine); it is not started a second time beside it",
            plan.run_id, first.command.command, first.group.id
        ),
        hint: Some(format!(
            "wait for it to end, or stop it with `kill -TERM -- -{}`, then resume again",
            first.group.id
        )),
    }))
}

//! The typed failures that travel through a Rhai script as its errors. A Rhai error holds a
//! value (what `catch (error)` sees: the failure's message, as scripts have always seen it); the
//! value carries a tag, and the tag finds the typed failure again, exactly: which failure, which
//! operation raised it, and whether its step already reported it. No message is compared, and a
//! failure a script caught cannot be mistaken for a later one.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};

use rhai::{Dynamic, EvalAltResult, Position};

use super::failure::StepFailure;
use crate::ops::Operation;

/// The token that ends a script for good: at Ctrl-C, at its deadline, or after a refusal.
pub const STOPPED: &str = "stopped";

/// How many raised failures are kept to be found again: a script that raises and catches more
/// than this in a loop finds its oldest ones as plain script errors.
const KEPT: usize = 4096;

/// A failure a host function raised, or a step reported.
#[derive(Debug, Clone)]
pub struct Raised {
    pub failure: StepFailure,
    /// The operation whose call failed, to name it when it failed outside any step.
    pub operation: Option<&'static Operation>,
    /// Its step has reported it (as that step's failure): the run's end does not place it again.
    pub reported_by_step: bool,
}

/// The failures raised so far in a run's script, newest last.
#[derive(Debug, Default)]
pub struct RaisedFailures {
    kept: Mutex<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    /// The tag of the oldest failure kept.
    first_tag: i64,
    failures: VecDeque<Raised>,
}

impl RaisedFailures {
    /// The Rhai error for `raised`: a termination (which no `try`/`catch` stops) when `stops`,
    /// else a runtime error whose value is the failure's message; either way tagged.
    pub fn error(&self, raised: Raised, stops: bool, position: Position) -> Box<EvalAltResult> {
        let mut value =
            if stops { Dynamic::from(STOPPED) } else { Dynamic::from(raised.failure.message()) };
        value.set_tag(self.keep(raised));
        if stops {
            return EvalAltResult::ErrorTerminated(value, position).into();
        }
        EvalAltResult::ErrorRuntime(value, position).into()
    }

    /// What raised `error`, if a host function or a step did (the script's own errors have no
    /// tag).
    pub fn of(&self, error: &EvalAltResult) -> Option<Raised> {
        let tag = tag_of(error)?;
        let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        let index = usize::try_from(tag - kept.first_tag).ok()?;
        kept.failures.get(index).cloned()
    }

    /// `error`, which ended a step that reported it as `failure`, marked as reported: the value a
    /// `catch` sees stays what it was, but for Rhai's own errors (an index out of bounds, a type
    /// mismatch), which hold no value to tag: those become a runtime error with the message.
    pub fn reported(
        &self,
        mut error: Box<EvalAltResult>,
        failure: StepFailure,
    ) -> Box<EvalAltResult> {
        if let Some(tag) = tag_of(&error) {
            let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
            let index = usize::try_from(tag - kept.first_tag).ok();
            if let Some(raised) = index.and_then(|index| kept.failures.get_mut(index)) {
                raised.reported_by_step = true;
                return error;
            }
        }
        let raised = Raised { failure, operation: None, reported_by_step: true };
        if let EvalAltResult::ErrorRuntime(value, _) = innermost(&mut error) {
            value.set_tag(self.keep(raised));
            return error;
        }
        let position = error.position();
        self.error(raised, false, position)
    }

    fn keep(&self, raised: Raised) -> i32 {
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.first_tag == 0 {
            kept.first_tag = 1;
        }
        let mut tag = kept.first_tag + kept.failures.len() as i64;
        if tag > i64::from(i32::MAX) {
            // Start again from 1: the failures kept so far are found no more.
            kept.failures.clear();
            kept.first_tag = 1;
            tag = 1;
        }
        kept.failures.push_back(raised);
        if kept.failures.len() > KEPT {
            kept.failures.pop_front();
            kept.first_tag += 1;
        }
        i32::try_from(tag).unwrap_or(0)
    }
}

/// The tag of the value `error` carries, if it carries one.
fn tag_of(error: &EvalAltResult) -> Option<i64> {
    match error.unwrap_inner() {
        EvalAltResult::ErrorRuntime(value, _) | EvalAltResult::ErrorTerminated(value, _) => {
            Some(i64::from(value.tag())).filter(|tag| *tag > 0)
        }
        _ => None,
    }
}

/// The error at the bottom of `error`'s calls, to tag its value in place.
fn innermost(error: &mut EvalAltResult) -> &mut EvalAltResult {
    match error {
        EvalAltResult::ErrorInFunctionCall(.., inner, _)
        | EvalAltResult::ErrorInModule(.., inner, _) => innermost(inner),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raised(message: &str) -> Raised {
        Raised {
            failure: StepFailure::failed(message.to_string()),
            operation: None,
            reported_by_step: false,
        }
    }

    #[test]
    fn each_error_finds_its_own_failure_even_with_the_same_message() {
        let failures = RaisedFailures::default();
        let first = failures.error(raised("boom"), false, Position::NONE);
        let mut second_raised = raised("boom");
        second_raised.reported_by_step = true;
        let second = failures.error(second_raised, false, Position::NONE);
        assert!(!failures.of(&first).unwrap().reported_by_step);
        assert!(failures.of(&second).unwrap().reported_by_step);
        let script_own = EvalAltResult::ErrorRuntime(Dynamic::from("boom"), Position::NONE);
        assert!(failures.of(&script_own).is_none());
    }

    #[test]
    fn the_oldest_failures_are_let_go_past_the_limit() {
        let failures = RaisedFailures::default();
        let oldest = failures.error(raised("old"), false, Position::NONE);
        for _ in 0..KEPT {
            let _ = failures.error(raised("newer"), false, Position::NONE);
        }
        assert!(failures.of(&oldest).is_none());
        let newest = failures.error(raised("newest"), false, Position::NONE);
        assert_eq!(failures.of(&newest).unwrap().failure.message(), "newest");
    }
}

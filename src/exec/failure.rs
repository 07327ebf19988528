//! How a step or a run can end other than well, and what each means for the exit code.

use super::gate::Refusal;
use crate::ops::invoke::OperationError;
use crate::output::event::StepStatus;

/// How a run ended.
#[derive(Debug, Clone)]
pub enum RunEnd {
    Succeeded,
    Failed {
        error: String,
        hint: Option<String>,
        access_problem: bool,
    },
    NotConfirmed(Refusal),
    Aborted,
    /// Ctrl-C: the run stopped where it was.
    Interrupted,
}

/// Why a step did not complete.
#[derive(Debug, Clone)]
pub enum StepFailure {
    Operation {
        message: String,
        hint: Option<String>,
        access_problem: bool,
    },
    NotConfirmed(Refusal),
    /// The operator chose to abort at the `--step` prompt.
    Aborted,
    /// Ctrl-C.
    Interrupted,
}

impl StepFailure {
    pub fn failed(message: impl Into<String>) -> Self {
        StepFailure::Operation {
            message: message.into(),
            hint: None,
            access_problem: false,
        }
    }

    pub fn message(&self) -> String {
        match self {
            StepFailure::Operation { message, .. } => message.clone(),
            StepFailure::NotConfirmed(refusal) => refusal.message.clone(),
            StepFailure::Aborted => "aborted at the --step prompt".to_string(),
            StepFailure::Interrupted => "interrupted (Ctrl-C)".to_string(),
        }
    }

    /// Only a failed operation is worth another try, or an `on_failure`; a refusal, an abort or
    /// an interruption is the operator's decision.
    pub fn is_operation_failure(&self) -> bool {
        matches!(
            self,
            StepFailure::Operation {
                access_problem: false,
                ..
            }
        )
    }

    pub fn status(&self) -> StepStatus {
        match self {
            StepFailure::Operation { .. } => StepStatus::Failed,
            StepFailure::NotConfirmed(_) => StepStatus::NotConfirmed,
            StepFailure::Aborted => StepStatus::Aborted,
            StepFailure::Interrupted => StepStatus::Interrupted,
        }
    }

    pub fn into_end(self) -> RunEnd {
        match self {
            StepFailure::Operation {
                message,
                hint,
                access_problem,
            } => RunEnd::Failed {
                error: message,
                hint,
                access_problem,
            },
            StepFailure::NotConfirmed(refusal) => RunEnd::NotConfirmed(refusal),
            StepFailure::Aborted => RunEnd::Aborted,
            StepFailure::Interrupted => RunEnd::Interrupted,
        }
    }
}

impl From<OperationError> for StepFailure {
    fn from(error: OperationError) -> Self {
        match &error {
            OperationError::Api(api) => StepFailure::Operation {
                message: api.to_string(),
                hint: api.hint(),
                access_problem: api.is_access_problem(),
            },
            _ => StepFailure::failed(error.to_string()),
        }
    }
}

impl RunEnd {
    /// The worse of the main steps' end and the `finally` steps' end.
    pub fn then_finally(self, finally: RunEnd) -> RunEnd {
        match (self, finally) {
            (RunEnd::Succeeded, finally) => finally,
            (main, _) => main,
        }
    }
}

//! How a step or a run can end other than well, and what each means for the exit code.

pub use crate::effects::Refusal;
use crate::journal::StepStatus;
use crate::ops::OperationError;

/// What to do when the journal cannot be written.
pub const UNRECORDED_HINT: &str = "no write was sent and no command run that the journal does not show: free space for the journal (RUNBOOK_STATE_DIR), then resume the run with --resume";

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
        /// A write may have reached the server: never tried again, by `retry` or otherwise.
        maybe_sent: bool,
    },
    NotConfirmed(Refusal),
    /// The operator chose to abort at the `--step` prompt.
    Aborted,
    /// Ctrl-C.
    Interrupted,
    /// The journal cannot be written: nothing more leaves, nothing can catch it.
    Unrecorded(String),
}

impl StepFailure {
    pub fn failed(message: impl Into<String>) -> Self {
        StepFailure::Operation {
            message: message.into(),
            hint: None,
            access_problem: false,
            maybe_sent: false,
        }
    }

    pub fn message(&self) -> String {
        match self {
            StepFailure::Operation { message, .. } => message.clone(),
            StepFailure::NotConfirmed(refusal) => refusal.message(),
            StepFailure::Aborted => "aborted at the --step prompt".to_string(),
            StepFailure::Interrupted => "interrupted".to_string(),
            StepFailure::Unrecorded(message) => message.clone(),
        }
    }

    /// Only a failed operation is worth an `on_failure`; a refusal, an abort or an
    /// interruption is the operator's decision.
    pub fn is_operation_failure(&self) -> bool {
        matches!(self, StepFailure::Operation { access_problem: false, .. })
    }

    /// Worth another try by `retry`: a failed operation whose write, if any, surely did not leave.
    pub fn is_retryable(&self) -> bool {
        matches!(self, StepFailure::Operation { access_problem: false, maybe_sent: false, .. })
    }

    pub fn status(&self) -> StepStatus {
        match self {
            StepFailure::Operation { .. } | StepFailure::Unrecorded(_) => StepStatus::Failed,
            StepFailure::NotConfirmed(refusal) => StepStatus::of_refusal(refusal),
            StepFailure::Aborted => StepStatus::Aborted,
            StepFailure::Interrupted => StepStatus::Interrupted,
        }
    }

    pub fn into_end(self) -> RunEnd {
        match self {
            StepFailure::Operation { message, hint, access_problem, .. } => {
                RunEnd::Failed { error: message, hint, access_problem }
            }
            StepFailure::NotConfirmed(refusal) => RunEnd::NotConfirmed(refusal),
            StepFailure::Aborted => RunEnd::Aborted,
            StepFailure::Interrupted => RunEnd::Interrupted,
            StepFailure::Unrecorded(message) => RunEnd::Failed {
                error: message,
                hint: Some(UNRECORDED_HINT.to_string()),
                access_problem: true,
            },
        }
    }
}

impl From<EvaluationError> for StepFailure {
    fn from(error: EvaluationError) -> Self {
        StepFailure::failed(error.to_string())
    }
}

impl From<OperationError> for StepFailure {
    fn from(error: OperationError) -> Self {
        let maybe_sent = error.may_have_taken_effect();
        match &error {
            OperationError::Api(api) => StepFailure::Operation {
                message: api.to_string(),
                hint: api.hint(),
                access_problem: api.is_access_problem(),
                maybe_sent,
            },
            OperationError::MaybeSent { app, error } => StepFailure::Operation {
                message: error.to_string(),
                hint: Some(format!(
                    "it was sent once and not again (not by `retry`, nor by --resume): it may have taken effect; check with a read (`heroku ps -a {app}`, `heroku releases -a {app}`) before running this again"
                )),
                access_problem: false,
                maybe_sent: true,
            },
            OperationError::Unrecorded(_) => StepFailure::Unrecorded(error.to_string()),
            OperationError::Refused(refusal) => StepFailure::NotConfirmed(refusal.clone()),
            _ => StepFailure::Operation {
                message: error.to_string(),
                hint: error.hint(),
                access_problem: false,
                maybe_sent,
            },
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

/// Why an expression of a YAML runbook (a template, `when:`, `for_each:`) gave no usable value.
#[derive(Debug, Clone, thiserror::Error)]
pub enum EvaluationError {
    #[error("`{expression}`: {error}")]
    Failed { expression: String, error: String },
    #[error("`when: {expression}` gave a {type_name}, not true or false")]
    NotACondition { expression: String, type_name: String },
    #[error("`for_each` needs a list, and got {0}")]
    NotAList(String),
}

//! What running an operation gives: its value and summary, or why it failed; and where a running
//! operation reports its progress and lines.

use serde_json::Value;

use crate::effects::WriteError;
use crate::heroku::ApiError;

/// What an operation returned: the value for later steps and a line for people.
#[derive(Debug)]
pub struct Outcome {
    pub value: Value,
    pub summary: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum OperationError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Failed(String),
    /// A write that may have reached the server and taken effect.
    #[error("{error}")]
    MaybeSent {
        app: crate::identifiers::AppName,
        error: Box<ApiError>,
    },
    /// The chokepoint refused the write: its app is protected and nobody confirmed it.
    #[error("{0}")]
    Refused(String),
    /// The same write may have left already in this run; it is never sent twice.
    #[error("{0}")]
    NotResent(String),
}

impl From<WriteError> for OperationError {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::Api(error) => OperationError::Api(error),
            WriteError::MaybeSent { app, error } => OperationError::MaybeSent { app, error },
            WriteError::Refused(message) => OperationError::Refused(message),
            WriteError::NotResent(message) => OperationError::NotResent(message),
        }
    }
}

impl OperationError {
    /// A write whose request may have reached the server: never to be tried again blindly.
    pub fn may_have_taken_effect(&self) -> bool {
        matches!(
            self,
            OperationError::MaybeSent { .. } | OperationError::NotResent(_)
        )
    }
}

/// Where a running operation reports: progress (`done` of `total`, and what it waits for), and
/// lines it shows as they come (log lines).
pub struct OperationOutput<'a> {
    pub progress: &'a (dyn Fn(u64, u64, String) + Send + Sync),
    pub line: &'a (dyn Fn(String) + Send + Sync),
    /// Called before the operation takes the terminal over (an attached dyno).
    pub release_terminal: &'a (dyn Fn() + Send + Sync),
}

impl OperationOutput<'static> {
    /// Reports nothing: for the items of a `for_each`, whose step reports instead.
    pub fn quiet() -> Self {
        Self {
            progress: &|_, _, _| {},
            line: &|_| {},
            release_terminal: &|| {},
        }
    }
}

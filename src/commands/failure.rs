//! Why a command failed, and the exit code each reason maps to, in one place.

use crate::exit;
use crate::runbook::{Diagnostic, LibraryError};

#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("{message}")]
    Usage { message: String, hint: Option<String> },
    #[error("invalid runbook")]
    Invalid(Vec<Diagnostic>),
    #[error(transparent)]
    Library(#[from] LibraryError),
    #[error("{message}")]
    Refused { message: String, hint: Option<String> },
    #[error("{message}")]
    Access { message: String, hint: Option<String> },
    /// Already shown to the user; only the exit code is left.
    #[error("exit {0}")]
    Reported(u8),
}

impl Failure {
    pub fn usage(message: impl std::fmt::Display, hint: impl Into<String>) -> Self {
        Failure::Usage { message: message.to_string(), hint: Some(hint.into()) }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage { .. } | Failure::Invalid(_) | Failure::Library(_) => exit::USAGE,
            Failure::Refused { .. } => exit::NOT_CONFIRMED,
            Failure::Access { .. } => exit::UNREACHABLE,
            Failure::Reported(code) => *code,
        }
    }

    /// The hint shown under the message, when there is one.
    pub fn hint(&self) -> Option<String> {
        match self {
            Failure::Usage { hint, .. } | Failure::Refused { hint, .. } | Failure::Access { hint, .. } => hint.clone(),
            Failure::Library(LibraryError::NotFound) => {
                Some("run runbook inside a project with a `runbooks/` folder, or pass --dir / set RUNBOOK_DIR".into())
            }
            Failure::Library(LibraryError::UnknownRunbook { hint, .. } | LibraryError::Environment { hint, .. }) => Some(hint.clone()),
            _ => None,
        }
    }
}

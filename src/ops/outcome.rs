//! What running an operation gives: its value and summary, or why it failed; and where a running
//! operation reports its progress and lines.

use futures_util::future::BoxFuture;
use serde_json::Value;

use crate::effects::WriteError;
use crate::heroku::ApiError;
use crate::heroku::rendezvous::DynoStream;

/// What an operation's run comes to.
pub type OperationResult = Result<Outcome, OperationError>;

/// What a running operation works through: the effects chokepoint (which reads, and sends what a
/// write planned) and where it reports.
#[derive(Clone, Copy)]
pub struct Running<'a> {
    pub effects: &'a crate::effects::Effects,
    pub output: &'a OperationOutput<'a>,
}

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
    MaybeSent { app: crate::identifiers::AppName, error: Box<ApiError> },
    /// The chokepoint refused the write: a protected app nobody confirmed, a team lock, an
    /// approval not given.
    #[error("{0}")]
    Refused(crate::effects::Refusal),
    /// The same write may have left already in this run; it is never sent twice.
    #[error(transparent)]
    NotResent(crate::effects::NotSentAgain),
    /// A branch that could not be read from this machine's git work tree.
    #[error(transparent)]
    Git(#[from] crate::local::GitError),
    /// Not sent, or not run, because the journal could not record it (a full disk).
    #[error(transparent)]
    Unrecorded(#[from] crate::effects::Unrecorded),
}

impl From<WriteError> for OperationError {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::Api(error) => OperationError::Api(error),
            WriteError::MaybeSent { app, error } => OperationError::MaybeSent { app, error },
            WriteError::Refused(message) => OperationError::Refused(message),
            WriteError::NotResent(message) => OperationError::NotResent(message),
            WriteError::Local(message) => OperationError::Failed(message),
            WriteError::Unrecorded(unrecorded) => OperationError::Unrecorded(unrecorded),
        }
    }
}

impl OperationError {
    /// What to do about it, when the error knows.
    pub fn hint(&self) -> Option<String> {
        match self {
            OperationError::Api(error) => error.hint(),
            OperationError::Git(error) => error.hint(),
            _ => None,
        }
    }

    /// A write whose request may have reached the server: never to be tried again blindly.
    pub fn may_have_taken_effect(&self) -> bool {
        matches!(self, OperationError::MaybeSent { .. } | OperationError::NotResent(_))
    }
}

/// Where a running operation reports: progress (`done` of `total`, and what it waits for), lines
/// it shows as they come (log lines), and the terminal an attached dyno takes over.
pub struct OperationOutput<'a> {
    pub progress: &'a (dyn Fn(u64, u64, String) + Send + Sync),
    /// A line to show as it comes (a command's output).
    pub line: &'a (dyn Fn(String) + Send + Sync),
    /// A raw line of a long read: kept for `--verbose` and the end of a failed step, not shown.
    pub detail: &'a (dyn Fn(String) + Send + Sync),
    /// The run's Ctrl-C, for an operation that ends on it (a log follow `forever`).
    pub interrupt: &'a crate::interrupt::Interrupt,
    pub terminal: &'a dyn Terminal,
}

/// The terminal of this run, as an attached one-off dyno sees it.
#[derive(Debug, Clone)]
pub struct TerminalInfo {
    /// `TERM`.
    pub kind: String,
    pub rows: u16,
    pub columns: u16,
}

/// The run's terminal, lent to an attached dyno until it exits.
pub trait Terminal: Send + Sync {
    /// Connects the terminal to the dyno's stream; the exit status `marker` reported.
    fn attach<'a>(
        &'a self,
        stream: DynoStream,
        marker: &'a str,
    ) -> BoxFuture<'a, std::io::Result<Option<i32>>>;
}

/// No terminal to lend: for the items of a `for_each`.
struct NoTerminal;

impl Terminal for NoTerminal {
    fn attach<'a>(
        &'a self,
        _stream: DynoStream,
        _marker: &'a str,
    ) -> BoxFuture<'a, std::io::Result<Option<i32>>> {
        Box::pin(async {
            Err(std::io::Error::other(
                "an attached dyno needs the run's terminal, which a for_each item has not",
            ))
        })
    }
}

/// The Ctrl-C of an output that reports nothing: it never comes.
static NEVER_INTERRUPTED: std::sync::LazyLock<crate::interrupt::Interrupt> =
    std::sync::LazyLock::new(crate::interrupt::Interrupt::default);

impl OperationOutput<'static> {
    /// Reports nothing: for the items of a `for_each`, whose step reports instead.
    pub fn quiet() -> Self {
        Self {
            progress: &|_, _, _| {},
            line: &|_| {},
            detail: &|_| {},
            interrupt: &NEVER_INTERRUPTED,
            terminal: &NoTerminal,
        }
    }
}

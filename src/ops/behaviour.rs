//! What each operation does, as one type per operation: a read runs; a write is prepared (reads
//! what it needs, builds what it will send), then sent through the effects chokepoint.

use futures_util::future::BoxFuture;

use super::arguments::ArgumentValues;
use super::operation::Operation;
use super::outcome::{OperationError, OperationOutput, Outcome, TerminalInfo};
use super::prepared::PreparedWrite;
use crate::effects::Effects;
use crate::heroku::Client;

pub type OperationFuture<'a, T> = BoxFuture<'a, Result<T, OperationError>>;

/// An operation that only reads: it runs for real in every mode.
pub trait ReadOperation: Sync {
    fn read<'a>(
        &'a self,
        arguments: &'a ArgumentValues,
        effects: &'a Effects,
        output: &'a OperationOutput<'a>,
    ) -> OperationFuture<'a, Outcome>;
}

/// An operation that changes an app (or runs a command on this machine).
pub trait WriteOperation: Sync {
    /// Reads what the write needs (with `reader`, which sends nothing else) and builds it, with
    /// the action that sends it; an attached dyno also takes the run's `terminal` type and size.
    fn prepare<'a>(
        &'a self,
        operation: &'static Operation,
        arguments: &'a ArgumentValues,
        reader: &'a Client,
        terminal: &'a TerminalInfo,
    ) -> OperationFuture<'a, PreparedWrite>;
}

/// What sending a prepared write does, with what preparing it kept: one type per operation,
/// made by its `prepare`, so that what is kept is typed and read by the code that made it.
pub trait WriteAction: Send + Sync {
    /// More for the prompt, read only when a prompt shows it (the dynos a restart touches).
    fn affected<'a>(
        &'a self,
        _write: &'a PreparedWrite,
        _reader: &'a Client,
    ) -> BoxFuture<'a, Vec<String>> {
        Box::pin(async { Vec::new() })
    }

    /// Sends the prepared write and follows it to its end; only called in a live run.
    fn send<'a>(
        self: Box<Self>,
        write: PreparedWrite,
        effects: &'a Effects,
        output: &'a OperationOutput<'a>,
    ) -> OperationFuture<'a, Outcome>;
}

/// Which of the two an operation is.
#[derive(Clone, Copy)]
pub enum Behaviour {
    Read(&'static dyn ReadOperation),
    Write(&'static dyn WriteOperation),
}

impl std::fmt::Debug for Behaviour {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(match self {
            Behaviour::Read(_) => "Read",
            Behaviour::Write(_) => "Write",
        })
    }
}

//! What each operation does, as one type per operation: a read runs; a write is prepared (reads
//! what it needs, builds what it will send), then sent through the effects chokepoint.

use std::future::Future;

use futures_util::future::BoxFuture;

use super::arguments::{ArgumentValues, Arguments};
use super::operation::Operation;
use super::outcome::{OperationError, OperationResult, Outcome, Running, TerminalInfo};
use super::prepared::PreparedWrite;
use crate::heroku::Client;
use crate::identifiers::AppName;

pub type OperationFuture<'a, T> = BoxFuture<'a, Result<T, OperationError>>;

/// An operation that only reads: it runs for real in every mode.
pub trait ReadOperation: Sync {
    fn read<'a>(
        &'a self,
        arguments: &'a ArgumentValues,
        running: Running<'a>,
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

    /// Whether the write needs something of this machine (a deploy's git checkout): only then
    /// are its arguments worked out before the run's first step, for `check_this_machine`.
    fn checks_this_machine(&self) -> bool {
        false
    }

    /// What the write needs of this machine, checked before the run's first step when its
    /// arguments are known then; nothing by default.
    fn check_this_machine(&self, _arguments: &ArgumentValues) -> Result<(), OperationError> {
        Ok(())
    }
}

/// What sending a prepared write does, with what preparing it kept: one type per operation,
/// made by its `prepare`, so that what is kept is typed and read by the code that made it. Every
/// `Action` is one.
pub trait WriteAction: Send + Sync {
    /// More for the prompt, read only when a prompt shows it (the dynos a restart touches).
    fn affected<'a>(
        &'a self,
        write: &'a PreparedWrite,
        reader: &'a Client,
    ) -> BoxFuture<'a, Vec<String>>;

    /// Sends the prepared write and follows it to its end; only called in a live run.
    fn send<'a>(
        self: Box<Self>,
        write: PreparedWrite,
        running: Running<'a>,
    ) -> OperationFuture<'a, Outcome>;
}

/// A `WriteAction` written as plain async functions.
pub trait Action: Send + Sync + 'static {
    /// More for the prompt; nothing unless the write says.
    fn affected(
        &self,
        _write: &PreparedWrite,
        _reader: &Client,
    ) -> impl Future<Output = Vec<String>> + Send {
        async { Vec::new() }
    }

    fn send(
        self,
        write: PreparedWrite,
        running: Running<'_>,
    ) -> impl Future<Output = OperationResult> + Send;
}

impl<T: Action> WriteAction for T {
    fn affected<'a>(
        &'a self,
        write: &'a PreparedWrite,
        reader: &'a Client,
    ) -> BoxFuture<'a, Vec<String>> {
        Box::pin(Action::affected(self, write, reader))
    }

    fn send<'a>(
        self: Box<Self>,
        write: PreparedWrite,
        running: Running<'a>,
    ) -> OperationFuture<'a, Outcome> {
        Box::pin(Action::send(*self, write, running))
    }
}

/// What preparing a write works with: the operation it is, a client that only reads, and the
/// run's terminal (an attached dyno takes its type and size).
#[derive(Clone, Copy)]
pub struct Preparing<'a> {
    pub operation: &'static Operation,
    pub reader: &'a Client,
    pub terminal: &'a TerminalInfo,
}

/// What preparing a write gives: the write, or why it cannot be made.
pub type Prepared = Result<PreparedWrite, OperationError>;

/// A write operation written with its typed arguments, as a plain async function. Its `app` is
/// a name by then: an app given by its id is looked up first, here for every write, since
/// protection is decided by name.
pub trait Prepare: Sync {
    type Arguments: Arguments + Send + Sync;

    fn prepare(
        &self,
        arguments: Self::Arguments,
        preparing: Preparing<'_>,
    ) -> impl Future<Output = Prepared> + Send;

    /// What the write needs of this machine, checked before the run's first step (see
    /// `WriteOperation::check_this_machine`); none by default. A check is this one value, so
    /// that a write cannot have a check that the run does not know to ask.
    const THIS_MACHINE: Option<ThisMachineCheck<Self>> = None;
}

/// A write's check of this machine, given its typed arguments.
pub type ThisMachineCheck<T> = fn(&<T as Prepare>::Arguments) -> Result<(), OperationError>;

/// A read operation written with its typed arguments, as a plain async function.
pub trait Read: Sync {
    type Arguments: Arguments + Send + Sync;

    fn read(
        &self,
        arguments: Self::Arguments,
        running: Running<'_>,
    ) -> impl Future<Output = OperationResult> + Send;
}

/// A `Prepare` or a `Read` as the catalogue's operation: its arguments parsed into their struct,
/// then handed over.
pub struct Typed<T>(pub T);

impl<T: Prepare> WriteOperation for Typed<T> {
    fn prepare<'a>(
        &'a self,
        operation: &'static Operation,
        arguments: &'a ArgumentValues,
        reader: &'a Client,
        terminal: &'a TerminalInfo,
    ) -> OperationFuture<'a, PreparedWrite> {
        Box::pin(async move {
            let arguments = T::Arguments::parse(&app_by_name(arguments, reader).await?)?;
            let preparing = Preparing { operation, reader, terminal };
            self.0.prepare(arguments, preparing).await
        })
    }

    fn checks_this_machine(&self) -> bool {
        T::THIS_MACHINE.is_some()
    }

    /// Arguments that do not parse are left to the step, which refuses them as it always has.
    fn check_this_machine(&self, arguments: &ArgumentValues) -> Result<(), OperationError> {
        let Some(check) = T::THIS_MACHINE else {
            return Ok(());
        };
        match T::Arguments::parse(arguments) {
            Ok(arguments) => check(&arguments),
            Err(_) => Ok(()),
        }
    }
}

impl<T: Read> ReadOperation for Typed<T> {
    fn read<'a>(
        &'a self,
        arguments: &'a ArgumentValues,
        running: Running<'a>,
    ) -> OperationFuture<'a, Outcome> {
        Box::pin(async move { self.0.read(T::Arguments::parse(arguments)?, running).await })
    }
}

/// The arguments with their `app` by name: an app given by its id (a UUID) is looked up.
async fn app_by_name(
    values: &ArgumentValues,
    reader: &Client,
) -> Result<ArgumentValues, OperationError> {
    let mut named = values.clone();
    for (name, value) in &mut named.0 {
        if let ("app", Some(Ok(app))) = (name.as_str(), value.as_str().map(AppName::parse))
            && app.is_id()
        {
            *value = serde_json::Value::String(named_app(app, reader).await?.to_string());
        }
    }
    Ok(named)
}

/// An app by name: protection is decided by name, so an app given by its id is looked up.
pub async fn named_app(app: AppName, reader: &Client) -> Result<AppName, OperationError> {
    if !app.is_id() {
        return Ok(app);
    }
    let info = crate::heroku::apps::info(reader, &app).await?;
    AppName::parse(&info.name).map_err(|error| OperationError::Failed(error.to_string()))
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

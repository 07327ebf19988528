//! Team mode: the shared journal, app locks and approvals in the team's PostgreSQL
//! (`RUNBOOK_DATABASE_URL`). Without a database nothing here is used: the local journal is the
//! embedded default.

mod app_lock;
mod approval;
mod connect;
mod notes;
mod schema;
mod shared_journal;
mod worker;

use serde_json::Value;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use tokio_postgres::Client;

pub use app_lock::{Claim, Holder, canonical_api, key as lock_key};
pub use approval::{Decision, Request as ApprovalRequest};
pub use notes::Note;
pub use shared_journal::{RunFilter, is_shared};

use crate::journal::{Record, RunHistory};
use worker::Worker;

/// The environment variable naming the team's database (also `--database-url`).
pub const DATABASE_URL_VARIABLE: &str = "RUNBOOK_DATABASE_URL";

/// A connection to the team's database, its schema migrated.
pub struct Team {
    worker: Worker,
    config: tokio_postgres::Config,
    /// The session of the shared journal, approvals and listings.
    journal: Mutex<Client>,
    /// The session that holds this run's app locks: opened at the first lock, and when it ends
    /// the locks end with it.
    locks: Mutex<Option<Client>>,
}

/// What went wrong with the database, in words that never contain its URL.
pub type TeamResult<T> = Result<T, String>;

/// Why the team's database could not be used.
#[derive(Debug)]
pub enum ConnectError {
    /// The URL itself is wrong: a usage error.
    Url(String),
    /// The server is out of reach, or refused us.
    Unreachable(String),
}

/// How long one exchange with the database may take before it counts as out of reach: a server
/// that accepts connections and never answers must not hang a run.
const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(10);

impl Team {
    /// Connects to `url` and brings its schema up to date.
    pub fn connect(url: &str) -> Result<Self, ConnectError> {
        let config = connect::config(url).map_err(ConnectError::Url)?;
        let worker = Worker::start().map_err(|error| {
            ConnectError::Unreachable(format!("cannot start the team runtime: {error}"))
        })?;
        let mut client = connect::open(&worker, &config).map_err(ConnectError::Unreachable)?;
        let migrated = worker.block(timed(schema::migrate(&mut client)));
        migrated.map_err(|error| {
            ConnectError::Unreachable(format!("cannot migrate the team's schema: {error}"))
        })?;
        Ok(Self {
            worker,
            config,
            journal: Mutex::new(client),
            locks: Mutex::new(None),
        })
    }

    /// Stores one journal record (as the journal wrote it, secrets masked).
    pub fn record(&self, masked: &Value) -> TeamResult<()> {
        self.worker
            .block(timed(shared_journal::insert(&*self.session(), masked)))
    }

    /// The newest runs of every operator that match `filter`, newest first.
    pub fn runs(&self, filter: &RunFilter) -> TeamResult<Vec<RunHistory>> {
        self.worker
            .block(timed(shared_journal::runs(&self.session(), filter)))
    }

    /// The shared records of the runs whose id starts with `prefix`, oldest first.
    pub fn records(&self, prefix: &str) -> TeamResult<Vec<Record>> {
        self.worker
            .block(timed(shared_journal::records(&self.session(), prefix)))
    }

    /// Pushes the local runs the shared journal lacks; how many.
    pub fn sync(&self, local: &[(RunHistory, Vec<Value>)]) -> TeamResult<usize> {
        self.worker
            .block(timed(shared_journal::sync(&mut self.session(), local)))
    }

    /// Takes the lock of `claim` on the run's lock session: `None` when held now, else its holder.
    pub fn take_lock(&self, claim: &Claim<'_>) -> TeamResult<Option<Holder>> {
        let mut session = self.lock_session();
        if session.is_none() {
            *session = Some(connect::open(&self.worker, &self.config)?);
        }
        let Some(client) = session.as_ref() else {
            return Err("the lock session could not be opened".to_string());
        };
        self.worker.block(timed(app_lock::try_take(client, claim)))
    }

    /// Whether the lock session is alive and holds every key in `keys` (its heartbeat beaten).
    pub fn still_held(&self, keys: &[i64]) -> bool {
        let session = self.lock_session();
        match session.as_ref() {
            Some(client) if !client.is_closed() => self
                .worker
                .block(timed(app_lock::still_held(client, keys)))
                .unwrap_or(false),
            _ => false,
        }
    }

    /// Lets go of this run's locks (ending the process does the same).
    pub fn release_locks(&self) {
        if let Some(client) = self.lock_session().as_ref() {
            let _ = self.worker.block(timed(app_lock::release(client)));
        }
    }

    /// Every app lock held now.
    pub fn holders(&self) -> TeamResult<Vec<Holder>> {
        self.worker.block(timed(app_lock::holders(&self.session())))
    }

    /// Asks for the approval of a run.
    pub fn ask_approval(&self, request: &ApprovalRequest) -> TeamResult<()> {
        self.worker
            .block(timed(approval::ask(&self.session(), request)))
    }

    /// The approval requests of the runs whose id starts with `prefix`.
    pub fn approval_requests(&self, prefix: &str) -> TeamResult<Vec<ApprovalRequest>> {
        self.worker
            .block(timed(approval::find(&self.session(), prefix)))
    }

    /// Records a decision on `run_id`; whether it was the first.
    pub fn decide(&self, run_id: &str, decision: &Decision) -> TeamResult<bool> {
        self.worker
            .block(timed(approval::decide(&self.session(), run_id, decision)))
    }

    /// The run stopped waiting for its approval (timed out, interrupted): nobody may approve it
    /// any more.
    pub fn withdraw_approval(&self, run_id: &str) -> TeamResult<()> {
        self.worker
            .block(timed(approval::withdraw(&self.session(), run_id)))
    }

    /// Adds a note to the shared record.
    pub fn note(&self, note: &Note) -> TeamResult<()> {
        self.worker.block(timed(notes::add(&self.session(), note)))
    }

    /// The notes from `since` (RFC 3339) on, of `app` or of no app, oldest first.
    pub fn notes_since(&self, since: &str, app: Option<&str>) -> TeamResult<Vec<Note>> {
        self.worker
            .block(timed(notes::since(&self.session(), since, app)))
    }

    /// The shared records of the runs started from `since` (RFC 3339) on that targeted or wrote
    /// to `app` (any app when `None`), oldest first.
    pub fn records_since(&self, since: &str, app: Option<&str>) -> TeamResult<Vec<Record>> {
        self.worker.block(timed(shared_journal::records_since(
            &self.session(),
            since,
            app,
        )))
    }

    fn session(&self) -> MutexGuard<'_, Client> {
        self.journal.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_session(&self) -> MutexGuard<'_, Option<Client>> {
        self.locks.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// `exchange`, given up after [`EXCHANGE_TIMEOUT`]; its error in words.
async fn timed<T>(
    exchange: impl std::future::Future<Output = Result<T, tokio_postgres::Error>>,
) -> TeamResult<T> {
    match tokio::time::timeout(EXCHANGE_TIMEOUT, exchange).await {
        Ok(result) => result.map_err(|error| describe(&error)),
        Err(_) => Err(format!(
            "the team's database did not answer within {}s",
            EXCHANGE_TIMEOUT.as_secs()
        )),
    }
}

/// A database error as one line: the server's own message when it sent one.
pub fn describe(error: &tokio_postgres::Error) -> String {
    if let Some(database) = error.as_db_error() {
        return format!("the team's database answered: {}", database.message());
    }
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let words = cause.to_string();
        if !text.contains(&words) {
            text.push_str(": ");
            text.push_str(&words);
        }
        source = cause.source();
    }
    text
}

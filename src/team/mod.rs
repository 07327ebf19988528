//! Team mode: the shared journal, app locks and approvals in the team's PostgreSQL
//! (`RUNBOOK_DATABASE_URL`). Without a database nothing here is used: the local journal is the
//! embedded default.

mod app_lock;
mod approval;
mod connect;
mod schema;
mod shared_journal;
mod worker;

use serde_json::Value;
use std::sync::{Mutex, MutexGuard, PoisonError};
use tokio_postgres::Client;

pub use app_lock::{Claim, Holder, key as lock_key};
pub use approval::{Decision, Request as ApprovalRequest};
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

impl Team {
    /// Connects to `url` and brings its schema up to date.
    pub fn connect(url: &str) -> TeamResult<Self> {
        let config = connect::config(url)?;
        let worker =
            Worker::start().map_err(|error| format!("cannot start the team runtime: {error}"))?;
        let mut client = connect::open(&worker, &config).map_err(|error| describe(&error))?;
        worker
            .block(schema::migrate(&mut client))
            .map_err(|error| format!("cannot migrate the team's schema: {}", describe(&error)))?;
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
            .block(shared_journal::insert(&*self.session(), masked))
            .map_err(|error| describe(&error))
    }

    /// The newest runs of every operator that match `filter`, newest first.
    pub fn runs(&self, filter: &RunFilter) -> TeamResult<Vec<RunHistory>> {
        self.worker
            .block(shared_journal::runs(&self.session(), filter))
            .map_err(|error| describe(&error))
    }

    /// The shared records of the runs whose id starts with `prefix`, oldest first.
    pub fn records(&self, prefix: &str) -> TeamResult<Vec<Record>> {
        self.worker
            .block(shared_journal::records(&self.session(), prefix))
            .map_err(|error| describe(&error))
    }

    /// Pushes the local runs the shared journal lacks; how many.
    pub fn sync(&self, local: &[(RunHistory, Vec<Value>)]) -> TeamResult<usize> {
        self.worker
            .block(shared_journal::sync(&mut self.session(), local))
            .map_err(|error| describe(&error))
    }

    /// Takes the lock of `claim` on the run's lock session: `None` when held now, else its holder.
    pub fn take_lock(&self, claim: &Claim<'_>) -> TeamResult<Option<Holder>> {
        let mut session = self.lock_session();
        if session.is_none() {
            let client =
                connect::open(&self.worker, &self.config).map_err(|error| describe(&error))?;
            *session = Some(client);
        }
        let Some(client) = session.as_ref() else {
            return Err("the lock session could not be opened".to_string());
        };
        self.worker
            .block(app_lock::try_take(client, claim))
            .map_err(|error| describe(&error))
    }

    /// Whether the lock session is alive and holds every key in `keys` (its heartbeat beaten).
    pub fn still_held(&self, keys: &[i64]) -> bool {
        let session = self.lock_session();
        match session.as_ref() {
            Some(client) if !client.is_closed() => self
                .worker
                .block(app_lock::still_held(client, keys))
                .unwrap_or(false),
            _ => false,
        }
    }

    /// Lets go of this run's locks (ending the process does the same).
    pub fn release_locks(&self) {
        if let Some(client) = self.lock_session().as_ref() {
            let _ = self.worker.block(app_lock::release(client));
        }
    }

    /// Every app lock held now.
    pub fn holders(&self) -> TeamResult<Vec<Holder>> {
        self.worker
            .block(app_lock::holders(&self.session()))
            .map_err(|error| describe(&error))
    }

    /// Asks for the approval of a run.
    pub fn ask_approval(&self, request: &ApprovalRequest) -> TeamResult<()> {
        self.worker
            .block(approval::ask(&self.session(), request))
            .map_err(|error| describe(&error))
    }

    /// The approval requests of the runs whose id starts with `prefix`.
    pub fn approval_requests(&self, prefix: &str) -> TeamResult<Vec<ApprovalRequest>> {
        self.worker
            .block(approval::find(&self.session(), prefix))
            .map_err(|error| describe(&error))
    }

    /// Records a decision on `run_id`; whether it was the first.
    pub fn decide(&self, run_id: &str, decision: &Decision) -> TeamResult<bool> {
        self.worker
            .block(approval::decide(&self.session(), run_id, decision))
            .map_err(|error| describe(&error))
    }

    fn session(&self) -> MutexGuard<'_, Client> {
        self.journal.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_session(&self) -> MutexGuard<'_, Option<Client>> {
        self.locks.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A database error as one line: the server's own message when it sent one.
fn describe(error: &tokio_postgres::Error) -> String {
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

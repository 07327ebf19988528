//! Team mode: the shared journal, app locks and approvals in the team's PostgreSQL
//! (`RUNBOOK_DATABASE_URL`). Without a database nothing here is used: the local journal is the
//! embedded default.

mod app_lock;
mod approval;
mod connect;
mod notes;
mod policy;
mod progress;
mod schema;
mod shared_journal;

use serde_json::Value;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio_postgres::Client;

pub use app_lock::{Claim, Holder, canonical_api, is_drill, key as lock_key};
pub use approval::{Decision, Plan, PlanWrite, Request as ApprovalRequest};
pub use notes::Note;
pub use policy::AppPolicy;
pub use shared_journal::{RunFilter, is_shared};

use crate::journal::{Record, RunHistory};

/// What one exchange with the team's database gives.
type Queried<T> = Result<T, tokio_postgres::Error>;

/// The environment variable naming the team's database (also `--database-url`).
pub const DATABASE_URL_VARIABLE: &str = "RUNBOOK_DATABASE_URL";

/// A connection to the team's database, its schema migrated. Every exchange is a future of the
/// caller's runtime (the run's own, or a command's): no thread of its own, no blocking wait.
pub struct Team {
    config: tokio_postgres::Config,
    /// The session of the shared journal, approvals and listings (a lock only for what needs a
    /// transaction; the client itself is shared).
    journal: Mutex<Client>,
    /// The session that holds this run's app locks: opened at the first lock, and when it ends
    /// the locks end with it.
    locks: Mutex<Option<Client>>,
}

/// What went wrong with the database, in words that never contain its URL.
pub type TeamResult<T> = Result<T, TeamError>;

/// Why an exchange with the team's database failed: its words never contain the URL.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct TeamError(pub String);

/// Why the team's database could not be used.
#[derive(Debug)]
pub enum ConnectError {
    /// The URL itself is wrong: a usage error.
    Url(connect::BadDatabaseUrl),
    /// The server is out of reach, or refused us.
    Unreachable(String),
}

/// How long one exchange with the database may take before it counts as out of reach: a server
/// that accepts connections and never answers must not hang a run.
const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(10);

impl Team {
    /// Connects to `url` and brings its schema up to date; the connection's driver runs on the
    /// caller's runtime.
    pub async fn connect(url: &str) -> Result<Self, ConnectError> {
        let config = connect::config(url).map_err(ConnectError::Url)?;
        let mut client =
            connect::open(&config).await.map_err(|error| ConnectError::Unreachable(error.0))?;
        timed(schema::migrate(&mut client)).await.map_err(|error| {
            ConnectError::Unreachable(format!("cannot migrate the team's schema: {error}"))
        })?;
        Ok(Self { config, journal: Mutex::new(client), locks: Mutex::new(None) })
    }

    /// Stores one journal record (as the journal wrote it, secrets masked).
    pub async fn record(&self, masked: &Value) -> TeamResult<()> {
        timed(shared_journal::insert(&*self.journal.lock().await, masked)).await
    }

    /// The newest runs of every operator that match `filter`, newest first.
    pub async fn runs(&self, filter: &RunFilter) -> TeamResult<Vec<RunHistory>> {
        timed(shared_journal::runs(&*self.journal.lock().await, filter)).await
    }

    /// The shared records of the runs whose id starts with `prefix`, oldest first.
    pub async fn records(&self, prefix: &str) -> TeamResult<Vec<Record>> {
        timed(shared_journal::records(&*self.journal.lock().await, prefix)).await
    }

    /// Pushes the local runs the shared journal lacks; how many.
    pub async fn sync(&self, local: &[(RunHistory, Vec<Value>)]) -> TeamResult<usize> {
        timed(shared_journal::sync(&mut *self.journal.lock().await, local)).await
    }

    /// Takes the lock of `claim` on the run's lock session: `None` when held now, else its holder.
    pub async fn take_lock(&self, claim: &Claim<'_>) -> TeamResult<Option<Holder>> {
        let mut session = self.locks.lock().await;
        if session.is_none() {
            *session = Some(connect::open(&self.config).await?);
        }
        let Some(client) = session.as_ref() else {
            return Err(TeamError("the lock session could not be opened".into()));
        };
        timed(app_lock::try_take(client, claim)).await
    }

    /// Whether the lock session is alive and holds every key in `keys` (its heartbeat beaten).
    pub async fn still_held(&self, keys: &[i64]) -> bool {
        match self.locks.lock().await.as_ref() {
            Some(client) if !client.is_closed() => {
                timed(app_lock::still_held(client, keys)).await.unwrap_or(false)
            }
            _ => false,
        }
    }

    /// Lets go of this run's locks (ending the process does the same).
    pub async fn release_locks(&self) {
        if let Some(client) = self.locks.lock().await.as_ref() {
            let _ = timed(app_lock::release(client)).await;
        }
    }

    /// Every app lock held now.
    pub async fn holders(&self) -> TeamResult<Vec<Holder>> {
        timed(app_lock::holders(&*self.journal.lock().await)).await
    }

    /// Where run `run_id` stands, as its shared records say: `at step 3 of 4 (Restart dynos)`.
    pub async fn progress(&self, run_id: &str) -> Option<String> {
        timed(progress::of(&*self.journal.lock().await, run_id)).await.ok().flatten()
    }

    /// Asks for the approval of a plan; the request's id.
    pub async fn ask_approval(&self, request: &ApprovalRequest) -> TeamResult<i64> {
        timed(approval::ask(&*self.journal.lock().await, request)).await
    }

    /// The approval requests of the runs whose id starts with `prefix`, newest first.
    pub async fn approval_requests(&self, prefix: &str) -> TeamResult<Vec<ApprovalRequest>> {
        timed(approval::find(&*self.journal.lock().await, prefix)).await
    }

    /// Every request still waiting for a decision, oldest first.
    pub async fn waiting_approvals(&self) -> TeamResult<Vec<ApprovalRequest>> {
        timed(approval::waiting(&*self.journal.lock().await)).await
    }

    /// The request `id` as it stands now.
    pub async fn approval(&self, id: i64) -> TeamResult<Option<ApprovalRequest>> {
        timed(approval::by_id(&*self.journal.lock().await, id)).await
    }

    /// Records a decision on request `id`; whether it was the first.
    pub async fn decide(&self, id: i64, decision: &Decision) -> TeamResult<bool> {
        timed(approval::decide(&*self.journal.lock().await, id, decision)).await
    }

    /// The run stopped waiting for request `id` (timed out, interrupted): nobody may approve it
    /// any more.
    pub async fn withdraw_approval(&self, id: i64) -> TeamResult<()> {
        timed(approval::withdraw(&*self.journal.lock().await, id)).await
    }

    /// The approved request `id` was used by its run: it no longer lapses.
    pub async fn use_approval(&self, id: i64) -> TeamResult<()> {
        timed(approval::mark_used(&*self.journal.lock().await, id)).await
    }

    /// The team's policy for every app it names.
    pub async fn policies(&self) -> TeamResult<Vec<AppPolicy>> {
        timed(policy::all(&*self.journal.lock().await)).await
    }

    /// Sets the team's policy for one app.
    pub async fn set_policy(&self, policy: &AppPolicy) -> TeamResult<()> {
        timed(policy::set(&*self.journal.lock().await, policy)).await
    }

    /// Adds a note to the shared record.
    pub async fn note(&self, note: &Note) -> TeamResult<()> {
        timed(notes::add(&*self.journal.lock().await, note)).await
    }

    /// The notes from `since` (RFC 3339) on, of `app` or of no app, oldest first.
    pub async fn notes_since(&self, since: &str, app: Option<&str>) -> TeamResult<Vec<Note>> {
        timed(notes::since(&*self.journal.lock().await, since, app)).await
    }

    /// The shared records of the runs started from `since` (RFC 3339) on that targeted or wrote
    /// to `app` (any app when `None`), oldest first.
    pub async fn records_since(&self, since: &str, app: Option<&str>) -> TeamResult<Vec<Record>> {
        timed(shared_journal::records_since(&*self.journal.lock().await, since, app)).await
    }
}

/// `exchange`, given up after [`EXCHANGE_TIMEOUT`]; its error in words.
async fn timed<T>(exchange: impl std::future::Future<Output = Queried<T>>) -> TeamResult<T> {
    match tokio::time::timeout(EXCHANGE_TIMEOUT, exchange).await {
        Ok(result) => result.map_err(|error| TeamError(describe(&error))),
        Err(_) => Err(TeamError(format!(
            "the team's database did not answer within {}s",
            EXCHANGE_TIMEOUT.as_secs()
        ))),
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

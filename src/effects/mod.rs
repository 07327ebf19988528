//! The chokepoint every side effect passes through: sent for real, or recorded in a dry-run.
//!
//! Dry-run is a value of this type, not a flag threaded through the code: an operation asks for a
//! write here and cannot tell, or change, whether it is sent. Every write that leaves passes
//! [`Effects::send`], which asks the run's [`Guard`] to admit it (a protected app needs its
//! confirmation), tells the guard before it leaves and when it is answered (the journal), and
//! never sends again a write whose earlier sending may have taken effect.

mod guard;
mod ledger;
mod local;
mod plan;
mod process_group;
mod refusal;

use std::sync::Arc;

use ledger::Ledger;
use local::LocalError;

pub use guard::{Guard, ProcessGroup, Unrecorded};
pub use ledger::NotSentAgain;
pub use local::{LocalCommand, LocalOutcome};
pub use plan::{Planned, PlannedCommand, PlannedRequest, PlannedUpload, Recorder};
pub use refusal::{LockHolder, Outcome as RefusalOutcome, Refusal};

use crate::heroku::{Answer, ApiError, Client};
use crate::identifiers::AppName;

/// How side effects are carried out in this run.
#[derive(Clone)]
pub struct Effects {
    client: Client,
    transport: Transport,
    guard: Arc<dyn Guard>,
    /// The writes that must not leave again: in flight, or maybe taken effect.
    ledger: Ledger,
}

#[derive(Clone)]
enum Transport {
    /// Writes are sent.
    Live,
    /// Writes are recorded; the client itself refuses anything but GET and HEAD.
    DryRun(Arc<Recorder>),
}

/// Why a write was not sent, or how it failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// It failed, and surely did not take effect (or was answered).
    #[error(transparent)]
    Api(#[from] ApiError),
    /// It may have reached the server and taken effect: sent, and no answer says otherwise.
    #[error("{error}")]
    MaybeSent { app: AppName, error: Box<ApiError> },
    /// The guard refused it: a protected app that nobody confirmed, a team lock, an approval.
    #[error("{0}")]
    Refused(Refusal),
    /// It may have left already in this run, and is never sent twice.
    #[error(transparent)]
    NotResent(#[from] NotSentAgain),
    /// A local command could not be started or waited for.
    #[error("{0}")]
    Local(String),
    /// It did not leave because the journal could not record that it leaves (a full disk).
    #[error(transparent)]
    Unrecorded(#[from] Unrecorded),
}

impl Effects {
    pub fn live(client: Client, guard: Arc<dyn Guard>) -> Self {
        Self::new(client, Transport::Live, guard)
    }

    /// Effects that record writes; `client` must be read-only.
    pub fn dry_run(client: Client, guard: Arc<dyn Guard>) -> Self {
        Self::new(client, Transport::DryRun(Arc::default()), guard)
    }

    fn new(client: Client, transport: Transport, guard: Arc<dyn Guard>) -> Self {
        Self { client, transport, guard, ledger: Ledger::default() }
    }

    /// The client for reads, which run for real in every mode.
    pub fn reader(&self) -> &Client {
        &self.client
    }

    pub fn is_dry_run(&self) -> bool {
        matches!(self.transport, Transport::DryRun(_))
    }

    /// In a dry-run, records `planned` instead of carrying it out, and says so with `true`.
    pub fn plan_instead(&self, planned: &[Planned]) -> bool {
        let Transport::DryRun(recorder) = &self.transport else {
            return false;
        };
        for entry in planned {
            self.guard.planned(entry);
            recorder.record(entry.clone());
        }
        true
    }

    /// Sends one write, at most once: admitted by the guard (for its app and the app its path
    /// names), journaled before it leaves and when it is answered. In a dry-run nothing is sent.
    pub async fn send(&self, request: &PlannedRequest) -> Result<Answer, WriteError> {
        if self.is_dry_run() {
            return Err(ApiError::RefusedInDryRun {
                method: request.request.method.to_string(),
                path: request.request.path.to_string(),
            }
            .into());
        }
        self.admit(request).await?;
        let key = request.key();
        let _claim = self.ledger.claim(&key).map_err(WriteError::NotResent)?;
        self.guard.sending(request)?;
        let result = self.client.request(&request.request).await;
        self.guard.answered(request, result.as_ref());
        match result {
            Ok(answer) => Ok(answer),
            Err(error) if error.may_have_taken_effect() => {
                self.ledger.uncertain(&key);
                Err(WriteError::MaybeSent { app: request.app.clone(), error: Box::new(error) })
            }
            Err(error) => Err(WriteError::Api(error)),
        }
    }

    /// The guard's word on the request's app, and on the app its path names.
    async fn admit(&self, request: &PlannedRequest) -> Result<(), WriteError> {
        self.guard.admit(&request.app, Some(request)).await.map_err(WriteError::Refused)?;
        match request.request.path.named_app() {
            Some(named) if named != &request.app => {
                self.guard.admit(named, Some(request)).await.map_err(WriteError::Refused)
            }
            _ => Ok(()),
        }
    }

    /// Uploads `bytes` to a storage URL (a source's `put_url`): never with the API token, and
    /// only once the journal recorded that it leaves.
    pub async fn upload(&self, app: &AppName, url: &str, bytes: Vec<u8>) -> Result<(), WriteError> {
        if self.is_dry_run() {
            return Err(
                ApiError::RefusedInDryRun { method: "PUT".into(), path: url.to_string() }.into()
            );
        }
        self.guard.admit(app, None).await.map_err(WriteError::Refused)?;
        self.guard.uploading(&PlannedUpload {
            app: app.clone(),
            method: "PUT".into(),
            path: "put_url of the new source".into(),
            body: format!("{} bytes", bytes.len()),
        })?;
        Ok(crate::heroku::upload(url, bytes).await?)
    }

    /// Runs `command` on this machine, its output lines to `line`; in a dry-run, records it.
    pub async fn local(
        &self,
        command: &LocalCommand,
        line: &(dyn Fn(String) + Send + Sync),
    ) -> Result<LocalOutcome, WriteError> {
        if self.plan_instead(&[Planned::Command(command.planned())]) {
            return Ok(LocalOutcome::Recorded);
        }
        if let Some(app) = &command.app {
            self.guard.admit(app, None).await.map_err(WriteError::Refused)?;
        }
        let planned = command.planned();
        let marked = ProcessGroup::to_start();
        self.guard.starting(&planned, &marked)?;
        let ran = command
            .run(&marked, line, |group| match group {
                Some(group) => self.guard.running(&planned, &group),
                None => Ok(()),
            })
            .await;
        let status = match ran {
            Ok(status) => status,
            Err(LocalError::Unrecorded(unrecorded)) => return Err(unrecorded.into()),
            Err(LocalError::Failed(message)) => return Err(WriteError::Local(message)),
        };
        self.guard.ended(&planned, status);
        Ok(LocalOutcome::Ran(status))
    }

    /// How many writes a dry-run recorded so far (0 in a live run).
    pub fn planned_count(&self) -> usize {
        match &self.transport {
            Transport::Live => 0,
            Transport::DryRun(recorder) => recorder.len(),
        }
    }

    /// Every write recorded so far (empty in a live run).
    pub fn plan(&self) -> Vec<Planned> {
        match &self.transport {
            Transport::Live => Vec::new(),
            Transport::DryRun(recorder) => recorder.entries(),
        }
    }
}

impl std::fmt::Debug for Effects {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Effects")
            .field("client", &self.client)
            .field("dry_run", &self.is_dry_run())
            .finish()
    }
}

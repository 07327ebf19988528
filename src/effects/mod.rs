//! The chokepoint every side effect passes through: sent for real, or recorded in a dry-run.
//!
//! Dry-run is a value of this type, not a flag threaded through the code: an operation asks for a
//! write here and cannot tell, or change, whether it is sent.

pub mod local;
pub mod plan;

use std::sync::Arc;

use serde_json::Value;

use crate::heroku::{ApiError, Client};
pub use local::{LocalCommand, LocalOutcome};
pub use plan::{Planned, PlannedRequest, Recorder};

/// How side effects are carried out in this run.
#[derive(Debug, Clone)]
pub enum Effects {
    /// Writes are sent.
    Live(Client),
    /// Writes are recorded; the client itself refuses anything but GET and HEAD.
    DryRun {
        client: Client,
        recorder: Arc<Recorder>,
    },
}

/// What a write produced.
#[derive(Debug)]
pub enum WriteOutcome {
    Sent {
        body: Value,
        request_id: Option<String>,
    },
    Recorded,
}

impl Effects {
    /// The client for reads, which run for real in every mode.
    pub fn client(&self) -> &Client {
        match self {
            Effects::Live(client) | Effects::DryRun { client, .. } => client,
        }
    }

    pub fn is_dry_run(&self) -> bool {
        matches!(self, Effects::DryRun { .. })
    }

    /// Sends `request`, or records it in a dry-run.
    pub async fn write(&self, request: PlannedRequest) -> Result<WriteOutcome, ApiError> {
        match self {
            Effects::Live(client) => {
                let answer = client
                    .request(request.method.clone(), &request.path, request.body.as_ref())
                    .await?;
                Ok(WriteOutcome::Sent {
                    body: answer.body,
                    request_id: answer.request_id,
                })
            }
            Effects::DryRun { recorder, .. } => {
                recorder.record(request);
                Ok(WriteOutcome::Recorded)
            }
        }
    }

    /// Uploads `bytes` to a storage URL (a source's `put_url`): never with the API token.
    pub async fn upload(&self, app: &str, url: &str, bytes: Vec<u8>) -> Result<(), ApiError> {
        match self {
            Effects::Live(_) => crate::heroku::upload::put(url, bytes).await,
            Effects::DryRun { recorder, .. } => {
                let size = bytes.len();
                let request = PlannedRequest::new(app, (reqwest::Method::PUT, url.to_string()))
                    .with_body(Some(Value::String(format!("{size} bytes"))));
                recorder.record(request);
                Ok(())
            }
        }
    }

    /// Runs `command` on this machine, its output lines to `line`; in a dry-run, records it.
    pub async fn local(
        &self,
        command: LocalCommand,
        line: &(dyn Fn(String) + Send + Sync),
    ) -> Result<LocalOutcome, String> {
        match self {
            Effects::Live(_) => command.run(line).await.map(LocalOutcome::Ran),
            Effects::DryRun { recorder, .. } => {
                recorder.record_command(command.planned());
                Ok(LocalOutcome::Recorded)
            }
        }
    }

    /// Every write recorded so far (empty in a live run).
    pub fn plan(&self) -> Vec<Planned> {
        match self {
            Effects::Live(_) => Vec::new(),
            Effects::DryRun { recorder, .. } => recorder.entries(),
        }
    }
}

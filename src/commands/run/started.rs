//! The first event of a run: what runs, against what, with which params, by whom; and the hash of
//! the runbook's text that `--resume` compares.

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::target::destination;
use crate::exec::Target;
use crate::journal::{ApiUrl, Event, RunId, RunMode};
use crate::runbook::Body;
use crate::runbook::Runbook;
use crate::settings::{Mode, RunSettings, Settings};

/// What the start of a run records.
pub struct Started<'a> {
    pub settings: &'a Settings,
    pub runbook: &'a Runbook,
    pub target: Option<&'a Target>,
    pub run: &'a RunSettings,
    pub api_url: &'a str,
    pub params: &'a [(String, Value)],
    pub run_id: &'a RunId,
    pub resumes: Option<RunId>,
    /// A rehearsal's world carried from earlier rehearsals, said in the header.
    pub world: Option<String>,
    /// The Heroku account of the token, when it said.
    pub operator: Option<String>,
    /// The run works in team mode (the shared journal, locks, approvals).
    pub team: bool,
    /// The apps `environments.yaml` protects.
    pub protected_apps: &'a std::collections::BTreeSet<crate::identifiers::AppName>,
}

pub fn run_started(started: &Started<'_>) -> Event {
    let target = started.target;
    Event::RunStarted {
        run_id: started.run_id.clone(),
        runbook: started.runbook.name.clone(),
        environment: target.map(|target| target.name.clone()),
        app: app_of(started),
        protected: target.is_some_and(|target| target.protected)
            || app_of(started).is_some_and(|app| {
                started.protected_apps.iter().any(|protected| protected.as_str() == app)
            }),
        mode: match started.run.mode {
            Mode::DryRun => RunMode::DryRun,
            Mode::Live => RunMode::Live,
        },
        target: destination(started.run),
        api_url: ApiUrl::new(started.api_url),
        params: Value::Object(started.params.iter().cloned().collect()),
        steps: match &started.runbook.body {
            Body::Steps(steps) => Some(steps.len()),
            Body::Script(_) => None,
        },
        user: started.settings.login(),
        operator: started.operator.clone(),
        team: started.team,
        content_hash: content_hash(started.runbook),
        resumes: started.resumes.clone(),
        world: started.world.clone(),
    }
}

/// The app the run goes to: its environment's, or, for a runbook without environments, the
/// `app` param it was given (so that the header and the journal name it).
fn app_of(started: &Started<'_>) -> Option<String> {
    match started.target {
        Some(target) => Some(target.app.to_string()),
        None => started
            .params
            .iter()
            .find(|(name, _)| name == "app")
            .and_then(|(_, value)| value.as_str())
            .map(str::to_string),
    }
}

/// The SHA-256 of the runbook's source, so that `--resume` can tell whether it changed.
pub fn content_hash(runbook: &Runbook) -> String {
    let digest = Sha256::digest(runbook.source.text.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

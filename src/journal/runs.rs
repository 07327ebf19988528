//! Runs as read back from the journal: records grouped by run id, with their outcome.

use serde::{Serialize, Serializer};
use serde_json::Value;

use super::record::{ApiUrl, Record, RunId, Timestamp};
use crate::journal::{Event, RunMode, RunStatus, TargetKind};

/// One run, from its `run_started` to its `run_finished` (if it has one).
#[derive(Debug, Clone, Serialize)]
pub struct RunHistory {
    pub run_id: RunId,
    pub started_at: Timestamp,
    pub runbook: String,
    pub environment: Option<String>,
    pub app: Option<String>,
    /// Whether `environments.yaml` protected the app when the run started.
    pub protected: bool,
    pub mode: RunMode,
    pub target: TargetKind,
    pub api_url: ApiUrl,
    pub user: String,
    /// The Heroku account of the run's token, when it was known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    pub content_hash: String,
    /// The params the run started with (secrets masked).
    pub params: Value,
    /// The run it resumed (`--resume`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resumes: Option<RunId>,
    /// How it ended; `None` (`unfinished`) while no `run_finished` was recorded.
    #[serde(serialize_with = "status_name")]
    pub status: Option<RunStatus>,
    #[serde(skip)]
    pub records: Vec<Record>,
}

fn status_name<S: Serializer>(
    status: &Option<RunStatus>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(status.map_or("unfinished", RunStatus::name))
}

/// Groups records into runs, oldest first.
pub fn group(records: Vec<Record>) -> Vec<RunHistory> {
    let mut runs: Vec<RunHistory> = Vec::new();
    for record in records {
        if let Some(run) = started(&record) {
            runs.push(run);
        }
        let Some(run) = runs.iter_mut().rev().find(|run| run.run_id == record.run_id) else {
            continue;
        };
        if let Event::RunFinished { status, .. } = &record.event {
            run.status = Some(*status);
        }
        run.records.push(record);
    }
    runs
}

pub(super) fn started(record: &Record) -> Option<RunHistory> {
    let Event::RunStarted {
        runbook,
        environment,
        app,
        protected,
        mode,
        target,
        api_url,
        params,
        user,
        operator,
        content_hash,
        resumes,
        ..
    } = &record.event
    else {
        return None;
    };
    Some(RunHistory {
        run_id: record.run_id.clone(),
        started_at: record.time.clone(),
        runbook: runbook.clone(),
        environment: environment.clone(),
        app: app.clone(),
        protected: *protected,
        mode: *mode,
        target: *target,
        api_url: api_url.clone(),
        user: user.clone(),
        operator: operator.clone(),
        content_hash: content_hash.clone(),
        params: params.clone(),
        resumes: resumes.clone(),
        status: None,
        records: Vec::new(),
    })
}

impl RunHistory {
    /// `restart-production`, or `restart` for a runbook without environments.
    pub fn target_name(&self) -> String {
        match &self.environment {
            Some(environment) => format!("{}-{environment}", self.runbook),
            None => self.runbook.clone(),
        }
    }

    /// Who ran it: the Heroku account when known, else the local login.
    pub fn operator(&self) -> &str {
        self.operator.as_deref().unwrap_or(&self.user)
    }

    /// `succeeded`, ..., or `unfinished`.
    pub fn status_name(&self) -> &'static str {
        self.status.map_or("unfinished", RunStatus::name)
    }
}

/// The run whose id is `wanted` or starts with it, among `runs`.
pub fn find<'a>(runs: &'a [RunHistory], wanted: &str) -> Result<&'a RunHistory, super::Lookup> {
    let matching: Vec<&RunHistory> =
        runs.iter().filter(|run| run.run_id.starts_with(wanted)).collect();
    match matching.as_slice() {
        [run] => Ok(run),
        [] => Err(super::Lookup::Missing(wanted.to_string())),
        _ => Err(super::Lookup::Ambiguous { wanted: wanted.to_string(), count: matching.len() }),
    }
}

//! Runs as read back from the journal: records grouped by run id, with their outcome.

use serde::Serialize;
use serde_json::Value;

use super::record::Record;

/// One run, from its `run_started` to its `run_finished` (if it has one).
#[derive(Debug, Clone, Serialize)]
pub struct RunHistory {
    pub run_id: String,
    pub started_at: String,
    pub runbook: String,
    pub environment: Option<String>,
    pub app: Option<String>,
    pub mode: String,
    pub target: String,
    pub api_url: String,
    pub user: String,
    pub content_hash: String,
    /// `succeeded`, `failed`, `not_confirmed`, `aborted`, `interrupted`, `crashed`, or `unfinished`.
    pub status: String,
    #[serde(skip)]
    pub records: Vec<Record>,
}

/// Groups records into runs, oldest first.
pub fn group(records: Vec<Record>) -> Vec<RunHistory> {
    let mut runs: Vec<RunHistory> = Vec::new();
    for record in records {
        if record.kind() == "run_started" {
            runs.push(started(&record));
        }
        let Some(run) = runs
            .iter_mut()
            .rev()
            .find(|run| run.run_id == record.run_id)
        else {
            continue;
        };
        if record.kind() == "run_finished" {
            run.status = text(&record.event, "status");
        }
        run.records.push(record);
    }
    runs
}

fn started(record: &Record) -> RunHistory {
    let event = &record.event;
    RunHistory {
        run_id: record.run_id.clone(),
        started_at: record.time.clone(),
        runbook: text(event, "runbook"),
        environment: event["environment"].as_str().map(String::from),
        app: event["app"].as_str().map(String::from),
        mode: text(event, "mode"),
        target: text(event, "target"),
        api_url: text(event, "api_url"),
        user: text(event, "user"),
        content_hash: text(event, "content_hash"),
        status: "unfinished".to_string(),
        records: Vec::new(),
    }
}

fn text(event: &Value, key: &str) -> String {
    event[key].as_str().unwrap_or_default().to_string()
}

impl RunHistory {
    /// `restart-production`, or `restart` for a runbook without environments.
    pub fn target_name(&self) -> String {
        match &self.environment {
            Some(environment) => format!("{}-{environment}", self.runbook),
            None => self.runbook.clone(),
        }
    }

    /// The `step_finished` records whose step completed, by step index.
    pub fn finished_steps(&self) -> Vec<&Record> {
        self.records
            .iter()
            .filter(|record| record.kind() == "step_finished" && record.event["status"] == "done")
            .collect()
    }
}

/// The run whose id is `wanted` or starts with it; an error names the ambiguity.
pub fn find<'a>(runs: &'a [RunHistory], wanted: &str) -> Result<&'a RunHistory, String> {
    let matching: Vec<&RunHistory> = runs
        .iter()
        .filter(|run| run.run_id.starts_with(wanted))
        .collect();
    match matching.as_slice() {
        [run] => Ok(run),
        [] => Err(format!("no run `{wanted}` in the journal")),
        _ => Err(format!(
            "`{wanted}` matches {} runs; give more of the id",
            matching.len()
        )),
    }
}

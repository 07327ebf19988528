//! What a rehearsal under test did, read back from what it left: its exit code and output, its
//! journal, and the world and requests the simulator saw.

use std::path::PathBuf;

use serde_json::Value;

use super::case::Write;

/// One rehearsal's results.
pub struct Outcome {
    pub exit: Option<i32>,
    /// Standard output, then standard error.
    pub output: String,
    pub journal_path: PathBuf,
    pub journal_text: String,
    /// How the run ended (`succeeded`, `failed`...), from the journal.
    pub status: Option<String>,
    /// The API writes the journal recorded as sent, in order.
    pub sent: Vec<Write>,
    /// The uploads to storage URLs it recorded (a deploy's source), by the URL's path.
    pub uploads: Vec<Write>,
    /// Steps as they started and ended, in order.
    pub steps: Vec<StepSeen>,
    /// Local commands started.
    pub commands_started: usize,
    /// A write recorded as sent after a question was refused.
    pub written_after_refusal: Option<Write>,
    /// The writes the simulator received, in order.
    pub received: Vec<Write>,
    /// The world as the run left it (`sim::Simulator::summary`).
    pub world: Value,
}

pub struct StepSeen {
    pub name: String,
    pub id: Option<String>,
    pub status: String,
}

impl Outcome {
    pub fn read(
        exit: Option<i32>,
        output: String,
        journal_path: PathBuf,
        world_path: &std::path::Path,
    ) -> Self {
        let journal_text = std::fs::read_to_string(&journal_path).unwrap_or_default();
        let world: Value = std::fs::read_to_string(world_path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or(Value::Null);
        let mut outcome = Self {
            exit,
            output,
            journal_path,
            journal_text: String::new(),
            status: None,
            sent: Vec::new(),
            uploads: Vec::new(),
            steps: Vec::new(),
            commands_started: 0,
            written_after_refusal: None,
            received: received(&world),
            world,
        };
        let mut refused = false;
        for event in journal_text
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter_map(|mut record| record.get_mut("event").map(Value::take))
        {
            outcome.take(&event, &mut refused);
        }
        outcome.journal_text = journal_text;
        outcome
    }

    fn take(&mut self, event: &Value, refused: &mut bool) {
        let text = |name: &str| event.get(name).and_then(Value::as_str).map(str::to_string);
        match event.get("event").and_then(Value::as_str).unwrap_or_default() {
            "run_finished" => self.status = text("status"),
            "step_started" => self.steps.push(StepSeen {
                name: text("name").unwrap_or_default(),
                id: text("id"),
                status: "started".into(),
            }),
            "step_finished" | "step_skipped" => self.step_ended(event),
            "command_started" => self.commands_started += 1,
            "confirmation" => *refused |= text("answer").as_deref() == Some("refused"),
            "upload_sent" => self.uploads.push(upload(event.get("upload").unwrap_or(&Value::Null))),
            "write_sent" => {
                let write = journal_write(event.get("request").unwrap_or(&Value::Null));
                if *refused && self.written_after_refusal.is_none() {
                    self.written_after_refusal = Some(write.clone());
                }
                self.sent.push(write);
            }
            _ => {}
        }
    }

    fn step_ended(&mut self, event: &Value) {
        let name = event.get("name").and_then(Value::as_str).unwrap_or_default();
        let status = match event.get("event").and_then(Value::as_str) {
            Some("step_skipped") => "skipped".to_string(),
            _ => event.get("status").and_then(Value::as_str).unwrap_or_default().to_string(),
        };
        match self.steps.iter_mut().rev().find(|step| step.name == name && step.status == "started")
        {
            Some(step) => step.status = status,
            None => self.steps.push(StepSeen { name: name.to_string(), id: None, status }),
        }
    }

    /// How the step named (or with the id) `name` ended the last time it ran.
    pub fn step_status(&self, name: &str) -> Option<&str> {
        self.steps
            .iter()
            .rev()
            .find(|step| step.name == name || step.id.as_deref() == Some(name))
            .map(|step| step.status.as_str())
    }

    /// The text after `next: ` on the output's last such line.
    pub fn next_hint(&self) -> Option<&str> {
        self.output.lines().rev().find_map(|line| line.trim().strip_prefix("next: ")).map(str::trim)
    }
}

fn journal_write(request: &Value) -> Write {
    let text =
        |name: &str| request.get(name).and_then(Value::as_str).unwrap_or_default().to_string();
    Write {
        method: text("method"),
        path: text("path"),
        body: request.get("body").cloned().filter(|body| !body.is_null()),
    }
}

/// An upload as the journal records it, named by its URL's path (as a server logs it).
fn upload(upload: &Value) -> Write {
    let url = upload["path"].as_str().unwrap_or_default();
    let path = url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|slash| &rest[slash..]))
        .unwrap_or(url);
    Write {
        method: upload["method"].as_str().unwrap_or("PUT").to_string(),
        path: path.split('?').next().unwrap_or(path).to_string(),
        body: None,
    }
}

/// The requests the simulator received that change something, in order.
fn received(world: &Value) -> Vec<Write> {
    world
        .get("requests")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(journal_write)
        .filter(|write| !crate::heroku::logged_request_changes_nothing(&write.method, &write.path))
        .collect()
}

//! A write that a dry-run did not send, kept to show the plan at the end.

use std::sync::Mutex;

use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

/// One request as it would be sent.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedRequest {
    pub app: String,
    #[serde(serialize_with = "method_name")]
    pub method: Method,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

fn method_name<S: serde::Serializer>(method: &Method, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(method.as_str())
}

impl PlannedRequest {
    pub fn new(app: &str, (method, path): (Method, String)) -> Self {
        Self {
            app: app.to_string(),
            method,
            path,
            body: None,
        }
    }

    pub fn with_body(mut self, body: Option<Value>) -> Self {
        self.body = body;
        self
    }

    /// `DELETE /apps/x/dynos`, with the body when there is one.
    pub fn describe(&self) -> String {
        match &self.body {
            Some(body) => format!("{} {} {}", self.method, self.path, body),
            None => format!("{} {}", self.method, self.path),
        }
    }
}

/// A command that would run on this machine (`git push ...`).
#[derive(Debug, Clone, Serialize)]
pub struct PlannedCommand {
    pub app: String,
    pub command: String,
    pub directory: String,
}

/// One entry of a dry-run's plan.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Planned {
    Request(PlannedRequest),
    Command(PlannedCommand),
}

impl Planned {
    pub fn describe(&self) -> String {
        match self {
            Planned::Request(request) => request.describe(),
            Planned::Command(command) => {
                format!("run `{}` in {}", command.command, command.directory)
            }
        }
    }
}

/// The writes and local commands of a dry-run, in order.
#[derive(Debug, Default)]
pub struct Recorder {
    entries: Mutex<Vec<Planned>>,
}

impl Recorder {
    pub fn record(&self, request: PlannedRequest) {
        self.lock().push(Planned::Request(request));
    }

    pub fn record_command(&self, command: PlannedCommand) {
        self.lock().push(Planned::Command(command));
    }

    pub fn entries(&self) -> Vec<Planned> {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Planned>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

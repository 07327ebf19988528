//! What a write sends, as a value: shown at the prompt, recorded by a dry-run, journaled, sent.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::heroku::Request;
use crate::identifiers::AppName;

/// One API request and the app it affects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedRequest {
    pub app: AppName,
    #[serde(flatten)]
    pub request: Request,
}

/// A command that would run on this machine (`git push ...`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedCommand {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<AppName>,
    pub command: String,
    pub directory: String,
}

/// An upload to a storage URL that only a live run learns (a new source's `put_url`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedUpload {
    pub app: AppName,
    pub method: String,
    pub path: String,
    pub body: String,
}

/// One entry of a dry-run's plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Planned {
    Command(PlannedCommand),
    Request(PlannedRequest),
    Upload(PlannedUpload),
}

impl PlannedRequest {
    /// `DELETE /apps/x/dynos`, with the body when there is one.
    pub fn describe(&self) -> String {
        self.request.describe()
    }

    /// `METHOD PATH`: what makes two writes the same write.
    pub fn key(&self) -> String {
        format!("{} {}", self.request.method, self.request.path)
    }
}

impl Planned {
    pub fn request(app: &AppName, request: Request) -> Self {
        Planned::Request(PlannedRequest { app: app.clone(), request })
    }

    pub fn describe(&self) -> String {
        match self {
            Planned::Request(request) => request.describe(),
            Planned::Command(command) => {
                format!("run `{}` in {}", command.command, command.directory)
            }
            Planned::Upload(upload) => format!("PUT {} {}", upload.path, upload.body),
        }
    }
}

/// The writes and local commands of a dry-run, in order.
#[derive(Debug, Default)]
pub struct Recorder {
    entries: Mutex<Vec<Planned>>,
}

impl Recorder {
    pub fn record(&self, entry: Planned) {
        self.lock().push(entry);
    }

    pub fn entries(&self) -> Vec<Planned> {
        self.lock().clone()
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Planned>> {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

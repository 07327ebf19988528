//! A write prepared once: the app it affects, what it sends (and what follows), the impact the
//! prompt shows. The same value is confirmed, planned, journaled and sent.

use futures_util::future::BoxFuture;

use super::behaviour::{Action, OperationFuture, WriteAction};
use super::operation::Operation;
use super::outcome::{OperationError, Outcome};
use crate::effects::Planned;
use crate::heroku::Client;
use crate::identifiers::AppName;
use crate::ops::outcome::{OperationResult, Running};

pub struct PreparedWrite {
    pub operation: &'static Operation,
    /// The app the write changes: the gate decides from it, never from the run's environment.
    pub app: AppName,
    /// What is sent, in order; the first is the write itself, the rest follow from its answer
    /// (the upload and the build of a deploy).
    pub planned: Vec<Planned>,
    /// What the prompt shows besides the app and the requests, from what was read to prepare it.
    pub impact: Vec<String>,
    /// How a dry-run sums it up, when more can be said than "not sent".
    pub dry_run_summary: Option<String>,
    /// What sending it does, with what preparing it kept (the packed branch of a deploy).
    action: Box<dyn WriteAction>,
}

impl PreparedWrite {
    pub fn new(
        operation: &'static Operation,
        app: AppName,
        first: Planned,
        action: impl WriteAction + 'static,
    ) -> Self {
        Self {
            operation,
            app,
            planned: vec![first],
            impact: Vec::new(),
            dry_run_summary: None,
            action: Box::new(action),
        }
    }

    pub fn then(mut self, planned: Planned) -> Self {
        self.planned.push(planned);
        self
    }

    pub fn impact(mut self, line: impl Into<String>) -> Self {
        self.impact.push(line.into());
        self
    }

    pub fn dry_run_summary(mut self, summary: impl Into<String>) -> Self {
        self.dry_run_summary = Some(summary.into());
        self
    }

    /// What the prompt shows it touches, read now.
    pub fn affected<'a>(&'a self, reader: &'a Client) -> BoxFuture<'a, Vec<String>> {
        self.action.affected(self, reader)
    }

    /// Sends it, through `effects`, and follows it to its end.
    pub fn send(mut self, running: Running<'_>) -> OperationFuture<'_, Outcome> {
        let action = std::mem::replace(&mut self.action, Box::new(Sent));
        action.send(self, running)
    }

    /// The write itself, as the prompt and the journal name it.
    pub fn first(&self) -> &Planned {
        &self.planned[0]
    }

    /// Every line the prompt shows: the app, the impact, then each request.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!("app: {}", self.app)];
        lines.extend(self.impact.iter().cloned());
        for (position, planned) in self.planned.iter().enumerate() {
            let word = if position == 0 { "request" } else { "then" };
            lines.push(format!("{word}: {}", planned.describe()));
        }
        lines
    }
}

impl std::fmt::Debug for PreparedWrite {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("PreparedWrite")
            .field("operation", &self.operation.name)
            .field("app", &self.app)
            .field("planned", &self.planned)
            .finish()
    }
}

/// What a write holds once its action left to send it: nothing more to send.
struct Sent;

impl Action for Sent {
    async fn send(self, write: PreparedWrite, _running: Running<'_>) -> OperationResult {
        Err(OperationError::Failed(format!("`{}` was sent already", write.operation.name)))
    }
}

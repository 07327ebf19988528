//! A write prepared once: the app it affects, what it sends (and what follows), the impact the
//! prompt shows. The same value is confirmed, planned, journaled and sent.

use std::any::Any;

use crate::effects::Planned;
use crate::identifiers::AppName;

use super::operation::Operation;

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
    /// What the operation keeps for sending (the packed branch of a deploy).
    payload: Option<Box<dyn Any + Send + Sync>>,
}

impl PreparedWrite {
    pub fn new(operation: &'static Operation, app: AppName, first: Planned) -> Self {
        Self {
            operation,
            app,
            planned: vec![first],
            impact: Vec::new(),
            dry_run_summary: None,
            payload: None,
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

    pub fn with_payload(mut self, payload: impl Any + Send + Sync) -> Self {
        self.payload = Some(Box::new(payload));
        self
    }

    /// The payload the operation put in.
    pub fn payload<T: Any>(&self) -> Option<&T> {
        self.payload.as_ref()?.downcast_ref::<T>()
    }

    /// The payload the operation put in, taken out for sending.
    pub fn take_payload<T: Any>(&mut self) -> Option<T> {
        let payload = self.payload.take()?;
        payload.downcast::<T>().ok().map(|boxed| *boxed)
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

//! A test as `runbook test` runs it: validated, its names resolved, its expectations typed.

use std::time::Duration;

use super::spec::{AnswerSpec, RunStatusSpec, StepResultSpec};

#[derive(Clone)]
pub struct TestCase {
    /// The test file's name (`restart`, for `runbooks/tests/restart.yaml`).
    pub file: String,
    pub name: String,
    /// The runbook file's name, for coverage.
    pub runbook_file: String,
    /// What `runbook run` is given: the runbook and `--env`.
    pub runbook: String,
    pub environment: Option<String>,
    pub world: World,
    pub params: Vec<(String, String)>,
    /// The values of the params the runbook declares secret: they must never be seen.
    pub secrets: Vec<String>,
    pub answers: Vec<AnswerSpec>,
    pub boot: Option<Duration>,
    pub dry_run: bool,
    pub no_rollback: bool,
    pub expect: Expectations,
}

/// The world a test starts from.
#[derive(Clone)]
pub enum World {
    Default,
    /// A scenario of `runbooks/scenarios/`, by name.
    Scenario(String),
    /// Changes written inline, as a scenario file's text.
    Inline(String),
}

#[derive(Default, Clone)]
pub struct Expectations {
    pub exit: Option<u8>,
    pub status: Option<RunStatusSpec>,
    pub writes: Option<Vec<Write>>,
    pub writes_in_any_order: bool,
    pub not_sent: Vec<Write>,
    pub next: Option<String>,
    pub output: Vec<String>,
    pub not_in_output: Vec<String>,
    pub steps: Vec<(String, StepResultSpec)>,
    pub after: Option<After>,
}

/// A write as a test names it: method and path, and what its body must hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    pub method: String,
    pub path: String,
    pub body: Option<serde_json::Value>,
}

impl TestCase {
    /// What makes the dry-run twins of two tests the same run.
    pub fn twin_key(&self) -> String {
        let world = match &self.world {
            World::Default => String::new(),
            World::Scenario(name) => format!("scenario {name}"),
            World::Inline(text) => format!("world {text}"),
        };
        format!(
            "{}|{:?}|{world}|{:?}|{:?}|{:?}|{}",
            self.runbook, self.environment, self.params, self.secrets, self.boot, self.no_rollback
        )
    }
}

impl std::fmt::Display for Write {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{} {}", self.method, self.path)?;
        if let Some(body) = &self.body {
            write!(formatter, " {body}")?;
        }
        Ok(())
    }
}

#[derive(Clone)]
pub struct After {
    pub app: String,
    /// (dyno name or process type, or `None` for every dyno; state)
    pub dynos: Vec<(Option<String>, String)>,
    pub release: Option<String>,
    pub maintenance: Option<bool>,
    pub formation: Vec<(String, u64)>,
}

impl RunStatusSpec {
    pub fn name(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::NotConfirmed => "not_confirmed",
            Self::Aborted => "aborted",
            Self::Interrupted => "interrupted",
            Self::Crashed => "crashed",
        }
    }
}

impl StepResultSpec {
    pub fn name(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Planned => "planned",
            Self::Failed => "failed",
            Self::NotConfirmed => "not_confirmed",
            Self::Aborted => "aborted",
            Self::Interrupted => "interrupted",
            Self::Skipped => "skipped",
            Self::NotReached => "not_reached",
        }
    }
}

impl AnswerSpec {
    /// The flag value `runbook run --test-answer` takes.
    pub fn flag(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Type => "type",
            Self::Decline => "decline",
            Self::Interrupt => "interrupt",
        }
    }
}

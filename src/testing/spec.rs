//! The YAML format of a test file (`runbooks/tests/*.yaml`), as read and as its JSON Schema
//! says: the runbook under test, and tests that each give a world, params and answers, and
//! what must be true after.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TestFileSpec {
    /// The runbook the tests run, as `runbook run` names it: `restart-production`, or `restart`
    /// with `environment:`.
    #[schemars(with = "String")]
    pub runbook: Spanned<String>,
    /// The environment, when `runbook:` does not name it.
    #[schemars(with = "Option<String>")]
    pub environment: Option<Spanned<String>>,
    #[schemars(with = "Vec<TestSpec>")]
    pub tests: Vec<Spanned<TestSpec>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TestSpec {
    /// What the test shows, said as a sentence: one line of `runbook test`'s output.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Another runbook than the file's.
    #[schemars(with = "Option<String>")]
    pub runbook: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub environment: Option<Spanned<String>>,
    /// An incident from `runbooks/scenarios/` to start from.
    #[schemars(with = "Option<String>")]
    pub scenario: Option<Spanned<String>>,
    /// Changes to the default world, written as a scenario file is (`dynos`, `slow`,
    /// `bad_release`, `boot_crashes`, `faults`, `commands`, `apps`).
    #[schemars(with = "Option<serde_json::Value>")]
    pub world: Option<Spanned<serde_json::Value>>,
    /// `-p NAME=VALUE` for each.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, serde_json::Value>")]
    pub params: IndexMap<Spanned<String>, Spanned<serde_json::Value>>,
    /// The answers given at the run's questions, in order.
    #[serde(default)]
    #[schemars(with = "Vec<AnswerSpec>")]
    pub answers: Vec<Spanned<AnswerSpec>>,
    /// How long a restarted dyno takes to boot, on the test's simulated clock (default 1.5s).
    #[schemars(with = "Option<String>")]
    pub boot: Option<Spanned<String>>,
    /// Run it as `--dry-run`.
    #[serde(default)]
    pub dry_run: bool,
    /// Run it with `--no-rollback`.
    #[serde(default)]
    pub no_rollback: bool,
    #[schemars(with = "ExpectSpec")]
    pub expect: Spanned<ExpectSpec>,
}

/// An answer at a question of the run.
#[derive(Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum AnswerSpec {
    /// Yes, at a yes-or-no question (or "run it" before a `--step` step).
    Confirm,
    /// The app's name, typed at a protected app's question.
    Type,
    /// No, or Enter alone.
    Decline,
    /// Ctrl-C.
    Interrupt,
}

#[derive(Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ExpectSpec {
    /// The exit code.
    pub exit: Option<u8>,
    /// How the run ended, as the journal says.
    pub status: Option<RunStatusSpec>,
    /// The writes sent, exactly these and in this order (`METHOD PATH`, or `method`, `path`
    /// and a `body` the sent body must contain); `{app}` is the run's app.
    #[schemars(with = "Option<Vec<serde_json::Value>>")]
    pub writes: Option<Vec<Spanned<serde_json::Value>>>,
    /// `writes:` as a set: the same writes, in any order.
    #[serde(default)]
    pub writes_in_any_order: bool,
    /// Writes that must not be sent.
    #[serde(default)]
    #[schemars(with = "Vec<serde_json::Value>")]
    pub not_sent: Vec<Spanned<serde_json::Value>>,
    /// The `next: ...` line the run prints (without `next: `).
    pub next: Option<String>,
    /// Text each of which some line of the output contains.
    #[serde(default)]
    pub output: Vec<String>,
    /// Text no line of the output contains.
    #[serde(default)]
    pub not_in_output: Vec<String>,
    /// How steps ended, by name (or `id`).
    #[serde(default)]
    #[schemars(with = "IndexMap<String, StepResultSpec>")]
    pub steps: IndexMap<Spanned<String>, StepResultSpec>,
    /// The world after the run.
    #[schemars(with = "Option<AfterSpec>")]
    pub after: Option<Spanned<AfterSpec>>,
}

#[derive(Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum RunStatusSpec {
    Succeeded,
    Failed,
    NotConfirmed,
    Aborted,
    Interrupted,
    Crashed,
}

#[derive(Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum StepResultSpec {
    Done,
    Planned,
    Failed,
    NotConfirmed,
    Aborted,
    Interrupted,
    Skipped,
    /// Never started.
    NotReached,
}

#[derive(Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct AfterSpec {
    /// The app to look at (default: the run's).
    pub app: Option<String>,
    /// The state every dyno is in (`up`, `crashed`, `starting`...), or the state of each dyno
    /// or process type named (`{ web: crashed, worker.1: up }`).
    pub dynos: Option<DynosSpec>,
    /// The current release, `v43`.
    pub release: Option<String>,
    pub maintenance: Option<bool>,
    /// Dynos per process type.
    #[serde(default)]
    pub formation: IndexMap<String, u64>,
}

#[derive(Deserialize, JsonSchema, Clone)]
#[serde(untagged)]
pub enum DynosSpec {
    Every(String),
    Each(IndexMap<String, String>),
}

/// The JSON Schema of test files, for editors and CI.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(TestFileSpec)).unwrap_or_default()
}

//! The runbook model that every command works from, whatever the format it was written in.

use std::sync::Arc;

use std::time::Duration;

use super::source::{Located, SourceFile, Span};
use super::template::Template;

/// A loaded, validated runbook.
#[derive(Debug, Clone)]
pub struct Runbook {
    pub name: String,
    pub source: Arc<SourceFile>,
    pub description: String,
    pub environments: Vec<Located<String>>,
    pub params: Vec<Param>,
    pub body: Body,
    /// YAML `finally:` steps, run after the others whatever happened.
    pub finally: Vec<Step>,
    /// The modules it imports, as validation read and checked them: what a run imports.
    pub modules: Arc<crate::script::CheckedModules>,
}

/// The name every runbook may read, `true` when the run rehearses on the simulator (`--sim`), so
/// that what it prints to run next keeps `--sim`.
pub const REHEARSAL: &str = "rehearsal";

/// What a runbook does: a list of YAML steps or a Rhai script.
#[derive(Debug, Clone)]
pub enum Body {
    Steps(Vec<Step>),
    Script(Arc<rhai::AST>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Rhai,
}

/// A declared parameter, set with `-p name=value`.
#[derive(Debug, Clone)]
pub struct Param {
    pub name: Located<String>,
    pub kind: ParamKind,
    pub required: bool,
    pub default: Option<serde_json::Value>,
    pub choices: Vec<String>,
    pub doc: String,
    /// Masked in every output and journal record.
    pub secret: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ParamKind {
    String,
    Int,
    Bool,
    /// `90s`, `2m`: kept as written, checked to be a duration.
    Duration,
    /// Strings; `-p hosts=a,b,c` on the command line.
    List,
}

/// One YAML step.
#[derive(Debug, Clone)]
pub struct Step {
    pub id: Option<Located<String>>,
    pub name: String,
    pub action: Action,
    pub when: Option<Located<String>>,
    pub confirm: Option<Template>,
    pub control: StepControl,
}

/// How a step is retried, bounded, repeated, and what happens when it fails.
#[derive(Debug, Clone, Default)]
pub struct StepControl {
    pub retry: Option<RetryPolicy>,
    pub timeout: Option<Duration>,
    pub on_failure: Vec<Step>,
    pub continue_on_failure: bool,
    pub for_each: Option<ForEach>,
}

/// `retry: { attempts, delay, backoff }`: `attempts` tries in all, waiting `delay` after the
/// first failure and `backoff` times longer after each next one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub delay: Duration,
    pub backoff: f64,
}

/// `for_each:` a list (literal or `${...}`), each item as `item`, `concurrency` at a time.
#[derive(Debug, Clone)]
pub struct ForEach {
    pub items: ArgumentValue,
    pub concurrency: usize,
}

#[derive(Debug, Clone)]
pub enum Action {
    /// `do: heroku.restart` with its `with:` arguments; `resolved` is the catalogue's entry for
    /// the name (`None` only for a name validation refuses).
    Operation {
        operation: Located<String>,
        resolved: Option<&'static crate::ops::Operation>,
        arguments: Vec<Argument>,
    },
    /// `script:` an inline Rhai block.
    Script(Located<String>),
    /// `sh:` a command on this machine; `dry_run:` the command a dry-run runs instead of listing it.
    Shell { command: Template, dry_run: Option<Template> },
    /// `run: other-runbook` with its params under `with:`; the runbook is linked after loading.
    Run {
        runbook: Located<String>,
        arguments: Vec<Argument>,
        callee: std::sync::OnceLock<std::sync::Arc<Runbook>>,
    },
}

#[derive(Debug, Clone)]
pub struct Argument {
    pub name: Located<String>,
    pub value: ArgumentValue,
    pub span: Span,
}

/// An argument as written: a plain value, a string with `${...}` in it, or a mapping whose
/// values hold some (`vars: { TOKEN: "${token}" }`).
#[derive(Debug, Clone)]
pub enum ArgumentValue {
    Literal(serde_json::Value),
    Template(Template),
    Mapping(Vec<(String, ArgumentValue)>),
}

impl ArgumentValue {
    /// Every template inside, in order.
    pub fn templates(&self) -> Vec<&Template> {
        match self {
            ArgumentValue::Literal(_) => Vec::new(),
            ArgumentValue::Template(template) => vec![template],
            ArgumentValue::Mapping(entries) => {
                entries.iter().flat_map(|(_, value)| value.templates()).collect()
            }
        }
    }
}

impl Runbook {
    pub fn format(&self) -> Format {
        match self.body {
            Body::Steps(_) => Format::Yaml,
            Body::Script(_) => Format::Rhai,
        }
    }
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Rhai => "rhai",
        }
    }
}

impl ParamKind {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "string" => Some(Self::String),
            "int" => Some(Self::Int),
            "bool" => Some(Self::Bool),
            "duration" => Some(Self::Duration),
            "list" => Some(Self::List),
            _ => None,
        }
    }

    /// A value to show in an example: `-p tail=10m`.
    pub fn example(self) -> &'static str {
        match self {
            Self::String => "...",
            Self::Int => "3",
            Self::Bool => "true",
            Self::Duration => "10m",
            Self::List => "a,b",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Int => "int",
            Self::Bool => "bool",
            Self::Duration => "duration",
            Self::List => "list",
        }
    }
}

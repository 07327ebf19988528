//! The one table of operations: name, arguments, effect, endpoint and documentation.

use super::arguments::{ArgumentSpec, ArgumentType};
use super::effect::Effect;

/// Which implementation runs an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    AppInfo,
    ConfigVars,
    Dynos,
    Formation,
    Restart,
    RestartDyno,
    WaitDynosUp,
}

/// One operation of the catalogue.
#[derive(Debug)]
pub struct Operation {
    /// The YAML name, `heroku.restart`; in Rhai it is `heroku::restart`.
    pub name: &'static str,
    pub kind: OperationKind,
    pub effect: Effect,
    pub summary: &'static str,
    /// The Heroku endpoint(s), as in the Platform API reference.
    pub endpoint: &'static str,
    pub arguments: &'static [ArgumentSpec],
    /// Its result holds secrets: they are masked in all output and in the journal.
    pub secret_result: bool,
}

const APP: ArgumentSpec = ArgumentSpec {
    name: "app",
    kind: ArgumentType::String,
    required: true,
    doc: "the Heroku app name or id",
};

const PROCESS_TYPE: ArgumentSpec = ArgumentSpec {
    name: "process_type",
    kind: ArgumentType::String,
    required: false,
    doc: "only dynos of this process type (`web`, `worker`); all when omitted",
};

pub static CATALOGUE: &[Operation] = &[
    Operation {
        name: "heroku.app",
        kind: OperationKind::AppInfo,
        effect: Effect::Read,
        summary: "Information about an app: maintenance mode, web URL, region, last release time.",
        endpoint: "GET /apps/{app}",
        arguments: &[APP],
        secret_result: false,
    },
    Operation {
        name: "heroku.config_vars",
        kind: OperationKind::ConfigVars,
        effect: Effect::Read,
        summary: "The app's config vars. Their values are secrets: usable by later steps, masked in every output and in the journal.",
        endpoint: "GET /apps/{app}/config-vars",
        arguments: &[APP],
        secret_result: true,
    },
    Operation {
        name: "heroku.dynos",
        kind: OperationKind::Dynos,
        effect: Effect::Read,
        summary: "The app's dynos with their state (up, starting, crashed, idle, down).",
        endpoint: "GET /apps/{app}/dynos",
        arguments: &[APP, PROCESS_TYPE],
        secret_result: false,
    },
    Operation {
        name: "heroku.formation",
        kind: OperationKind::Formation,
        effect: Effect::Read,
        summary: "The app's formation: how many dynos of each process type, and their size.",
        endpoint: "GET /apps/{app}/formation",
        arguments: &[APP],
        secret_result: false,
    },
    Operation {
        name: "heroku.restart",
        kind: OperationKind::Restart,
        effect: Effect::Write,
        summary: "Restart every dyno of the app, or only those of one process type.",
        endpoint: "DELETE /apps/{app}/dynos | DELETE /apps/{app}/formations/{process_type}",
        arguments: &[APP, PROCESS_TYPE],
        secret_result: false,
    },
    Operation {
        name: "heroku.restart_dyno",
        kind: OperationKind::RestartDyno,
        effect: Effect::Write,
        summary: "Restart one dyno by name (`web.1`) or id.",
        endpoint: "DELETE /apps/{app}/dynos/{dyno}",
        arguments: &[
            APP,
            ArgumentSpec {
                name: "dyno",
                kind: ArgumentType::String,
                required: true,
                doc: "the dyno's name (`web.1`) or id",
            },
        ],
        secret_result: false,
    },
    Operation {
        name: "heroku.wait_dynos_up",
        kind: OperationKind::WaitDynosUp,
        effect: Effect::Read,
        summary: "Wait until every dyno (of a process type) is up; fails at the timeout, naming the dynos that are not.",
        endpoint: "GET /apps/{app}/dynos (polled)",
        arguments: &[
            APP,
            PROCESS_TYPE,
            ArgumentSpec {
                name: "timeout",
                kind: ArgumentType::Duration,
                required: false,
                doc: "how long to wait, `2m` when omitted",
            },
        ],
        secret_result: false,
    },
];

/// The operation of a YAML name (`heroku.restart`) or a Rhai function name (`restart`).
pub fn find(name: &str) -> Option<&'static Operation> {
    CATALOGUE
        .iter()
        .find(|operation| operation.name == name || operation.function_name() == name)
}

impl Operation {
    /// The name inside the `heroku` namespace: `restart` for `heroku.restart`.
    pub fn function_name(&self) -> &'static str {
        self.name
            .split_once('.')
            .map_or(self.name, |(_, name)| name)
    }

    pub fn argument(&self, name: &str) -> Option<&ArgumentSpec> {
        self.arguments.iter().find(|argument| argument.name == name)
    }

    pub fn required_count(&self) -> usize {
        self.arguments
            .iter()
            .filter(|argument| argument.required)
            .count()
    }
}

/// The closest catalogue name to a misspelt one, for hints.
pub fn closest(name: &str) -> Option<&'static str> {
    CATALOGUE
        .iter()
        .map(|operation| (strsim::levenshtein(name, operation.name), operation.name))
        .filter(|(distance, _)| *distance <= 3)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

//! The one table of operations: name, arguments, effect, endpoint, documentation, and the type
//! that carries each out. It is the single list of what runbooks can call.

use super::argument_sets::{
    AppAndProcessType, AppOnly, CheckAppArguments, ConfigVarsArguments, DeployArguments,
    GitPushArguments, HealthArguments, LogsArguments, MaintenanceArguments, OneDynoArguments,
    PromoteArguments, ReleasesArguments, RestartArguments, RollbackArguments, RunArguments,
    ScaleArguments, SetConfigArguments, ShellArguments, StopArguments, WaitDynosUpArguments,
};
use super::arguments::{ArgumentSpec, Arguments};
use super::behaviour::{Behaviour, Typed};
use super::effect::Effect;
use super::operation::Operation;
use super::{read, write};

/// An operation with the usual defaults: it reads or writes through the API as its behaviour
/// does, and neither its result nor any argument is a secret.
const fn operation(
    name: &'static str,
    behaviour: Behaviour,
    summary: &'static str,
    endpoint: &'static str,
    arguments: &'static [ArgumentSpec],
) -> Operation {
    let effect = match behaviour {
        Behaviour::Read(_) => Effect::Read,
        Behaviour::Write(_) => Effect::Write,
    };
    Operation {
        name,
        behaviour,
        effect,
        summary,
        endpoint,
        arguments,
        secret_result: false,
        secret_argument: None,
    }
}

/// The most arguments an operation takes: Rhai registers each arity by hand.
pub const MOST_ARGUMENTS: usize = 7;

pub static CATALOGUE: &[Operation] = &[
    operation(
        "heroku.app",
        Behaviour::Read(&Typed(read::Get(read::AppInfo))),
        "Information about an app: maintenance mode, web URL, region, last release time.",
        "GET /apps/{app}",
        AppOnly::SPECS,
    ),
    Operation {
        secret_result: true,
        ..operation(
            "heroku.config_vars",
            Behaviour::Read(&Typed(read::Get(read::ConfigVars))),
            "The app's config vars. Their values are secrets: usable by later steps, masked in every output and in the journal unless `reveal` is true.",
            "GET /apps/{app}/config-vars",
            ConfigVarsArguments::SPECS,
        )
    },
    operation(
        "heroku.dynos",
        Behaviour::Read(&Typed(read::Get(read::Dynos))),
        "The app's dynos with their state (up, starting, crashed, idle, down).",
        "GET /apps/{app}/dynos",
        AppAndProcessType::SPECS,
    ),
    operation(
        "heroku.formation",
        Behaviour::Read(&Typed(read::Get(read::Formation))),
        "The app's formation: how many dynos of each process type, and their size.",
        "GET /apps/{app}/formation",
        AppOnly::SPECS,
    ),
    operation(
        "heroku.releases",
        Behaviour::Read(&Typed(read::Get(read::Releases))),
        "The newest releases, newest first, with which one is current.",
        "GET /apps/{app}/releases",
        ReleasesArguments::SPECS,
    ),
    operation(
        "heroku.addons",
        Behaviour::Read(&Typed(read::Get(read::Addons))),
        "The app's add-ons (Papertrail, Sentry, Scout APM...) with their dashboard URLs.",
        "GET /apps/{app}/addons",
        AppOnly::SPECS,
    ),
    operation(
        "heroku.logs",
        Behaviour::Read(&Typed(read::Logs)),
        "Recent log lines, parsed (timestamp, source, dyno, message, router fields), filtered, with Heroku error codes (H12, R14...) counted and explained; `tail` follows new lines for that long.",
        "POST /apps/{app}/log-sessions, then the stream at its logplex_url",
        LogsArguments::SPECS,
    ),
    operation(
        "heroku.check_app",
        Behaviour::Read(&Typed(read::CheckApp)),
        "Check that the app answers: a plain GET of its web URL (no credentials), failing unless the status is the one expected.",
        "GET /apps/{app} for its web_url, then GET the web URL",
        CheckAppArguments::SPECS,
    ),
    operation(
        "heroku.health",
        Behaviour::Read(&Typed(read::Health)),
        "Is the app healthy now? Every dyno (of a process type) up, the router's error rate over a window (H10-H20 and HTTP 5xx) under a threshold (1% over 60s when not said), and optionally a path of its web URL answering as expected. The verdict (`healthy`, `reasons`) comes with its evidence: dyno states, requests, errors by code, sample lines.",
        "GET /apps/{app}/dynos, POST /apps/{app}/log-sessions and its stream (router lines), GET the web URL when `path` is given",
        HealthArguments::SPECS,
    ),
    operation(
        "heroku.wait_dynos_up",
        Behaviour::Read(&Typed(read::WaitDynosUp)),
        "Wait until every dyno (of a process type) is up; fails at the timeout, naming the dynos that are not.",
        "GET /apps/{app}/dynos (polled)",
        WaitDynosUpArguments::SPECS,
    ),
    operation(
        "heroku.restart",
        Behaviour::Write(&Typed(write::Restart)),
        "Restart every dyno of the app, or only those of one process type; with `rolling`, dyno by dyno in batches, each up and healthy before the next, stopping at the first batch that is not.",
        "DELETE /apps/{app}/dynos | DELETE /apps/{app}/formations/{process_type} | rolling: DELETE /apps/{app}/dynos/{dyno} for each",
        RestartArguments::SPECS,
    ),
    operation(
        "heroku.restart_dyno",
        Behaviour::Write(&Typed(write::RESTART_DYNO)),
        "Restart one dyno by name (`web.1`) or id.",
        "DELETE /apps/{app}/dynos/{dyno}",
        OneDynoArguments::SPECS,
    ),
    operation(
        "heroku.stop",
        Behaviour::Write(&Typed(write::Stop)),
        "Stop every dyno of one process type (they stay down until restarted or scaled).",
        "POST /apps/{app}/formations/{process_type}/actions/stop",
        StopArguments::SPECS,
    ),
    operation(
        "heroku.stop_dyno",
        Behaviour::Write(&Typed(write::STOP_DYNO)),
        "Stop one dyno by name (`web.1`) or id.",
        "POST /apps/{app}/dynos/{dyno}/actions/stop",
        OneDynoArguments::SPECS,
    ),
    operation(
        "heroku.scale",
        Behaviour::Write(&Typed(write::Scale)),
        "Scale a process type: how many dynos, and optionally their size.",
        "PATCH /apps/{app}/formation",
        ScaleArguments::SPECS,
    ),
    operation(
        "heroku.maintenance",
        Behaviour::Write(&Typed(write::Maintenance)),
        "Turn maintenance mode on (visitors see the maintenance page) or off.",
        "PATCH /apps/{app}",
        MaintenanceArguments::SPECS,
    ),
    Operation {
        secret_argument: Some("vars"),
        ..operation(
            "heroku.set_config",
            Behaviour::Write(&Typed(write::SetConfig)),
            "Set config vars (a null value removes one); Heroku makes a new release and restarts the dynos. Values are masked.",
            "PATCH /apps/{app}/config-vars",
            SetConfigArguments::SPECS,
        )
    },
    operation(
        "heroku.rollback",
        Behaviour::Write(&Typed(write::Rollback)),
        "Roll back to an earlier release (a new release restoring its code and config); the previous one when none is named.",
        "POST /apps/{app}/releases",
        RollbackArguments::SPECS,
    ),
    operation(
        "heroku.deploy",
        Behaviour::Write(&Typed(write::Deploy)),
        "Deploy the committed tree of a branch: upload it, build it (the output streamed live), and wait until every dyno runs the new release.",
        "POST /sources, PUT its put_url, POST /apps/{app}/builds, GET /apps/{app}/builds/{id}",
        DeployArguments::SPECS,
    ),
    Operation {
        effect: Effect::Local,
        ..operation(
            "heroku.git_push",
            Behaviour::Write(&Typed(write::GitPush)),
            "Push a branch to the app's git remote (`git push heroku main`); Heroku builds and releases what it receives.",
            "GET /apps/{app} for its git_url, then `git push GIT_URL BRANCH:main` on this machine",
            GitPushArguments::SPECS,
        )
    },
    operation(
        "heroku.promote",
        Behaviour::Write(&Typed(write::Promote)),
        "Promote the release of the pipeline's staging app (or `from`) to this app, then wait until every dyno runs it.",
        "GET /apps/{app}/pipeline-couplings, POST /pipeline-promotions, GET /pipeline-promotions/{id}/promotion-targets",
        PromoteArguments::SPECS,
    ),
    operation(
        "heroku.shell",
        Behaviour::Write(&Typed(write::Shell)),
        "Open an interactive one-off dyno (`heroku run bash`): this terminal is connected to it, in raw mode, until it exits; a non-zero exit status fails the step.",
        "POST /apps/{app}/dynos (attach), then Heroku's rendezvous service over TLS",
        ShellArguments::SPECS,
    ),
    operation(
        "heroku.run",
        Behaviour::Write(&Typed(write::RunDetached)),
        "Run a command in a detached one-off dyno (`heroku run --detach`); its output is shown as it comes, and a non-zero exit status fails the step.",
        "POST /apps/{app}/dynos, then its lines through a log session",
        RunArguments::SPECS,
    ),
];

/// The operation of a YAML name (`heroku.restart`) or a Rhai function name (`restart`).
pub fn find(name: &str) -> Option<&'static Operation> {
    CATALOGUE.iter().find(|operation| operation.name == name || operation.function_name() == name)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_can_be_called_positionally_from_rhai() {
        for operation in CATALOGUE {
            assert!(
                (1..=MOST_ARGUMENTS).contains(&operation.arguments.len()),
                "{}: Rhai registers one to {MOST_ARGUMENTS} arguments",
                operation.name
            );
            let first_optional = operation.arguments.iter().position(|argument| !argument.required);
            if let Some(first_optional) = first_optional {
                assert!(
                    operation.arguments[first_optional..].iter().all(|argument| !argument.required),
                    "{}: required after optional",
                    operation.name
                );
            }
            assert_eq!(operation.arguments[0].name, "app", "{}: `app` comes first", operation.name);
        }
    }

    #[test]
    fn names_are_unique_in_yaml_and_in_rhai() {
        for (position, operation) in CATALOGUE.iter().enumerate() {
            assert!(
                CATALOGUE[position + 1..]
                    .iter()
                    .all(|other| other.function_name() != operation.function_name()),
                "{}",
                operation.name
            );
        }
    }
}

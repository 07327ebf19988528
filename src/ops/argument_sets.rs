//! The arguments of every operation, each set declared once as a typed struct: the catalogue's
//! list of names, kinds and docs (and so `check`, the JSON Schema, `runbook functions` and the
//! Rhai registration) is derived from it, and the operation reads its values through it.

use std::time::Duration;

use super::arguments::{ConfigChanges, Follow, Percent, RollingChoice, operation_arguments};
use crate::identifiers::{AppName, DynoName, ProcessType, ReleaseRef};

const APP: &str = "the Heroku app name or id";
const SOME_PROCESS_TYPE: &str =
    "only dynos of this process type (`web`, `worker`); all when omitted";
const PROCESS_TYPE: &str = "the process type (`web`, `worker`)";
const DYNO_SIZE: &str = "the dyno size; the app's default when omitted";
const WORK_TREE: &str = "the git work tree, the current folder when omitted";
const WATCH: &str = "how long to watch health once every dyno runs the new release, `5m` when omitted; `0s` does not watch";
const ROLL_BACK: &str = "roll back to the release it replaced if health turns bad while watched (true when omitted; `--no-rollback` makes it false for the whole run)";

operation_arguments! {
    /// `heroku.app`, `heroku.formation`, `heroku.addons`: the app alone.
    pub struct AppOnly {
        required app: AppName = APP,
    }
}

operation_arguments! {
    /// `heroku.restart`.
    pub struct RestartArguments {
        required app: AppName = APP,
        optional process_type: ProcessType = SOME_PROCESS_TYPE,
        optional rolling: RollingChoice = "restart dyno by dyno: `true`, or `{ batch: 1, pause: 10s, max_failures: 1, health: true }`; each batch must be up (and healthy) before the next, and the roll stops at a bad one",
    }
}

operation_arguments! {
    /// `heroku.health`.
    pub struct HealthArguments {
        required app: AppName = APP,
        optional process_type: ProcessType = "only dynos of this process type must be up; all when omitted",
        optional window: Duration = "how far back the router's lines count, `60s` when omitted",
        optional max_error_rate: Percent = "the share of requests that may fail (router errors H10-H20 and HTTP 5xx), `1%` when omitted",
        optional path: String = "also GET this path of the app's web URL (`/health`)",
        optional status: i64 = "the status `path` must answer, 200 when omitted",
        optional contains: String = "text the answer to `path` must contain",
    }
}

operation_arguments! {
    /// `heroku.dynos`: the app, and perhaps one process type.
    pub struct AppAndProcessType {
        required app: AppName = APP,
        optional process_type: ProcessType = SOME_PROCESS_TYPE,
    }
}

operation_arguments! {
    /// `heroku.config_vars`.
    pub struct ConfigVarsArguments {
        required app: AppName = APP,
        optional reveal: bool = "show the values (they are still kept out of the journal)",
    }
}

operation_arguments! {
    /// `heroku.releases`.
    pub struct ReleasesArguments {
        required app: AppName = APP,
        optional limit: i64 = "how many, 10 when omitted",
    }
}

operation_arguments! {
    /// `heroku.logs`.
    pub struct LogsArguments {
        required app: AppName = APP,
        optional lines: i64 = "how many lines of history, up to 1500; 100 when omitted",
        optional source: String = "only `app` or `heroku` lines",
        optional dyno: String = "only lines of this dyno or process type (`web.1`, `router`)",
        optional filter: String = "only lines containing this text (any case)",
        optional tail: Follow = "follow new lines for this long, or `forever` (until Ctrl-C, which ends the follow with its summary)",
        optional show_lines: bool = "show each line as it comes (true when omitted); false sums the read up, the lines shown only with `--verbose`",
    }
}

operation_arguments! {
    /// `heroku.check_app`.
    pub struct CheckAppArguments {
        required app: AppName = APP,
        optional path: String = "the path to ask for, `/` when omitted",
        optional status: i64 = "the status expected, 200 when omitted",
    }
}

operation_arguments! {
    /// `heroku.wait_dynos_up`.
    pub struct WaitDynosUpArguments {
        required app: AppName = APP,
        optional process_type: ProcessType = SOME_PROCESS_TYPE,
        optional timeout: Duration = "how long to wait, `2m` when omitted",
    }
}

operation_arguments! {
    /// `heroku.restart_dyno`, `heroku.stop_dyno`: one dyno.
    pub struct OneDynoArguments {
        required app: AppName = APP,
        required dyno: DynoName = "the dyno's name (`web.1`) or id",
    }
}

operation_arguments! {
    /// `heroku.stop`: every dyno of one process type.
    pub struct StopArguments {
        required app: AppName = APP,
        required process_type: ProcessType = PROCESS_TYPE,
    }
}

operation_arguments! {
    /// `heroku.scale`.
    pub struct ScaleArguments {
        required app: AppName = APP,
        required process_type: ProcessType = PROCESS_TYPE,
        required quantity: i64 = "how many dynos",
        optional size: String = "the dyno size (`standard-1X`, `standard-2X`...)",
    }
}

operation_arguments! {
    /// `heroku.maintenance`.
    pub struct MaintenanceArguments {
        required app: AppName = APP,
        required enabled: bool = "true to turn it on, false to turn it off",
    }
}

operation_arguments! {
    /// `heroku.set_config`.
    pub struct SetConfigArguments {
        required app: AppName = APP,
        required vars: ConfigChanges = "names to values; null removes",
    }
}

operation_arguments! {
    /// `heroku.rollback`.
    pub struct RollbackArguments {
        required app: AppName = APP,
        optional release: ReleaseRef = "the release to restore: `v41`, `41` or its id",
    }
}

operation_arguments! {
    /// `heroku.deploy`.
    pub struct DeployArguments {
        required app: AppName = APP,
        optional branch: String = "the branch to deploy, `main` when omitted",
        optional directory: String = WORK_TREE,
        optional watch: Duration = WATCH,
        optional rollback: bool = ROLL_BACK,
    }
}

operation_arguments! {
    /// `heroku.git_push`.
    pub struct GitPushArguments {
        required app: AppName = APP,
        optional branch: String = "the branch to push, `main` when omitted",
        optional directory: String = WORK_TREE,
    }
}

operation_arguments! {
    /// `heroku.promote`.
    pub struct PromoteArguments {
        required app: AppName = APP,
        optional from: AppName = "the app to promote from; the pipeline's staging app when omitted",
        optional watch: Duration = WATCH,
        optional rollback: bool = ROLL_BACK,
    }
}

operation_arguments! {
    /// `heroku.shell`.
    pub struct ShellArguments {
        required app: AppName = APP,
        optional command: String = "the command, `bash` when omitted (`python manage.py shell` for Django)",
        optional size: String = DYNO_SIZE,
    }
}

operation_arguments! {
    /// `heroku.run`.
    pub struct RunArguments {
        required app: AppName = APP,
        required command: String = "the command, such as `python manage.py migrate`",
        optional size: String = DYNO_SIZE,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::ops::arguments::{ArgumentType, ArgumentValues, Arguments};

    fn values(pairs: &[(&str, Value)]) -> ArgumentValues {
        ArgumentValues(
            pairs.iter().map(|(name, value)| (name.to_string(), value.clone())).collect(),
        )
    }

    #[test]
    fn the_declaration_gives_the_catalogue_its_names_kinds_and_presence() {
        let specs = ScaleArguments::SPECS;
        let described: Vec<(&str, ArgumentType, bool)> =
            specs.iter().map(|spec| (spec.name, spec.kind, spec.required)).collect();
        assert_eq!(
            described,
            [
                ("app", ArgumentType::App, true),
                ("process_type", ArgumentType::ProcessType, true),
                ("quantity", ArgumentType::Int, true),
                ("size", ArgumentType::String, false),
            ]
        );
    }

    #[test]
    fn values_are_read_typed_and_refused_with_the_argument_named() {
        let parsed = OneDynoArguments::parse(&values(&[
            ("app", json!("lazona-connector-staging")),
            ("dyno", json!("web.1")),
        ]))
        .unwrap();
        assert!(parsed.dyno.names("web.1", ""));
        let refused = OneDynoArguments::parse(&values(&[
            ("app", json!("lazona-connector-staging")),
            ("dyno", json!("../dynos")),
        ]))
        .unwrap_err();
        assert!(refused.to_string().contains("argument `dyno`"), "{refused}");
        let missing = OneDynoArguments::parse(&values(&[("app", json!("x-app"))])).unwrap_err();
        assert!(missing.to_string().contains("`dyno`"), "{missing}");
    }

    #[test]
    fn optional_values_may_be_absent_or_null_and_keep_their_rules() {
        let parsed =
            RollbackArguments::parse(&values(&[("app", json!("x-app")), ("release", Value::Null)]))
                .unwrap();
        assert!(parsed.release.is_none());
        let by_number =
            RollbackArguments::parse(&values(&[("app", json!("x-app")), ("release", json!(41))]))
                .unwrap();
        assert_eq!(by_number.release.unwrap().to_string(), "v41");
        assert!(
            RollbackArguments::parse(&values(&[("app", json!("x-app")), ("release", json!(0))]))
                .is_err()
        );
        let wait = WaitDynosUpArguments::parse(&values(&[
            ("app", json!("x-app")),
            ("timeout", json!("25h")),
        ]));
        assert!(wait.is_err(), "a wait over a day is refused");
        let logs =
            LogsArguments::parse(&values(&[("app", json!("x-app")), ("tail", json!("forever"))]))
                .unwrap();
        assert_eq!(logs.tail, Some(crate::ops::arguments::Follow::Forever));
    }
}

//! Invalid runbooks are refused whole before the first step: exit 2, a located message, no request.

use std::path::Path;

use crate::harness::{Test, shipped_runbooks};

const ENVIRONMENTS: &str = "staging: { app: lazona-connector-staging }\n";

/// Writes `file_name` with `source` beside an environments file, runs it, and checks the refusal.
fn refused(file_name: &str, source: &str, location: &str, message: &str) {
    let test = Test::new()
        .file("environments.yaml", ENVIRONMENTS)
        .file(file_name, source)
        .sim_from(&shipped_runbooks(), &[]);
    let name = Path::new(file_name).file_stem().unwrap().to_str().unwrap();
    let output = test.run(&["run", &format!("{name}-staging"), "--yes"]);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{file_name}:{location}]")),
        "expected {file_name}:{location} in:\n{stderr}"
    );
    assert!(
        stderr.contains(message),
        "expected `{message}` in:\n{stderr}"
    );
    assert!(stderr.contains("help:"), "a hint is shown:\n{stderr}");
    assert!(test.requests().is_empty(), "{:?}", test.requests());
    let check = test.run(&["check", name]);
    assert_eq!(check.code, Some(2));
    assert!(check.stderr.contains(&format!("{file_name}:{location}]")));
}

const HEADER: &str = "description: test\nenvironments: [staging]\nsteps:\n";

#[test]
fn yaml_syntax_error() {
    refused(
        "broken.yaml",
        &format!("{HEADER}  - name: [unclosed\n    do: heroku.dynos\n"),
        "4:11",
        "invalid YAML",
    );
}

#[test]
fn unknown_key() {
    refused(
        "broken.yaml",
        &format!("{HEADER}  - do: heroku.dynos\n    wiht: {{ app: \"${{app}}\" }}\n"),
        "5:5",
        "unknown field `wiht`",
    );
}

#[test]
fn unknown_operation() {
    refused(
        "broken.yaml",
        &format!("{HEADER}  - do: heroku.dynoz\n    with: {{ app: \"${{app}}\" }}\n"),
        "4:9",
        "unknown operation `heroku.dynoz`",
    );
}

#[test]
fn unknown_argument() {
    refused(
        "broken.yaml",
        &format!("{HEADER}  - do: heroku.dynos\n    with: {{ app: \"${{app}}\", colour: red }}\n"),
        "5:28",
        "`heroku.dynos` takes no argument `colour`",
    );
}

#[test]
fn missing_argument() {
    refused(
        "broken.yaml",
        &format!("{HEADER}  - do: heroku.restart_dyno\n    with: {{ app: \"${{app}}\" }}\n"),
        "4:9",
        "`heroku.restart_dyno` needs the argument `dyno`",
    );
}

#[test]
fn wrong_argument_type() {
    refused(
        "broken.yaml",
        &format!(
            "{HEADER}  - do: heroku.wait_dynos_up\n    with: {{ app: \"${{app}}\", timeout: true }}\n"
        ),
        "5:37",
        "wrong type for `timeout`",
    );
}

#[test]
fn unknown_name_in_an_expression() {
    refused(
        "broken.yaml",
        &format!("{HEADER}  - do: heroku.dynos\n    with: {{ app: \"${{ap}}\" }}\n"),
        "5:19",
        "unknown name `ap`",
    );
}

#[test]
fn a_step_result_used_before_its_step() {
    let steps = "  - do: heroku.dynos\n    with: { app: \"${later.len()}\" }\n  - id: later\n    do: heroku.dynos\n    with: { app: \"${app}\" }\n";
    refused(
        "broken.yaml",
        &format!("{HEADER}{steps}"),
        "5:19",
        "`later` is the result of a later step",
    );
}

#[test]
fn duplicate_step_ids() {
    let steps = "  - id: dynos\n    do: heroku.dynos\n    with: { app: \"${app}\" }\n  - id: dynos\n    do: heroku.dynos\n    with: { app: \"${app}\" }\n";
    refused(
        "broken.yaml",
        &format!("{HEADER}{steps}"),
        "7:9",
        "duplicate step id `dynos`",
    );
}

#[test]
fn unknown_environment() {
    refused(
        "broken.yaml",
        "description: test\nenvironments: [staging, prod]\nsteps:\n  - do: heroku.dynos\n    with: { app: \"${app}\" }\n",
        "2:25",
        "unknown environment `prod`",
    );
}

#[test]
fn param_default_of_the_wrong_type() {
    let source = "description: test\nenvironments: [staging]\nparams:\n  count: { type: int, default: many }\nsteps:\n  - do: heroku.dynos\n    with: { app: \"${app}\" }\n";
    refused(
        "broken.yaml",
        source,
        "4:3",
        "the default of `count` must be int",
    );
}

#[test]
fn a_step_that_does_nothing() {
    refused(
        "broken.yaml",
        &format!("{HEADER}  - name: Nothing\n"),
        "4:5",
        "a step needs `do:`, `script:`, `run:` or `sh:`",
    );
}

#[test]
fn rhai_syntax_error() {
    refused(
        "broken.rhai",
        "//! test\n//! environments: staging\nlet dynos = heroku::dynos(app;\n",
        "3:30",
        "invalid Rhai",
    );
}

#[test]
fn rhai_unknown_operation() {
    refused(
        "broken.rhai",
        "//! test\n//! environments: staging\nheroku::restrat(app);\n",
        "3:9",
        "unknown operation `heroku::restrat`",
    );
}

#[test]
fn rhai_wrong_number_of_arguments() {
    refused(
        "broken.rhai",
        "//! test\n//! environments: staging\nheroku::restart_dyno(app);\n",
        "3:9",
        "`heroku::restart_dyno` takes 2 to 2 arguments, not 1",
    );
}

#[test]
fn rhai_unknown_variable() {
    refused(
        "broken.rhai",
        "//! test\n//! environments: staging\nheroku::dynos(ap);\n",
        "3:15",
        "Undefined variable",
    );
}

#[test]
fn a_recovery_step_result_used_outside_its_list() {
    let steps = "  - name: Restart\n    do: heroku.restart\n    with: { app: \"${app}\" }\n    on_failure:\n      - id: rescue\n        do: heroku.dynos\n        with: { app: \"${app}\" }\n  - do: heroku.dynos\n    with: { app: \"${rescue.len()}\" }\n";
    refused(
        "broken.yaml",
        &format!("{HEADER}{steps}"),
        "12:19",
        "`rescue` is the result of a recovery step",
    );
}

#[test]
fn a_finally_step_cannot_use_a_main_step_result() {
    let steps = "  - id: before\n    do: heroku.dynos\n    with: { app: \"${app}\" }\nfinally:\n  - do: heroku.dynos\n    with: { app: \"${before.len()}\" }\n";
    refused(
        "broken.yaml",
        &format!("{HEADER}{steps}"),
        "9:19",
        "`before` is the result of a step that may not have run",
    );
}

#[test]
fn a_recovery_step_cannot_use_the_result_of_the_step_that_failed() {
    let steps = "  - id: restart\n    do: heroku.restart\n    with: { app: \"${app}\" }\n    on_failure:\n      - do: heroku.dynos\n        with: { app: \"${restart.len()}\" }\n";
    refused(
        "broken.yaml",
        &format!("{HEADER}{steps}"),
        "9:23",
        "`restart` is the step this one recovers from",
    );
}

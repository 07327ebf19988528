//! Invalid runbooks the bad-input corpus (`tests/fixtures/invalid/`, `invalid_corpus.rs`) does
//! not hold are refused whole before the first step: exit 2, a located message, a hint, no
//! request. Here: a Rhai call with too few arguments, and step results used where they may not
//! exist (a recovery step's outside its list, a main step's in `finally:`, the failed step's in
//! its own recovery). Every other class of invalid runbook is a case of the corpus.

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
    assert!(stderr.contains(message), "expected `{message}` in:\n{stderr}");
    assert!(stderr.contains("help:"), "a hint is shown:\n{stderr}");
    assert!(test.requests().is_empty(), "{:?}", test.requests());
    let check = test.run(&["check", name]);
    assert_eq!(check.code, Some(2));
    assert!(check.stderr.contains(&format!("{file_name}:{location}]")));
}

const HEADER: &str = "description: test\nenvironments: [staging]\nsteps:\n";

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

//! Identifiers, not strings, in paths: no value given to a runbook can change which resource a
//! request names.

use crate::harness::{STAGING, Test};

const ONE_DYNO: &str = r#"
description: Restart one dyno by name.
environments: [staging, production]
params:
  dyno: { type: string, doc: "the dyno" }
steps:
  - name: Restart it
    do: heroku.restart_dyno
    with: { app: "${app}", dyno: "${dyno}" }
"#;

const ONE_TYPE: &str = r#"
description: Restart or stop one process type.
environments: [staging]
params:
  kind: { type: string, doc: "the process type" }
steps:
  - name: Restart them
    do: heroku.restart
    with: { app: "${app}", process_type: "${kind}" }
"#;

const ANY_APP: &str = r#"
description: Restart whatever app it is given.
params:
  target: { type: string, doc: "the app" }
steps:
  - name: Restart it
    do: heroku.restart
    with: { app: "${target}" }
"#;

#[test]
fn a_dyno_named_like_a_path_step_is_refused_before_any_request() {
    let test = Test::new().file("one-dyno.yaml", ONE_DYNO).sim(&[]);
    for hostile in
        ["..", ".", "%2e%2e", "web.1/..", "web.1?x=1", "web.1#x", "..%2f", "web%0a.1", "a b"]
    {
        let outcome = test
            .run(&["run", "one-dyno-staging", "-p", &format!("dyno={hostile}"), "--yes"])
            .code(1);
        assert!(outcome.stderr.contains("is not a dyno"), "{hostile:?}: {}", outcome.stderr);
    }
    assert_eq!(test.requests(), Vec::<String>::new(), "nothing reached the API");
}

#[test]
fn a_process_type_of_dots_never_becomes_a_restart_of_the_app() {
    let test = Test::new().file("one-type.yaml", ONE_TYPE).sim(&[]);
    for hostile in ["..", ".", "web/..", "../..", "web%2F.."] {
        test.run(&["run", "one-type-staging", "-p", &format!("kind={hostile}"), "--yes"])
            .code(1)
            .stderr_has("is not a process type");
    }
    test.run(&["run", "one-type-staging", "-p", "kind=..", "--dry-run"]).code(1);
    assert!(test.write_requests().is_empty(), "{:?}", test.write_requests());
    assert!(test.requests().is_empty(), "{:?}", test.requests());
}

#[test]
fn an_app_name_that_names_another_path_is_refused() {
    let test = Test::new().file("any-app.yaml", ANY_APP).sim(&[]);
    for hostile in ["..", "../apps", "lazona-connector-staging/dynos", "Lazona", "x?y"] {
        test.run(&["run", "any-app", "-p", &format!("target={hostile}"), "--yes"])
            .code(1)
            .stderr_has("is not an app name");
    }
    assert!(test.requests().is_empty(), "{:?}", test.requests());
}

#[test]
fn a_literal_bad_identifier_is_a_check_error_at_its_location() {
    let runbook = "description: x\nsteps:\n  - name: Restart one\n    do: heroku.restart_dyno\n    with: { app: lazona-connector-staging, dyno: \"..\" }\n";
    let test = Test::new().file("literal.yaml", runbook);
    test.run(&["check", "literal"])
        .code(2)
        .stderr_has("literal.yaml:5:")
        .stderr_has("is not a dyno");
    let script = "//! Restarts a literal app.\nheroku::restart(\"Bad/App\");\n";
    let test = test.file("literal-script.rhai", script);
    test.run(&["check", "literal-script"])
        .code(2)
        .stderr_has("literal-script.rhai:2:")
        .stderr_has("is not an app name");
}

#[test]
fn environments_yaml_app_names_are_checked_on_load() {
    let test = Test::new().file("environments.yaml", "staging: { app: \"../apps\" }\n");
    test.run(&["list"]).code(2).stderr_has("environments.yaml:1:").stderr_has("is not an app name");
}

#[test]
fn the_docs_form_of_a_fault_matches_every_app() {
    let test = Test::new().sim(&["--fault", "DELETE /apps/{app}/dynos 503"]);
    test.run(&["run", "restart-staging", "--yes"]).code(1);
    assert_eq!(
        test.simulator()
            .log()
            .iter()
            .find(|request| request["method"] == "DELETE")
            .map(|request| request["status"].clone()),
        Some(serde_json::json!(503)),
        "the fault applied to {STAGING}"
    );
}

#[test]
fn an_environment_that_names_its_app_by_id_is_refused() {
    let test = Test::new().sim(&[]);
    let id = test.simulator().get(&format!("/apps/{}", crate::harness::PRODUCTION))["id"]
        .as_str()
        .unwrap()
        .to_string();
    let test = test.file(
        "environments.yaml",
        &format!("staging: {{ app: {STAGING} }}\nproduction: {{ app: {id}, protected: true }}\n"),
    );
    test.run(&["run", "restart-production", "--yes"]).code(2).stderr_has("names its app by id");
}

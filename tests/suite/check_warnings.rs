//! `runbook check` warnings: located, shown, not fatal unless `--deny-warnings`, and JSON for editors.

use crate::harness::{Outcome, Test};

const CARELESS: &str = r#"description: Restarts production without asking, and more.
environments: [staging, production]
params:
  forgotten: { type: string, required: false, doc: "never used" }
steps:
  - name: Restart
    do: heroku.restart
    with: { app: "${app}" }
  - name: Give up
    script: |
      throw "stop here"
  - name: Never
    do: heroku.dynos
    with: { app: "${app}" }
"#;

#[test]
fn an_sh_step_is_not_a_warning_for_lacking_a_dry_run_form() {
    let local = "description: Local.\nenvironments: [staging]\nsteps:\n  - name: Count\n    sh: \"echo counted\"\n";
    let outcome = Test::new().file("local.yaml", local).run(&["check", "--deny-warnings", "local"]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
}

const CARELESS_SCRIPT: &str = "//! Writes without confirm.\n//! environments: production\n//! param unused: string? -- nobody reads it\nheroku::restart(\"some-app\");\n";

fn check(extra: &[&str]) -> Outcome {
    Test::new()
        .file("careless.yaml", CARELESS)
        .file("careless-script.rhai", CARELESS_SCRIPT)
        .run(&[&["check"], extra].concat())
}

/// Where each warning of `careless` and `careless-script` points, and what it says.
const WARNINGS: [(&str, &str); 6] = [
    ("careless.yaml:7:9]", "`heroku.restart` changes production without asking first"),
    ("careless.yaml:4:3]", "param `forgotten` is never used"),
    ("careless.yaml:13:9]", "step `Never` can never run"),
    (
        "careless-script.rhai:4:9]",
        "`heroku::restart` changes production and the script never calls `confirm`",
    ),
    ("careless-script.rhai:3:11]", "param `unused` is never used"),
    (
        "careless-script.rhai:2:19]",
        "the header lists environments but the code never uses `app` or `env`",
    ),
];

#[test]
fn warnings_are_located_and_not_fatal() {
    let output = check(&[]);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(0), "{stderr}");
    let stdout = &output.stdout;
    assert!(stdout.contains("warnings ") && stdout.contains("careless.yaml"), "{stdout}");
    assert!(stdout.contains("2 runbook(s) checked, 0 invalid, 2 with warnings"), "{stdout}");
    for (location, message) in WARNINGS {
        assert!(stderr.contains(location), "`{location}` in:\n{stderr}");
        assert!(stderr.contains(message), "`{message}` in:\n{stderr}");
    }
}

/// Exit 2 is also what any error gives: the run that fails must fail on the warnings (shown, and
/// no runbook invalid), and the same runbooks without the flag pass with the same warnings shown.
#[test]
fn deny_warnings_makes_them_fatal() {
    let output = check(&["--deny-warnings"]);
    assert_eq!(output.code, Some(2), "{}", output.stderr);
    for (location, message) in WARNINGS {
        assert!(
            output.stderr.contains(location) && output.stderr.contains(message),
            "denied: `{location}` `{message}` in:\n{}",
            output.stderr
        );
    }
    assert!(
        output.stdout.contains("2 runbook(s) checked, 0 invalid, 2 with warnings"),
        "{}",
        output.stdout
    );
    assert!(
        output
            .stdout
            .lines()
            .filter(|line| !line.contains("runbook(s) checked"))
            .all(|line| line.starts_with("warnings ")),
        "every runbook has warnings, none is invalid:\n{}",
        output.stdout
    );
    let allowed = check(&[]);
    assert_eq!(allowed.code, Some(0), "without --deny-warnings: {}", allowed.stderr);
    for (location, message) in WARNINGS {
        assert!(
            allowed.stderr.contains(location) && allowed.stderr.contains(message),
            "allowed: `{location}` `{message}` in:\n{}",
            allowed.stderr
        );
    }
    let json = check(&["--deny-warnings", "--output", "json"]);
    assert_eq!(json.code, Some(2), "{}", json.stdout);
    let events = json.events();
    let checked: Vec<&serde_json::Value> =
        events.iter().filter(|event| event["event"] == "checked").collect();
    assert_eq!(checked.len(), 2, "{events:?}");
    assert!(
        checked.iter().all(|event| event["status"] == "warnings" && event["errors"] == 0),
        "{checked:?}"
    );
    let diagnostics: Vec<&serde_json::Value> =
        events.iter().filter(|event| event["event"] == "diagnostic").collect();
    assert_eq!(diagnostics.len(), 6, "{diagnostics:?}");
    for (_, message) in WARNINGS {
        assert!(
            diagnostics.iter().any(|diagnostic| diagnostic["severity"] == "warning"
                && diagnostic["message"].as_str().is_some_and(|text| text.contains(message))),
            "a warning `{message}` in {diagnostics:?}"
        );
    }
    assert!(
        diagnostics.iter().all(|diagnostic| diagnostic["severity"] == "warning"),
        "no error-severity diagnostic: {diagnostics:?}"
    );
}

#[test]
fn json_output_is_for_editors() {
    let output = check(&["--output", "json"]);
    assert_eq!(output.code, Some(0));
    let events = output.events();
    let checked: Vec<&serde_json::Value> =
        events.iter().filter(|event| event["event"] == "checked").collect();
    assert_eq!(checked.len(), 2);
    assert!(checked.iter().all(|event| event["status"] == "warnings" && event["errors"] == 0));
    let warnings: Vec<&serde_json::Value> =
        events.iter().filter(|event| event["event"] == "diagnostic").collect();
    assert_eq!(warnings.len(), 6);
    let restart = warnings
        .iter()
        .find(|event| event["message"].as_str().unwrap().contains("heroku.restart"))
        .unwrap();
    assert_eq!(
        (restart["severity"].as_str(), restart["line"].as_u64(), restart["column"].as_u64()),
        (Some("warning"), Some(7), Some(9))
    );
    assert!(restart["file"].as_str().unwrap().ends_with("careless.yaml"));
}

const NEVER: &str = r#"description: Uses results that will never exist.
environments: [staging]
steps:
  - id: disabled
    when: "false"
    do: heroku.dynos
    with: { app: "${app}" }
  - name: Count
    script: |
      print(disabled.len())
  - name: Give up
    script: |
      throw "stop here"
  - id: after
    do: heroku.dynos
    with: { app: "${app}" }
  - name: Use it
    do: heroku.restart_dyno
    with: { app: "${app}", dyno: "${after[0].name}" }
"#;

#[test]
fn a_result_of_a_step_that_never_runs_is_a_warning() {
    let output = Test::new().file("never.yaml", NEVER).run(&["check", "never"]);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(0), "{stderr}");
    for (location, message, label) in [
        (
            "never.yaml:10:7]",
            "`disabled` is the result of a step that never runs",
            "step `disabled` has `when: false`",
        ),
        (
            "never.yaml:19:35]",
            "`after` is the result of a step that never runs",
            "step `after` comes after a step that always fails",
        ),
    ] {
        assert!(stderr.contains(location), "`{location}` in:\n{stderr}");
        assert!(stderr.contains(message), "`{message}` in:\n{stderr}");
        assert!(stderr.contains(label), "`{label}` in:\n{stderr}");
    }
}

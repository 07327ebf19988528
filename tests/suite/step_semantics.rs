//! `id`, `script:` and `when:`: later steps see earlier results, and conditions decide what runs.

use crate::harness::{Outcome, STAGING, Test, shipped_runbooks};

const RUNBOOK: &str = r#"
description: Restart only when a dyno crashed, or when forced.
environments: [staging]
params:
  force: { type: bool, default: false, doc: "restart even when nothing crashed" }
steps:
  - id: dynos
    do: heroku.dynos
    with: { app: "${app}" }
  - id: crashed
    name: Count crashed dynos
    script: |
      dynos.filter(|dyno| dyno.state == "crashed").len()
  - name: Restart
    when: "crashed > 0 || force"
    do: heroku.restart
    with: { app: "${app}" }
    confirm: "Restart ${dynos.len()} dynos of ${app} (${crashed} crashed)?"
"#;

/// A folder of `conditional.yaml` and a staging-only environments file; the simulator serves the
/// shipped apps.
fn conditional() -> Test {
    Test::new()
        .file("environments.yaml", &format!("staging: {{ app: {STAGING} }}\n"))
        .file("conditional.yaml", RUNBOOK)
        .sim_from(&shipped_runbooks(), &[])
}

fn run_conditional(test: &Test, extra: &[&str]) -> Outcome {
    test.run(&[&["--output", "json", "run", "conditional-staging"], extra].concat())
}

#[test]
fn a_false_when_skips_the_step_and_sends_nothing() {
    let test = conditional();
    let output = run_conditional(&test, &[]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    let events = output.events();
    let skipped = events.iter().find(|event| event["event"] == "step_skipped").unwrap();
    assert_eq!(skipped["name"], "Restart");
    assert_eq!(skipped["reason"], "when: crashed > 0 || force is false");
    let script = events
        .iter()
        .find(|event| event["event"] == "step_finished" && event["name"] == "Count crashed dynos")
        .unwrap();
    assert_eq!(script["status"], "done");
    let finished = events.last().unwrap();
    assert_eq!(
        (finished["steps_done"].as_u64(), finished["steps_skipped"].as_u64()),
        (Some(2), Some(1))
    );
    assert!(test.write_requests().is_empty());
}

#[test]
fn a_true_when_runs_the_step_with_earlier_results_in_its_message() {
    let test = conditional();
    let output = run_conditional(&test, &["-p", "force=true", "--yes"]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    let events = output.events();
    let confirmation = events.iter().find(|event| event["event"] == "confirmation").unwrap();
    assert_eq!(confirmation["message"], format!("Restart 3 dynos of {STAGING} (0 crashed)?"));
    assert_eq!(test.write_requests(), [format!("DELETE /apps/{STAGING}/dynos")]);
}

#[test]
fn a_bad_param_value_is_refused_before_any_request() {
    let test = conditional();
    let output = run_conditional(&test, &["-p", "force=maybe"]);
    assert_eq!(output.code, Some(2), "{}", output.stdout);
    let events = output.events();
    assert_eq!(events.len(), 1, "only the error: {events:?}");
    assert_eq!(events[0]["event"], "error");
    assert_eq!(events[0]["message"], "param `force` must be true or false, not `maybe`");
    assert_eq!(events[0]["hint"], "`-p force=true`");
    assert!(test.requests().is_empty());
}

const SHELL_STEPS: &str = r#"
description: Local commands.
environments: [staging]
steps:
  - name: Purge
    sh: "echo purging ${app}"
    dry_run: "echo would purge ${app}"
  - name: Count
    sh: "echo counted; exit ${code}"
params:
  code: { type: int, default: 0 }
"#;

fn run_shell_steps(arguments: &[&str]) -> Outcome {
    Test::new()
        .file("local.yaml", SHELL_STEPS)
        .sim(&[])
        .run(&[&["--output", "json", "run", "local-staging"], arguments].concat())
}

#[test]
fn sh_steps_run_live_and_a_dry_run_runs_none_of_them() {
    let live = run_shell_steps(&[]);
    assert_eq!(live.code, Some(0), "{}", live.stdout);
    let lines: Vec<String> = live
        .events()
        .iter()
        .filter(|event| event["event"] == "log_line")
        .map(|event| event["line"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(lines, [format!("purging {STAGING}"), "counted".to_string()]);
    let dry = run_shell_steps(&["--dry-run"]);
    assert_eq!(dry.code, Some(0));
    let events = dry.events();
    let lines: Vec<&str> = events
        .iter()
        .filter(|event| event["event"] == "log_line")
        .map(|event| event["line"].as_str().unwrap())
        .collect();
    assert!(lines.is_empty(), "a dry-run runs no local command: {lines:?}");
    let plan = &events.last().unwrap()["plan"];
    assert_eq!(plan[0]["command"], format!("echo purging {STAGING}"));
    assert_eq!(plan[1]["command"], "echo counted; exit 0");
    let failed = run_shell_steps(&["-p", "code=4"]);
    assert_eq!(failed.code, Some(1));
    let finished = failed
        .events()
        .into_iter()
        .find(|event| event["event"] == "step_finished" && event["name"] == "Count")
        .unwrap();
    assert_eq!(finished["error"], "`echo counted; exit 4` exited with status 4");
}

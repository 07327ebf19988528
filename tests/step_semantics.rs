//! `id`, `script:` and `when:`: later steps see earlier results, and conditions decide what runs.

mod common;

use common::{STAGING, Sim, json_events, text};

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

fn run_conditional(sim: &Sim, extra: &[&str]) -> std::process::Output {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("environments.yaml"),
        format!("staging: {{ app: {STAGING} }}\n"),
    )
    .unwrap();
    std::fs::write(folder.path().join("conditional.yaml"), RUNBOOK).unwrap();
    sim.runbook(folder.path())
        .env("RUNBOOK_DIR", folder.path())
        .args(["--output", "json", "run", "conditional-staging"])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn a_false_when_skips_the_step_and_sends_nothing() {
    let sim = Sim::start();
    let output = run_conditional(&sim, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let events = json_events(&output.stdout);
    let skipped = events
        .iter()
        .find(|event| event["event"] == "step_skipped")
        .unwrap();
    assert_eq!(skipped["name"], "Restart");
    assert_eq!(skipped["reason"], "when: crashed > 0 || force is false");
    let script = events
        .iter()
        .find(|event| event["event"] == "step_finished" && event["name"] == "Count crashed dynos")
        .unwrap();
    assert_eq!(script["status"], "done");
    let finished = events.last().unwrap();
    assert_eq!(
        (
            finished["steps_done"].as_u64(),
            finished["steps_skipped"].as_u64()
        ),
        (Some(2), Some(1))
    );
    assert!(sim.write_requests().is_empty());
}

#[test]
fn a_true_when_runs_the_step_with_earlier_results_in_its_message() {
    let sim = Sim::start();
    let output = run_conditional(&sim, &["-p", "force=true", "--yes"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let events = json_events(&output.stdout);
    let confirmation = events
        .iter()
        .find(|event| event["event"] == "confirmation")
        .unwrap();
    assert_eq!(
        confirmation["message"],
        format!("Restart 3 dynos of {STAGING} (0 crashed)?")
    );
    assert_eq!(
        sim.write_requests(),
        [format!("DELETE /apps/{STAGING}/dynos")]
    );
}

#[test]
fn a_bad_param_value_is_refused_before_any_request() {
    let sim = Sim::start();
    let output = run_conditional(&sim, &["-p", "force=maybe"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stdout));
    let events = json_events(&output.stdout);
    assert_eq!(events.len(), 1, "only the error: {events:?}");
    assert_eq!(events[0]["event"], "error");
    assert_eq!(
        events[0]["message"],
        "param `force` must be true or false, not `maybe`"
    );
    assert_eq!(events[0]["hint"], "`-p force=true`");
    assert!(sim.requests().is_empty());
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

fn run_shell_steps(arguments: &[&str]) -> std::process::Output {
    let sim = Sim::start();
    let folder = common::runbooks_folder(&[("local.yaml", SHELL_STEPS)]);
    let home = tempfile::tempdir().unwrap();
    sim.runbook(home.path())
        .env("RUNBOOK_DIR", folder.path())
        .args(["--output", "json", "run", "local-staging"])
        .args(arguments)
        .output()
        .unwrap()
}

#[test]
fn sh_steps_run_live_and_a_dry_run_runs_none_of_them() {
    let live = run_shell_steps(&[]);
    assert_eq!(live.status.code(), Some(0), "{}", text(&live.stdout));
    let lines: Vec<String> = json_events(&live.stdout)
        .iter()
        .filter(|event| event["event"] == "log_line")
        .map(|event| event["line"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(lines, [format!("purging {STAGING}"), "counted".to_string()]);
    let dry = run_shell_steps(&["--dry-run"]);
    assert_eq!(dry.status.code(), Some(0));
    let events = json_events(&dry.stdout);
    let lines: Vec<&str> = events
        .iter()
        .filter(|event| event["event"] == "log_line")
        .map(|event| event["line"].as_str().unwrap())
        .collect();
    assert!(
        lines.is_empty(),
        "a dry-run runs no local command: {lines:?}"
    );
    let plan = &events.last().unwrap()["plan"];
    assert_eq!(plan[0]["command"], format!("echo purging {STAGING}"));
    assert_eq!(plan[1]["command"], "echo counted; exit 0");
    let failed = run_shell_steps(&["-p", "code=4"]);
    assert_eq!(failed.status.code(), Some(1));
    let finished = json_events(&failed.stdout)
        .into_iter()
        .find(|event| event["event"] == "step_finished" && event["name"] == "Count")
        .unwrap();
    assert_eq!(
        finished["error"],
        "`echo counted; exit 4` exited with status 4"
    );
}

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

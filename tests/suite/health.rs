//! Operations that prove they worked: `heroku.health` reads only, a deploy of a bad release rolls
//! itself back once (or only reports, with `--no-rollback`), a dry-run plans the rollback and
//! sends nothing, and an app that recovers by itself turns healthy again. Rolling restarts and a
//! healthy promotion's watch are tested with the shipped runbooks (runbooks/tests/restart.yaml,
//! runbooks/tests/promote.yaml), in simulated time.

use serde_json::Value;

use crate::harness::{STAGING, Test, repository, shipped_runbooks};

fn shipped(name: &str) -> String {
    std::fs::read_to_string(shipped_runbooks().join(name)).unwrap()
}

/// The shipped deploy runbook and scenarios, with `tests` for it, and a git checkout to deploy.
fn deploy_tests(tests: &str) -> (Test, tempfile::TempDir) {
    let work = tempfile::tempdir().unwrap();
    repository(work.path(), &[]);
    let tests = tests.replace("DIRECTORY", work.path().to_str().unwrap());
    let test = Test::new()
        .file("deploy.yaml", &shipped("deploy.yaml"))
        .file("scenarios/bad-deploy.yaml", &shipped("scenarios/bad-deploy.yaml"))
        .file("tests/deploy.yaml", &tests);
    (test, work)
}

fn seconds(record: &Value) -> std::time::SystemTime {
    humantime::parse_rfc3339_weak(record["time"].as_str().unwrap()).unwrap()
}

#[test]
fn a_bad_deploy_rolls_back_once_within_thirty_simulated_seconds() {
    // The last expectation is false on purpose: the failed test keeps its journal to measure.
    let (test, _work) = deploy_tests(
        r#"
runbook: deploy-staging
tests:
  - name: the bad release is rolled back to the one it replaced
    scenario: bad-deploy
    params: { directory: DIRECTORY }
    answers: [confirm]
    expect:
      exit: 1
      status: failed
      writes:
        - POST /sources
        - POST /apps/{app}/builds
        - POST /apps/{app}/releases
      output: ["rolled back to v42 (now v44, every dyno runs it)", "a line no run prints"]
      steps: { Deploy: failed, Releases after: not_reached }
      after: { release: v44 }
"#,
    );
    let outcome = test.run(&["test"]).code(1);
    let journal = crate::harness::kept_journal(&outcome.stdout);
    let sent: Vec<&Value> =
        journal.iter().filter(|record| record["event"]["event"] == "write_sent").collect();
    let build = sent
        .iter()
        .find(|record| record["event"]["request"]["path"].as_str().unwrap().ends_with("/builds"))
        .unwrap();
    let rollback = sent
        .iter()
        .find(|record| record["event"]["request"]["path"].as_str().unwrap().ends_with("/releases"))
        .unwrap();
    let after = seconds(rollback).duration_since(seconds(build)).unwrap();
    assert!(
        after <= std::time::Duration::from_secs(30),
        "the rollback left {after:?} after the build"
    );
}

#[test]
fn with_no_rollback_a_bad_deploy_is_only_reported() {
    let (test, _work) = deploy_tests(
        r#"
runbook: deploy-staging
tests:
  - name: the bad release is reported, not rolled back
    scenario: bad-deploy
    params: { directory: DIRECTORY }
    answers: [confirm]
    no_rollback: true
    expect:
      exit: 1
      writes: ["POST /sources", "POST /apps/{app}/builds"]
      not_sent: ["POST /apps/{app}/releases"]
      output: ["not rolled back (rollback off)", "router errors at"]
      after: { release: v43 }
"#,
    );
    let outcome = test.run(&["test"]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stdout);
}

#[test]
fn a_dry_run_plans_the_rollback_and_sends_nothing() {
    let work = tempfile::tempdir().unwrap();
    repository(work.path(), &[]);
    let test = Test::new().sim(&[]);
    let directory = format!("directory={}", work.path().display());
    let outcome =
        test.run(&["--output", "json", "run", "deploy-staging", "--dry-run", "-p", &directory]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    let events = outcome.events();
    let asked = events.iter().find(|event| event["event"] == "would_ask").unwrap();
    let impact = asked["impact"].to_string();
    assert!(
        impact.contains("then watches health for 5m; if it turns unhealthy, rolls back to v42"),
        "{impact}"
    );
    let planned: Vec<String> = events
        .iter()
        .filter(|event| event["event"] == "would_send")
        .map(|event| format!("{} {}", event["request"]["method"], event["request"]["path"]))
        .collect();
    assert!(planned.contains(&format!("\"POST\" \"/apps/{STAGING}/releases\"")), "{planned:?}");
    assert!(test.write_requests().is_empty(), "{:?}", test.write_requests());
}

#[test]
fn health_reads_send_only_gets_and_the_log_session() {
    let runbook = r#"
description: Is staging healthy, with its home page?
environments: [staging]
steps:
  - name: Health
    do: heroku.health
    with: { app: "${app}", path: "/", status: 200, contains: "La Zona" }
"#;
    let test = Test::new().file("health.yaml", runbook).sim(&[]);
    let outcome = test.run(&["run", "health-staging"]).code(0);
    assert!(outcome.stderr.contains("healthy: 3 of 3 dynos up"), "{}", outcome.stderr);
    let requests = test.requests();
    assert!(!requests.is_empty());
    for request in &requests {
        assert!(
            request.starts_with("GET ") || request.ends_with("/log-sessions"),
            "a health read sent {request}"
        );
    }
}

#[test]
fn an_app_that_recovers_turns_healthy_again_and_a_crashed_one_is_not() {
    let runbook = r#"
description: Health now, and after two minutes.
environments: [staging]
steps:
  - id: before
    name: Health now
    do: heroku.health
    with: { app: "${app}" }
  - name: Two minutes
    script: |
      sleep(120);
      "waited"
  - id: later
    name: Health later
    do: heroku.health
    with: { app: "${app}" }
  - name: Verdicts
    script: |
      `verdicts: ${before.healthy} then ${later.healthy}; ${before.reasons}`
"#;
    let tests = r#"
runbook: recover-staging
tests:
  - name: slow for 90 seconds, then healthy
    scenario: recovering
    expect:
      output: ["verdicts: false then true", "router errors at", "H12 x"]
  - name: crashed web stays unhealthy
    world: { dynos: { web: crashed } }
    expect:
      output: ["verdicts: false then false", "not up: web.1 crashed, web.2 crashed", "H10 x"]
"#;
    let test = Test::new()
        .file("recover.yaml", runbook)
        .file("scenarios/recovering.yaml", &shipped("scenarios/recovering.yaml"))
        .file("tests/recover.yaml", tests);
    let outcome = test.run(&["test"]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stdout);
}

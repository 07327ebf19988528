//! `retry`, `timeout`, `on_failure`, `continue_on_failure` and `for_each` against a simulator made
//! to fail, stall or answer slowly; the same in Rhai.

use serde_json::Value;

use crate::harness::{Outcome, STAGING, Test};

/// A test of `file` (a name and its text) with a simulator started with `sim` flags.
fn with_file(file: (&str, &str), sim: &[&str]) -> Test {
    Test::new().file(file.0, file.1).sim(sim)
}

fn run(test: &Test, arguments: &[&str]) -> Outcome {
    test.run(&[&["--output", "json", "run"], arguments].concat())
}

fn finished<'a>(events: &'a [Value], name: &str) -> &'a Value {
    events
        .iter()
        .find(|event| event["event"] == "step_finished" && event["name"] == name)
        .unwrap_or_else(|| panic!("no step `{name}` finished in {events:?}"))
}

const RETRYING: &str = r#"
description: Read the formation, retrying a flaky API.
environments: [staging]
steps:
  - name: Formation
    do: heroku.formation
    with: { app: "${app}" }
    retry: { attempts: 3, delay: 100ms, backoff: 2 }
"#;

#[test]
fn retry_tries_again_until_the_step_succeeds() {
    let fault = format!("GET /apps/{STAGING}/formation 500x2");
    let test = with_file(("retrying.yaml", RETRYING), &["--fault", &fault]);
    let output = run(&test, &["retrying-staging"]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    let events = output.events();
    let retries: Vec<&Value> =
        events.iter().filter(|event| event["event"] == "step_retry").collect();
    assert_eq!(retries.len(), 2);
    assert_eq!(
        (retries[0]["attempt"].as_u64(), retries[0]["delay_ms"].as_u64()),
        (Some(1), Some(100))
    );
    assert_eq!(
        (retries[1]["attempt"].as_u64(), retries[1]["delay_ms"].as_u64()),
        (Some(2), Some(200))
    );
    assert_eq!(finished(&events, "Formation")["status"], "done");
    let formation_requests =
        test.requests().iter().filter(|request| request.ends_with("/formation")).count();
    assert_eq!(formation_requests, 3);
}

#[test]
fn retry_gives_up_after_its_attempts() {
    let fault = format!("GET /apps/{STAGING}/formation 500x5");
    let test = with_file(("retrying.yaml", RETRYING), &["--fault", &fault]);
    let output = run(&test, &["retrying-staging"]);
    assert_eq!(output.code, Some(1));
    let events = output.events();
    assert_eq!(finished(&events, "Formation")["status"], "failed");
    assert_eq!(test.requests().len(), 3);
}

const STALLING: &str = r#"
description: Read the app, but not forever.
environments: [staging]
steps:
  - name: App
    do: heroku.app
    with: { app: "${app}" }
    timeout: 1s
    on_failure:
      - name: Dynos, to see what is going on
        do: heroku.dynos
        with: { app: "${app}" }
  - name: Not reached
    do: heroku.formation
    with: { app: "${app}" }
"#;

#[test]
fn a_stalled_call_ends_at_the_timeout_and_on_failure_runs() {
    let fault = format!("GET /apps/{STAGING} delay=30s");
    let test = with_file(("stalling.yaml", STALLING), &["--fault", &fault]);
    let started = std::time::Instant::now();
    let output = run(&test, &["stalling-staging"]);
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "the stall was not cut short");
    assert_eq!(output.code, Some(1));
    let events = output.events();
    assert_eq!(finished(&events, "App")["error"], "timed out after 1s");
    let recovery = finished(&events, "Dynos, to see what is going on");
    assert_eq!(
        (recovery["status"].as_str(), recovery["phase"].as_str()),
        (Some("done"), Some("on_failure"))
    );
    assert!(!events.iter().any(|event| event["name"] == "Not reached"));
    assert_eq!(events.last().unwrap()["status"], "failed");
}

#[test]
fn continue_on_failure_lets_the_run_go_on() {
    let runbook = r#"
description: A step allowed to fail.
environments: [staging]
steps:
  - name: Restart a dyno that does not exist
    do: heroku.restart_dyno
    with: { app: "${app}", dyno: "web.9" }
    continue_on_failure: true
  - name: Dynos
    do: heroku.dynos
    with: { app: "${app}" }
"#;
    let test = with_file(("tolerant.yaml", runbook), &[]);
    let output = run(&test, &["tolerant-staging"]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    let events = output.events();
    assert_eq!(finished(&events, "Restart a dyno that does not exist")["status"], "failed");
    assert_eq!(finished(&events, "Dynos")["status"], "done");
    let summary = events.last().unwrap();
    assert_eq!(
        (summary["status"].as_str(), summary["steps_failed"].as_u64()),
        (Some("succeeded"), Some(1))
    );
}

fn twenty_apps() -> Vec<String> {
    (1..=20).map(|number| format!("fleet-app-{number:02}")).collect()
}

/// A test of `file` with a simulator of `apps` too, each answer 150ms late.
fn fleet(file: (&str, &str), apps: &[String]) -> Test {
    let mut arguments = vec!["--latency", "150ms"];
    for app in apps {
        arguments.extend(["--app", app.as_str()]);
    }
    with_file(file, &arguments)
}

#[test]
fn for_each_restarts_twenty_apps_never_more_than_five_at_once() {
    let apps = twenty_apps();
    let runbook = format!(
        "description: Restart the whole fleet.\nsteps:\n  - name: Restart every app\n    do: heroku.restart\n    with: {{ app: \"${{item}}\" }}\n    for_each: [{}]\n    concurrency: 5\n    confirm: \"Restart 20 apps?\"\n",
        apps.join(", ")
    );
    let test = fleet(("fleet.yaml", runbook.as_str()), &apps);
    let output = run(&test, &["fleet", "--yes"]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    let mut restarted = test.write_requests();
    restarted.sort();
    let expected: Vec<String> =
        apps.iter().map(|app| format!("DELETE /apps/{app}/dynos")).collect();
    assert_eq!(restarted, expected);
    assert_eq!(test.simulator().stats()["max_in_flight"], 5);
    let events = output.events();
    let progress: Vec<u64> = events
        .iter()
        .filter(|event| event["event"] == "step_progress")
        .map(|event| event["done"].as_u64().unwrap())
        .collect();
    assert_eq!(progress, (1..=20).collect::<Vec<u64>>());
    let confirmation = events.iter().find(|event| event["event"] == "confirmation").unwrap();
    assert_eq!(confirmation["answer"], "accepted");
}

#[test]
fn rhai_for_each_retry_and_timeout_mean_the_same() {
    let apps = twenty_apps();
    let list: Vec<String> = apps.iter().map(|app| format!("\"{app}\"")).collect();
    let script = format!(
        "//! Restart the fleet from Rhai.\nlet apps = [{}];\nconfirm(\"Restart 20 apps?\");\nstep(\"Restart every app\", || for_each(apps, 5, |app| heroku::restart(app)));\nstep(\"Retry and time out\", || retry(2, \"100ms\", || with_timeout(\"1s\", || heroku::app(\"fleet-app-01\"))));\n",
        list.join(", ")
    );
    let test = fleet(("fleet.rhai", script.as_str()), &apps);
    let output = run(&test, &["fleet", "--yes"]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    assert_eq!(test.write_requests().len(), 20);
    assert_eq!(test.simulator().stats()["max_in_flight"], 5);
}

#[test]
fn rhai_with_timeout_ends_a_stalled_call() {
    let script = "//! Stall.\n//! environments: staging\nstep(\"App\", || with_timeout(\"1s\", || heroku::app(app)));\n";
    let test = with_file(
        ("stall.rhai", script),
        &["--fault", "GET /apps/lazona-connector-staging delay=30s"],
    );
    let output = run(&test, &["stall-staging"]);
    assert_eq!(output.code, Some(1));
    let events = output.events();
    assert_eq!(finished(&events, "App")["error"], "timed out after 1s");
}

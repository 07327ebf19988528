//! `retry`, `timeout`, `on_failure`, `continue_on_failure` and `for_each` against a simulator made
//! to fail, stall or answer slowly; the same in Rhai.

mod common;

use common::{STAGING, Sim, json_events, runbooks_folder, text};
use serde_json::Value;

fn run_folder(sim: &Sim, files: &[(&str, &str)], arguments: &[&str]) -> std::process::Output {
    let folder = runbooks_folder(files);
    let home = tempfile::tempdir().unwrap();
    sim.runbook(home.path())
        .env("RUNBOOK_DIR", folder.path())
        .args(["--output", "json", "run"])
        .args(arguments)
        .output()
        .unwrap()
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
    let sim = Sim::start_with(&["--fault", &fault]);
    let output = run_folder(&sim, &[("retrying.yaml", RETRYING)], &["retrying-staging"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    let events = json_events(&output.stdout);
    let retries: Vec<&Value> = events
        .iter()
        .filter(|event| event["event"] == "step_retry")
        .collect();
    assert_eq!(retries.len(), 2);
    assert_eq!(
        (
            retries[0]["attempt"].as_u64(),
            retries[0]["delay_ms"].as_u64()
        ),
        (Some(1), Some(100))
    );
    assert_eq!(
        (
            retries[1]["attempt"].as_u64(),
            retries[1]["delay_ms"].as_u64()
        ),
        (Some(2), Some(200))
    );
    assert_eq!(finished(&events, "Formation")["status"], "done");
    let formation_requests = sim
        .requests()
        .iter()
        .filter(|request| request.ends_with("/formation"))
        .count();
    assert_eq!(formation_requests, 3);
}

#[test]
fn retry_gives_up_after_its_attempts() {
    let fault = format!("GET /apps/{STAGING}/formation 500x5");
    let sim = Sim::start_with(&["--fault", &fault]);
    let output = run_folder(&sim, &[("retrying.yaml", RETRYING)], &["retrying-staging"]);
    assert_eq!(output.status.code(), Some(1));
    let events = json_events(&output.stdout);
    assert_eq!(finished(&events, "Formation")["status"], "failed");
    assert_eq!(sim.requests().len(), 3);
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
    let sim = Sim::start_with(&["--fault", &fault]);
    let started = std::time::Instant::now();
    let output = run_folder(&sim, &[("stalling.yaml", STALLING)], &["stalling-staging"]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "the stall was not cut short"
    );
    assert_eq!(output.status.code(), Some(1));
    let events = json_events(&output.stdout);
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
    let sim = Sim::start();
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
    let output = run_folder(&sim, &[("tolerant.yaml", runbook)], &["tolerant-staging"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    let events = json_events(&output.stdout);
    assert_eq!(
        finished(&events, "Restart a dyno that does not exist")["status"],
        "failed"
    );
    assert_eq!(finished(&events, "Dynos")["status"], "done");
    let summary = events.last().unwrap();
    assert_eq!(
        (summary["status"].as_str(), summary["steps_failed"].as_u64()),
        (Some("succeeded"), Some(1))
    );
}

fn twenty_apps() -> Vec<String> {
    (1..=20)
        .map(|number| format!("fleet-app-{number:02}"))
        .collect()
}

fn fleet_sim(apps: &[String]) -> Sim {
    let mut arguments = vec!["--latency", "150ms"];
    for app in apps {
        arguments.extend(["--app", app.as_str()]);
    }
    Sim::start_with(&arguments)
}

#[test]
fn for_each_restarts_twenty_apps_never_more_than_five_at_once() {
    let apps = twenty_apps();
    let sim = fleet_sim(&apps);
    let runbook = format!(
        "description: Restart the whole fleet.\nsteps:\n  - name: Restart every app\n    do: heroku.restart\n    with: {{ app: \"${{item}}\" }}\n    for_each: [{}]\n    concurrency: 5\n    confirm: \"Restart 20 apps?\"\n",
        apps.join(", ")
    );
    let output = run_folder(&sim, &[("fleet.yaml", &runbook)], &["fleet", "--yes"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    let mut restarted = sim.write_requests();
    restarted.sort();
    let expected: Vec<String> = apps
        .iter()
        .map(|app| format!("DELETE /apps/{app}/dynos"))
        .collect();
    assert_eq!(restarted, expected);
    assert_eq!(sim.stats()["max_in_flight"], 5);
    let events = json_events(&output.stdout);
    let progress: Vec<u64> = events
        .iter()
        .filter(|event| event["event"] == "step_progress")
        .map(|event| event["done"].as_u64().unwrap())
        .collect();
    assert_eq!(progress, (1..=20).collect::<Vec<u64>>());
    let confirmation = events
        .iter()
        .find(|event| event["event"] == "confirmation")
        .unwrap();
    assert_eq!(confirmation["answer"], "accepted");
}

#[test]
fn rhai_for_each_retry_and_timeout_mean_the_same() {
    let apps = twenty_apps();
    let sim = fleet_sim(&apps);
    let list: Vec<String> = apps.iter().map(|app| format!("\"{app}\"")).collect();
    let script = format!(
        "//! Restart the fleet from Rhai.\nlet apps = [{}];\nconfirm(\"Restart 20 apps?\");\nstep(\"Restart every app\", || for_each(apps, 5, |app| heroku::restart(app)));\nstep(\"Retry and time out\", || retry(2, \"100ms\", || with_timeout(\"1s\", || heroku::app(\"fleet-app-01\"))));\n",
        list.join(", ")
    );
    let output = run_folder(&sim, &[("fleet.rhai", &script)], &["fleet", "--yes"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert_eq!(sim.write_requests().len(), 20);
    assert_eq!(sim.stats()["max_in_flight"], 5);
}

#[test]
fn rhai_with_timeout_ends_a_stalled_call() {
    let sim = Sim::start_with(&["--fault", "GET /apps/lazona-connector-staging delay=30s"]);
    let script = "//! Stall.\n//! environments: staging\nstep(\"App\", || with_timeout(\"1s\", || heroku::app(app)));\n";
    let output = run_folder(&sim, &[("stall.rhai", script)], &["stall-staging"]);
    assert_eq!(output.status.code(), Some(1));
    let events = json_events(&output.stdout);
    assert_eq!(finished(&events, "App")["error"], "timed out after 1s");
}

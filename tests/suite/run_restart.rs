//! `restart-production` end to end: rehearsed on the in-process simulator, dry, and against `sim serve`.

use crate::harness::{PRODUCTION, Test};

#[test]
fn rehearsal_on_the_in_process_simulator_sends_exactly_the_restart() {
    let output = Test::new().run(&[
        "--output",
        "json",
        "run",
        "restart-production",
        "--sim",
        "--yes",
        "--confirm",
        PRODUCTION,
    ]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    let events = output.events();
    let received = events
        .iter()
        .find(|event| event["event"] == "simulator_requests")
        .expect("the simulator's log");
    let requests: Vec<String> = received["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|request| {
            format!(
                "{} {} {}",
                request["method"].as_str().unwrap(),
                request["path"].as_str().unwrap(),
                request["status"]
            )
        })
        .collect();
    let dynos = format!("GET /apps/{PRODUCTION}/dynos 200");
    assert_eq!(requests[..2], [dynos.clone(), format!("DELETE /apps/{PRODUCTION}/dynos 202")]);
    assert!(requests[3..].len() >= 2, "a wait and a final listing: {requests:?}");
    assert!(requests[3..].iter().all(|request| *request == dynos), "{requests:?}");
}

#[test]
fn dry_run_against_sim_serve_plans_the_delete_and_sends_only_gets() {
    let test = Test::new().sim(&[]);
    let output = test.run(&["run", "restart-production", "--dry-run"]);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(0), "{stderr}");
    assert!(stderr.contains(&format!("would send: DELETE /apps/{PRODUCTION}/dynos")), "{stderr}");
    assert!(stderr.contains(&format!("would ask: Restart 3 dynos of {PRODUCTION}?")), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "plan: 1 change(s) would be made:\n  DELETE /apps/{PRODUCTION}/dynos"
        )),
        "{stderr}"
    );
    let requests = test.requests();
    assert!(!requests.is_empty());
    assert!(requests.iter().all(|request| request.starts_with("GET ")), "{requests:?}");
}

#[test]
fn dry_run_plan_is_data_in_json() {
    let test = Test::new().sim(&[]);
    let output = test.run(&[
        "--output",
        "json",
        "run",
        "restart-staging",
        "--dry-run",
        "-p",
        "process_type=web",
    ]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    let events = output.events();
    let finished = events.last().unwrap();
    assert_eq!(finished["event"], "run_finished");
    assert_eq!(finished["plan"][0]["method"], "DELETE");
    assert_eq!(finished["plan"][0]["path"], "/apps/lazona-connector-staging/formations/web");
    assert!(test.write_requests().is_empty());
}

#[test]
fn live_run_against_sim_serve_restarts_and_waits() {
    let test = Test::new().sim(&[]);
    let output =
        test.run(&["--output", "json", "run", "restart-production", "--confirm", PRODUCTION]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    assert_eq!(test.write_requests(), [format!("DELETE /apps/{PRODUCTION}/dynos")]);
    let events = output.events();
    let kinds: Vec<&str> = events.iter().map(|event| event["event"].as_str().unwrap()).collect();
    assert_eq!(kinds.first(), Some(&"run_started"));
    assert_eq!(kinds.last(), Some(&"run_finished"));
    assert_eq!(kinds.iter().filter(|kind| **kind == "step_started").count(), 4);
    assert_eq!(kinds.iter().filter(|kind| **kind == "step_finished").count(), 4);
    let confirmation = events.iter().find(|event| event["event"] == "confirmation").unwrap();
    assert_eq!(confirmation["answer"], "accepted");
    assert_eq!(confirmation["how"], "confirm_flag");
    let progress = events.iter().rfind(|event| event["event"] == "step_progress").unwrap();
    assert_eq!(progress["message"], "3/3 dynos up");
    assert_eq!(events.last().unwrap()["status"], "succeeded");
    assert_eq!(events.last().unwrap()["steps_done"], 4);
}

#[test]
fn a_rhai_runbook_confirms_and_restarts_one_dyno() {
    let test = Test::new().sim(&[]);
    let output = test.run(&["run", "restart-dyno-staging", "-p", "dyno=web.2", "--yes"]);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(0), "{stderr}");
    assert!(stderr.contains("confirmed by --yes"), "{stderr}");
    assert_eq!(test.write_requests(), ["DELETE /apps/lazona-connector-staging/dynos/web.2"]);
}

#[test]
fn a_rhai_runbook_without_confirmation_off_a_terminal_sends_no_write() {
    let test = Test::new().sim(&[]);
    let output = test.run(&["run", "restart-dyno-staging", "-p", "dyno=web.2"]);
    assert_eq!(output.code, Some(3), "{}", output.stderr);
    assert!(test.write_requests().is_empty());
}

//! Faults injected in the simulator, route by route: reads are retried through them, writes are
//! never sent twice, a stalled call ends at its timeout, and the summary and the journal say
//! exactly which steps ran.

use serde_json::Value;

use crate::harness::{Outcome, STAGING, Test};

/// Runs `restart-staging --yes`; its journal is the test's.
fn restart(test: &Test) -> Outcome {
    test.run(&["run", "restart-staging", "--yes"])
}

fn statuses(test: &Test, method: &str, path: &str) -> Vec<u64> {
    test.simulator()
        .log()
        .iter()
        .filter(|request| request["method"] == method && request["path"] == path)
        .map(|request| request["status"].as_u64().unwrap())
        .collect()
}

/// The steps the journal says finished, with their status, in order.
fn journaled_steps(test: &Test) -> Vec<(String, String)> {
    test.journal_strict()
        .iter()
        .map(|record| &record["event"])
        .filter(|event| event["event"] == "step_finished")
        .map(|event| {
            (
                event["name"].as_str().unwrap().to_string(),
                event["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn run_status(test: &Test) -> Value {
    test.journal_strict()
        .iter()
        .map(|record| record["event"].clone())
        .find(|event| event["event"] == "run_finished")
        .unwrap()
}

#[test]
fn a_read_is_retried_through_a_503_a_429_and_a_broken_connection() {
    let dynos = format!("/apps/{STAGING}/dynos");
    let test = Test::new().sim(&[
        "--fault",
        &format!("GET {dynos} 503x1"),
        "--fault",
        &format!("GET {dynos} 429x1"),
        "--fault",
        &format!("GET {dynos} resetx1"),
    ]);
    let output = restart(&test);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    let first_reads: Vec<u64> = statuses(&test, "GET", &dynos).into_iter().take(4).collect();
    assert_eq!(first_reads, [503, 429, 200, 200], "the reset answer began with 200");
    assert_eq!(test.write_requests(), [format!("DELETE {dynos}")], "the write went once");
    assert_eq!(run_status(&test)["status"], "succeeded");
}

fn assert_stopped_at_the_restart(test: &Test, stderr: &str) {
    assert_eq!(
        journaled_steps(test),
        [
            ("Current dynos".to_string(), "done".to_string()),
            ("Restart dynos".to_string(), "failed".to_string()),
        ],
        "nothing after the failed write ran"
    );
    let finished = run_status(test);
    assert_eq!(
        (
            finished["status"].as_str(),
            finished["steps_done"].as_u64(),
            finished["steps_failed"].as_u64()
        ),
        (Some("failed"), Some(1), Some(1))
    );
    assert!(stderr.contains("✗ [2/4] Restart dynos"), "{stderr}");
    assert!(!stderr.contains("[3/4]"), "step 3 did not start:\n{stderr}");
}

#[test]
fn a_write_is_never_sent_twice_whatever_the_fault() {
    let dynos = format!("/apps/{STAGING}/dynos");
    for (effect, message) in [
        ("503", "Heroku answered 503 `unavailable`"),
        ("429", "Heroku answered 429 `rate_limit`"),
        ("reset", &format!("the connection broke during the answer to DELETE {dynos}") as &str),
    ] {
        let test = Test::new().sim(&["--fault", &format!("DELETE {dynos} {effect}")]);
        let output = restart(&test);
        let stderr = &output.stderr;
        assert_eq!(output.code, Some(1), "{effect}: {stderr}");
        assert!(stderr.contains(message), "{effect}: `{message}` in:\n{stderr}");
        assert_eq!(test.write_requests(), [format!("DELETE {dynos}")], "{effect}: sent once");
        assert_stopped_at_the_restart(&test, stderr);
    }
}

#[test]
fn a_rollback_post_is_never_sent_twice() {
    let releases = format!("/apps/{STAGING}/releases");
    let test = Test::new().sim(&["--fault", &format!("POST {releases} 503")]);
    let output = test.run(&["run", "rollback-staging", "--yes"]);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(1), "{stderr}");
    assert_eq!(test.write_requests(), [format!("POST {releases}")]);
}

#[test]
fn a_stalled_call_ends_at_its_timeout_with_a_clear_message() {
    let dynos = format!("/apps/{STAGING}/dynos");
    let test = Test::new()
        .sim(&["--fault", &format!("DELETE {dynos} hang")])
        .env("RUNBOOK_HTTP_TIMEOUT", "1s");
    let output = restart(&test);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(1), "{stderr}");
    assert!(stderr.contains(&format!("no answer to DELETE {dynos} within 1s")), "{stderr}");
    assert!(stderr.contains("it was sent once and not again"), "{stderr}");
    assert_eq!(test.write_requests(), [format!("DELETE {dynos}")]);
    assert_stopped_at_the_restart(&test, stderr);
}

#[test]
fn a_stalled_read_is_not_retried_for_minutes() {
    let dynos = format!("/apps/{STAGING}/dynos");
    let test = Test::new()
        .sim(&["--fault", &format!("GET {dynos} hang")])
        .env("RUNBOOK_HTTP_TIMEOUT", "1s");
    let output = restart(&test);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(1), "{stderr}");
    assert!(stderr.contains(&format!("no answer to GET {dynos} within 1s")), "{stderr}");
    assert_eq!(statuses(&test, "GET", &dynos), [0], "asked once, never answered");
    assert!(test.write_requests().is_empty());
    assert_eq!(journaled_steps(&test), [("Current dynos".to_string(), "failed".to_string())]);
}

#[test]
fn a_bad_timeout_setting_is_refused_before_any_request() {
    let test = Test::new().sim(&[]).env("RUNBOOK_HTTP_TIMEOUT", "soon");
    let output = restart(&test);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(2), "{stderr}");
    assert!(stderr.contains("RUNBOOK_HTTP_TIMEOUT=`soon` is not a duration"), "{stderr}");
    assert!(test.requests().is_empty());
}

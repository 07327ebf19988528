//! What the Heroku client sends: the versioned Accept header, our User-Agent, and paged lists.

use crate::harness::{STAGING, Test};

#[test]
fn requests_carry_the_api_version_and_our_user_agent() {
    let test = Test::new().sim(&[]);
    let output = test.run(&["run", "status-staging"]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    let log = test.simulator().log();
    assert_eq!(log.len(), 3);
    for request in &log {
        assert_eq!(request["accept"], "application/vnd.heroku+json; version=3");
        assert!(request["user_agent"].as_str().unwrap().starts_with("runbook/"), "{request}");
        assert!(!request["request_id"].as_str().unwrap().is_empty());
    }
}

#[test]
fn lists_follow_next_range_through_every_page() {
    let test = Test::new().sim(&["--page-size", "2"]);
    let output = test.run(&["--output", "json", "run", "status-staging"]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    let events = output.events();
    let dynos = events
        .iter()
        .find(|event| event["event"] == "step_finished" && event["name"] == "Dynos")
        .unwrap();
    assert_eq!(dynos["summary"], "3 dynos: web.1 up, web.2 up, worker.1 up");
    let dyno_requests: Vec<_> = test
        .simulator()
        .log()
        .into_iter()
        .filter(|request| request["path"] == format!("/apps/{STAGING}/dynos"))
        .collect();
    assert_eq!(dyno_requests.len(), 2, "{dyno_requests:?}");
    assert_eq!(dyno_requests[0]["status"], 206);
    assert!(dyno_requests[0]["range"].is_null());
    assert_eq!(dyno_requests[1]["status"], 200);
    let range = dyno_requests[1]["range"].as_str().unwrap();
    assert!(range.starts_with("id ]") && range.ends_with("..; max=2"), "{range}");
}

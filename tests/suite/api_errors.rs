//! Heroku's errors reach the operator with Heroku's own `id` and `message`, and the right exit code.

use crate::harness::{Test, shipped_runbooks};

#[test]
fn unauthorized_shows_herokus_id_and_message_and_exits_4() {
    let test = Test::new().sim(&["--api-key", "the-right-key"]).token("a-wrong-key");
    let outcome = test.run(&["run", "status-staging"]);
    let stderr = &outcome.stderr;
    assert_eq!(outcome.code, Some(4), "{stderr}");
    assert!(
        stderr.contains("Heroku answered 401 `unauthorized`: Invalid credentials provided."),
        "{stderr}"
    );
    assert!(stderr.contains("hint: set HEROKU_API_KEY"), "{stderr}");
    assert!(!stderr.contains("a-wrong-key"), "the token never appears: {stderr}");
}

#[test]
fn an_unknown_app_shows_not_found_and_exits_1() {
    let status = std::fs::read_to_string(shipped_runbooks().join("status.yaml")).unwrap();
    // The simulator knows the shipped apps only: the apps of this folder are unknown to it.
    let test = Test::new()
        .file(
            "environments.yaml",
            "staging: { app: no-such-app }\nproduction: { app: another-missing-app, protected: true }\n",
        )
        .file("status.yaml", &status)
        .sim_from(&shipped_runbooks(), &[]);
    let outcome = test.run(&["--output", "json", "run", "status-staging"]);
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    let events = outcome.events();
    let failed = events.iter().find(|event| event["event"] == "step_finished").unwrap();
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["error"], "Heroku answered 404 `not_found`: Couldn't find that app.");
    let finished = events.last().unwrap();
    assert_eq!(finished["status"], "failed");
    assert_eq!(finished["steps_failed"], 1);
    assert_eq!(test.requests(), ["GET /apps/no-such-app"]);
}

#[test]
fn no_credentials_stops_before_any_request_with_exit_4() {
    let test = Test::new().sim(&[]).without_env("HEROKU_API_KEY");
    let outcome = test.run(&["run", "status-staging"]);
    let stderr = &outcome.stderr;
    assert_eq!(outcome.code, Some(4), "{stderr}");
    assert!(stderr.contains("error: no Heroku credentials"), "{stderr}");
    assert!(test.requests().is_empty());
}

#[test]
fn the_token_is_read_from_netrc() {
    let test = Test::new().sim(&["--api-key", "netrc-key"]).without_env("HEROKU_API_KEY");
    std::fs::write(
        test.home().join(".netrc"),
        "machine api.heroku.com\n  login me@example.com\n  password netrc-key\n",
    )
    .unwrap();
    let outcome = test.run(&["run", "status-staging"]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    assert_eq!(test.requests().len(), 3);
}

#[test]
fn an_unreachable_api_exits_4() {
    let test = Test::new().api("http://127.0.0.1:9", "test-key");
    let outcome = test.run(&["run", "status-staging"]);
    let stderr = &outcome.stderr;
    assert_eq!(outcome.code, Some(4), "{stderr}");
    assert!(stderr.contains("cannot reach the Heroku API at http://127.0.0.1:9"), "{stderr}");
}

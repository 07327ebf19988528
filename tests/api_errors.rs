//! Heroku's errors reach the operator with Heroku's own `id` and `message`, and the right exit code.

mod common;

use common::{Sim, runbook, text};

#[test]
fn unauthorized_shows_herokus_id_and_message_and_exits_4() {
    let sim = Sim::start_with(&["--api-key", "the-right-key"]);
    let home = tempfile::tempdir().unwrap();
    let output = runbook(home.path())
        .env("HEROKU_API_URL", &sim.url)
        .env("HEROKU_API_KEY", "a-wrong-key")
        .args(["run", "status-staging"])
        .output()
        .unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("Heroku answered 401 `unauthorized`: Invalid credentials provided."),
        "{stderr}"
    );
    assert!(stderr.contains("hint: set HEROKU_API_KEY"), "{stderr}");
    assert!(
        !stderr.contains("a-wrong-key"),
        "the token never appears: {stderr}"
    );
}

#[test]
fn an_unknown_app_shows_not_found_and_exits_1() {
    let sim = Sim::start();
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("environments.yaml"), "staging: { app: no-such-app }\nproduction: { app: another-missing-app, protected: true }\n").unwrap();
    std::fs::copy(
        common::shipped_runbooks().join("status.yaml"),
        folder.path().join("status.yaml"),
    )
    .unwrap();
    let output = sim
        .runbook(folder.path())
        .env("RUNBOOK_DIR", folder.path())
        .args(["--output", "json", "run", "status-staging"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let events = common::json_events(&output.stdout);
    let failed = events
        .iter()
        .find(|event| event["event"] == "step_finished")
        .unwrap();
    assert_eq!(failed["status"], "failed");
    assert_eq!(
        failed["error"],
        "Heroku answered 404 `not_found`: Couldn't find that app."
    );
    let finished = events.last().unwrap();
    assert_eq!(finished["status"], "failed");
    assert_eq!(finished["steps_failed"], 1);
    assert_eq!(sim.requests(), ["GET /apps/no-such-app"]);
}

#[test]
fn no_credentials_stops_before_any_request_with_exit_4() {
    let sim = Sim::start();
    let home = tempfile::tempdir().unwrap();
    let output = runbook(home.path())
        .env("HEROKU_API_URL", &sim.url)
        .args(["run", "status-staging"])
        .output()
        .unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("error: no Heroku credentials"), "{stderr}");
    assert!(sim.requests().is_empty());
}

#[test]
fn the_token_is_read_from_netrc() {
    let sim = Sim::start_with(&["--api-key", "netrc-key"]);
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join(".netrc"),
        "machine api.heroku.com\n  login me@example.com\n  password netrc-key\n",
    )
    .unwrap();
    let output = runbook(home.path())
        .env("HEROKU_API_URL", &sim.url)
        .args(["run", "status-staging"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(sim.requests().len(), 3);
}

#[test]
fn an_unreachable_api_exits_4() {
    let home = tempfile::tempdir().unwrap();
    let output = runbook(home.path())
        .env("HEROKU_API_URL", "http://127.0.0.1:9")
        .env("HEROKU_API_KEY", "test-key")
        .args(["run", "status-staging"])
        .output()
        .unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("cannot reach the Heroku API at http://127.0.0.1:9"),
        "{stderr}"
    );
}

//! A write leaves at most once: no redirect is followed, and a write that may have reached the
//! server is never sent again, not by the client, `retry:`, Rhai's `retry()` or a `for_each`.

use crate::harness::{Hostile, Reply, Test};

const RETRIED: &str = r#"
description: A restart retried three times.
steps:
  - name: Restart
    do: heroku.restart
    with: { app: some-unprotected-app }
    retry: { attempts: 3, delay: 10ms }
"#;

const RETRIED_RHAI: &str = "//! A restart retried by Rhai.\nstep(\"Restart\", || retry(3, \"10ms\", || heroku::restart(\"some-unprotected-app\")));\n";

fn deletes(server: &Hostile) -> usize {
    server.requests().iter().filter(|request| request.starts_with("DELETE ")).count()
}

fn test_against(server: &Hostile) -> Test {
    Test::new()
        .file("retried.yaml", RETRIED)
        .file("retried-rhai.rhai", RETRIED_RHAI)
        .api(&server.url, "test-key")
}

#[test]
fn a_redirect_is_never_followed() {
    let server = Hostile::start(|_| {
        Reply::Answer(
            307,
            vec![("Location".into(), "http://127.0.0.1:9/apps/other/dynos".into())],
            String::new(),
        )
    });
    let test = test_against(&server);
    test.run(&["run", "retried"])
        .code(1)
        .stderr_has("redirect to http://127.0.0.1:9/apps/other/dynos");
    assert_eq!(deletes(&server), 1, "{:?}", server.requests());
    test.run(&["run", "retried-rhai"]).code(1);
    assert_eq!(deletes(&server), 2, "once per run: {:?}", server.requests());
}

#[test]
fn a_delete_broken_mid_answer_is_sent_once_whatever_the_retries() {
    let server = Hostile::start(|_| Reply::Reset);
    let test = test_against(&server);
    test.run(&["run", "retried"]).code(1).stderr_has("sent once and not again");
    assert_eq!(deletes(&server), 1, "{:?}", server.requests());
    test.run(&["run", "retried-rhai"]).code(1).stderr_has("sent once and not again");
    assert_eq!(deletes(&server), 2, "{:?}", server.requests());
    let retries = test.journaled("step_retry");
    assert!(retries.is_empty(), "a maybe-sent write is not retried: {retries:?}");
}

#[test]
fn a_server_error_on_a_write_is_not_retried_either() {
    let server = Hostile::start(|_| {
        Reply::Answer(500, vec![], r#"{"id":"internal_server_error","message":"boom"}"#.into())
    });
    let test = test_against(&server);
    test.run(&["run", "retried"]).code(1);
    assert_eq!(deletes(&server), 1, "{:?}", server.requests());
}

#[test]
fn a_write_refused_with_503_may_be_tried_again_by_retry() {
    let server = Hostile::start(|_| {
        Reply::Answer(503, vec![], r#"{"id":"unavailable","message":"try again"}"#.into())
    });
    let test = test_against(&server);
    test.run(&["run", "retried"]).code(1);
    assert_eq!(deletes(&server), 3, "503 means it was not acted on");
}

#[test]
fn a_401_that_echoes_the_token_never_shows_it() {
    let token = "tok-9d8e7f-echoed-secret";
    let server = Hostile::start(|request| {
        let authorization = request
            .headers
            .iter()
            .find(|(name, _)| name == "authorization")
            .map(|(_, value)| value.clone())
            .unwrap_or_default();
        Reply::Answer(
            401,
            vec![("X-Echo".into(), authorization.clone())],
            format!(r#"{{"id":"unauthorized","message":"bad credentials: {authorization}"}}"#),
        )
    });
    let test = Test::new().file("retried.yaml", RETRIED).api(&server.url, token);
    let outcome = test.run(&["run", "retried"]).code(4);
    let json = test.run(&["--output", "json", "run", "retried"]);
    for shown in [outcome.shown(), json.shown(), test.journal_text()] {
        assert!(!shown.contains(token), "the token leaked: {shown}");
    }
    assert!(outcome.stderr.contains("bad credentials"), "{}", outcome.stderr);
}

#[test]
fn a_for_each_that_names_the_same_write_twice_sends_it_at_most_once() {
    let server = Hostile::start(|request| {
        if request.line.starts_with("GET ") {
            return Reply::Answer(
                200,
                vec![],
                r#"{"id":"x","name":"some-unprotected-app","maintenance":false}"#.into(),
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
        Reply::Answer(200, vec![], r#"{"maintenance":true}"#.into())
    });
    let yaml = "description: Duplicates.\nsteps:\n  - name: Maintenance\n    do: heroku.maintenance\n    for_each: [some-unprotected-app, some-unprotected-app, some-unprotected-app]\n    concurrency: 3\n    with: { app: \"${item}\", enabled: true }\n";
    let rhai = "//! Duplicates in Rhai.\nfor_each([\"some-unprotected-app\", \"some-unprotected-app\", \"some-unprotected-app\"], 3, |a| heroku::maintenance(a, true));\n";
    let test = Test::new()
        .file("duplicates.yaml", yaml)
        .file("duplicates-rhai.rhai", rhai)
        .api(&server.url, "test-key");
    test.run(&["run", "duplicates", "--yes"]).code(1).stderr_has("both send");
    let patches = |server: &Hostile| {
        server.requests().iter().filter(|request| request.starts_with("PATCH ")).count()
    };
    assert_eq!(patches(&server), 0, "refused before any write");
    test.run(&["run", "duplicates-rhai", "--yes"]).code(1);
    assert_eq!(patches(&server), 1, "{:?}", server.requests());
}

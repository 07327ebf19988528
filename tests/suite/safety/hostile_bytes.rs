//! Bytes, not strings, at the edges: a command's output and a log stream are read as bytes (a
//! byte that is not UTF-8 is replaced, never fatal), a line is cut at 64 KiB, reading takes time
//! in proportion to the input; every API call and log stream has a deadline between bytes, an
//! API answer a size cap, and no header value crashes the run.

use std::time::Duration;

use crate::harness::{Hostile, Received, Reply, Test};

const APP: &str = "some-unprotected-app";

/// A runbook reading `lines` of the app's log.
const LOGS: &str = "description: Read the log.\nsteps:\n  - name: Logs\n    do: heroku.logs\n    with: { app: some-unprotected-app, lines: 100 }\n";

/// An API that opens log sessions whose stream is `stream`, and answers reads with `{}`.
fn log_server(stream: impl Fn() -> Reply + Send + Sync + 'static) -> Hostile {
    Hostile::start(move |request: &Received| {
        if request.is(&format!("POST /apps/{APP}/log-sessions")) {
            let url = format!("{}/stream", request.base_url());
            let session = serde_json::json!({
                "id": "2b5b1ba8-9b2c-4dd5-b4c1-7b1e7d1c8f9a",
                "logplex_url": url,
                "created_at": "2026-12-06T03:00:00Z",
                "updated_at": "2026-12-06T03:00:00Z",
            });
            return Reply::Answer(201, vec![], session.to_string());
        }
        if request.is("GET /stream") {
            return stream();
        }
        Reply::Answer(200, vec![], "{}".into())
    })
}

fn test_against(server: &Hostile, runbook: &str) -> Test {
    Test::new()
        .file("read.yaml", runbook)
        .api(&server.url, "test-key")
        .env("RUNBOOK_HTTP_TIMEOUT", "2s")
}

#[test]
fn output_that_is_not_utf8_is_read_to_its_end() {
    let runbook = "description: Latin-1 then more than a pipe holds.\nsteps:\n  - name: Print\n    sh: \"printf 'caf\\\\351\\\\n'; head -c 300000 /dev/zero | tr '\\\\0' 'x'; printf '\\\\nlast line\\\\n'\"\n    timeout: 20s\n";
    let test = Test::new().file("print.yaml", runbook).sim(&[]);
    let outcome = test.run(&["run", "print"]).code(0);
    assert!(outcome.stderr.contains("caf\u{fffd}"), "{}", outcome.stderr);
    assert!(outcome.stderr.contains("last line"), "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("[line cut at 64 KiB]"),
        "{}",
        &outcome.stderr[..outcome.stderr.len().min(2000)]
    );
}

#[test]
fn a_huge_line_of_output_is_read_in_bounded_memory() {
    let runbook = "description: One line of 100 MB.\nsteps:\n  - name: Print\n    sh: \"head -c 100000000 /dev/zero | tr '\\\\0' 'y'; echo; echo after\"\n";
    let test = Test::new().file("print.yaml", runbook).sim(&[]);
    let (outcome, peak_kib, _) = test.run_measured(&["run", "print"]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    assert!(outcome.stderr.contains("after"));
    assert!(peak_kib < 80 * 1024, "a 100 MB line took {peak_kib} KiB of memory");
}

#[test]
fn a_log_line_without_end_is_cut_and_read_in_linear_time() {
    let server = log_server(|| Reply::Bytes(200, vec![b'z'; 32 * 1024 * 1024]));
    let test = test_against(&server, LOGS);
    let (outcome, peak_kib, took) = test.run_measured(&["run", "read"]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    assert!(took < Duration::from_secs(30), "32 MiB without a newline took {took:?}");
    assert!(peak_kib < 100 * 1024, "it took {peak_kib} KiB of memory");
}

#[test]
fn a_log_stream_that_stalls_is_given_up_after_the_timeout() {
    let server = log_server(|| Reply::HeadThenHang(200));
    let test = test_against(&server, LOGS);
    let (outcome, _, took) = test.run_measured(&["run", "read"]);
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert!(outcome.stderr.contains("sent nothing for 2s"), "{}", outcome.stderr);
    assert!(took < Duration::from_secs(20), "it took {took:?}");
}

#[test]
fn a_log_stream_that_never_answers_is_given_up_after_the_timeout() {
    let server = log_server(|| Reply::Hang);
    let test = test_against(&server, LOGS);
    let (outcome, _, took) = test.run_measured(&["run", "read"]);
    assert_eq!(outcome.code, Some(4), "{}", outcome.stderr);
    assert!(took < Duration::from_secs(20), "it took {took:?}");
}

#[test]
fn troubleshoot_reads_are_not_held_by_a_stalled_stream() {
    let server = log_server(|| Reply::HeadThenHang(200));
    let runbook = "description: A diagnosis reads the log.\nsteps:\n  - name: Errors\n    do: heroku.logs\n    with: { app: some-unprotected-app, lines: 1500, filter: H12, show_lines: false }\n";
    let test = test_against(&server, runbook);
    let (outcome, _, took) = test.run_measured(&["run", "read"]);
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert!(outcome.stderr.contains("sent nothing"), "{}", outcome.stderr);
    assert!(took < Duration::from_secs(20), "it took {took:?}");
}

#[test]
fn an_api_answer_larger_than_the_cap_is_refused_in_bounded_memory() {
    let server = Hostile::start(|_| Reply::Endless(200, b' '));
    let runbook = "description: Reads the dynos.\nsteps:\n  - name: Dynos\n    do: heroku.dynos\n    with: { app: some-unprotected-app }\n";
    let test = test_against(&server, runbook).env("RUNBOOK_HTTP_TIMEOUT", "60s");
    let (outcome, peak_kib, _) = test.run_measured(&["run", "read"]);
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert!(outcome.stderr.contains("larger than 16 MiB"), "{}", outcome.stderr);
    assert!(peak_kib < 120 * 1024, "it took {peak_kib} KiB of memory");
}

#[test]
fn no_retry_after_value_crashes_the_run() {
    for value in ["inf", "NaN", "1e400", "Wed, 21 Oct 2015 07:28:00 GMT"] {
        let value = value.to_string();
        let server = Hostile::start(move |_| {
            Reply::Answer(
                503,
                vec![("Retry-After".into(), value.clone())],
                "{\"id\":\"unavailable\",\"message\":\"down\"}".into(),
            )
        });
        let runbook = "description: Reads the dynos.\nsteps:\n  - name: Dynos\n    do: heroku.dynos\n    with: { app: some-unprotected-app }\n";
        let test = test_against(&server, runbook);
        let outcome = test.run(&["run", "read"]);
        assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
        assert!(outcome.stderr.contains("down"), "{}", outcome.stderr);
    }
}

#[test]
fn a_log_stream_that_never_ends_is_given_up_when_not_followed() {
    let server = log_server(|| Reply::Endless(200, b'\n'));
    let test = test_against(&server, LOGS).env("RUNBOOK_HTTP_TIMEOUT", "1s");
    let (outcome, peak_kib, took) = test.run_measured(&["run", "read"]);
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert!(outcome.stderr.contains("did not end within 10s"), "{}", outcome.stderr);
    assert!(took < Duration::from_secs(30), "it took {took:?}");
    assert!(peak_kib < 100 * 1024, "it took {peak_kib} KiB of memory");
}

#[test]
fn a_timeout_too_long_to_mean_anything_is_refused_before_the_run() {
    for timeout in ["99999999999h", "400d", "25h"] {
        let runbook = format!(
            "description: A timeout of {timeout}.\nsteps:\n  - name: Dynos\n    do: heroku.dynos\n    with: {{ app: some-unprotected-app }}\n    timeout: {timeout}\n"
        );
        let test = Test::new().file("long.yaml", &runbook).sim(&[]);
        let outcome = test.run(&["run", "long"]).code(2);
        assert!(outcome.stderr.contains("timeout"), "{timeout}: {}", outcome.stderr);
        assert!(test.requests().is_empty(), "{timeout}: {:?}", test.requests());
    }
    let test = Test::new().sim(&[]).env("RUNBOOK_HTTP_TIMEOUT", "99999999999h");
    test.run(&["run", "restart-staging", "--yes"]).code(2).stderr_has("RUNBOOK_HTTP_TIMEOUT");
    assert!(test.requests().is_empty(), "{:?}", test.requests());
}

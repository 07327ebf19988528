//! The confirmation policy off a terminal (and with `--no-input` on one): fail closed, and no
//! write reaches the server.

use std::time::{Duration, Instant};

use crate::harness::{Outcome, PRODUCTION, STAGING, Test, exit_code};

fn run_against(test: &Test, arguments: &[&str]) -> Outcome {
    test.run(&[&["run"], arguments].concat())
}

#[test]
fn off_a_terminal_without_yes_the_run_stops_before_the_restart() {
    let test = Test::new().sim(&[]);
    let output = run_against(&test, &["restart-staging"]);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(3), "{stderr}");
    assert!(
        stderr
            .contains("step `Restart dynos` needs confirmation and there is no terminal to ask on"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: pass --yes"), "{stderr}");
    assert!(test.write_requests().is_empty());
}

#[test]
fn yes_confirms_an_unprotected_environment() {
    let test = Test::new().sim(&[]);
    let output = run_against(&test, &["restart-staging", "--yes"]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    assert_eq!(test.write_requests(), [format!("DELETE /apps/{STAGING}/dynos")]);
}

#[test]
fn yes_alone_does_not_pass_a_protected_environment() {
    let test = Test::new().sim(&[]);
    let output = run_against(&test, &["restart-production", "--yes"]);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(3), "{stderr}");
    assert!(stderr.contains("--yes is not enough for a protected environment"), "{stderr}");
    assert!(stderr.contains(&format!("hint: pass --confirm {PRODUCTION}")), "{stderr}");
    assert!(test.write_requests().is_empty());
}

#[test]
fn a_wrong_confirm_name_is_refused_before_any_request() {
    let test = Test::new().sim(&[]);
    let output = run_against(&test, &["restart-production", "--yes", "--confirm", STAGING]);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(3), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: --confirm names `{STAGING}` but this run affects `{PRODUCTION}`"
        )),
        "{stderr}"
    );
    assert!(test.requests().is_empty(), "{:?}", test.requests());
}

/// On a terminal, where the run would otherwise ask (the same run without the flag does), the
/// env form with `--no-input` must not ask: the run ends at once, refused as with no terminal.
/// `--no-input` has no variable form (src/settings.rs reads only `CI` for that).
#[test]
fn no_input_never_prompts_even_with_the_env_form() {
    let test = Test::new().sim(&[]);
    let started = Instant::now();
    let mut session = test.terminal(&["run", "restart", "--env", "production", "--no-input"]);
    let shown = session.exp_eof().expect("the run ends by itself, without waiting for an answer");
    let took = started.elapsed();
    assert_eq!(exit_code(&mut session), Some(3), "{shown}");
    assert!(took < Duration::from_secs(15), "the run waited {took:?}: {shown}");
    assert!(
        !shown.contains(&format!("Type `{PRODUCTION}` to confirm")) && !shown.contains("Proceed?"),
        "no prompt with --no-input: {shown}"
    );
    assert!(
        shown.contains(&format!(
            "step `Restart dynos` affects `{PRODUCTION}`, which is protected: it needs the app name"
        )),
        "the refusal of a protected app with no terminal to ask on: {shown}"
    );
    assert!(
        shown.contains(&format!("pass --confirm {PRODUCTION}")),
        "the refusal says how to confirm: {shown}"
    );
    assert!(test.write_requests().is_empty(), "{:?}", test.write_requests());
    let confirmations = test.journaled("confirmation");
    assert!(
        !confirmations.is_empty()
            && confirmations
                .iter()
                .all(|event| event["answer"] == "refused" && event["how"] == "no_terminal"),
        "refused as if there were no terminal, never asked: {confirmations:?}"
    );
    let mut asked = test.terminal(&["run", "restart", "--env", "production"]);
    asked
        .exp_string(&format!("Type `{PRODUCTION}` to confirm"))
        .expect("without --no-input, the same run on the same terminal asks");
    asked.send_control('c').unwrap();
    assert_eq!(exit_code(&mut asked), Some(130));
    assert!(test.write_requests().is_empty(), "{:?}", test.write_requests());
}

#[test]
fn a_runbook_with_environments_needs_one() {
    let test = Test::new().sim(&[]);
    let output = run_against(&test, &["restart"]);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(2), "{stderr}");
    assert!(stderr.contains("error: `restart` runs against an environment"), "{stderr}");
    assert!(stderr.contains("`restart-staging`, `restart-production`"), "{stderr}");
    assert!(test.requests().is_empty());
}

#[test]
fn params_are_checked_before_the_first_step() {
    let test = Test::new().sim(&[]);
    let output = run_against(&test, &["restart-staging", "--yes", "-p", "process_type=clock"]);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(2), "{stderr}");
    assert!(stderr.contains("param `process_type` must be one of web, worker"), "{stderr}");
    let output = run_against(&test, &["restart-dyno-staging", "--yes"]);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(2), "{stderr}");
    assert!(stderr.contains("missing required param `dyno`"), "{stderr}");
    assert!(stderr.contains("-p dyno=VALUE"), "{stderr}");
    assert!(test.requests().is_empty());
}

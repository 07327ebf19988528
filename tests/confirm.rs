//! The confirmation policy off a terminal: fail closed, and no write reaches the server.

mod common;

use common::{PRODUCTION, STAGING, Sim, text};

fn run_against(sim: &Sim, arguments: &[&str]) -> std::process::Output {
    sim.run(&[&["run"], arguments].concat())
}

#[test]
fn off_a_terminal_without_yes_the_run_stops_before_the_restart() {
    let sim = Sim::start();
    let output = run_against(&sim, &["restart-staging"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(
        stderr
            .contains("step `Restart dynos` needs confirmation and there is no terminal to ask on"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: pass --yes"), "{stderr}");
    assert!(sim.write_requests().is_empty());
}

#[test]
fn yes_confirms_an_unprotected_environment() {
    let sim = Sim::start();
    let output = run_against(&sim, &["restart-staging", "--yes"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        sim.write_requests(),
        [format!("DELETE /apps/{STAGING}/dynos")]
    );
}

#[test]
fn yes_alone_does_not_pass_a_protected_environment() {
    let sim = Sim::start();
    let output = run_against(&sim, &["restart-production", "--yes"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("--yes is not enough for a protected environment"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("hint: pass --confirm {PRODUCTION}")),
        "{stderr}"
    );
    assert!(sim.write_requests().is_empty());
}

#[test]
fn a_wrong_confirm_name_is_refused_before_any_request() {
    let sim = Sim::start();
    let output = run_against(&sim, &["restart-production", "--yes", "--confirm", STAGING]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: --confirm names `{STAGING}` but this run affects `{PRODUCTION}`"
        )),
        "{stderr}"
    );
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

#[test]
fn no_input_never_prompts_even_with_the_env_form() {
    let sim = Sim::start();
    let output = run_against(&sim, &["restart", "--env", "production", "--no-input"]);
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    assert!(sim.write_requests().is_empty());
}

#[test]
fn a_runbook_with_environments_needs_one() {
    let sim = Sim::start();
    let output = run_against(&sim, &["restart"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: `restart` runs against an environment"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`restart-staging`, `restart-production`"),
        "{stderr}"
    );
    assert!(sim.requests().is_empty());
}

#[test]
fn params_are_checked_before_the_first_step() {
    let sim = Sim::start();
    let output = run_against(
        &sim,
        &["restart-staging", "--yes", "-p", "process_type=clock"],
    );
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("param `process_type` must be one of web, worker"),
        "{stderr}"
    );
    let output = run_against(&sim, &["restart-dyno-staging", "--yes"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("missing required param `dyno`"), "{stderr}");
    assert!(stderr.contains("-p dyno=VALUE"), "{stderr}");
    assert!(sim.requests().is_empty());
}

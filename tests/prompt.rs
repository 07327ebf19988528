//! Confirmation prompts in a pseudo-terminal: the operator sees what is affected and types the app name.

mod common;

use std::process::Command;

use common::{PRODUCTION, STAGING, Sim, binary, shipped_runbooks};
use rexpect::session::spawn_command;

fn interactive(
    sim: &Sim,
    home: &std::path::Path,
    arguments: &[&str],
) -> rexpect::session::PtySession {
    interactive_with(sim, home, arguments, true)
}

fn interactive_with(
    sim: &Sim,
    home: &std::path::Path,
    arguments: &[&str],
    no_color: bool,
) -> rexpect::session::PtySession {
    let mut command = Command::new(binary());
    if no_color {
        command.env("NO_COLOR", "1");
    } else {
        command.env_remove("NO_COLOR");
    }
    command
        .env_remove("CI")
        .env("HOME", home)
        .env("TERM", "xterm")
        .env("RUNBOOK_DIR", shipped_runbooks())
        .env("HEROKU_API_URL", &sim.url)
        .env("HEROKU_API_KEY", "test-key")
        .arg("run")
        .args(arguments);
    spawn_command(command, Some(20_000)).expect("spawn in a pseudo-terminal")
}

fn exit_code(session: &mut rexpect::session::PtySession) -> Option<i32> {
    match session.process().wait().expect("the process ends") {
        rexpect::process::WaitStatus::Exited(_, code) => Some(code),
        _ => None,
    }
}

#[test]
fn typing_the_app_name_proceeds() {
    let sim = Sim::start();
    let home = tempfile::tempdir().unwrap();
    let mut session = interactive(&sim, home.path(), &["restart-production"]);
    session
        .exp_string(&format!("Restart 3 dynos of {PRODUCTION}?"))
        .unwrap();
    session.exp_string(&format!("app: {PRODUCTION}")).unwrap();
    session
        .exp_string("dynos: 3 dynos: web.1 up, web.2 up, worker.1 up")
        .unwrap();
    session
        .exp_string(&format!("Type `{PRODUCTION}` to confirm"))
        .unwrap();
    session.send_line(PRODUCTION).unwrap();
    session.exp_string("finished").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(exit_code(&mut session), Some(0));
    assert_eq!(
        sim.write_requests(),
        [format!("DELETE /apps/{PRODUCTION}/dynos")]
    );
}

#[test]
fn typing_anything_else_aborts_with_exit_3() {
    let sim = Sim::start();
    let home = tempfile::tempdir().unwrap();
    let mut session = interactive(&sim, home.path(), &["restart-production"]);
    session
        .exp_string(&format!("Type `{PRODUCTION}` to confirm"))
        .unwrap();
    session.send_line(STAGING).unwrap();
    session.exp_string("not confirmed").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(exit_code(&mut session), Some(3));
    assert!(sim.write_requests().is_empty());
}

#[test]
fn an_unprotected_environment_asks_yes_or_no() {
    let sim = Sim::start();
    let home = tempfile::tempdir().unwrap();
    let mut session = interactive(&sim, home.path(), &["restart-staging"]);
    session
        .exp_string(&format!("Restart 3 dynos of {STAGING}?"))
        .unwrap();
    session.exp_string("Proceed?").unwrap();
    session.send_line("n").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(exit_code(&mut session), Some(3));
    assert!(sim.write_requests().is_empty());
}

/// Waits for the `--step` menu after `header`, then picks the item at `position`.
fn choose(session: &mut rexpect::session::PtySession, header: &str, position: usize) {
    session.exp_string(header).unwrap();
    session.exp_string("abort the run").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(100));
    for _ in 0..position {
        session.send("\x1b[B").unwrap();
    }
    session.send("\n").unwrap();
}

#[test]
fn step_mode_runs_skips_and_aborts_as_chosen() {
    let sim = Sim::start();
    let home = tempfile::tempdir().unwrap();
    let mut session = interactive(&sim, home.path(), &["restart-staging", "--step", "--yes"]);
    choose(&mut session, "Next: [1/4] Current dynos", 0);
    choose(&mut session, "Next: [2/4] Restart dynos", 1);
    session.exp_string("skipped at the --step prompt").unwrap();
    choose(&mut session, "Next: [3/4] Wait until every dyno is up", 3);
    session.exp_string("aborted").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(exit_code(&mut session), Some(3));
    assert_eq!(sim.requests(), [format!("GET /apps/{STAGING}/dynos")]);
}

#[test]
fn colour_on_a_terminal_and_none_with_no_color() {
    let sim = Sim::start();
    let home = tempfile::tempdir().unwrap();
    let mut coloured = interactive_with(&sim, home.path(), &["status-staging"], false);
    let before = coloured.exp_string("finished").unwrap();
    assert!(
        before.contains("\x1b[32m"),
        "green marks on a terminal: {before:?}"
    );
    coloured.exp_eof().unwrap();
    let mut plain = interactive(&sim, home.path(), &["status-staging"]);
    let before = plain.exp_string("finished").unwrap();
    assert!(
        before.contains("[3/3] Dynos") && !before.contains("\x1b[32m"),
        "no colour with NO_COLOR: {before:?}"
    );
    plain.exp_eof().unwrap();
}

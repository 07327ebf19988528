//! The interactive shell (`heroku run bash`): in a pseudo-terminal, over the simulator's
//! rendezvous service; keys reach the dyno, its output reaches the screen, its exit status counts.

mod common;

use std::process::Command;

use common::{Sim, binary, shipped_runbooks};
use rexpect::session::{PtySession, spawn_command};

fn shell(sim: &Sim, home: &std::path::Path, extra: &[&str]) -> PtySession {
    let mut command = Command::new(binary());
    command
        .env_remove("CI")
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("RUNBOOK_DIR", shipped_runbooks())
        .env("HEROKU_API_URL", &sim.url)
        .env("HEROKU_API_KEY", "test-key")
        .args(["run", "shell-staging", "--yes"])
        .args(extra);
    spawn_command(command, Some(20_000)).expect("spawn in a pseudo-terminal")
}

/// Types `keys` as a person would: the terminal is raw, so Enter is a carriage return.
fn type_keys(session: &mut PtySession, keys: &str) {
    session.send(keys).unwrap();
    session.flush().unwrap();
}

fn exit_code(session: &mut PtySession) -> Option<i32> {
    match session.process().wait().expect("the process ends") {
        rexpect::process::WaitStatus::Exited(_, code) => Some(code),
        _ => None,
    }
}

#[test]
fn the_shell_answers_what_is_typed_and_exits_cleanly() {
    let sim = Sim::start();
    let home = tempfile::tempdir().unwrap();
    let mut session = shell(&sim, home.path(), &[]);
    session.exp_string("~ $ ").unwrap();
    type_keys(&mut session, "echo hello from the dyno\r");
    session.exp_string("hello from the dyno").unwrap();
    session.exp_string("~ $ ").unwrap();
    type_keys(&mut session, "pwd\r");
    session.exp_string("/app").unwrap();
    type_keys(&mut session, "exit\r");
    session.exp_string("exited with status 0").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(exit_code(&mut session), Some(0));
    let created = sim.log();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["path"], "/apps/lazona-connector-staging/dynos");
}

#[test]
fn a_non_zero_exit_fails_the_step() {
    let sim = Sim::start();
    let home = tempfile::tempdir().unwrap();
    let mut session = shell(&sim, home.path(), &["-p", "command=python manage.py shell"]);
    session.exp_string(">>> ").unwrap();
    type_keys(&mut session, "print('hi')\r");
    session.exp_string("hi").unwrap();
    type_keys(&mut session, "exit 3\r");
    session.exp_string("exited with status 3").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(exit_code(&mut session), Some(1));
}

#[test]
fn a_dry_run_opens_no_dyno() {
    let sim = Sim::start();
    let home = tempfile::tempdir().unwrap();
    let output = sim
        .runbook(home.path())
        .args(["run", "shell-production", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        common::text(&output.stderr)
            .contains("would send: POST /apps/lazona-connector-production/dynos")
    );
    assert!(sim.write_requests().is_empty());
}

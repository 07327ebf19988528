//! The interactive shell (`heroku run bash`): in a pseudo-terminal, over the simulator's
//! rendezvous service; keys reach the dyno, its output reaches the screen, its exit status counts.

use rexpect::session::PtySession;

use crate::harness::{Test, exit_code};

fn shell(test: &Test, extra: &[&str]) -> PtySession {
    test.terminal(&[&["run", "shell-staging", "--yes"], extra].concat())
}

/// Types `keys` as a person would: the terminal is raw, so Enter is a carriage return.
fn type_keys(session: &mut PtySession, keys: &str) {
    session.send(keys).unwrap();
    session.flush().unwrap();
}

#[test]
fn the_shell_answers_what_is_typed_and_exits_cleanly() {
    let test = Test::new().sim(&[]);
    let mut session = shell(&test, &[]);
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
    let created = test.simulator().log();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["path"], "/apps/lazona-connector-staging/dynos");
}

#[test]
fn a_non_zero_exit_fails_the_step() {
    let test = Test::new().sim(&[]);
    let mut session = shell(&test, &["-p", "command=python manage.py shell"]);
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
    let test = Test::new().sim(&[]);
    let output = test.run(&["run", "shell-production", "--dry-run"]);
    assert_eq!(output.code, Some(0));
    assert!(output.stderr.contains("would send: POST /apps/lazona-connector-production/dynos"));
    assert!(test.write_requests().is_empty());
}

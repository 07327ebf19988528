//! Every way a run can end is a clean end: SIGTERM, SIGHUP (the terminal closed, an ssh session
//! dropped) and SIGQUIT are handled as Ctrl-C is: the `sh:` command's process group is killed and
//! reaped, `finally` runs, the journal records the run as interrupted by that signal, and
//! `--resume` never starts a step whose earlier command may still be running.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::harness::{Outcome, Test, wait_for};

/// A slow command that writes `started` and, if nobody stops it, `done`; `finally` writes
/// `cleaned`. `token` names the command, to look for it among the processes afterwards.
fn slow(log: &Path, token: &str) -> String {
    format!(
        r#"
description: A slow command, and its cleanup.
steps:
  - name: Slow
    sh: "echo started >> {log}; sleep 4; echo done {token} >> {log}"
finally:
  - name: Cleanup
    sh: "echo cleaned >> {log}"
"#,
        log = log.display()
    )
}

fn still_running(token: &str) -> bool {
    let output = Command::new("pgrep").args(["-f", token]).output().unwrap();
    !String::from_utf8_lossy(&output.stdout).trim().is_empty()
}

fn signal(pid: u32, signal: libc::c_int) {
    // SAFETY: a signal to a process this test started.
    unsafe {
        libc::kill(pid as libc::pid_t, signal);
    }
}

/// Starts the slow run, signals it once its command started, and checks the clean end.
fn ends_cleanly_on(signal_number: libc::c_int, name: &str) {
    let work = tempfile::tempdir().unwrap();
    let log = work.path().join("log");
    let token = format!("runbook-signal-{name}");
    let test = Test::new().file("slow.yaml", &slow(&log, &token)).sim(&[]);
    let child = test.spawn(&["run", "slow"]);
    wait_for("the command to start", || {
        std::fs::read_to_string(&log).is_ok_and(|text| text.contains("started"))
    });
    signal(child.id(), signal_number);
    let outcome = Outcome::of_child(child).code(130);
    std::thread::sleep(Duration::from_millis(4500));
    let written = std::fs::read_to_string(&log).unwrap();
    assert!(!written.contains("done"), "the command went on: {written}");
    assert!(
        written.contains("cleaned"),
        "finally did not run: {written}"
    );
    assert!(!still_running(&token), "the command is still running");
    let finished = test.journaled("run_finished");
    assert_eq!(finished[0]["status"], "interrupted", "{outcome:?}");
    assert_eq!(finished[0]["signal"], name);
    assert!(
        outcome.stderr.contains(&format!("interrupted ({name})")),
        "{}",
        outcome.stderr
    );
}

#[test]
fn sigterm_during_a_command_ends_the_run_cleanly() {
    ends_cleanly_on(libc::SIGTERM, "SIGTERM");
}

#[test]
fn sighup_during_a_command_ends_the_run_cleanly() {
    ends_cleanly_on(libc::SIGHUP, "SIGHUP");
}

#[test]
fn sigquit_during_a_command_ends_the_run_cleanly() {
    ends_cleanly_on(libc::SIGQUIT, "SIGQUIT");
}

/// A real hang-up: the run in a pseudo-terminal (made by `script`), whose terminal goes away when
/// `script` is killed, as when an ssh session drops. The kernel sends SIGHUP; the terminal reads
/// and writes fail from then on.
#[test]
fn a_terminal_that_goes_away_ends_the_run_cleanly() {
    let work = tempfile::tempdir().unwrap();
    let log = work.path().join("log");
    let token = "runbook-signal-terminal-gone";
    let test = Test::new().file("slow.yaml", &slow(&log, token)).sim(&[]);
    let runbook = crate::harness::binary();
    let mut command = test.command(&[]);
    let environment: Vec<(String, String)> = command
        .get_envs()
        .filter_map(|(name, value)| Some((name.to_str()?.into(), value?.to_str()?.into())))
        .collect();
    command = Command::new("script");
    command
        .env_clear()
        .envs(environment)
        .args([
            "-qefc",
            &format!("{} run slow", runbook.display()),
            "/dev/null",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut terminal = command.spawn().expect("script(1) is on the machine");
    wait_for("the command to start", || {
        std::fs::read_to_string(&log).is_ok_and(|text| text.contains("started"))
    });
    terminal.kill().unwrap();
    let _ = terminal.wait();
    wait_for("the run's end in the journal", || {
        !test.journaled("run_finished").is_empty()
    });
    std::thread::sleep(Duration::from_millis(4500));
    let written = std::fs::read_to_string(&log).unwrap();
    assert!(!written.contains("done"), "the command went on: {written}");
    assert!(
        written.contains("cleaned"),
        "finally did not run: {written}"
    );
    assert!(!still_running(token));
    let finished = test.journaled("run_finished");
    assert_eq!(finished[0]["status"], "interrupted");
    assert_eq!(finished[0]["signal"], "SIGHUP");
}

/// The run itself is killed outright (SIGKILL: nothing can be handled), its command left running
/// in its own process group. `--resume` sees that group alive and refuses to start the step a
/// second time beside it; once the group is gone, it runs the step again.
#[test]
fn resume_never_starts_a_step_whose_command_may_still_run() {
    let work = tempfile::tempdir().unwrap();
    let log = work.path().join("log");
    let runbook = format!(
        "description: A long command.\nsteps:\n  - name: Long\n    sh: \"echo started >> {log}; sleep 30\"\n",
        log = log.display()
    );
    let test = Test::new().file("long.yaml", &runbook).sim(&[]);
    let mut child = test.spawn(&["run", "long"]);
    wait_for("the command to start", || {
        std::fs::read_to_string(&log).is_ok_and(|text| text.contains("started"))
    });
    child.kill().unwrap();
    let _ = child.wait();
    let running = test.journaled("command_running");
    let group = running[0]["group"]["id"].as_i64().unwrap();
    let run_id = test.journaled("run_started")[0]["run_id"]
        .as_str()
        .unwrap()
        .to_string();

    test.run(&["run", "long", "--resume", &run_id])
        .code(3)
        .stderr_has("is still running")
        .stderr_has(&format!("process group {group}"));
    let starts = std::fs::read_to_string(&log)
        .unwrap()
        .matches("started")
        .count();
    assert_eq!(starts, 1, "a second copy was started beside the first");

    // SAFETY: the process group the killed run left behind.
    unsafe {
        libc::killpg(group as libc::pid_t, libc::SIGKILL);
    }
    std::thread::sleep(Duration::from_millis(300));
    let mut resumed = test.spawn(&["run", "long", "--resume", &run_id]);
    wait_for("the step to start again", || {
        std::fs::read_to_string(&log).is_ok_and(|text| text.matches("started").count() == 2)
    });
    signal(resumed.id(), libc::SIGTERM);
    assert_eq!(resumed.wait().unwrap().code(), Some(130));
}

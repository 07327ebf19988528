//! Local commands run in a process group of their own: a timeout or Ctrl-C kills the whole
//! group, and a retry never starts while the previous attempt still runs.

use std::time::{Duration, Instant};

use crate::harness::Test;

fn sleeper(marker: &std::path::Path, token: &str) -> String {
    format!(
        "description: A slow local command.\nsteps:\n  - name: Slow\n    sh: \"echo {token} >> {log}; (sleep 2; echo late >> {log}) & sleep 3; echo done >> {log}\"\n    timeout: 500ms\n    retry: {{ attempts: 2, delay: 10ms }}\n",
        log = marker.display()
    )
}

fn still_running(token: &str) -> bool {
    let output = std::process::Command::new("pgrep").args(["-f", token]).output().unwrap();
    !String::from_utf8_lossy(&output.stdout).trim().is_empty()
}

#[test]
fn a_timeout_kills_the_whole_group_before_the_retry() {
    let work = tempfile::tempdir().unwrap();
    let marker = work.path().join("log");
    let token = "runbook-test-token-timeout";
    let test = Test::new().file("slow.yaml", &sleeper(&marker, token)).sim(&[]);
    test.run(&["run", "slow"]).code(1).stderr_has("timed out");
    std::thread::sleep(Duration::from_millis(3500));
    let log = std::fs::read_to_string(&marker).unwrap_or_default();
    assert_eq!(
        log.lines().collect::<Vec<_>>(),
        [token, token],
        "two attempts, one after the other, neither left running"
    );
    assert!(!still_running(token));
}

#[test]
fn ctrl_c_kills_the_command_and_ends_the_run_as_interrupted() {
    let work = tempfile::tempdir().unwrap();
    let marker = work.path().join("log");
    let token = "runbook-test-token-interrupt";
    let runbook = format!(
        "description: A slow local command.\nsteps:\n  - name: Slow\n    sh: \"echo {token} >> {log}; sleep 5; echo done >> {log}\"\n",
        log = marker.display()
    );
    let test = Test::new().file("slow.yaml", &runbook).sim(&[]);
    let mut child = test
        .command(&["run", "slow"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !marker.exists() && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: a signal to the child this test started.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    std::thread::sleep(Duration::from_millis(5500));
    let log = std::fs::read_to_string(&marker).unwrap();
    assert!(!log.contains("done"), "the command went on: {log}");
    assert!(!still_running(token));
    let finished = test.journaled("run_finished");
    assert_eq!(finished[0]["status"], "interrupted");
}

#[test]
fn a_child_that_left_the_group_is_killed_before_the_retry() {
    let work = tempfile::tempdir().unwrap();
    let marker = work.path().join("log");
    let token = "runbook-test-token-setsid";
    let runbook = format!(
        "description: A command whose child leaves its group.\nsteps:\n  - name: Slow\n    sh: \"setsid sh -c 'sleep 2; echo {token} >> {log}' & sleep 30\"\n    timeout: 500ms\n    retry: {{ attempts: 2, delay: 10ms }}\n",
        log = marker.display()
    );
    let test = Test::new().file("escape.yaml", &runbook).sim(&[]);
    test.run(&["run", "escape"]).code(1);
    std::thread::sleep(Duration::from_millis(2500));
    assert!(!marker.exists(), "the child that left the group ran on");
    assert!(!still_running(token));
}

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
    assert!(written.contains("cleaned"), "finally did not run: {written}");
    assert!(!still_running(&token), "the command is still running");
    let finished = test.journaled("run_finished");
    assert_eq!(finished[0]["status"], "interrupted", "{outcome:?}");
    assert_eq!(finished[0]["signal"], name);
    assert!(outcome.stderr.contains(&format!("interrupted ({name})")), "{}", outcome.stderr);
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
        .args(["-qefc", &format!("{} run slow", runbook.display()), "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut terminal = command.spawn().expect("script(1) is on the machine");
    wait_for("the command to start", || {
        std::fs::read_to_string(&log).is_ok_and(|text| text.contains("started"))
    });
    terminal.kill().unwrap();
    let _ = terminal.wait();
    wait_for("the run's end in the journal", || !test.journaled("run_finished").is_empty());
    std::thread::sleep(Duration::from_millis(4500));
    let written = std::fs::read_to_string(&log).unwrap();
    assert!(!written.contains("done"), "the command went on: {written}");
    assert!(written.contains("cleaned"), "finally did not run: {written}");
    assert!(!still_running(token));
    let finished = test.journaled("run_finished");
    assert_eq!(finished[0]["status"], "interrupted");
    assert_eq!(finished[0]["signal"], "SIGHUP");
}

/// A run of `sh: "echo started >> LOG; sleep 30"` killed outright (SIGKILL: nothing can be
/// handled) once its command runs and its group is journaled: the command is left running.
struct KilledRun {
    test: Test,
    _work: tempfile::TempDir,
    log: std::path::PathBuf,
    /// The runbook's name, and what its command writes to the log as it starts.
    name: &'static str,
    marker: &'static str,
    group: i64,
    run_id: String,
}

impl KilledRun {
    /// `long`: one step whose command runs for 30 s.
    fn new() -> Self {
        Self::of(
            "long",
            "description: A long command.\nsteps:\n  - name: Long\n    sh: \"echo started >> LOG; sleep 30\"\n",
            "started",
        )
    }

    /// Runs `name` (its YAML `runbook`, whose command writes `marker` to `LOG` as it starts), and
    /// kills the run once its command runs.
    fn of(name: &'static str, runbook: &str, marker: &'static str) -> Self {
        let work = tempfile::tempdir().unwrap();
        let log = work.path().join("log");
        let runbook = runbook.replace("LOG", &log.display().to_string());
        let test = Test::new().file(&format!("{name}.yaml"), &runbook).sim(&[]);
        let mut child = test.spawn(&["run", name]);
        // Both: the command runs, and the run has journaled its process group (it may echo first).
        wait_for("the command to start and its group to be journaled", || {
            std::fs::read_to_string(&log).is_ok_and(|text| text.contains(marker))
                && !test.journaled("command_running").is_empty()
        });
        child.kill().unwrap();
        let _ = child.wait();
        let group = test.journaled("command_running")[0]["group"]["id"].as_i64().unwrap();
        let run_id = test.journaled("run_started")[0]["run_id"].as_str().unwrap().to_string();
        Self { test, _work: work, log, name, marker, group, run_id }
    }

    /// How many times the command started.
    fn starts(&self) -> usize {
        std::fs::read_to_string(&self.log).unwrap_or_default().matches(self.marker).count()
    }

    /// `--resume` while the command runs; it must start no second copy.
    fn resume_while_it_runs(&self) -> crate::harness::Outcome {
        let resumed = self.test.run(&["run", self.name, "--resume", &self.run_id]);
        assert_eq!(self.starts(), 1, "a second copy was started beside the first");
        resumed
    }

    /// `--resume` refuses while the command runs, and starts no second copy.
    fn resume_is_refused(&self) -> crate::harness::Outcome {
        self.resume_while_it_runs().code(3).stderr_has("is still running")
    }

    fn kill_the_command(&self) {
        // SAFETY: the process group the killed run left behind.
        unsafe {
            libc::killpg(self.group as libc::pid_t, libc::SIGKILL);
        }
    }
}

/// The run itself is killed outright, its command left running in its own process group.
/// `--resume` sees that group alive and refuses to start the step a second time beside it; once
/// the group is gone, it runs the step again.
#[test]
fn resume_never_starts_a_step_whose_command_may_still_run() {
    let killed = KilledRun::new();
    killed.resume_is_refused().stderr_has(&format!("process group {}", killed.group));
    killed.kill_the_command();
    std::thread::sleep(Duration::from_millis(300));
    let mut resumed = killed.test.spawn(&["run", "long", "--resume", &killed.run_id]);
    wait_for("the step to start again", || killed.starts() == 2);
    signal(resumed.id(), libc::SIGTERM);
    assert_eq!(resumed.wait().unwrap().code(), Some(130));
}

/// Signals `child` once its run has started (its journal holds `run_started`).
fn once_started(test: &Test, child: &std::process::Child, signal_number: libc::c_int) {
    wait_for("the run to start", || !test.journaled("run_started").is_empty());
    std::thread::sleep(Duration::from_millis(300));
    signal(child.id(), signal_number);
}

#[test]
fn a_signal_ends_a_script_outside_any_step_as_interrupted() {
    let script = "//! Busy outside any step.\nlet n = 0;\nloop { n += 1; }\n";
    let test = Test::new().file("busy.rhai", script).sim(&[]);
    let child = test.spawn(&["run", "busy"]);
    once_started(&test, &child, libc::SIGTERM);
    Outcome::of_child(child).code(130);
    assert_eq!(test.journaled("run_finished")[0]["status"], "interrupted");
    assert_eq!(test.journaled("run_finished")[0]["signal"], "SIGTERM");
}

#[test]
fn a_scripts_sleep_ends_at_a_signal_and_at_its_timeout() {
    let script = "//! Sleeps.\nstep(\"Sleep\", || sleep(100));\n";
    let test = Test::new()
        .file("sleepy.rhai", script)
        .file("bounded.rhai", "//! Sleeps past its timeout.\nstep(\"Sleep\", || with_timeout(\"1s\", || sleep(30)));\n")
        .file("bounded-yaml.yaml", "description: sleeps past its timeout\nsteps:\n  - name: Sleep\n    script: 'sleep(30); 1'\n    timeout: 1s\n")
        .sim(&[]);
    let started = std::time::Instant::now();
    let child = test.spawn(&["run", "sleepy"]);
    once_started(&test, &child, libc::SIGTERM);
    Outcome::of_child(child).code(130);
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    for name in ["bounded", "bounded-yaml"] {
        let started = std::time::Instant::now();
        test.run(&["run", name]).code(1).stderr_has("timed out after 1s");
        assert!(started.elapsed() < Duration::from_secs(10), "{name}: {:?}", started.elapsed());
    }
}

/// The run is killed in the instant between starting its command and recording the command's
/// process group (played here by taking that record out of the journal): what was recorded
/// before the command started (its mark) is enough for `--resume` to find it running.
#[test]
fn resume_finds_a_command_whose_group_was_never_recorded() {
    let killed = KilledRun::new();
    let journal = killed.test.state().join("journal.jsonl");
    let kept: String = std::fs::read_to_string(&journal)
        .unwrap()
        .lines()
        .filter(|line| !line.contains("\"command_running\""))
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::write(&journal, kept).unwrap();
    assert!(killed.test.journaled("command_running").is_empty());
    killed.resume_is_refused();
    killed.kill_the_command();
}

#[test]
fn resume_never_starts_a_finally_command_beside_its_survivor() {
    let killed = KilledRun::of(
        "cleanup",
        "description: a failure, then a long cleanup\nsteps:\n  - name: Fail\n    script: 'throw \"boom\"'\nfinally:\n  - name: Cleanup\n    sh: \"echo cleanup-start >> LOG; sleep 20\"\n",
        "cleanup-start",
    );
    killed.resume_while_it_runs().code(1).stderr_has("step `Cleanup` is still running");
    killed.kill_the_command();
}

#[test]
fn resume_finds_a_process_that_left_its_group() {
    let work = tempfile::tempdir().unwrap();
    let log = work.path().join("log");
    let token = "runbook-signal-escapee";
    let runbook = format!(
        "description: a command whose child leaves its group\nsteps:\n  - name: Escape\n    sh: \"echo started >> {log}; setsid sh -c 'sleep 30; echo {token}' & sleep 3\"\n",
        log = log.display()
    );
    let test = Test::new().file("escape.yaml", &runbook).sim(&[]);
    let mut child = test.spawn(&["run", "escape"]);
    wait_for("the command to start", || {
        std::fs::read_to_string(&log).is_ok_and(|text| text.contains("started"))
    });
    std::thread::sleep(Duration::from_millis(500));
    child.kill().unwrap();
    let _ = child.wait();
    std::thread::sleep(Duration::from_millis(3500));
    let earlier = test.journaled("run_started")[0]["run_id"].as_str().unwrap().to_string();
    test.run(&["run", "escape", "--resume", &earlier]).code(3).stderr_has("is still running");
    assert!(still_running(token), "the escapee was not found running");
    let _ = Command::new("pkill").args(["-f", token]).status();
}

#[test]
fn a_second_signal_kills_the_running_commands_before_exiting() {
    let work = tempfile::tempdir().unwrap();
    let log = work.path().join("log");
    let token = "runbook-signal-second";
    let runbook = format!(
        "description: a long cleanup\nsteps:\n  - name: Wait\n    sh: \"echo waiting >> {log}; sleep 30\"\nfinally:\n  - name: Cleanup\n    sh: \"echo cleanup >> {log}; sleep 40; echo {token}\"\n",
        log = log.display()
    );
    let test = Test::new().file("twice.yaml", &runbook).sim(&[]);
    let child = test.spawn(&["run", "twice"]);
    wait_for("the first command", || {
        std::fs::read_to_string(&log).is_ok_and(|text| text.contains("waiting"))
    });
    signal(child.id(), libc::SIGTERM);
    wait_for("the cleanup", || {
        std::fs::read_to_string(&log).is_ok_and(|text| text.contains("cleanup"))
    });
    signal(child.id(), libc::SIGTERM);
    Outcome::of_child(child).code(130);
    std::thread::sleep(Duration::from_millis(300));
    assert!(!still_running(token), "the cleanup's command was left running");
}

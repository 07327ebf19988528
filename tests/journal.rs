//! The journal: every run, step and confirmation recorded, read back by `runbook history`, whole
//! even when runs write at once, when a run fails, is refused, or is interrupted.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use common::{STAGING, Sim, binary, journal, runbook, runbooks_folder, text};
use serde_json::Value;

const WAITING: &str = r#"
description: Restart, wait, and always show the dynos at the end.
environments: [staging, production]
steps:
  - name: Restart dynos
    do: heroku.restart
    with: { app: "${app}" }
    confirm: "Restart ${app}?"
  - name: Wait until every dyno is up
    do: heroku.wait_dynos_up
    with: { app: "${app}", timeout: 5m }
  - name: Never reached
    do: heroku.app
    with: { app: "${app}" }
finally:
  - name: Dynos at the end
    do: heroku.dynos
    with: { app: "${app}" }
"#;

fn run_in(
    sim: &Sim,
    state: &Path,
    folder: Option<&Path>,
    arguments: &[&str],
) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    let mut command = sim.runbook(home.path());
    command.env("RUNBOOK_STATE_DIR", state);
    if let Some(folder) = folder {
        command.env("RUNBOOK_DIR", folder);
    }
    command.args(arguments).output().unwrap()
}

fn history_show(state: &Path, run_id: &str) -> String {
    let home = tempfile::tempdir().unwrap();
    let output = runbook(home.path())
        .env("RUNBOOK_STATE_DIR", state)
        .args(["history", "show", run_id])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    text(&output.stdout)
}

fn run_ids(state: &Path) -> Vec<String> {
    journal(state)
        .iter()
        .filter(|record| record["event"]["event"] == "run_started")
        .map(|record| record["run_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_successful_run_reads_back_step_by_step() {
    let sim = Sim::start();
    let state = tempfile::tempdir().unwrap();
    let output = run_in(
        &sim,
        state.path(),
        None,
        &["run", "restart-staging", "--yes"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let records = journal(state.path());
    let started = &records[0]["event"];
    assert_eq!(started["event"], "run_started");
    assert_eq!(started["runbook"], "restart");
    assert_eq!(started["environment"], "staging");
    assert_eq!(started["mode"], "live");
    assert_eq!(started["content_hash"].as_str().unwrap().len(), 64);
    let confirmation = records
        .iter()
        .find(|record| record["event"]["event"] == "confirmation")
        .unwrap();
    assert_eq!(
        (
            confirmation["event"]["answer"].as_str(),
            confirmation["event"]["how"].as_str()
        ),
        (Some("accepted"), Some("yes_flag"))
    );
    let restart = records
        .iter()
        .find(|record| {
            record["event"]["event"] == "step_finished"
                && record["event"]["name"] == "Restart dynos"
        })
        .unwrap();
    assert_eq!(
        restart["event"]["request_ids"].as_array().unwrap().len(),
        1,
        "the DELETE only: with --yes no prompt shows, so nothing is read for it"
    );
    let run_id = &run_ids(state.path())[0];
    let shown = history_show(state.path(), run_id);
    for expected in [
        "done     [1/4] Current dynos",
        "accepted \"Restart 3 dynos of lazona-connector-staging?\" by --yes",
        "done     [4/4] Dynos now",
        "status: succeeded",
    ] {
        assert!(shown.contains(expected), "`{expected}` in:\n{shown}");
    }
}

#[test]
fn a_failed_and_a_refused_run_are_recorded_with_their_reasons() {
    let sim = Sim::start();
    let state = tempfile::tempdir().unwrap();
    let failed = run_in(
        &sim,
        state.path(),
        None,
        &["run", "restart-dyno-staging", "-p", "dyno=web.9", "--yes"],
    );
    assert_eq!(failed.status.code(), Some(1));
    let refused = run_in(
        &sim,
        state.path(),
        None,
        &["run", "restart-production", "--yes"],
    );
    assert_eq!(refused.status.code(), Some(3));
    let ids = run_ids(state.path());
    let failed_story = history_show(state.path(), &ids[0]);
    assert!(
        failed_story.contains("error: no dyno named web.9"),
        "{failed_story}"
    );
    assert!(failed_story.contains("status: failed"), "{failed_story}");
    let refused_story = history_show(state.path(), &ids[1]);
    assert!(
        refused_story.contains(
            "refused \"Restart 3 dynos of lazona-connector-production?\" (no terminal to ask on)"
        ),
        "{refused_story}"
    );
    assert!(
        refused_story.contains("not_confirmed [2/4] Restart dynos"),
        "{refused_story}"
    );
    assert!(
        refused_story.contains("status: not_confirmed"),
        "{refused_story}"
    );
    let home = tempfile::tempdir().unwrap();
    let listed = runbook(home.path())
        .env("RUNBOOK_STATE_DIR", state.path())
        .args(["history", "--status", "not_confirmed", "--output", "json"])
        .output()
        .unwrap();
    let lines: Vec<Value> = text(&listed.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["run_id"], ids[1]);
}

#[test]
fn an_interrupted_run_stops_cleanly_runs_finally_and_exits_130() {
    let sim = Sim::start_with(&["--boot-delay", "10m"]);
    let state = tempfile::tempdir().unwrap();
    let folder = runbooks_folder(&[("waiting.yaml", WAITING)]);
    let home = tempfile::tempdir().unwrap();
    let mut child = Command::new(binary())
        .env_clear()
        .env("HOME", home.path())
        .env("RUNBOOK_STATE_DIR", state.path())
        .env("RUNBOOK_DIR", folder.path())
        .env("HEROKU_API_URL", &sim.url)
        .env("HEROKU_API_KEY", "test-key")
        .args(["--output", "json", "run", "waiting-staging", "--yes"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        let event: Value = serde_json::from_str(&line.unwrap()).unwrap();
        if event["event"] == "step_progress" {
            break;
        }
    }
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: sends SIGINT to the child this test spawned and still owns.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let rest: Vec<Value> = lines
        .map(|line| serde_json::from_str(&line.unwrap()).unwrap())
        .collect();
    assert_eq!(child.wait().unwrap().code(), Some(130));
    let finished = rest
        .iter()
        .find(|event| event["event"] == "run_finished")
        .unwrap();
    assert_eq!(finished["status"], "interrupted");
    let story = history_show(state.path(), &run_ids(state.path())[0]);
    assert!(
        story.contains("interrupted [2/3] Wait until every dyno is up"),
        "{story}"
    );
    assert!(
        story.contains("done     [finally 1/1] Dynos at the end"),
        "{story}"
    );
    assert!(!story.contains("Never reached"), "{story}");
    assert!(story.contains("status: interrupted"), "{story}");
    assert_eq!(
        sim.write_requests(),
        [format!("DELETE /apps/{STAGING}/dynos")]
    );
}

#[test]
fn runs_writing_at_once_lose_nothing() {
    let sim = Sim::start();
    let state = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..6)
        .map(|_| {
            let home = tempfile::tempdir().unwrap();
            let child = Command::new(binary())
                .env_clear()
                .env("HOME", home.path())
                .env("RUNBOOK_STATE_DIR", state.path())
                .env("RUNBOOK_DIR", common::shipped_runbooks())
                .env("HEROKU_API_URL", &sim.url)
                .env("HEROKU_API_KEY", "test-key")
                .args(["run", "status-staging"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            (home, child)
        })
        .collect();
    for (_home, mut child) in children {
        assert_eq!(child.wait().unwrap().code(), Some(0));
    }
    let records = journal(state.path());
    let ids = run_ids(state.path());
    assert_eq!(ids.len(), 6);
    for id in &ids {
        let kinds: Vec<&str> = records
            .iter()
            .filter(|record| record["run_id"] == id.as_str())
            .map(|record| record["event"]["event"].as_str().unwrap())
            .collect();
        assert_eq!(kinds.first(), Some(&"run_started"));
        assert_eq!(kinds.last(), Some(&"run_finished"));
        assert_eq!(
            kinds
                .iter()
                .filter(|kind| **kind == "step_finished")
                .count(),
            3,
            "{id}: {kinds:?}"
        );
    }
}

#[test]
fn a_torn_last_line_is_skipped_on_read() {
    let sim = Sim::start();
    let state = tempfile::tempdir().unwrap();
    let output = run_in(&sim, state.path(), None, &["run", "status-staging"]);
    assert_eq!(output.status.code(), Some(0));
    let path = state.path().join("journal.jsonl");
    let mut text_so_far = std::fs::read_to_string(&path).unwrap();
    text_so_far.push_str("{\"run_id\":\"20261126-000000-torn\",\"time\":\"2026-11-");
    std::fs::write(&path, text_so_far).unwrap();
    let home = tempfile::tempdir().unwrap();
    let listed = runbook(home.path())
        .env("RUNBOOK_STATE_DIR", state.path())
        .arg("history")
        .output()
        .unwrap();
    assert_eq!(listed.status.code(), Some(0), "{}", text(&listed.stderr));
    let stdout = text(&listed.stdout);
    assert!(
        stdout.contains("status-staging") && stdout.contains("succeeded"),
        "{stdout}"
    );
    assert!(!stdout.contains("torn"), "{stdout}");
}

#[test]
fn a_bug_ends_with_a_short_report_exit_101_and_the_run_recorded_as_crashed() {
    let sim = Sim::start();
    let state = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let output = sim
        .runbook(home.path())
        .env("RUNBOOK_STATE_DIR", state.path())
        .env("RUNBOOK_DEBUG_PANIC", "Wait until every dyno is up")
        .args(["run", "restart-staging", "--yes"])
        .output()
        .unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(101), "{stderr}");
    assert!(
        stderr.contains("runbook crashed: this is a bug in runbook"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("RUST_BACKTRACE"),
        "no raw panic text:\n{stderr}"
    );
    let run_id = &run_ids(state.path())[0];
    assert!(
        stderr.contains(&format!("runbook history show {run_id}")),
        "{stderr}"
    );
    let records = journal(state.path());
    let last = &records.last().unwrap()["event"];
    assert_eq!(
        (last["event"].as_str(), last["status"].as_str()),
        (Some("run_finished"), Some("crashed"))
    );
    let shown = history_show(state.path(), run_id);
    for expected in ["done     [2/4] Restart dynos", "status: crashed"] {
        assert!(shown.contains(expected), "`{expected}` in:\n{shown}");
    }
    assert_eq!(
        sim.write_requests(),
        [format!("DELETE /apps/{STAGING}/dynos")]
    );
}

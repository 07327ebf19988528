//! The journal: every run, step and confirmation recorded, read back by `runbook history`, whole
//! even when runs write at once, when a run fails, is refused, or is interrupted.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use serde_json::Value;

use crate::harness::{STAGING, Test};

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

fn history_show(test: &Test, run_id: &str) -> String {
    let output = test.run(&["history", "show", run_id]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    output.stdout
}

fn run_ids(test: &Test) -> Vec<String> {
    test.journal_strict()
        .iter()
        .filter(|record| record["event"]["event"] == "run_started")
        .map(|record| record["run_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_successful_run_reads_back_step_by_step() {
    let test = Test::new().sim(&[]);
    let output = test.run(&["run", "restart-staging", "--yes"]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    let records = test.journal_strict();
    let started = &records[0]["event"];
    assert_eq!(started["event"], "run_started");
    assert_eq!(started["runbook"], "restart");
    assert_eq!(started["environment"], "staging");
    assert_eq!(started["mode"], "live");
    assert_eq!(started["content_hash"].as_str().unwrap().len(), 64);
    let confirmation =
        records.iter().find(|record| record["event"]["event"] == "confirmation").unwrap();
    assert_eq!(
        (confirmation["event"]["answer"].as_str(), confirmation["event"]["how"].as_str()),
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
    let run_id = &run_ids(&test)[0];
    let shown = history_show(&test, run_id);
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
    let test = Test::new().sim(&[]);
    let failed = test.run(&["run", "restart-dyno-staging", "-p", "dyno=web.9", "--yes"]);
    assert_eq!(failed.code, Some(1));
    let refused = test.run(&["run", "restart-production", "--yes"]);
    assert_eq!(refused.code, Some(3));
    let ids = run_ids(&test);
    let failed_story = history_show(&test, &ids[0]);
    assert!(failed_story.contains("error: no dyno named web.9"), "{failed_story}");
    assert!(failed_story.contains("status: failed"), "{failed_story}");
    let refused_story = history_show(&test, &ids[1]);
    assert!(
        refused_story
            .contains("refused \"Restart 3 dynos of lazona-connector-production?\" by --yes"),
        "{refused_story}"
    );
    assert!(refused_story.contains("not_confirmed [2/4] Restart dynos"), "{refused_story}");
    assert!(refused_story.contains("status: not_confirmed"), "{refused_story}");
    let listed = test.run(&["history", "--status", "not_confirmed", "--output", "json"]);
    let lines: Vec<Value> =
        listed.stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["run_id"], ids[1]);
}

#[test]
fn an_interrupted_run_stops_cleanly_runs_finally_and_exits_130() {
    let test = Test::new().file("waiting.yaml", WAITING).sim(&["--boot-delay", "10m"]);
    let mut child = test
        .command(&["--output", "json", "run", "waiting-staging", "--yes"])
        .stdin(Stdio::null())
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
    let rest: Vec<Value> =
        lines.map(|line| serde_json::from_str(&line.unwrap()).unwrap()).collect();
    assert_eq!(child.wait().unwrap().code(), Some(130));
    let finished = rest.iter().find(|event| event["event"] == "run_finished").unwrap();
    assert_eq!(finished["status"], "interrupted");
    let story = history_show(&test, &run_ids(&test)[0]);
    assert!(story.contains("interrupted [2/3] Wait until every dyno is up"), "{story}");
    assert!(story.contains("done     [finally 1/1] Dynos at the end"), "{story}");
    assert!(!story.contains("Never reached"), "{story}");
    assert!(story.contains("status: interrupted"), "{story}");
    assert_eq!(test.write_requests(), [format!("DELETE /apps/{STAGING}/dynos")]);
}

#[test]
fn runs_writing_at_once_lose_nothing() {
    let test = Test::new().sim(&[]);
    let children: Vec<_> = (0..6)
        .map(|_| {
            test.command(&["run", "status-staging"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert_eq!(child.wait().unwrap().code(), Some(0));
    }
    let records = test.journal_strict();
    let ids = run_ids(&test);
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
            kinds.iter().filter(|kind| **kind == "step_finished").count(),
            3,
            "{id}: {kinds:?}"
        );
    }
}

#[test]
fn a_torn_last_line_is_skipped_on_read() {
    let test = Test::new().sim(&[]);
    let output = test.run(&["run", "status-staging"]);
    assert_eq!(output.code, Some(0));
    let path = test.state().join("journal.jsonl");
    let mut text_so_far = std::fs::read_to_string(&path).unwrap();
    text_so_far.push_str("{\"run_id\":\"20261126-000000-torn\",\"time\":\"2026-11-");
    std::fs::write(&path, text_so_far).unwrap();
    let listed = test.run(&["history"]);
    assert_eq!(listed.code, Some(0), "{}", listed.stderr);
    let stdout = &listed.stdout;
    assert!(stdout.contains("status-staging") && stdout.contains("succeeded"), "{stdout}");
    assert!(!stdout.contains("torn"), "{stdout}");
}

#[test]
fn a_bug_ends_with_a_short_report_exit_101_and_the_run_recorded_as_crashed() {
    let test = Test::new().sim(&[]).env("RUNBOOK_DEBUG_PANIC", "Wait until every dyno is up");
    let output = test.run(&["run", "restart-staging", "--yes"]);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(101), "{stderr}");
    assert!(stderr.contains("runbook crashed: this is a bug in runbook"), "{stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "no raw panic text:\n{stderr}");
    let run_id = &run_ids(&test)[0];
    assert!(stderr.contains(&format!("runbook history show {run_id}")), "{stderr}");
    let records = test.journal_strict();
    let last = &records.last().unwrap()["event"];
    assert_eq!(
        (last["event"].as_str(), last["status"].as_str()),
        (Some("run_finished"), Some("crashed"))
    );
    let shown = history_show(&test, run_id);
    for expected in ["done     [2/4] Restart dynos", "status: crashed"] {
        assert!(shown.contains(expected), "`{expected}` in:\n{shown}");
    }
    assert_eq!(test.write_requests(), [format!("DELETE /apps/{STAGING}/dynos")]);
}

/// A journal written before the run record moved to the journal layer (`tests/fixtures/journal/`,
/// written on 2026-12-06 by rehearsals of restart, a dry-run, a note, a log read and a failed
/// deploy) is read by this version as it was written.
#[test]
fn a_journal_written_earlier_is_read_as_it_was_written() {
    let test = Test::new().sim(&[]);
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/journal/written-2026-12-06.jsonl");
    std::fs::copy(&fixture, test.state().join("journal.jsonl")).unwrap();
    let runs = test.run(&["--output", "json", "history"]).code(0).events();
    let listed: Vec<(&str, &str)> = runs
        .iter()
        .map(|run| (run["run_id"].as_str().unwrap(), run["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        listed,
        [
            ("20261206-064541-47bd14", "failed"),
            ("20261206-064541-cf2057", "succeeded"),
            ("20261206-064541-b35cd1", "succeeded"),
            ("20261206-064539-2cdf11", "succeeded"),
        ]
    );
    let written: Vec<Value> = std::fs::read_to_string(&fixture)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .filter(|record: &Value| record["run_id"] == "20261206-064539-2cdf11")
        .collect();
    let shown =
        test.run(&["--output", "json", "history", "show", "20261206-064539"]).code(0).events();
    assert_eq!(shown, written, "every record read back as it was written");
    let report = test.run(&["report", "20261206-064541-b35cd1"]).code(0);
    assert!(report.stdout.contains("restart-production"), "{}", report.stdout);
}

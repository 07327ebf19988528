//! The journal: one bad line (torn, not UTF-8, not JSON) never hides another record, and a record
//! appended after a torn tail starts on a line of its own.

use std::io::Write;

use crate::harness::Test;

#[test]
fn bad_lines_hide_no_later_run_from_history_or_resume() {
    let test = Test::new().sim(&["--fault", "PATCH /apps/{app}/formation 500"]);
    test.run(&["run", "status-staging"]).code(0);
    {
        let mut journal = std::fs::OpenOptions::new()
            .append(true)
            .open(test.state().join("journal.jsonl"))
            .unwrap();
        journal.write_all(b"{\"torn\": \n").unwrap();
        journal.write_all(b"\xff\xfe not utf-8 at all\n").unwrap();
        journal.write_all(b"not json\n").unwrap();
    }
    test.run(&["run", "scale-staging", "-p", "quantity=2", "--yes"]).code(1);
    let later =
        test.journaled("run_started").last().unwrap()["run_id"].as_str().unwrap().to_string();
    let history = test.run(&["history"]).code(0);
    assert!(history.stdout.contains("status-staging"), "{}", history.stdout);
    assert!(history.stdout.contains(&later), "{}", history.stdout);
    test.run(&["history", "show", &later]).code(0).stdout_has("scale-staging");
    test.run(&["run", "scale-staging", "-p", "quantity=2", "--yes", "--resume", &later])
        .code(3)
        .stderr_has(&format!("in run {later}"));
}

#[test]
fn an_append_after_a_torn_tail_starts_on_a_new_line() {
    let test = Test::new().sim(&[]);
    test.run(&["run", "status-staging"]).code(0);
    {
        let mut journal = std::fs::OpenOptions::new()
            .append(true)
            .open(test.state().join("journal.jsonl"))
            .unwrap();
        journal.write_all(b"{\"run_id\": \"torn-by-a-crash").unwrap();
    }
    test.run(&["run", "status-staging"]).code(0);
    let text = test.journal_text();
    let torn = text.lines().find(|line| line.contains("torn-by-a-crash")).unwrap();
    assert_eq!(torn, "{\"run_id\": \"torn-by-a-crash", "the torn line stays alone");
    assert_eq!(test.journaled("run_started").len(), 2);
    assert_eq!(test.journaled("run_finished").len(), 2);
}

#[test]
fn history_names_the_target_the_api_and_the_params() {
    let test = Test::new().sim(&[]);
    test.run(&["run", "scale-staging", "-p", "quantity=2", "--yes"]).code(0);
    let run_id = test.journaled("run_started")[0]["run_id"].as_str().unwrap().to_string();
    let url = test.simulator().url.clone();
    test.run(&["history"]).code(0).stdout_has(&url);
    test.run(&["history", "show", &run_id])
        .code(0)
        .stdout_has(&format!("api {url}"))
        .stdout_has("quantity=2")
        .stdout_has("answered PATCH");
}

#[test]
fn every_record_a_run_writes_reads_back_as_an_event() {
    let test = Test::new().sim(&["--fault", "PATCH /apps/{app}/formation 500"]);
    test.run(&["run", "restart-staging", "--yes"]).code(0);
    test.run(&["run", "restart-production", "--yes"]).code(3);
    test.run(&["run", "scale-staging", "-p", "quantity=2", "--yes"]).code(1);
    test.run(&["run", "rollback-staging", "--dry-run"]).code(0);
    let lines = test.journal_text().lines().count();
    let read_back: usize = test
        .journaled("run_started")
        .iter()
        .map(|started| {
            let run_id = started["run_id"].as_str().unwrap();
            test.run(&["--output", "json", "history", "show", run_id])
                .code(0)
                .stdout
                .lines()
                .count()
        })
        .sum();
    assert_eq!(read_back, lines, "a record the reader could not read back");
}

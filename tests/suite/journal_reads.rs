//! The journal read in part (`history` from its end, one run and a period found by time) gives
//! what reading it whole gave: every record of a run, even of runs that wrote at once, of a record
//! appended out of time order, past torn and foreign lines, of a run that never finished; a prefix
//! that names two runs is said to be ambiguous.

use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::harness::Test;

/// Seconds between two synthetic runs.
const SPACING: u64 = 300;

/// A journal of `count` copies of one real run, `SPACING` apart and ending now; their ids.
struct Synthetic {
    ids: Vec<String>,
    /// How many lines one run has.
    lines_per_run: usize,
}

fn id_at(time: SystemTime, index: usize) -> String {
    let stamp = humantime::format_rfc3339_seconds(time).to_string();
    let digits: String = stamp.chars().filter(char::is_ascii_digit).collect();
    format!("{}-{}-{index:06x}", &digits[..8], &digits[8..14])
}

/// The run's lines with `id` for `template` and times from `start` on, a millisecond apart.
fn copy_of(template: &[String], template_id: &str, id: &str, start: SystemTime) -> Vec<String> {
    template
        .iter()
        .enumerate()
        .map(|(position, line)| {
            let mut record: Value = serde_json::from_str(&line.replace(template_id, id)).unwrap();
            let time = start + Duration::from_millis(position as u64);
            record["time"] = humantime::format_rfc3339_millis(time).to_string().into();
            record.to_string()
        })
        .collect()
}

/// Runs `restart-staging` once, then writes a journal of `count` copies of it; `edit` may change
/// the lines of copy `index` before they are written.
fn synthetic(test: &Test, count: usize, edit: impl Fn(usize, &mut Vec<String>)) -> Synthetic {
    test.run(&["run", "restart-staging", "--yes"]).code(0);
    let template: Vec<String> = test.journal_text().lines().map(str::to_string).collect();
    let template_id = test.journaled("run_started")[0]["run_id"].as_str().unwrap().to_string();
    let first = SystemTime::now() - Duration::from_secs(SPACING * count as u64);
    let mut ids = Vec::new();
    let mut text = String::new();
    for index in 0..count {
        let start = first + Duration::from_secs(SPACING * index as u64);
        let id = id_at(start, index);
        let mut lines = copy_of(&template, &template_id, &id, start);
        edit(index, &mut lines);
        for line in lines {
            text.push_str(&line);
            text.push('\n');
        }
        ids.push(id);
    }
    std::fs::write(test.state().join("journal.jsonl"), text).unwrap();
    Synthetic { ids, lines_per_run: template.len() }
}

fn shown_records(test: &Test, id: &str) -> Vec<Value> {
    test.run(&["--output", "json", "history", "show", id]).code(0).events()
}

#[test]
fn history_lists_the_newest_runs_first_with_how_each_ended() {
    let test = Test::new().sim(&[]);
    let journal = synthetic(&test, 3000, |index, lines| {
        if index == 40 {
            let last = lines.len() - 1;
            lines[last] = lines[last].replace("\"succeeded\"", "\"failed\"");
        }
    });
    let listed = test.run(&["--output", "json", "history"]).code(0).events();
    let listed: Vec<&str> = listed.iter().map(|run| run["run_id"].as_str().unwrap()).collect();
    let newest: Vec<&str> = journal.ids.iter().rev().take(20).map(String::as_str).collect();
    assert_eq!(listed, newest);
    let failed = test.run(&["--output", "json", "history", "--status", "failed"]).code(0).events();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["run_id"], journal.ids[40].as_str());
    assert_eq!(failed[0]["status"], "failed");
}

#[test]
fn one_run_is_read_whole_wherever_it_stands() {
    let test = Test::new().sim(&[]);
    let journal = synthetic(&test, 3000, |_, _| {});
    for index in [0, 1, 1500, 2998, 2999] {
        let records = shown_records(&test, &journal.ids[index]);
        assert_eq!(records.len(), journal.lines_per_run, "run {index}");
        assert!(records.iter().all(|record| record["run_id"] == journal.ids[index].as_str()));
    }
    test.run(&["history", "show", "20010101-000000"])
        .code(2)
        .stderr_has("no run `20010101-000000`");
    test.run(&["history", "show", "not-an-id"]).code(2).stderr_has("no run `not-an-id`");
}

#[test]
fn runs_that_wrote_at_once_out_of_order_and_past_torn_lines_are_read_whole() {
    let test = Test::new().sim(&[]);
    let journal = synthetic(&test, 400, |index, lines| {
        if index == 200 {
            // A torn line, a line that is not UTF-8 and a foreign line among its records.
            lines.insert(3, "{\"run_id\":\"20".into());
            lines.insert(5, String::from_utf8_lossy(&[0xff, 0xfe, b'{']).into_owned());
            lines.insert(7, "not json at all".into());
        }
    });
    // Run 300's records interleave with run 301's, and its last record lands after run 302
    // started: out of time order by nearly ten minutes.
    let mut text = std::fs::read_to_string(test.state().join("journal.jsonl")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let per_run = journal.lines_per_run;
    let first_line_of = |index: usize| {
        lines.iter().position(|line| line.contains(journal.ids[index].as_str())).unwrap()
    };
    let (start_300, start_301) = (first_line_of(300), first_line_of(301));
    let mut reordered: Vec<&str> = lines[..start_300].to_vec();
    for offset in 0..per_run - 1 {
        reordered.push(lines[start_300 + offset]);
        reordered.push(lines[start_301 + offset]);
    }
    reordered.push(lines[start_301 + per_run - 1]);
    reordered.extend(&lines[start_301 + per_run..start_301 + 2 * per_run + 3]);
    reordered.push(lines[start_300 + per_run - 1]);
    reordered.extend(&lines[start_301 + 2 * per_run + 3..]);
    text = reordered.join("\n") + "\n";
    std::fs::write(test.state().join("journal.jsonl"), text).unwrap();

    for index in [200, 300, 301, 302] {
        let records = shown_records(&test, &journal.ids[index]);
        assert_eq!(records.len(), per_run, "run {index}: {records:?}");
        let last = &records[records.len() - 1];
        assert_eq!(last["event"]["event"], "run_finished", "run {index}");
    }
}

#[test]
fn a_run_that_never_finished_is_read_to_the_journals_end() {
    let test = Test::new().sim(&[]);
    let journal = synthetic(&test, 1000, |index, lines| {
        if index == 100 {
            lines.pop();
        }
    });
    let records = shown_records(&test, &journal.ids[100]);
    assert_eq!(records.len(), journal.lines_per_run - 1);
    test.run(&["history", "show", &journal.ids[100]]).code(0).stdout_has("status: unfinished");
}

#[test]
fn a_prefix_of_two_runs_is_ambiguous_and_a_longer_one_is_not() {
    let test = Test::new().sim(&[]);
    let journal = synthetic(&test, 50, |_, _| {});
    // Two runs started within the same hour: their ids share the prefix up to the hour.
    let first = &journal.ids[48];
    let second = &journal.ids[49];
    let common: String = first
        .chars()
        .zip(second.chars())
        .take_while(|(one, other)| one == other)
        .map(|(one, _)| one)
        .collect();
    test.run(&["history", "show", &common]).code(2).stderr_has("runs; give more of the id");
    assert_eq!(shown_records(&test, second).len(), journal.lines_per_run);
}

#[test]
fn a_report_of_a_period_holds_only_the_runs_of_that_period() {
    let test = Test::new().sim(&[]);
    let journal = synthetic(&test, 3000, |_, _| {});
    let report = test.run(&["--output", "json", "report", "--since", "1h"]).code(0);
    let report: Value = serde_json::from_str(&report.stdout).unwrap();
    let text = report.to_string();
    let inside = journal.ids.iter().filter(|id| text.contains(id.as_str())).count();
    // One run every five minutes: eleven or twelve of them started in the last hour.
    assert!((11..=13).contains(&inside), "{inside} runs in the report");
    assert!(!text.contains(journal.ids[2980].as_str()));
    assert!(text.contains(journal.ids[2999].as_str()));
}

#[test]
fn resume_finds_an_old_run_in_a_long_journal() {
    let test = Test::new().sim(&[]);
    let journal = synthetic(&test, 3000, |_, _| {});
    test.run(&["run", "restart-staging", "--resume", &journal.ids[10]])
        .code(2)
        .stderr_has(&format!("run {} succeeded", journal.ids[10]));
}

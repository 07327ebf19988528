//! The incident record: notes in the journal, and `runbook report` of a scripted incident
//! (troubleshoot, note, restart, note, troubleshoot) compared with a reviewed Markdown, times,
//! run ids and request ids aside.

use crate::harness::{PRODUCTION, Test};

const EXPECTED: &str = "tests/fixtures/report/incident.md";

/// The report with what changes from run to run replaced by words.
fn normalised(report: &str, simulator: &str) -> String {
    let times = regex::Regex::new(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}").unwrap();
    let runs = regex::Regex::new(r"\d{8}-\d{6}-[0-9a-f]{6}").unwrap();
    let ids =
        regex::Regex::new(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").unwrap();
    let text = report.replace(simulator, "SIMULATOR");
    let text = times.replace_all(&text, "TIME");
    let text = runs.replace_all(&text, "RUN");
    ids.replace_all(&text, "ID").into_owned()
}

fn scripted_incident(test: &Test) {
    test.run(&["run", "troubleshoot-production"]).code(0);
    test.run(&["note", "--app", PRODUCTION, "web", "crashed", "at", "boot;", "restarting"])
        .code(0)
        .stdout_has("noted at ");
    test.run(&["run", "restart-production", "--confirm", PRODUCTION]).code(0);
    test.run(&["note", "web back up after restart"]).code(0);
    test.run(&["run", "troubleshoot-production"]).code(0);
}

#[test]
fn the_report_of_a_scripted_incident_reads_as_reviewed() {
    let test = Test::new().sim(&["--scenario", "crashed-web"]).env("USER", "ops");
    scripted_incident(&test);
    let report = test.run(&["report", "--since", "1h"]).code(0);
    let shown = normalised(&report.stdout, &test.simulator().url);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(EXPECTED);
    if std::env::var_os("RUNBOOK_UPDATE_EXPECTED").is_some() {
        std::fs::write(&path, &shown).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_eq!(shown, expected, "the report changed; review it, then RUNBOOK_UPDATE_EXPECTED=1");
}

#[test]
fn one_run_or_one_app_or_json() {
    let test = Test::new().sim(&["--scenario", "crashed-web"]);
    scripted_incident(&test);
    test.run(&["run", "status-staging"]).code(0);
    let restart = test
        .journaled("run_started")
        .into_iter()
        .find(|started| started["runbook"] == "restart")
        .unwrap();
    let run_id = restart["run_id"].as_str().unwrap();
    let one = test.run(&["report", run_id]).code(0);
    assert!(one.stdout.contains("ran `restart-production`"), "{}", one.stdout);
    assert!(!one.stdout.contains("troubleshoot"), "only that run: {}", one.stdout);
    assert!(one.stdout.contains("by --confirm"), "{}", one.stdout);
    let request_ids: Vec<String> = test
        .journaled("write_answered")
        .iter()
        .filter_map(|answer| answer["request_id"].as_str().map(String::from))
        .collect();
    assert!(one.stdout.contains(&request_ids[0]), "{}", one.stdout);

    let production = test.run(&["report", "--since", "1h", "--app", PRODUCTION]).code(0);
    assert!(!production.stdout.contains("status-staging"), "{}", production.stdout);
    let everything = test.run(&["report", "--since", "1h"]).code(0);
    assert!(everything.stdout.contains("status-staging"), "{}", everything.stdout);

    let json = test.run(&["report", "--since", "1h", "--output", "json"]).code(0);
    let report: serde_json::Value = serde_json::from_str(json.stdout.trim()).unwrap();
    let kinds: Vec<&str> = report["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|kind| **kind == "note").count(), 2);
    assert_eq!(kinds.iter().filter(|kind| **kind == "write").count(), 1);
    assert_eq!(report["runs"], 4);
    assert!(report["dashboards"].as_array().unwrap().len() >= 3, "{report}");

    test.run(&["report"]).code(2).stderr_has("--since 2h");
    test.run(&["note"]).code(2);
}

#[test]
fn without_a_token_the_report_says_why_it_has_no_dashboards() {
    let test = Test::new();
    test.run(&["run", "restart-staging", "--sim", "--yes"]).code(0);
    let report = test.run(&["report", "--since", "10m"]).code(0);
    assert!(report.stdout.contains("(rehearsal on the simulator)"), "{}", report.stdout);
    assert!(report.stdout.contains("Not read: no Heroku token"), "{}", report.stdout);
}

#[test]
fn a_report_survives_odd_notes_long_periods_and_an_unknown_app() {
    let shipped = crate::harness::shipped_runbooks();
    let environments = std::fs::read_to_string(shipped.join("environments.yaml")).unwrap()
        + "legacy: { app: some-other-app }\n";
    let copy = |name: &str| std::fs::read_to_string(shipped.join(name)).unwrap();
    let test = Test::new()
        .file("environments.yaml", &environments)
        .file("restart.yaml", &copy("restart.yaml"))
        .file("status.yaml", &copy("status.yaml"))
        .sim_from(&shipped, &["--scenario", "crashed-web"])
        .env("USER", "ops");
    test.run(&["run", "restart-production", "--confirm", PRODUCTION]).code(0);
    test.run(&["note", "beep\u{7} \u{1b}[2Jcleared | piped\nsecond line"]).code(0);
    test.run(&["note", "--app", "some-other-app", "not one of ours"]).code(0);
    test.run(&["note", "--app", "Not An App!", "x"]).code(2);
    test.run(&["note", "--app", "unheard-of-app", "x"])
        .code(2)
        .stderr_has("the apps are: lazona-connector-staging (staging)");
    test.run(&["note", &"x".repeat(3000)]).code(2).stderr_has("at most 2000");
    test.run(&["run", "status-staging", "--sim"]).code(0);

    let report = test.run(&["report", "--since", "100y"]).code(0);
    let shown = &report.stdout;
    assert!(!shown.contains('\u{1b}') && !shown.contains('\u{7}'), "{shown:?}");
    assert!(shown.contains("cleared \\| piped second line"), "{shown}");
    assert!(
        shown.contains("Papertrail on lazona-connector-production"),
        "the known app's dashboards stay: {shown}"
    );
    assert!(shown.contains("the add-ons of some-other-app"), "{shown}");
    assert!(shown.contains("2 of them dry-runs, rehearsals or drills"), "{shown}");
    assert!(shown.contains("(no run reached Heroku)"), "{shown}");
    assert!(shown.contains("): finished succeeded"), "{shown}");
    test.run(&["report", "--since", "999999999999h"]).code(0);
}

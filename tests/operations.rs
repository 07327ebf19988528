//! Every operation of the guide through the shipped runbooks, live and dry-run, against the
//! simulator: what reached it, and (in a dry-run) that nothing but reads did.

mod common;

use common::{PRODUCTION, STAGING, Sim, json_events, runbooks_folder, text};
use serde_json::Value;

fn run(sim: &Sim, arguments: &[&str]) -> (std::process::Output, Vec<Value>) {
    let output = sim.run(&[&["--output", "json", "run"], arguments].concat());
    let events = json_events(&output.stdout);
    (output, events)
}

fn finished<'a>(events: &'a [Value], name: &str) -> &'a Value {
    events
        .iter()
        .find(|event| event["event"] == "step_finished" && event["name"] == name)
        .unwrap_or_else(|| panic!("no step `{name}` in {events:?}"))
}

/// Requests other than reads: GETs, and the POST that only opens a log session.
fn changes(sim: &Sim) -> Vec<String> {
    sim.write_requests()
        .into_iter()
        .filter(|request| !request.ends_with("/log-sessions"))
        .collect()
}

#[test]
fn logs_are_read_filtered_and_explained() {
    let sim = Sim::start();
    let (output, events) = run(
        &sim,
        &[
            "logs-staging",
            "-p",
            "filter=/API/orders",
            "-p",
            "source=heroku",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    let logs = &finished(&events, "Logs")["result"];
    let lines = logs["lines"].as_array().unwrap();
    assert!(!lines.is_empty());
    assert!(
        lines
            .iter()
            .all(|line| line["source"] == "heroku" && line["fields"]["path"] == "/api/orders"),
        "{lines:?}"
    );
    let shown: Vec<&Value> = events
        .iter()
        .filter(|event| event["event"] == "log_line")
        .collect();
    assert_eq!(shown.len(), lines.len().min(200));
    assert_eq!(
        sim.requests()[0],
        format!("POST /apps/{STAGING}/log-sessions")
    );
}

#[test]
fn logs_tail_follows_for_the_duration_given() {
    let sim = Sim::start();
    let started = std::time::Instant::now();
    let (output, events) = run(&sim, &["logs-staging", "-p", "tail=1s", "-p", "lines=5"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert!(started.elapsed() >= std::time::Duration::from_secs(1));
    assert!(
        finished(&events, "Logs")["summary"]
            .as_str()
            .unwrap()
            .contains("over 1s")
    );
}

#[test]
fn rollback_restores_the_previous_release_and_says_how_to_undo() {
    let sim = Sim::start();
    let (output, events) = run(&sim, &["rollback-production", "--confirm", PRODUCTION]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    let asked = events
        .iter()
        .find(|event| event["event"] == "confirmation")
        .unwrap();
    assert_eq!(
        asked["message"],
        format!("Roll back {PRODUCTION}, now at v42?")
    );
    let rollback = finished(&events, "Roll back");
    assert!(
        rollback["summary"]
            .as_str()
            .unwrap()
            .ends_with("now v43: Rollback to v41"),
        "{rollback}"
    );
    assert_eq!(
        finished(&events, "How to undo")["summary"],
        "to undo: runbook run rollback-production -p release=v42"
    );
    assert_eq!(changes(&sim), [format!("POST /apps/{PRODUCTION}/releases")]);
}

#[test]
fn a_dry_run_rollback_shows_both_releases_and_sends_nothing() {
    let sim = Sim::start();
    let (output, events) = run(&sim, &["rollback-production", "--dry-run"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    let asked = events
        .iter()
        .find(|event| event["event"] == "would_ask")
        .unwrap();
    let impact: Vec<&str> = asked["impact"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line.as_str().unwrap())
        .collect();
    assert!(
        impact.contains(&"leaving v42 (Deploy 9f3c2d1), restoring v41 (Deploy 4be81a7)"),
        "{impact:?}"
    );
    let planned = events
        .iter()
        .find(|event| event["event"] == "would_send")
        .unwrap();
    assert_eq!(planned["request"]["method"], "POST");
    assert!(planned["request"]["body"]["release"].is_string());
    assert!(changes(&sim).is_empty());
}

#[test]
fn maintenance_mode_goes_on_and_off() {
    let sim = Sim::start();
    let (output, events) = run(&sim, &["maintenance-on-staging", "--yes"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert!(
        finished(&events, "App now")["summary"]
            .as_str()
            .unwrap()
            .contains("maintenance on")
    );
    let (output, events) = run(&sim, &["maintenance-off-staging", "--yes"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        finished(&events, "App now")["summary"]
            .as_str()
            .unwrap()
            .contains("maintenance off")
    );
    assert_eq!(
        changes(&sim),
        [
            format!("PATCH /apps/{STAGING}"),
            format!("PATCH /apps/{STAGING}")
        ]
    );
    let (output, _) = run(&sim, &["maintenance-on-production", "--dry-run"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(changes(&sim).len(), 2, "the dry-run sent nothing");
}

#[test]
fn scale_changes_the_formation_and_waits_for_the_new_dynos() {
    let sim = Sim::start();
    let (output, events) = run(&sim, &["scale-staging", "-p", "quantity=4", "--yes"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert_eq!(
        finished(&events, "Formation after")["summary"],
        "web x4 (standard-1X), worker x1 (standard-1X)"
    );
    assert_eq!(
        finished(&events, "Wait until every dyno is up")["status"],
        "done"
    );
    let asked = events
        .iter()
        .find(|event| event["event"] == "confirmation")
        .unwrap();
    assert_eq!(asked["message"], format!("Scale web of {STAGING} to 4?"));
    assert_eq!(changes(&sim), [format!("PATCH /apps/{STAGING}/formation")]);
}

#[test]
fn stop_and_set_config_from_a_team_runbook() {
    let sim = Sim::start();
    let runbook = r#"
description: Stop the worker, set a config var.
environments: [staging]
steps:
  - name: Stop the worker
    do: heroku.stop
    with: { app: "${app}", process_type: worker }
  - name: Stop web.2
    do: heroku.stop_dyno
    with: { app: "${app}", dyno: web.2 }
  - id: dynos
    name: Dynos
    do: heroku.dynos
    with: { app: "${app}" }
  - name: Set a flag
    do: heroku.set_config
    with: { app: "${app}", vars: { FEATURE_FLAG: "s3cret-flag-value", WEB_CONCURRENCY: null } }
"#;
    let folder = runbooks_folder(&[("chores.yaml", runbook)]);
    let home = tempfile::tempdir().unwrap();
    let output = sim
        .runbook(home.path())
        .env("RUNBOOK_DIR", folder.path())
        .args(["--output", "json", "run", "chores-staging"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    let events = json_events(&output.stdout);
    assert_eq!(
        finished(&events, "Dynos")["summary"],
        "3 dynos: web.1 up, web.2 down, worker.1 down"
    );
    assert!(
        !text(&output.stdout).contains("s3cret-flag-value"),
        "config values are masked"
    );
    assert_eq!(
        changes(&sim),
        [
            format!("POST /apps/{STAGING}/formations/worker/actions/stop"),
            format!("POST /apps/{STAGING}/dynos/web.2/actions/stop"),
            format!("PATCH /apps/{STAGING}/config-vars"),
        ]
    );
    let vars = sim.config_vars(STAGING, "test-key");
    assert_eq!(vars["FEATURE_FLAG"], "s3cret-flag-value");
    assert!(vars.get("WEB_CONCURRENCY").is_none());
}

#[test]
fn troubleshoot_is_read_only_from_start_to_finish() {
    let sim = Sim::start();
    let (output, events) = run(&sim, &["troubleshoot-production"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert!(changes(&sim).is_empty(), "{:?}", sim.requests());
    let diagnosis = finished(&events, "Diagnosis")["summary"].as_str().unwrap();
    assert!(diagnosis.contains("nothing obviously wrong"), "{diagnosis}");
    for dashboard in [
        "papertrail: https://",
        "sentry: https://",
        "scout: https://",
    ] {
        assert!(diagnosis.contains(dashboard), "{diagnosis}");
    }
}

#[test]
fn every_shipped_runbook_dry_runs_with_reads_only() {
    let sim = Sim::start();
    for (name, extra) in [
        ("restart-production", &[][..]),
        ("restart-dyno-production", &["-p", "dyno=web.1"][..]),
        ("status-production", &[][..]),
        ("logs-production", &[][..]),
        ("troubleshoot-production", &[][..]),
        ("rollback-production", &[][..]),
        ("maintenance-on-production", &[][..]),
        ("maintenance-off-production", &[][..]),
        ("scale-production", &["-p", "quantity=3"][..]),
        (
            "run-production",
            &["-p", "command=python manage.py migrate"][..],
        ),
        ("promote-production", &[][..]),
        ("shell-production", &[][..]),
    ] {
        let (output, _) = run(&sim, &[&[name, "--dry-run"], extra].concat());
        assert_eq!(
            output.status.code(),
            Some(0),
            "{name}: {}",
            text(&output.stdout)
        );
    }
    assert!(changes(&sim).is_empty(), "{:?}", changes(&sim));
}

#[test]
fn a_one_off_command_shows_its_output_and_its_exit_status_decides() {
    let sim = Sim::start();
    let (output, events) = run(
        &sim,
        &[
            "run-staging",
            "-p",
            "command=python manage.py check",
            "--yes",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    let lines: Vec<&str> = events
        .iter()
        .filter(|event| event["event"] == "log_line")
        .map(|event| event["line"].as_str().unwrap())
        .collect();
    assert_eq!(lines, ["System check identified no issues (0 silenced)."]);
    let step = finished(&events, "Run the command");
    assert_eq!(step["result"]["exit_status"], 0);
    let (output, events) = run(
        &sim,
        &[
            "run-staging",
            "-p",
            "command=echo migrating; exit 3",
            "--yes",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        finished(&events, "Run the command")["error"]
            .as_str()
            .unwrap()
            .ends_with("exited with status 3")
    );
    let (output, _) = run(
        &sim,
        &[
            "run-production",
            "-p",
            "command=python manage.py migrate",
            "--dry-run",
        ],
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        changes(&sim),
        [
            format!("POST /apps/{STAGING}/dynos"),
            format!("POST /apps/{STAGING}/dynos")
        ]
    );
}

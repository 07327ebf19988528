//! Every operation of the guide through the shipped runbooks, live and dry-run, against the
//! simulator: what reached it, and (in a dry-run) that nothing but reads did.

use serde_json::Value;

use crate::harness::{
    Outcome, PRODUCTION, STAGING, Test, repository, runbook_files, shipped_runbooks,
};

fn run(test: &Test, arguments: &[&str]) -> (Outcome, Vec<Value>) {
    let output = test.run(&[&["--output", "json", "run"], arguments].concat());
    let events = output.events();
    (output, events)
}

fn finished<'a>(events: &'a [Value], name: &str) -> &'a Value {
    events
        .iter()
        .find(|event| event["event"] == "step_finished" && event["name"] == name)
        .unwrap_or_else(|| panic!("no step `{name}` in {events:?}"))
}

/// Requests other than reads: GETs, and the POST that only opens a log session.
fn changes(test: &Test) -> Vec<String> {
    test.write_requests()
        .into_iter()
        .filter(|request| !request.ends_with("/log-sessions"))
        .collect()
}

#[test]
fn logs_are_read_filtered_and_explained() {
    let test = Test::new().sim(&[]);
    let (output, events) =
        run(&test, &["logs-staging", "-p", "filter=/API/orders", "-p", "source=heroku"]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    let logs = &finished(&events, "Logs")["result"];
    let lines = logs["lines"].as_array().unwrap();
    assert!(!lines.is_empty());
    assert!(
        lines
            .iter()
            .all(|line| line["source"] == "heroku" && line["fields"]["path"] == "/api/orders"),
        "{lines:?}"
    );
    let shown: Vec<&Value> = events.iter().filter(|event| event["event"] == "log_line").collect();
    assert_eq!(shown.len(), lines.len().min(200));
    assert_eq!(test.requests()[0], format!("POST /apps/{STAGING}/log-sessions"));
}

#[test]
fn logs_tail_follows_for_the_duration_given() {
    let test = Test::new().sim(&[]);
    let started = std::time::Instant::now();
    let (output, events) = run(&test, &["logs-staging", "-p", "tail=1s", "-p", "lines=5"]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    assert!(started.elapsed() >= std::time::Duration::from_secs(1));
    assert!(finished(&events, "Logs")["summary"].as_str().unwrap().contains("over 1s"));
}

#[test]
fn rollback_restores_the_previous_release_and_says_how_to_undo() {
    let test = Test::new().sim(&[]);
    let (output, events) = run(&test, &["rollback-production", "--confirm", PRODUCTION]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    let asked = events.iter().find(|event| event["event"] == "confirmation").unwrap();
    assert_eq!(asked["message"], format!("Roll back {PRODUCTION}, now at v42?"));
    let rollback = finished(&events, "Roll back");
    assert!(
        rollback["summary"].as_str().unwrap().ends_with("now v43: Rollback to v41"),
        "{rollback}"
    );
    assert_eq!(
        finished(&events, "How to undo")["summary"],
        "to undo: runbook run rollback-production -p release=v42"
    );
    assert_eq!(changes(&test), [format!("POST /apps/{PRODUCTION}/releases")]);
}

#[test]
fn a_dry_run_rollback_shows_both_releases_and_sends_nothing() {
    let test = Test::new().sim(&[]);
    let (output, events) = run(&test, &["rollback-production", "--dry-run"]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    let asked = events.iter().find(|event| event["event"] == "would_ask").unwrap();
    let impact: Vec<&str> =
        asked["impact"].as_array().unwrap().iter().map(|line| line.as_str().unwrap()).collect();
    assert!(
        impact.contains(&"leaving v42 (Deploy 9f3c2d1), restoring v41 (Deploy 4be81a7)"),
        "{impact:?}"
    );
    let planned = events.iter().find(|event| event["event"] == "would_send").unwrap();
    assert_eq!(planned["request"]["method"], "POST");
    assert!(planned["request"]["body"]["release"].is_string());
    assert!(changes(&test).is_empty());
}

#[test]
fn maintenance_mode_goes_on_and_off() {
    let test = Test::new().sim(&[]);
    let (output, events) = run(&test, &["maintenance-on-staging", "--yes"]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    assert!(finished(&events, "App now")["summary"].as_str().unwrap().contains("maintenance on"));
    let (output, events) = run(&test, &["maintenance-off-staging", "--yes"]);
    assert_eq!(output.code, Some(0));
    assert!(finished(&events, "App now")["summary"].as_str().unwrap().contains("maintenance off"));
    assert_eq!(
        changes(&test),
        [format!("PATCH /apps/{STAGING}"), format!("PATCH /apps/{STAGING}")]
    );
    let (output, _) = run(&test, &["maintenance-on-production", "--dry-run"]);
    assert_eq!(output.code, Some(0));
    assert_eq!(changes(&test).len(), 2, "the dry-run sent nothing");
}

#[test]
fn scale_changes_the_formation_and_waits_for_the_new_dynos() {
    let test = Test::new().sim(&[]);
    let (output, events) = run(&test, &["scale-staging", "-p", "quantity=4", "--yes"]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    assert_eq!(
        finished(&events, "Formation after")["summary"],
        "web x4 (standard-1X), worker x1 (standard-1X)"
    );
    assert_eq!(finished(&events, "Wait until every dyno is up")["status"], "done");
    let asked = events.iter().find(|event| event["event"] == "confirmation").unwrap();
    assert_eq!(asked["message"], format!("Scale web of {STAGING} to 4?"));
    assert_eq!(changes(&test), [format!("PATCH /apps/{STAGING}/formation")]);
}

#[test]
fn stop_and_set_config_from_a_team_runbook() {
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
    let test = Test::new().file("chores.yaml", runbook).sim(&[]);
    let output = test.run(&["--output", "json", "run", "chores-staging"]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    let events = output.events();
    assert_eq!(
        finished(&events, "Dynos")["summary"],
        "3 dynos: web.1 up, web.2 down, worker.1 down"
    );
    assert!(!output.stdout.contains("s3cret-flag-value"), "config values are masked");
    assert_eq!(
        changes(&test),
        [
            format!("POST /apps/{STAGING}/formations/worker/actions/stop"),
            format!("POST /apps/{STAGING}/dynos/web.2/actions/stop"),
            format!("PATCH /apps/{STAGING}/config-vars"),
        ]
    );
    let vars = test.simulator().get(&format!("/apps/{STAGING}/config-vars"));
    assert_eq!(vars["FEATURE_FLAG"], "s3cret-flag-value");
    assert!(vars.get("WEB_CONCURRENCY").is_none());
}

#[test]
fn troubleshoot_is_read_only_from_start_to_finish() {
    let test = Test::new().sim(&[]);
    let (output, events) = run(&test, &["troubleshoot-production"]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    assert!(changes(&test).is_empty(), "{:?}", test.requests());
    let diagnosis = finished(&events, "Diagnosis")["summary"].as_str().unwrap();
    assert!(diagnosis.contains("nothing obviously wrong"), "{diagnosis}");
    for dashboard in ["papertrail: https://", "sentry: https://", "scout: https://"] {
        assert!(diagnosis.contains(dashboard), "{diagnosis}");
    }
    let addons = finished(&events, "Add-ons")["summary"].as_str().unwrap();
    assert!(!addons.contains("https://"), "URLs once, in the diagnosis: {addons}");
}

/// The `-p` values a dry-run of a shipped runbook is given for its required params.
fn sample(param: &str) -> String {
    let value = match param {
        "dyno" => "web.1",
        "quantity" => "3",
        "command" => "python manage.py migrate",
        other => panic!(
            "a shipped runbook requires the param `{other}`: give it a sample value in `sample`"
        ),
    };
    format!("{param}={value}")
}

/// The required params of `target`, as `runbook show` lists them (`  -p NAME=...  TYPE, required`).
fn required_params(test: &Test, target: &str) -> Vec<String> {
    let shown = test.run(&["show", target]).code(0).stdout;
    shown
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("-p "))
        .filter_map(|param| param.split_once("=...  "))
        .filter(|(_, details)| {
            let kind_and_flags = details.split("  ").next().unwrap_or_default();
            kind_and_flags.split(", ").any(|flag| flag == "required")
        })
        .map(|(name, _)| name.to_string())
        .collect()
}

/// Every runbook file of the shipped folder, in every environment its text lists (or bare when it
/// lists none), dry-runs to success, and nothing but reads reaches the simulator. Deploys read the
/// git tree of the current folder (`directory` defaults to `.`): the runs start in a repository.
#[test]
fn every_shipped_runbook_dry_runs_with_reads_only() {
    let work = tempfile::tempdir().unwrap();
    repository(work.path(), &[]);
    let test = Test::new().sim(&[]).current_dir(work.path());
    let runbooks = runbook_files(&shipped_runbooks());
    assert!(!runbooks.is_empty(), "no runbook in {}", shipped_runbooks().display());
    let mut dry_runs = 0;
    for (name, environments) in &runbooks {
        let targets: Vec<String> = if environments.is_empty() {
            vec![name.clone()]
        } else {
            environments.iter().map(|environment| format!("{name}-{environment}")).collect()
        };
        for target in &targets {
            let values: Vec<String> =
                required_params(&test, target).iter().map(|param| sample(param)).collect();
            let mut arguments = vec![target.as_str(), "--dry-run"];
            for value in &values {
                arguments.extend(["-p", value.as_str()]);
            }
            let (output, _) = run(&test, &arguments);
            assert_eq!(output.code, Some(0), "{target}: {}{}", output.stdout, output.stderr);
            dry_runs += 1;
        }
    }
    assert!(dry_runs >= runbooks.len(), "{dry_runs} dry-runs for {} runbooks", runbooks.len());
    assert!(changes(&test).is_empty(), "{:?}", changes(&test));
}

#[test]
fn a_one_off_command_shows_its_output_and_its_exit_status_decides() {
    let test = Test::new().sim(&[]);
    let (output, events) =
        run(&test, &["run-staging", "-p", "command=python manage.py check", "--yes"]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    let lines: Vec<&str> = events
        .iter()
        .filter(|event| event["event"] == "log_line")
        .map(|event| event["line"].as_str().unwrap())
        .collect();
    assert_eq!(lines, ["System check identified no issues (0 silenced)."]);
    let step = finished(&events, "Run the command");
    assert_eq!(step["result"]["exit_status"], 0);
    let (output, events) =
        run(&test, &["run-staging", "-p", "command=echo migrating; exit 3", "--yes"]);
    assert_eq!(output.code, Some(1));
    assert!(
        finished(&events, "Run the command")["error"]
            .as_str()
            .unwrap()
            .ends_with("exited with status 3")
    );
    let (output, _) =
        run(&test, &["run-production", "-p", "command=python manage.py migrate", "--dry-run"]);
    assert_eq!(output.code, Some(0));
    assert_eq!(
        changes(&test),
        [format!("POST /apps/{STAGING}/dynos"), format!("POST /apps/{STAGING}/dynos")]
    );
}

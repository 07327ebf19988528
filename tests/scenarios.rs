//! Incident rehearsals: each scenario diagnosed by `troubleshoot`, and fixed by the runbook it names.

mod common;

use common::{PRODUCTION, Sim, json_events, text};

fn diagnosis(sim: &Sim) -> String {
    let output = sim.run(&["--output", "json", "run", "troubleshoot-production"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    let events = json_events(&output.stdout);
    let step = events
        .iter()
        .find(|event| event["event"] == "step_finished" && event["name"] == "Diagnosis")
        .unwrap();
    step["summary"].as_str().unwrap().to_string()
}

fn fixed_by(sim: &Sim, arguments: &[&str]) {
    let output = sim.run(&[&["run"], arguments, &["--confirm", PRODUCTION]].concat());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}

#[test]
fn crashed_web_is_diagnosed_as_h10_and_cleared_by_restart() {
    let sim = Sim::start_with(&["--scenario", "crashed-web"]);
    let found = diagnosis(&sim);
    assert!(found.contains("dynos: crashed web.1, web.2"), "{found}");
    assert!(found.contains("H10 x200: App crashed"), "{found}");
    assert!(
        found.contains("next: runbook run restart-production"),
        "{found}"
    );
    fixed_by(&sim, &["restart-production"]);
    let after = diagnosis(&sim);
    assert!(after.contains("nothing obviously wrong"), "{after}");
}

#[test]
fn slow_requests_are_diagnosed_as_h12_and_cleared_by_scaling() {
    let sim = Sim::start_with(&["--scenario", "slow-requests"]);
    let found = diagnosis(&sim);
    assert!(found.contains("H12 x67: Request timeout"), "{found}");
    assert!(
        found.contains("next: runbook run scale-production -p process_type=web -p quantity=4"),
        "{found}"
    );
    fixed_by(
        &sim,
        &[
            "scale-production",
            "-p",
            "process_type=web",
            "-p",
            "quantity=4",
        ],
    );
    let after = diagnosis(&sim);
    assert!(after.contains("nothing obviously wrong"), "{after}");
}

#[test]
fn a_bad_release_is_diagnosed_and_cleared_by_rollback() {
    let sim = Sim::start_with(&["--scenario", "bad-release"]);
    let found = diagnosis(&sim);
    assert!(
        found.contains(
            "newest release: v43 Deploy 7e1d0c9 (new currency handling), 0 minutes old (recent)"
        ),
        "{found}"
    );
    assert!(found.contains("HTTP 500 x"), "{found}");
    assert!(
        found.contains("next: runbook run rollback-production"),
        "{found}"
    );
    fixed_by(&sim, &["rollback-production"]);
    let after = diagnosis(&sim);
    assert!(
        after.contains("newest release: v44 Rollback to v42"),
        "{after}"
    );
    assert!(after.contains("nothing obviously wrong"), "{after}");
}

#[test]
fn a_flaky_api_is_ridden_out_by_retrying_reads() {
    let sim = Sim::start_with(&["--scenario", "api-flaky"]);
    let found = diagnosis(&sim);
    assert!(found.contains("nothing obviously wrong"), "{found}");
    let statuses: Vec<u64> = sim
        .log()
        .iter()
        .map(|request| request["status"].as_u64().unwrap())
        .collect();
    assert_eq!(
        statuses.iter().filter(|status| **status == 503).count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|status| **status == 429).count(),
        1,
        "{statuses:?}"
    );
}

#[test]
fn the_in_process_rehearsal_takes_a_scenario_too() {
    let home = tempfile::tempdir().unwrap();
    let output = common::runbook(home.path())
        .args([
            "run",
            "troubleshoot-staging",
            "--sim",
            "--scenario",
            "crashed-web",
        ])
        .output()
        .unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("next: runbook run restart-staging"),
        "{stderr}"
    );
    let unknown = common::runbook(home.path())
        .args(["run", "status-staging", "--sim", "--scenario", "meteor"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown.stderr).contains("known: api-flaky, bad-release, crashed-web, slow-requests"),
        "{}",
        text(&unknown.stderr)
    );
}

#[test]
fn the_app_answers_again_once_the_crash_is_fixed() {
    let sim = Sim::start_with(&["--scenario", "crashed-web"]);
    let check = "description: Does the app answer?\nenvironments: [production]\nsteps:\n  - name: The app answers\n    do: heroku.check_app\n    with: { app: \"${app}\" }\n";
    let folder = common::runbooks_folder(&[("answers.yaml", check)]);
    let home = tempfile::tempdir().unwrap();
    let ask = || {
        sim.runbook(home.path())
            .env("RUNBOOK_DIR", folder.path())
            .args(["run", "answers-production"])
            .output()
            .unwrap()
    };
    let before = ask();
    assert_eq!(before.status.code(), Some(1));
    assert!(
        text(&before.stderr).contains("answered 503"),
        "{}",
        text(&before.stderr)
    );
    fixed_by(&sim, &["restart-production"]);
    let after = ask();
    assert_eq!(after.status.code(), Some(0), "{}", text(&after.stderr));
    assert!(
        text(&after.stderr).contains("answered 200"),
        "{}",
        text(&after.stderr)
    );
}

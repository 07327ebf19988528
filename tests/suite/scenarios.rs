//! Incident rehearsals: each scenario diagnosed by `troubleshoot`, and fixed by the runbook it names.

use crate::harness::{PRODUCTION, Test};

fn diagnosis(test: &Test) -> String {
    let output = test.run(&["--output", "json", "run", "troubleshoot-production"]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    let events = output.events();
    let step = events
        .iter()
        .find(|event| event["event"] == "step_finished" && event["name"] == "Diagnosis")
        .unwrap();
    step["summary"].as_str().unwrap().to_string()
}

fn fixed_by(test: &Test, arguments: &[&str]) {
    let output = test.run(&[&["run"], arguments, &["--confirm", PRODUCTION]].concat());
    assert_eq!(output.code, Some(0), "{}", output.stderr);
}

#[test]
fn crashed_web_is_diagnosed_as_h10_and_cleared_by_restart() {
    let test = Test::new().sim(&["--scenario", "crashed-web"]);
    let found = diagnosis(&test);
    assert!(found.contains("dynos: crashed web.1, web.2"), "{found}");
    assert!(found.contains("H10 x200: App crashed"), "{found}");
    assert!(found.contains("next: runbook run restart-production"), "{found}");
    fixed_by(&test, &["restart-production"]);
    let after = diagnosis(&test);
    assert!(after.contains("nothing obviously wrong"), "{after}");
}

#[test]
fn slow_requests_are_diagnosed_as_h12_and_cleared_by_scaling() {
    let test = Test::new().sim(&["--scenario", "slow-requests"]);
    let found = diagnosis(&test);
    assert!(found.contains("H12 x67: Request timeout"), "{found}");
    assert!(
        found.contains("next: runbook run scale-production -p process_type=web -p quantity=4"),
        "{found}"
    );
    fixed_by(&test, &["scale-production", "-p", "process_type=web", "-p", "quantity=4"]);
    let after = diagnosis(&test);
    assert!(after.contains("nothing obviously wrong"), "{after}");
}

#[test]
fn a_bad_release_is_diagnosed_and_cleared_by_rollback() {
    let test = Test::new().sim(&["--scenario", "bad-release"]);
    let found = diagnosis(&test);
    assert!(
        found.contains(
            "newest release: v43 Deploy 7e1d0c9 (new currency handling), just now (recent)"
        ),
        "{found}"
    );
    assert!(found.contains("HTTP 500 x"), "{found}");
    assert!(found.contains("next: runbook run rollback-production"), "{found}");
    fixed_by(&test, &["rollback-production"]);
    let after = diagnosis(&test);
    assert!(after.contains("newest release: v44 Rollback to v42"), "{after}");
    assert!(after.contains("nothing obviously wrong"), "{after}");
}

#[test]
fn a_flaky_api_is_ridden_out_by_retrying_reads() {
    let test = Test::new().sim(&["--scenario", "api-flaky"]);
    let found = diagnosis(&test);
    assert!(found.contains("nothing obviously wrong"), "{found}");
    let statuses: Vec<u64> =
        test.simulator().log().iter().map(|request| request["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses.iter().filter(|status| **status == 503).count(), 3, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|status| **status == 429).count(), 1, "{statuses:?}");
}

#[test]
fn the_in_process_rehearsal_takes_a_scenario_too() {
    let test = Test::new();
    let output = test.run(&["run", "troubleshoot-staging", "--sim", "--scenario", "crashed-web"]);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(0), "{stderr}");
    assert!(stderr.contains("next: runbook run restart-staging"), "{stderr}");
    let unknown = test.run(&["run", "status-staging", "--sim", "--scenario", "meteor"]);
    assert_eq!(unknown.code, Some(2));
    assert!(
        unknown
            .stderr
            .contains("known: api-flaky, bad-deploy, bad-release, crashed-web, recovering, sick-dyno, slow-requests"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn the_app_answers_again_once_the_crash_is_fixed() {
    // The simulator (and its scenario) come from the shipped folder, where `restart` is; the
    // check runs from a folder of its own, against the same simulator.
    let server = Test::new().sim(&["--scenario", "crashed-web"]);
    let check = "description: Does the app answer?\nenvironments: [production]\nsteps:\n  - name: The app answers\n    do: heroku.check_app\n    with: { app: \"${app}\" }\n";
    let test = Test::new().file("answers.yaml", check).shared_sim(&server);
    let ask = || test.run(&["run", "answers-production"]);
    let before = ask();
    assert_eq!(before.code, Some(1));
    assert!(before.stderr.contains("answered 503"), "{}", before.stderr);
    fixed_by(&server, &["restart-production"]);
    let after = ask();
    assert_eq!(after.code, Some(0), "{}", after.stderr);
    assert!(after.stderr.contains("answered 200"), "{}", after.stderr);
}

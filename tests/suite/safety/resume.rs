//! `--resume` never sends again a write that may have taken effect, never counts a dry-run's
//! steps for a live run, resumes only against the same target and API URL, and never replays a
//! secret param from the journal.

use crate::harness::{STAGING, Test, repository};

const SECRET_CONFIG: &str = r#"
description: Sets a secret config var.
environments: [staging]
params:
  token: { type: string, secret: true, doc: "the token to set" }
steps:
  - name: Formation
    do: heroku.formation
    with: { app: "${app}" }
  - name: Set it
    do: heroku.set_config
    with: { app: "${app}", vars: { API_TOKEN: "${token}" } }
"#;

fn run_id(test: &Test) -> String {
    test.journaled("run_started").last().unwrap()["run_id"].as_str().unwrap().to_string()
}

#[test]
fn a_failed_dry_run_never_counts_for_a_live_run() {
    let test = Test::new().sim(&["--fault", "GET /apps/{app}/formation 500"]);
    test.run(&["run", "scale-staging", "-p", "quantity=2", "--dry-run"]).code(1);
    let dry = run_id(&test);
    test.run(&["run", "scale-staging", "-p", "quantity=2", "--yes", "--resume", &dry])
        .code(2)
        .stderr_has("was a dry-run");
    assert!(test.write_requests().is_empty());
}

#[test]
fn a_restart_that_may_have_taken_effect_is_not_resent_by_resume() {
    let test = Test::new().sim(&["--fault", "DELETE /apps/{app}/dynos resetx1"]);
    test.run(&["run", "restart-staging", "--yes"]).code(1);
    let failed = run_id(&test);
    assert_eq!(test.write_requests().len(), 1);
    test.run(&["run", "restart-staging", "--yes", "--resume", &failed])
        .code(3)
        .stderr_has("may have taken effect")
        .stderr_has("DELETE /apps/lazona-connector-staging/dynos");
    assert_eq!(test.write_requests(), [format!("DELETE /apps/{STAGING}/dynos")], "sent once only");
}

#[test]
fn an_interrupted_deploy_is_not_built_again_by_resume() {
    let work = tempfile::tempdir().unwrap();
    repository(work.path(), &[]);
    let test = Test::new()
        .sim(&["--fault", "GET /apps/{app}/builds/{id} hang"])
        .env("RUNBOOK_HTTP_TIMEOUT", "1s");
    let directory = format!("directory={}", work.path().display());
    test.run(&["run", "deploy-staging", "-p", &directory, "--yes"]).code(1);
    let failed = run_id(&test);
    let builds = |test: &Test| {
        test.write_requests().iter().filter(|request| request.ends_with("/builds")).count()
    };
    assert_eq!(builds(&test), 1);
    test.run(&["run", "deploy-staging", "-p", &directory, "--yes", "--resume", &failed])
        .code(3)
        .stderr_has("may have taken effect");
    assert_eq!(builds(&test), 1, "{:?}", test.write_requests());
}

#[test]
fn a_secret_param_is_never_replayed_from_the_journal() {
    let test = Test::new()
        .file("secret-config.yaml", SECRET_CONFIG)
        .sim(&["--fault", "PATCH /apps/{app}/config-vars 503x1"]);
    test.run(&["run", "secret-config-staging", "-p", "token=s3cr3t-first", "--yes"]).code(1);
    let failed = run_id(&test);
    test.run(&["run", "secret-config-staging", "--yes", "--resume", &failed])
        .code(2)
        .stderr_has("param `token` is secret")
        .stderr_has("-p token=");
    test.run(&[
        "run",
        "secret-config-staging",
        "--yes",
        "--resume",
        &failed,
        "-p",
        "token=s3cr3t-again",
    ])
    .code(0);
    let patches: Vec<serde_json::Value> =
        test.simulator().log().into_iter().filter(|request| request["method"] == "PATCH").collect();
    let sent = patches.last().unwrap()["body"]["API_TOKEN"].clone();
    assert_eq!(sent, "s3cr3t-again", "the value given again, never the mask");
    assert!(!test.journal_text().contains("s3cr3t"));
}

#[test]
fn a_rehearsal_never_resumes_live_nor_another_api() {
    let test = Test::new().sim(&["--fault", "GET /apps/{app}/formation 500"]);
    test.run(&["run", "scale-staging", "-p", "quantity=2", "--sim", "--yes"]).code(0);
    let other = Test::new().sim(&["--fault", "GET /apps/{app}/formation 500"]);
    other.run(&["run", "scale-staging", "-p", "quantity=2", "--yes"]).code(1);
    let failed = run_id(&other);
    std::fs::copy(other.state().join("journal.jsonl"), test.state().join("journal.jsonl")).unwrap();
    test.run(&["run", "scale-staging", "-p", "quantity=2", "--yes", "--resume", &failed])
        .code(2)
        .stderr_has("same target and API URL");
    test.run(&["run", "scale-staging", "-p", "quantity=2", "--sim", "--yes", "--resume", &failed])
        .code(2)
        .stderr_has("same target and API URL");
}

fn count(test: &Test, line: &str) -> usize {
    test.requests().iter().filter(|request| *request == line).count()
}

/// A read, a write, then a failure: run, resume, and resume the resumed run.
const CHAIN: &str = "description: a write, then a failure\nenvironments: [staging]\nsteps:\n  - name: Read\n    do: heroku.app\n    with: { app: \"${app}\" }\n  - name: Restart worker\n    do: heroku.restart_dyno\n    with: { app: \"${app}\", dyno: worker.1 }\n  - name: Fail\n    script: 'throw \"boom\"'\n";

#[test]
fn a_resume_of_a_resumed_run_sends_no_write_twice() {
    let test = Test::new().file("chain.yaml", CHAIN).sim(&[]);
    let delete = format!("DELETE /apps/{STAGING}/dynos/worker.1");
    test.run(&["run", "chain-staging", "--yes"]).code(1);
    let first = run_id(&test);
    test.run(&["run", "chain-staging", "--yes", "--resume", &first]).code(1);
    let second = run_id(&test);
    assert_ne!(first, second);
    test.run(&["run", "chain-staging", "--yes", "--resume", &second]).code(1);
    assert_eq!(count(&test, &delete), 1, "{:?}", test.requests());
}

#[test]
fn a_script_that_wrote_outside_any_step_is_not_resumed() {
    let script = "//! A write outside any step.\n//! environments: staging\nheroku::restart_dyno(app, \"web.1\");\nstep(\"Read\", || heroku::app(app));\nstep(\"Fail\", || { throw \"boom\" });\n";
    let test = Test::new().file("outside.rhai", script).sim(&[]);
    test.run(&["run", "outside-staging", "--yes"]).code(1);
    let earlier = run_id(&test);
    test.run(&["run", "outside-staging", "--yes", "--resume", &earlier])
        .code(3)
        .stderr_has("outside any step");
    let delete = format!("DELETE /apps/{STAGING}/dynos/web.1");
    assert_eq!(count(&test, &delete), 1);
}

#[test]
fn a_finally_write_that_may_have_taken_effect_is_not_sent_again() {
    let runbook = "description: a failure, then a cleanup write\nenvironments: [staging]\nsteps:\n  - name: Fail\n    script: 'throw \"boom\"'\nfinally:\n  - name: Maintenance off\n    do: heroku.maintenance\n    with: { app: \"${app}\", enabled: false }\n";
    let test =
        Test::new().file("cleanup.yaml", runbook).sim(&["--fault", "PATCH /apps/{app} resetx1"]);
    test.run(&["run", "cleanup-staging", "--yes"]).code(1);
    let earlier = run_id(&test);
    let patch = format!("PATCH /apps/{STAGING}");
    assert_eq!(count(&test, &patch), 1);
    let resumed = test.run(&["run", "cleanup-staging", "--yes", "--resume", &earlier]);
    // The run ends as its first failure did (exit 1); the cleanup is shown refused.
    assert_eq!(resumed.code, Some(1), "{}", resumed.stderr);
    assert!(resumed.stderr.contains("step `Maintenance off` sent PATCH"), "{}", resumed.stderr);
    assert_eq!(count(&test, &patch), 1, "the cleanup's write was not sent again");
}

#[test]
fn a_runbook_whose_steps_moved_never_lines_up_with_the_run_even_forced() {
    let test = Test::new().file("chain.yaml", CHAIN).sim(&[]);
    test.run(&["run", "chain-staging", "--yes"]).code(1);
    let earlier = run_id(&test);
    let moved = CHAIN.replace(
        "steps:\n",
        "steps:\n  - name: New first read\n    do: heroku.dynos\n    with: { app: \"${app}\" }\n",
    );
    std::fs::write(test.runbooks().join("chain.yaml"), moved).unwrap();
    test.run(&["run", "chain-staging", "--yes", "--force", "--resume", &earlier])
        .code(3)
        .stderr_has("no longer line up");
    let delete = format!("DELETE /apps/{STAGING}/dynos/worker.1");
    assert_eq!(count(&test, &delete), 1);
}

#[test]
fn a_write_left_two_runs_back_is_still_the_operators_to_decide() {
    let test = Test::new()
        .file("chain.yaml", CHAIN)
        .sim(&["--fault", "DELETE /apps/{app}/dynos/worker.1 resetx1"]);
    test.run(&["run", "chain-staging", "--yes"]).code(1);
    let first = run_id(&test);
    // The resumed run refuses to send the write again without a decision...
    test.run(&["run", "chain-staging", "--yes", "--resume", &first])
        .code(3)
        .stderr_has("may have taken effect");
    let second = run_id(&test);
    // ...and so does a resume of that run, which sent nothing itself.
    test.run(&["run", "chain-staging", "--yes", "--resume", &second])
        .code(3)
        .stderr_has(&format!("worker.1 in run {first}"));
    let delete = format!("DELETE /apps/{STAGING}/dynos/worker.1");
    assert_eq!(count(&test, &delete), 1, "{:?}", test.requests());
}

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
    test.journaled("run_started").last().unwrap()["run_id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_failed_dry_run_never_counts_for_a_live_run() {
    let test = Test::new().sim(&["--fault", "GET /apps/{app}/formation 500"]);
    test.run(&["run", "scale-staging", "-p", "quantity=2", "--dry-run"])
        .code(1);
    let dry = run_id(&test);
    test.run(&[
        "run",
        "scale-staging",
        "-p",
        "quantity=2",
        "--yes",
        "--resume",
        &dry,
    ])
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
    assert_eq!(
        test.write_requests(),
        [format!("DELETE /apps/{STAGING}/dynos")],
        "sent once only"
    );
}

#[test]
fn an_interrupted_deploy_is_not_built_again_by_resume() {
    let work = tempfile::tempdir().unwrap();
    repository(work.path(), &[]);
    let test = Test::new()
        .sim(&["--fault", "GET /apps/{app}/builds/{id} hang"])
        .env("RUNBOOK_HTTP_TIMEOUT", "1s");
    let directory = format!("directory={}", work.path().display());
    test.run(&["run", "deploy-staging", "-p", &directory, "--yes"])
        .code(1);
    let failed = run_id(&test);
    let builds = |test: &Test| {
        test.write_requests()
            .iter()
            .filter(|request| request.ends_with("/builds"))
            .count()
    };
    assert_eq!(builds(&test), 1);
    test.run(&[
        "run",
        "deploy-staging",
        "-p",
        &directory,
        "--yes",
        "--resume",
        &failed,
    ])
    .code(3)
    .stderr_has("may have taken effect");
    assert_eq!(builds(&test), 1, "{:?}", test.write_requests());
}

#[test]
fn a_secret_param_is_never_replayed_from_the_journal() {
    let test = Test::new()
        .file("secret-config.yaml", SECRET_CONFIG)
        .sim(&["--fault", "PATCH /apps/{app}/config-vars 503x1"]);
    test.run(&[
        "run",
        "secret-config-staging",
        "-p",
        "token=s3cr3t-first",
        "--yes",
    ])
    .code(1);
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
    let patches: Vec<serde_json::Value> = test
        .simulator()
        .log()
        .into_iter()
        .filter(|request| request["method"] == "PATCH")
        .collect();
    let sent = patches.last().unwrap()["body"]["API_TOKEN"].clone();
    assert_eq!(
        sent, "s3cr3t-again",
        "the value given again, never the mask"
    );
    assert!(!test.journal_text().contains("s3cr3t"));
}

#[test]
fn a_rehearsal_never_resumes_live_nor_another_api() {
    let test = Test::new().sim(&["--fault", "GET /apps/{app}/formation 500"]);
    test.run(&["run", "scale-staging", "-p", "quantity=2", "--sim", "--yes"])
        .code(0);
    let other = Test::new().sim(&["--fault", "GET /apps/{app}/formation 500"]);
    other
        .run(&["run", "scale-staging", "-p", "quantity=2", "--yes"])
        .code(1);
    let failed = run_id(&other);
    std::fs::copy(
        other.state().join("journal.jsonl"),
        test.state().join("journal.jsonl"),
    )
    .unwrap();
    test.run(&[
        "run",
        "scale-staging",
        "-p",
        "quantity=2",
        "--yes",
        "--resume",
        &failed,
    ])
    .code(2)
    .stderr_has("same target and API URL");
    test.run(&[
        "run",
        "scale-staging",
        "-p",
        "quantity=2",
        "--sim",
        "--yes",
        "--resume",
        &failed,
    ])
    .code(2)
    .stderr_has("same target and API URL");
}

//! `--resume RUN_ID`: after a step that failed, only the remaining steps run.

mod common;

use std::path::Path;

use common::{STAGING, Sim, journal, json_events, runbooks_folder, text};

const THREE_READS: &str = r#"
description: Three reads, the second of which the simulator fails once.
environments: [staging]
steps:
  - id: info
    name: App
    do: heroku.app
    with: { app: "${app}" }
  - name: Formation
    do: heroku.formation
    with: { app: "${app}" }
  - name: Dynos of the app named by the first step
    do: heroku.dynos
    with: { app: "${info.name}" }
"#;

fn run(sim: &Sim, folder: &Path, state: &Path, arguments: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    sim.runbook(home.path())
        .env("RUNBOOK_DIR", folder)
        .env("RUNBOOK_STATE_DIR", state)
        .args(["--output", "json", "run"])
        .args(arguments)
        .output()
        .unwrap()
}

fn first_run_id(state: &Path) -> String {
    journal(state)[0]["run_id"].as_str().unwrap().to_string()
}

#[test]
fn resume_skips_the_finished_steps_and_restores_their_results() {
    let fault = format!("GET /apps/{STAGING}/formation 500x1");
    let sim = Sim::start_with(&["--fault", &fault]);
    let folder = runbooks_folder(&[("reads.yaml", THREE_READS)]);
    let state = tempfile::tempdir().unwrap();
    let failed = run(&sim, folder.path(), state.path(), &["reads-staging"]);
    assert_eq!(failed.status.code(), Some(1));
    let run_id = first_run_id(state.path());
    let before = sim.requests().len();
    let resumed = run(
        &sim,
        folder.path(),
        state.path(),
        &["reads-staging", "--resume", &run_id],
    );
    assert_eq!(resumed.status.code(), Some(0), "{}", text(&resumed.stdout));
    let second_run: Vec<String> = sim.requests()[before..].to_vec();
    assert_eq!(
        second_run,
        [
            format!("GET /apps/{STAGING}/formation"),
            format!("GET /apps/{STAGING}/dynos")
        ]
    );
    let events = json_events(&resumed.stdout);
    assert_eq!(events[0]["resumes"], run_id.as_str());
    let skipped = events
        .iter()
        .find(|event| event["event"] == "step_skipped")
        .unwrap();
    assert_eq!(skipped["name"], "App");
    assert_eq!(skipped["reason"], format!("done in run {run_id}"));
}

#[test]
fn resume_refuses_a_changed_runbook_unless_forced() {
    let fault = format!("GET /apps/{STAGING}/formation 500x1");
    let sim = Sim::start_with(&["--fault", &fault]);
    let folder = runbooks_folder(&[("reads.yaml", THREE_READS)]);
    let state = tempfile::tempdir().unwrap();
    assert_eq!(
        run(&sim, folder.path(), state.path(), &["reads-staging"])
            .status
            .code(),
        Some(1)
    );
    let run_id = first_run_id(state.path());
    std::fs::write(
        folder.path().join("reads.yaml"),
        THREE_READS.replace("Three reads", "Three reads, edited"),
    )
    .unwrap();
    let before = sim.requests().len();
    let refused = run(
        &sim,
        folder.path(),
        state.path(),
        &["reads-staging", "--resume", &run_id],
    );
    assert_eq!(refused.status.code(), Some(2));
    let events = json_events(&refused.stdout);
    assert_eq!(
        events[0]["message"],
        format!("`reads` changed since run {run_id}: its steps may not line up any more")
    );
    assert_eq!(sim.requests().len(), before, "nothing was sent");
    let forced = run(
        &sim,
        folder.path(),
        state.path(),
        &["reads-staging", "--resume", &run_id, "--force"],
    );
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced.stdout));
}

#[test]
fn resume_of_a_rhai_runbook_skips_finished_steps_too() {
    let fault = format!("GET /apps/{STAGING}/formation 500x1");
    let sim = Sim::start_with(&["--fault", &fault]);
    let script = "//! Two reads.\n//! environments: staging\nlet info = step(\"App\", || heroku::app(app));\nstep(\"Formation\", || heroku::formation(info.name));\n";
    let folder = runbooks_folder(&[("reads.rhai", script)]);
    let state = tempfile::tempdir().unwrap();
    assert_eq!(
        run(&sim, folder.path(), state.path(), &["reads-staging"])
            .status
            .code(),
        Some(1)
    );
    let run_id = first_run_id(state.path());
    let before = sim.requests().len();
    let resumed = run(
        &sim,
        folder.path(),
        state.path(),
        &["reads-staging", "--resume", &run_id],
    );
    assert_eq!(resumed.status.code(), Some(0), "{}", text(&resumed.stdout));
    assert_eq!(
        sim.requests()[before..],
        [format!("GET /apps/{STAGING}/formation")]
    );
}

#[test]
fn a_succeeded_run_has_nothing_to_resume() {
    let sim = Sim::start();
    let folder = runbooks_folder(&[("reads.yaml", THREE_READS)]);
    let state = tempfile::tempdir().unwrap();
    assert_eq!(
        run(&sim, folder.path(), state.path(), &["reads-staging"])
            .status
            .code(),
        Some(0)
    );
    let run_id = first_run_id(state.path());
    let refused = run(
        &sim,
        folder.path(),
        state.path(),
        &["reads-staging", "--resume", &run_id],
    );
    assert_eq!(refused.status.code(), Some(2));
    let events = json_events(&refused.stdout);
    assert_eq!(
        events[0]["message"],
        format!("run {run_id} succeeded: there is nothing to resume")
    );
}

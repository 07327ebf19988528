//! `--resume RUN_ID`: after a step that failed, only the remaining steps run.

use crate::harness::{Outcome, STAGING, Test};

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

fn run(test: &Test, arguments: &[&str]) -> Outcome {
    test.run(&[&["--output", "json", "run"], arguments].concat())
}

fn first_run_id(test: &Test) -> String {
    test.journal_strict()[0]["run_id"].as_str().unwrap().to_string()
}

#[test]
fn resume_skips_the_finished_steps_and_restores_their_results() {
    let fault = format!("GET /apps/{STAGING}/formation 500x1");
    let test = Test::new().file("reads.yaml", THREE_READS).sim(&["--fault", &fault]);
    let failed = run(&test, &["reads-staging"]);
    assert_eq!(failed.code, Some(1));
    let run_id = first_run_id(&test);
    let before = test.requests().len();
    let resumed = run(&test, &["reads-staging", "--resume", &run_id]);
    assert_eq!(resumed.code, Some(0), "{}", resumed.stdout);
    let second_run: Vec<String> = test.requests()[before..].to_vec();
    assert_eq!(
        second_run,
        [format!("GET /apps/{STAGING}/formation"), format!("GET /apps/{STAGING}/dynos")]
    );
    let events = resumed.events();
    assert_eq!(events[0]["resumes"], run_id.as_str());
    let skipped = events.iter().find(|event| event["event"] == "step_skipped").unwrap();
    assert_eq!(skipped["name"], "App");
    assert_eq!(skipped["reason"], format!("done in run {run_id}"));
}

#[test]
fn resume_refuses_a_changed_runbook_unless_forced() {
    let fault = format!("GET /apps/{STAGING}/formation 500x1");
    let test = Test::new().file("reads.yaml", THREE_READS).sim(&["--fault", &fault]);
    assert_eq!(run(&test, &["reads-staging"]).code, Some(1));
    let run_id = first_run_id(&test);
    std::fs::write(
        test.runbooks().join("reads.yaml"),
        THREE_READS.replace("Three reads", "Three reads, edited"),
    )
    .unwrap();
    let before = test.requests().len();
    let refused = run(&test, &["reads-staging", "--resume", &run_id]);
    assert_eq!(refused.code, Some(2));
    let events = refused.events();
    assert_eq!(
        events[0]["message"],
        format!("`reads` changed since run {run_id}: its steps may not line up any more")
    );
    assert_eq!(test.requests().len(), before, "nothing was sent");
    let forced = run(&test, &["reads-staging", "--resume", &run_id, "--force"]);
    assert_eq!(forced.code, Some(0), "{}", forced.stdout);
}

#[test]
fn resume_of_a_rhai_runbook_skips_finished_steps_too() {
    let fault = format!("GET /apps/{STAGING}/formation 500x1");
    let script = "//! Two reads.\n//! environments: staging\nlet info = step(\"App\", || heroku::app(app));\nstep(\"Formation\", || heroku::formation(info.name));\n";
    let test = Test::new().file("reads.rhai", script).sim(&["--fault", &fault]);
    assert_eq!(run(&test, &["reads-staging"]).code, Some(1));
    let run_id = first_run_id(&test);
    let before = test.requests().len();
    let resumed = run(&test, &["reads-staging", "--resume", &run_id]);
    assert_eq!(resumed.code, Some(0), "{}", resumed.stdout);
    assert_eq!(test.requests()[before..], [format!("GET /apps/{STAGING}/formation")]);
}

#[test]
fn a_succeeded_run_has_nothing_to_resume() {
    let test = Test::new().file("reads.yaml", THREE_READS).sim(&[]);
    assert_eq!(run(&test, &["reads-staging"]).code, Some(0));
    let run_id = first_run_id(&test);
    let refused = run(&test, &["reads-staging", "--resume", &run_id]);
    assert_eq!(refused.code, Some(2));
    let events = refused.events();
    assert_eq!(events[0]["message"], format!("run {run_id} succeeded: there is nothing to resume"));
}

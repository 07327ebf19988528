//! Journal before effect, or no effect: when the journal can no longer be written (its disk is
//! full), no write leaves and no command starts that the journal does not show; the run stops
//! with exit 4 and says how to resume, and `--resume` sends what was not sent, once.
//!
//! The disk fills in the middle of the run: a step of the run itself swaps the journal for a
//! link to `/dev/full`, where every write fails with "No space left on device".

use crate::harness::{STAGING, Test};

/// The first time it runs, the journal's disk becomes full; then a restart, then a command.
const FILLS_THE_DISK: &str = r#"
description: The journal's disk fills up, then a restart and a command.
environments: [staging]
steps:
  - name: Disk fills
    sh: '[ -e "$RUNBOOK_STATE_DIR/filled" ] || { touch "$RUNBOOK_STATE_DIR/filled"; mv "$RUNBOOK_STATE_DIR/journal.jsonl" "$RUNBOOK_STATE_DIR/kept.jsonl"; ln -sf /dev/full "$RUNBOOK_STATE_DIR/journal.jsonl"; }'
  - name: Restart
    do: heroku.restart
    with: { app: "${app}" }
  - name: Mark
    sh: 'echo ran >> "$RUNBOOK_STATE_DIR/marks"'
"#;

/// A Rhai runbook whose disk fills between two writes of one step.
const FILLS_IN_A_STEP: &str = "//! The disk fills between two writes.\n//! environments: staging\nstep(\"Both\", || {\n  heroku::restart_dyno(app, \"web.1\");\n  heroku::restart_dyno(app, \"web.2\");\n});\n";

fn deletes(test: &Test) -> Vec<String> {
    test.write_requests().into_iter().filter(|request| request.starts_with("DELETE ")).collect()
}

/// Puts the real journal back where it was, as freeing the disk would.
fn free_the_disk(test: &Test) {
    let state = test.state();
    std::fs::remove_file(state.join("journal.jsonl")).unwrap();
    std::fs::rename(state.join("kept.jsonl"), state.join("journal.jsonl")).unwrap();
}

#[test]
fn no_write_leaves_once_the_journal_cannot_be_written_and_resume_sends_it_once() {
    let test = Test::new().file("fills.yaml", FILLS_THE_DISK).sim(&[]);
    let outcome = test
        .run(&["run", "fills-staging", "--yes"])
        .code(4)
        .stderr_has("cannot write the journal")
        .stderr_has("--resume");
    assert!(deletes(&test).is_empty(), "sent with no record: {outcome:?}");
    assert!(!test.state().join("marks").exists(), "a command ran unrecorded");

    free_the_disk(&test);
    let run_id = test.journaled("run_started")[0]["run_id"].as_str().unwrap().to_string();
    test.run(&["run", "fills-staging", "--yes", "--resume", &run_id]).code(0);
    assert_eq!(
        deletes(&test),
        [format!("DELETE /apps/{STAGING}/dynos")],
        "sent once, by the resumed run"
    );
    let marks = std::fs::read_to_string(test.state().join("marks")).unwrap();
    assert_eq!(marks, "ran\n");
}

#[test]
fn a_full_disk_between_two_writes_of_a_step_stops_the_second() {
    let test = Test::new().file("both.rhai", FILLS_IN_A_STEP).sim(&[]);
    let state = test.state().to_path_buf();
    let journal = state.join("journal.jsonl");
    let mut child = test.spawn(&["run", "both-staging", "--yes"]);
    // The first restart's record is the sign to fill the disk: once it is in the journal, the
    // journal is swapped for /dev/full before the second write is recorded... or after it. Either
    // way, no DELETE may reach the simulator without its `write_sent` record in the journal.
    crate::harness::wait_for("the first write's record", || {
        std::fs::read_to_string(&journal).is_ok_and(|text| text.contains("\"write_sent\""))
    });
    std::fs::rename(&journal, state.join("kept.jsonl")).unwrap();
    std::os::unix::fs::symlink("/dev/full", &journal).unwrap();
    let status = child.wait().unwrap();
    std::fs::remove_file(&journal).unwrap();
    std::fs::rename(state.join("kept.jsonl"), &journal).unwrap();
    let recorded = test.journaled("write_sent").len();
    let sent = deletes(&test).len();
    assert_eq!(sent, recorded, "every write that left is in the journal");
    if sent < 2 {
        assert_eq!(status.code(), Some(4), "the run stopped for its journal");
    }
}

#[test]
fn a_journal_that_cannot_be_written_at_the_start_stops_the_run_before_anything() {
    let test = Test::new().sim(&[]);
    std::os::unix::fs::symlink("/dev/full", test.state().join("journal.jsonl")).unwrap();
    test.run(&["run", "restart-staging", "--yes"]).code(2).stderr_has("cannot write the journal");
    assert!(test.requests().is_empty(), "{:?}", test.requests());
}

#[test]
fn a_journal_that_breaks_in_the_last_step_still_ends_the_run_with_exit_4() {
    let runbook = "description: The disk fills in the last step.\nenvironments: [staging]\nsteps:\n  - name: Restart\n    do: heroku.restart\n    with: { app: \"${app}\" }\n  - name: Disk fills\n    sh: 'mv \"$RUNBOOK_STATE_DIR/journal.jsonl\" \"$RUNBOOK_STATE_DIR/kept.jsonl\"; ln -sf /dev/full \"$RUNBOOK_STATE_DIR/journal.jsonl\"'\n";
    let test = Test::new().file("last.yaml", runbook).sim(&[]);
    test.run(&["run", "last-staging", "--yes"]).code(4).stderr_has("cannot write the journal");
    free_the_disk(&test);
    assert_eq!(deletes(&test), [format!("DELETE /apps/{STAGING}/dynos")]);
}

#[test]
fn an_upload_is_journaled_before_it_leaves() {
    let work = tempfile::tempdir().unwrap();
    crate::harness::repository(work.path(), &[]);
    let test = Test::new().sim(&["--fault", "POST /sources delay=3sx1"]);
    let state = test.state().to_path_buf();
    let journal = state.join("journal.jsonl");
    let directory = format!("directory={}", work.path().display());
    let child = test.spawn(&["run", "deploy-staging", "-p", &directory, "--yes"]);
    // The source's POST is journaled, then answers in 3 s: the disk fills meanwhile, so the
    // upload that follows can no longer be recorded.
    crate::harness::wait_for("the source's record", || {
        std::fs::read_to_string(&journal).is_ok_and(|text| text.contains("/sources"))
    });
    std::fs::rename(&journal, state.join("kept.jsonl")).unwrap();
    std::os::unix::fs::symlink("/dev/full", &journal).unwrap();
    crate::harness::Outcome::of_child(child).code(4);
    free_the_disk(&test);
    let uploads: Vec<String> =
        test.requests().into_iter().filter(|request| request.starts_with("PUT ")).collect();
    assert!(uploads.is_empty(), "uploaded with no record: {uploads:?}");
}

//! Snapshots of the screens an operator reads (a rehearsed restart, its dry-run, the history, a
//! runbook shown, a refused runbook), with what changes from one run to the next (run ids, times,
//! ports, durations, temporary folders) filtered out. `INSTA_UPDATE=always` writes them anew;
//! review the change in `git diff` before committing it.

use crate::harness::Test;

/// Run ids, clock times, local ports, durations and temporary paths, made stable.
fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"\d{8}-\d{6}-[0-9a-f]{6}", "[RUN-ID]");
    settings.add_filter(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[UUID]");
    settings.add_filter(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z", "[TIME]");
    settings.add_filter(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", "[DATE TIME]");
    settings.add_filter(r"\b\d+ ms\b", "[MS]");
    settings.add_filter(r"\b\d{2}:\d{2}:\d{2} UTC\b", "[HH:MM:SS] UTC");
    settings.add_filter(r"\b\d{2}:\d{2}( UTC)?\b", "[HH:MM]");
    settings.add_filter(r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]");
    settings.add_filter(r"\b\d+\.\d+s\b", "[SECONDS]");
    settings.add_filter(r"/tmp/\.tmp[A-Za-z0-9]+", "[TMP]");
    settings.add_filter(r"(?m)[ \t]+$", "");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

#[test]
fn a_rehearsed_restart() {
    let test = Test::new();
    let outcome = test.run(&["run", "restart-staging", "--sim", "--yes"]).code(0);
    settings().bind(|| insta::assert_snapshot!("rehearsed_restart", outcome.stderr));
}

#[test]
fn a_dry_run_of_production() {
    let test = Test::new();
    let outcome = test.run(&["run", "restart-production", "--sim", "--dry-run"]).code(0);
    settings().bind(|| insta::assert_snapshot!("dry_run_production", outcome.stderr));
}

#[test]
fn the_history_and_one_run_of_it() {
    let test = Test::new().sim(&[]).env("USER", "ops");
    test.run(&["run", "restart-staging", "--yes"]).code(0);
    let listed = test.run(&["history"]).code(0);
    let run_id = test.journaled("run_started")[0]["run_id"].as_str().unwrap().to_string();
    let shown = test.run(&["history", "show", &run_id]).code(0);
    settings().bind(|| {
        insta::assert_snapshot!("history", listed.stdout);
        insta::assert_snapshot!("history_show", shown.stdout);
    });
}

#[test]
fn a_runbook_shown() {
    let test = Test::new();
    let outcome = test.run(&["show", "restart-production"]).code(0);
    settings().bind(|| insta::assert_snapshot!("show_restart_production", outcome.stdout));
}

#[test]
fn a_refused_runbook() {
    let test = Test::new().file(
        "broken.yaml",
        "description: A step with a misspelt operation and a missing argument.\nsteps:\n  - name: Restart\n    do: heroku.restrat\n    with: { app: some-app }\n  - name: Scale\n    do: heroku.scale\n    with: { app: some-app, process_type: web }\n",
    );
    let outcome = test.run(&["check", "broken"]).code(2);
    settings().bind(|| insta::assert_snapshot!("refused_runbook", outcome.stderr));
}

//! The Rhai sandbox: runaway scripts end with a clear error, imports stay inside the runbooks folder.

mod common;

use std::time::{Duration, Instant};

use common::{Sim, runbook, runbooks_folder, text};

fn run_script(sim: &Sim, name: &str, script: &str) -> (std::process::Output, Duration) {
    let folder = runbooks_folder(&[(&format!("{name}.rhai"), script)]);
    let home = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let output = sim
        .runbook(home.path())
        .env("RUNBOOK_DIR", folder.path())
        .args(["run", &format!("{name}-staging")])
        .output()
        .unwrap();
    (output, started.elapsed())
}

/// Far more than the sandbox needs; only there so that a hang fails the test instead of CI.
const HANG: Duration = Duration::from_secs(60);

#[test]
fn an_endless_loop_ends_with_a_clear_error() {
    let sim = Sim::start();
    let script = "//! Spin.\n//! environments: staging\nstep(\"Spin\", || { let n = 0; loop { n += 1; } });\n";
    let (output, took) = run_script(&sim, "spin", script);
    assert!(took < HANG);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the script ran too long without finishing (more than the sandbox's operation limit): an endless loop? (line 3)"), "{stderr}");
}

#[test]
fn unbounded_recursion_ends_with_a_clear_error() {
    let sim = Sim::start();
    let script = "//! Recurse.\n//! environments: staging\nfn down(n) { down(n + 1) }\nstep(\"Recurse\", || down(0));\n";
    let (output, took) = run_script(&sim, "recurse", script);
    assert!(took < HANG);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the script called functions too deeply: unbounded recursion?"),
        "{stderr}"
    );
}

#[test]
fn a_step_timeout_ends_a_busy_script() {
    let sim = Sim::start();
    let script = "//! Busy.\n//! environments: staging\nstep(\"Busy\", || with_timeout(\"200ms\", || { let n = 0; loop { n += 1; } }));\n";
    let (output, took) = run_script(&sim, "busy", script);
    assert!(took < HANG);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error: timed out after 200ms"), "{stderr}");
}

#[test]
fn eval_is_not_available() {
    let folder = runbooks_folder(&[(
        "evil.rhai",
        "//! Eval.\n//! environments: staging\neval(\"40 + 2\");\n",
    )]);
    let home = tempfile::tempdir().unwrap();
    let output = runbook(home.path())
        .env("RUNBOOK_DIR", folder.path())
        .args(["check", "evil"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("evil.rhai:3:1"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn imports_come_only_from_inside_the_runbooks_folder() {
    let helpers = "fn up_count(dynos) { dynos.filter(|dyno| dyno.state == \"up\").len() }\n";
    let uses = "//! Uses a helper.\n//! environments: staging\nimport \"lib/helpers\" as helpers;\nlet dynos = step(\"Dynos\", || heroku::dynos(app));\nprint(`${helpers::up_count(dynos)} dynos up`);\n";
    let escapes = "//! Escapes.\n//! environments: staging\nimport \"../outside\" as outside;\n";
    let folder = runbooks_folder(&[
        ("lib/helpers.rhai", helpers),
        ("uses.rhai", uses),
        ("escapes.rhai", escapes),
    ]);
    std::fs::write(
        folder.path().parent().unwrap().join("outside.rhai"),
        "fn x() { 1 }\n",
    )
    .ok();
    let sim = Sim::start();
    let home = tempfile::tempdir().unwrap();
    let used = sim
        .runbook(home.path())
        .env("RUNBOOK_DIR", folder.path())
        .args(["run", "uses-staging"])
        .output()
        .unwrap();
    assert_eq!(used.status.code(), Some(0), "{}", text(&used.stderr));
    assert!(
        text(&used.stderr).contains("3 dynos up"),
        "{}",
        text(&used.stderr)
    );
    let escaped = sim
        .runbook(home.path())
        .env("RUNBOOK_DIR", folder.path())
        .args(["run", "escapes-staging"])
        .output()
        .unwrap();
    let stderr = text(&escaped.stderr);
    assert_eq!(escaped.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("`../outside` is outside the runbooks folder"),
        "{stderr}"
    );
}

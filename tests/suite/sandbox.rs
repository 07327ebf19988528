//! The Rhai sandbox: runaway scripts end with a clear error, imports stay inside the runbooks folder.

use std::time::{Duration, Instant};

use crate::harness::{Outcome, Test};

fn run_script(name: &str, script: &str) -> (Outcome, Duration) {
    let test = Test::new().file(&format!("{name}.rhai"), script).sim(&[]);
    let started = Instant::now();
    let output = test.run(&["run", &format!("{name}-staging")]);
    (output, started.elapsed())
}

/// Far more than the sandbox needs; only there so that a hang fails the test instead of CI.
const HANG: Duration = Duration::from_secs(60);

#[test]
fn an_endless_loop_ends_with_a_clear_error() {
    let script = "//! Spin.\n//! environments: staging\nstep(\"Spin\", || { let n = 0; loop { n += 1; } });\n";
    let (output, took) = run_script("spin", script);
    assert!(took < HANG);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(1), "{stderr}");
    assert!(stderr.contains("the script ran too long without finishing (more than the sandbox's operation limit): an endless loop? (line 3)"), "{stderr}");
}

#[test]
fn unbounded_recursion_ends_with_a_clear_error() {
    let script = "//! Recurse.\n//! environments: staging\nfn down(n) { down(n + 1) }\nstep(\"Recurse\", || down(0));\n";
    let (output, took) = run_script("recurse", script);
    assert!(took < HANG);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(1), "{stderr}");
    assert!(
        stderr.contains("the script called functions too deeply: unbounded recursion?"),
        "{stderr}"
    );
}

#[test]
fn a_step_timeout_ends_a_busy_script() {
    let script = "//! Busy.\n//! environments: staging\nstep(\"Busy\", || with_timeout(\"200ms\", || { let n = 0; loop { n += 1; } }));\n";
    let (output, took) = run_script("busy", script);
    assert!(took < HANG);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(1), "{stderr}");
    assert!(stderr.contains("error: timed out after 200ms"), "{stderr}");
}

#[test]
fn eval_is_not_available() {
    let output = Test::new()
        .file(
            "evil.rhai",
            "//! Eval.\n//! environments: staging\neval(\"40 + 2\");\n",
        )
        .run(&["check", "evil"]);
    assert_eq!(output.code, Some(2));
    assert!(output.stderr.contains("evil.rhai:3:1"), "{}", output.stderr);
}

/// An import from outside the runbooks folder is refused by validation, before the run starts
/// (`check` and `run` alike, nothing sent); an import from inside works. The guard of the runtime
/// resolver is attacked by `a_module_swapped_for_a_symlink_after_validation_is_refused`.
#[test]
fn validation_refuses_an_import_from_outside_the_runbooks_folder() {
    let helpers = "fn up_count(dynos) { dynos.filter(|dyno| dyno.state == \"up\").len() }\n";
    let uses = "//! Uses a helper.\n//! environments: staging\nimport \"lib/helpers\" as helpers;\nlet dynos = step(\"Dynos\", || heroku::dynos(app));\nprint(`${helpers::up_count(dynos)} dynos up`);\n";
    let escapes = "//! Escapes.\n//! environments: staging\nimport \"../outside\" as outside;\n";
    let test = Test::new()
        .file("lib/helpers.rhai", helpers)
        .file("uses.rhai", uses)
        .file("escapes.rhai", escapes)
        .sim(&[]);
    std::fs::write(
        test.runbooks().parent().unwrap().join("outside.rhai"),
        "fn x() { 1 }\n",
    )
    .ok();
    let used = test.run(&["run", "uses-staging"]);
    assert_eq!(used.code, Some(0), "{}", used.stderr);
    assert!(used.stderr.contains("3 dynos up"), "{}", used.stderr);
    let checked = test.run(&["check", "escapes"]);
    assert_eq!(checked.code, Some(2), "{}", checked.stderr);
    assert!(
        checked
            .stderr
            .contains("`../outside` is outside the runbooks folder"),
        "{}",
        checked.stderr
    );
    let before = test.requests().len();
    let escaped = test.run(&["run", "escapes-staging"]);
    let stderr = &escaped.stderr;
    assert_eq!(escaped.code, Some(2), "{stderr}");
    assert!(
        stderr.contains("`../outside` is outside the runbooks folder"),
        "{stderr}"
    );
    assert_eq!(
        test.requests().len(),
        before,
        "refused before the run sent anything: {:?}",
        test.requests()
    );
}

/// Validation checked `lib/helpers` inside the folder; a step then swaps it for a symlink to a
/// file outside. The import at run time goes through the resolver's own check of the real path,
/// and is refused: the outside module never runs.
#[test]
fn a_module_swapped_for_a_symlink_after_validation_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.rhai");
    std::fs::write(&secret, "fn x() { 666 }\n").unwrap();
    let runbook = format!(
        "description: swaps a checked module for a symlink out of the folder\n\
         environments: [staging]\n\
         steps:\n  \
           - name: Swap\n    sh: ln -sf {} lib/helpers.rhai\n  \
           - name: Import\n    script: |\n      import \"lib/helpers\" as h;\n      `value ${{h::x()}}`\n",
        secret.display()
    );
    let test = Test::new()
        .file("lib/helpers.rhai", "fn x() { 1 }\n")
        .file("swap.yaml", &runbook);
    let folder = test.runbooks();
    let test = test.current_dir(&folder);
    let swapped = test.run(&["run", "swap-staging", "--sim", "--yes"]);
    assert_eq!(swapped.code, Some(1), "{}", swapped.shown());
    assert!(
        std::fs::symlink_metadata(test.runbooks().join("lib/helpers.rhai"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the swap happened"
    );
    assert!(
        swapped.stderr.contains("leads outside the runbooks folder"),
        "{}",
        swapped.stderr
    );
    assert!(!swapped.shown().contains("666"), "{}", swapped.shown());
}

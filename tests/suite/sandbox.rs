//! The Rhai sandbox: runaway scripts end with a clear error, imports stay inside the runbooks folder.

use std::time::{Duration, Instant};

use crate::harness::{Outcome, STAGING, Test, wait_for};

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
    assert!(stderr.contains("the run's scripts ran too long without finishing (more than 50000000 operations in all): an endless loop? (line 3)"), "{stderr}");
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
        .file("evil.rhai", "//! Eval.\n//! environments: staging\neval(\"40 + 2\");\n")
        .run(&["check", "evil"]);
    assert_eq!(output.code, Some(2));
    assert!(output.stderr.contains("evil.rhai:3:1"), "{}", output.stderr);
}

/// What a module from outside the folder exports, had it been loaded.
const OUTSIDE: &str = "fn x() { 1 }\nexport const FROM = \"outside\";\n";

/// A runbook that reads the dynos, then imports `lib/GATE` and prints where its `FROM` came from.
fn importing(gate: &str) -> String {
    format!(
        "//! Imports a module.\n//! environments: staging\nstep(\"Dynos\", || heroku::dynos(app));\nimport \"lib/{gate}\" as gate;\nprint(`from ${{gate::FROM}}`);\n"
    )
}

/// Imports come only from inside the runbooks folder, and validation reads every module a
/// runbook imports, however deep: a module that imports from outside in any form (a `..` path,
/// an absolute path, a symlink out of the folder, a path computed at run time) makes the runbook
/// invalid before anything runs, and an import from inside works.
#[test]
fn imports_come_only_from_inside_the_runbooks_folder() {
    let helpers = "fn up_count(dynos) { dynos.filter(|dyno| dyno.state == \"up\").len() }\n";
    let uses = "//! Uses a helper.\n//! environments: staging\nimport \"lib/helpers\" as helpers;\nlet dynos = step(\"Dynos\", || heroku::dynos(app));\nprint(`${helpers::up_count(dynos)} dynos up`);\n";
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("outside.rhai"), OUTSIDE).unwrap();
    let absolute = elsewhere.path().join("outside");
    let absolute = absolute.to_str().unwrap();
    let attacks = [
        (
            "dots",
            "import \"../outside\" as o;\nexport const FROM = o::FROM;\n".to_string(),
            "`../outside` is outside the runbooks folder",
        ),
        (
            "absolute",
            format!("import \"{absolute}\" as o;\nexport const FROM = o::FROM;\n"),
            "is outside the runbooks folder",
        ),
        (
            "link",
            "import \"lib/link\" as o;\nexport const FROM = o::FROM;\n".to_string(),
            "`lib/link` leads outside the runbooks folder",
        ),
        (
            "computed",
            "fn later() {\n    let path = \"../out\";\n    path += \"side\";\n    import path as o;\n    o::FROM\n}\nexport const FROM = \"inside\";\n".to_string(),
            "an import path must be a plain string",
        ),
    ];
    let mut test = Test::new().file("lib/helpers.rhai", helpers).file("uses.rhai", uses);
    for (form, gate, _) in &attacks {
        test = test
            .file(&format!("lib/gate-{form}.rhai"), gate)
            .file(&format!("{form}.rhai"), &importing(&format!("gate-{form}")));
    }
    let test = test.sim(&[]);
    std::os::unix::fs::symlink(
        elsewhere.path().join("outside.rhai"),
        test.runbooks().join("lib/link.rhai"),
    )
    .unwrap();
    let used = test.run(&["run", "uses-staging"]);
    assert_eq!(used.code, Some(0), "{}", used.stderr);
    assert!(used.stderr.contains("3 dynos up"), "{}", used.stderr);
    for (form, _, refusal) in &attacks {
        let before = test.requests().len();
        test.run(&["check", form]).code(2).stderr_has(refusal);
        let attacked = test.run(&["run", &format!("{form}-staging")]).code(2).stderr_has(refusal);
        assert!(
            !attacked.shown().contains("from outside"),
            "{form}: a module from outside was loaded:\n{}",
            attacked.shown()
        );
        assert_eq!(test.requests().len(), before, "{form}: refused before the run sent anything");
    }
}

/// More modules than a runbook may import in all is an error at check, not modules left
/// unchecked: validation never stops following imports while the run goes on loading them.
#[test]
fn too_many_modules_are_refused_rather_than_left_unchecked() {
    let imports: String = (0..100)
        .map(|number| format!("    import \"lib/m{number:03}\" as m{number:03};\n"))
        .collect();
    let filler = format!("fn never() {{\n{imports}}}\nexport const FROM = \"filler\";\n");
    let mut test = Test::new()
        .file("lib/gate-filler.rhai", &filler)
        .file("many.rhai", &importing("gate-filler"));
    for number in 0..100 {
        test = test.file(&format!("lib/m{number:03}.rhai"), "fn f() { 1 }\n");
    }
    let test = test.sim(&[]);
    test.run(&["check", "many"]).code(2).stderr_has("modules imported");
    test.run(&["run", "many-staging"]).code(2).stderr_has("modules imported");
    assert!(test.requests().is_empty(), "{:?}", test.requests());
}

/// A module validation checked is what the run imports, whatever happens to its file in between:
/// swapped for a symlink out of the folder while the run waits on its first read, or rewritten
/// in place, the run still imports the text that was checked.
#[test]
fn a_run_imports_the_module_text_that_was_checked() {
    for swap in ["link out of the folder", "new text in place"] {
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::write(elsewhere.path().join("helpers.rhai"), OUTSIDE).unwrap();
        let test = Test::new()
            .file("swapped.rhai", &importing("helpers"))
            .file("lib/helpers.rhai", "export const FROM = \"inside\";\n")
            .sim(&["--fault", &format!("GET /apps/{STAGING}/dynos delay=3s")]);
        let child = test.spawn(&["run", "swapped-staging"]);
        wait_for("the run's first read to reach the simulator", || {
            test.simulator().stats()["max_in_flight"].as_u64().unwrap_or(0) >= 1
        });
        let module = test.runbooks().join("lib/helpers.rhai");
        if swap == "new text in place" {
            std::fs::write(&module, OUTSIDE).unwrap();
        } else {
            std::fs::remove_file(&module).unwrap();
            std::os::unix::fs::symlink(elsewhere.path().join("helpers.rhai"), &module).unwrap();
        }
        let swapped = Outcome::of_child(child).code(0).stderr_has("from inside");
        assert!(!swapped.shown().contains("from outside"), "{swap}: {}", swapped.shown());
    }
}

/// The same for a YAML `script:` step, after an `sh:` step of the same run swapped the module
/// for a symlink to a file outside: the checked text is imported, the outside one never runs.
#[test]
fn a_module_swapped_by_an_earlier_step_is_not_what_runs() {
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
    let test = Test::new().file("lib/helpers.rhai", "fn x() { 1 }\n").file("swap.yaml", &runbook);
    let folder = test.runbooks();
    let test = test.current_dir(&folder);
    let swapped =
        test.run(&["run", "swap-staging", "--sim", "--yes"]).code(0).stderr_has("value 1");
    assert!(
        std::fs::symlink_metadata(folder.join("lib/helpers.rhai"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the swap happened"
    );
    assert!(!swapped.shown().contains("666"), "{}", swapped.shown());
}

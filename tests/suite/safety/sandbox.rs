//! The Rhai sandbox's budgets are per run, shared by `for_each` items and threads; imports come
//! only from inside the runbooks folder (real paths), and imported modules are checked like
//! runbooks before anything runs.

use crate::harness::Test;

const SPINNING_ITEMS: &str = "//! Every item loops forever.\nlet items = [];\nfor i in 0..40 { items.push(i); }\nlet results = for_each(items, 4, |x| { print(`start ${x}`); loop {} });\n";

const RECURSION: &str = "//! Recursion through for_each.\nfn deeper(n) { for_each([n], 1, |x| deeper(x + 1)) }\ndeeper(0);\n";

const IMPORTER: &str = "//! Imports a module.\n//! environments: staging\nimport \"lib/helpers\" as helpers;\nstep(\"Restart\", || heroku::restart(app));\nhelpers::restart_it(app);\n";

const BROKEN_MODULE: &str = "fn restart_it(app) { heroku::restrat(app) }\n";

#[test]
fn for_each_items_share_one_operations_budget() {
    let test = Test::new().file("spin.rhai", SPINNING_ITEMS).sim(&[]);
    let outcome = test.run(&["run", "spin"]).code(1);
    let started = outcome.stderr.matches("start ").count();
    assert!(
        started < 20,
        "items stopped once the run's budget was spent, not each with a budget of its own: {started} started\n{}",
        outcome.stderr
    );
    assert!(
        outcome.stderr.contains("operations in all") || outcome.stderr.contains("too long"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn recursion_through_for_each_ends_cleanly_at_the_depth_limit() {
    let test = Test::new().file("recursion.rhai", RECURSION).sim(&[]);
    test.run(&["run", "recursion"]).code(1).stderr_has("too deeply");
}

#[test]
fn an_import_through_a_symlink_out_of_the_folder_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("helpers.rhai"),
        "fn restart_it(app) { heroku::restart(app) }\n",
    )
    .unwrap();
    let test = Test::new().file("importer.rhai", IMPORTER).sim(&[]);
    std::fs::create_dir_all(test.runbooks().join("lib")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("helpers.rhai"),
        test.runbooks().join("lib/helpers.rhai"),
    )
    .unwrap();
    test.run(&["check", "importer"]).code(2).stderr_has("leads outside the runbooks folder");
    test.run(&["run", "importer-staging", "--yes"]).code(2);
    assert!(test.requests().is_empty(), "{:?}", test.requests());
}

#[test]
fn an_unknown_call_in_an_imported_module_stops_the_run_before_anything_is_sent() {
    let test = Test::new()
        .file("importer.rhai", IMPORTER)
        .file("lib/helpers.rhai", BROKEN_MODULE)
        .sim(&[]);
    test.run(&["check", "importer"])
        .code(2)
        .stderr_has("helpers.rhai:1:")
        .stderr_has("unknown operation `heroku::restrat`");
    test.run(&["run", "importer-staging", "--yes"]).code(2);
    assert!(test.requests().is_empty(), "{:?}", test.requests());
}

#[test]
fn a_template_inside_a_for_each_list_is_refused_at_check() {
    let runbook = "description: x\nenvironments: [staging]\nsteps:\n  - name: Each\n    do: heroku.dynos\n    for_each: [\"${app}\", other]\n    with: { app: \"${item}\" }\n";
    Test::new()
        .file("listed.yaml", runbook)
        .run(&["check", "listed"])
        .code(2)
        .stderr_has("listed.yaml:6:")
        .stderr_has("not evaluated");
}

#[test]
fn an_import_path_with_a_dot_is_refused_as_rhai_would_load_another_file() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("outside.rhai"), "fn f() { 1 }\n").unwrap();
    let script = "//! Imports a dotted path.\n//! environments: staging\nimport \"evil.x\" as m;\nstep(\"Show\", || 1);\n";
    let test =
        Test::new().file("dotted.rhai", script).file("evil.x.rhai", "fn f() { 2 }\n").sim(&[]);
    std::os::unix::fs::symlink(
        outside.path().join("outside.rhai"),
        test.runbooks().join("evil.rhai"),
    )
    .unwrap();
    test.run(&["check", "dotted"]).code(2).stderr_has("outside the runbooks folder");
    test.run(&["run", "dotted-staging"]).code(2);
}

#[test]
fn imports_inside_a_yaml_script_are_checked_before_the_run() {
    let runbook = "description: A write, then a script that imports a broken module.\nenvironments: [staging]\nsteps:\n  - name: Maintenance on\n    do: heroku.maintenance\n    with: { app: \"${app}\", enabled: true }\n  - name: Script\n    script: 'import \"lib/bad\" as bad; bad::X'\n";
    let test = Test::new()
        .file("script-import.yaml", runbook)
        .file("lib/bad.rhai", "fn boom(app) { heroku::bogus_call(app) }\nexport const X = 42;\n")
        .sim(&[]);
    test.run(&["check", "script-import"])
        .code(2)
        .stderr_has("unknown operation `heroku::bogus_call`");
    test.run(&["run", "script-import-staging", "--yes"]).code(2);
    assert!(test.write_requests().is_empty(), "{:?}", test.write_requests());
}

#[test]
fn a_yaml_script_cannot_call_an_operation() {
    let runbook = "description: A script that writes.\nenvironments: [staging]\nsteps:\n  - name: Script\n    script: 'heroku::restart(app)'\n";
    Test::new()
        .file("script-write.yaml", runbook)
        .run(&["check", "script-write"])
        .code(2)
        .stderr_has("cannot call operations");
}

/// Items that each need more operations than the engine once gave one call (10 million), but
/// all together less than the run's budget: they finish, since the budget is the run's.
const HEAVY_ITEMS: &str = "//! Heavy items.\nlet results = for_each([1, 2], 1, |x| { let n = 0; while n < 2500000 { n += 1; } x });\nprint(`results ${results}`);\n";

/// Items that together need more than the run's budget: the run stops once, with one message.
const TOO_HEAVY_ITEMS: &str = "//! Too heavy items.\nlet results = for_each([1, 2, 3, 4, 5, 6, 7, 8], 2, |x| { let n = 0; while n < 2500000 { n += 1; } x });\nprint(`results ${results}`);\n";

#[test]
fn for_each_items_draw_on_the_run_budget_not_one_of_their_own() {
    let test = Test::new()
        .file("heavy.rhai", HEAVY_ITEMS)
        .file("too-heavy.rhai", TOO_HEAVY_ITEMS)
        .sim(&[]);
    test.run(&["run", "heavy"]).code(0).stderr_has("results [1, 2]");
    let outcome = test.run(&["run", "too-heavy"]).code(1);
    assert!(outcome.stderr.contains("operations in all"), "{}", outcome.stderr);
    assert!(
        !outcome.stderr.contains("of 8 failed"),
        "the spent budget is one failure, not one per item: {}",
        outcome.stderr
    );
}

#[test]
fn the_memory_all_of_a_runs_scripts_hold_is_capped() {
    let script = "//! Holds a lot.\nfn hold(n) { let s = \"x\"; s.pad(3000000, 'x'); if n > 0 { hold(n - 1) + s.len() } else { s.len() } }\nstep(\"Hold\", || hold(40));\n";
    let test = Test::new().file("hold.rhai", script).sim(&[]);
    let (outcome, peak_kib, _) = test.run_measured(&["run", "hold"]);
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert!(outcome.stderr.contains("MiB of values in all"), "{}", outcome.stderr);
    assert!(peak_kib < 200 * 1024, "the scripts held {peak_kib} KiB");
}

#[test]
fn check_resolves_every_function_a_script_calls() {
    let script = "//! Calls a misspelt function after a write.\n//! environments: staging\nfn check_dynos(app) { heroku::dynos(app) }\nstep(\"Restart\", || heroku::restart(app));\nchek_dynos(app);\nlet d = heroku::dynos(app);\nd.lenn();\n";
    let test = Test::new().file("misspelt.rhai", script).sim(&[]);
    test.run(&["check", "misspelt"])
        .code(2)
        .stderr_has("unknown function `chek_dynos`")
        .stderr_has("misspelt.rhai:5:")
        .stderr_has("did you mean `check_dynos`?")
        .stderr_has("unknown method `lenn`");
    test.run(&["run", "misspelt-staging", "--yes"]).code(2);
    assert!(test.requests().is_empty(), "{:?}", test.requests());
    let yaml = "description: a template calls a misspelt function\nenvironments: [staging]\nsteps:\n  - name: Say\n    script: \"uper(app)\"\n  - name: Restart\n    do: heroku.restart\n    with: { app: \"${app.to_uper()}\" }\n";
    let test = Test::new().file("misspelt-yaml.yaml", yaml).sim(&[]);
    test.run(&["check", "misspelt-yaml"])
        .code(2)
        .stderr_has("unknown function `uper`")
        .stderr_has("unknown method `to_uper`")
        .stderr_has("did you mean `to_upper`?");
}

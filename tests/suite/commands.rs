//! `list`, `show` and `check` on the shipped runbooks: what a new teammate sees first.

use crate::harness::Test;

#[test]
fn list_names_every_runnable_target() {
    let output = Test::new().run(&["list"]);
    assert_eq!(output.code, Some(0));
    let stdout = &output.stdout;
    let column = |line_start: &str, text: &str| {
        let line = stdout
            .lines()
            .find(|line| line.starts_with(line_start))
            .unwrap_or_else(|| panic!("no line starts with {line_start:?}:\n{stdout}"));
        line.find(text).unwrap_or_else(|| panic!("{text:?} not in {line:?}"))
    };
    let apps = column("  restart-production ", "lazona-connector-production  (protected)");
    assert_eq!(
        column("  restart-staging ", "lazona-connector-staging"),
        apps,
        "the app column lines up:\n{stdout}"
    );
    assert_eq!(
        column("  maintenance-off-production ", "lazona-connector-production"),
        apps,
        "however long the name:\n{stdout}"
    );
    assert_eq!(
        column("restart-dyno ", "rhai"),
        apps,
        "the format column follows the names:\n{stdout}"
    );
}

#[test]
fn show_lists_params_steps_gates_and_endpoints() {
    let output = Test::new().run(&["show", "restart-production"]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    let stdout = &output.stdout;
    assert!(
        stdout.contains("restart-production  lazona-connector-production (production, protected"),
        "{stdout}"
    );
    assert!(
        stdout.contains("-p process_type=...  string, optional, one of web, worker"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2. Restart dynos  [heroku.restart, write] DELETE /apps/{app}/dynos"),
        "{stdout}"
    );
    assert!(stdout.contains("gate: asks \"Restart ${before.len()} dynos of ${app}?\""), "{stdout}");
}

#[test]
fn every_shipped_runbook_is_valid() {
    let output = Test::new().run(&["check"]);
    let stdout = &output.stdout;
    assert_eq!(output.code, Some(0), "{stdout}{}", output.stderr);
    assert!(stdout.contains("14 runbook(s) checked, 0 invalid, 0 with warnings"), "{stdout}");
}

#[test]
fn an_unknown_runbook_suggests_the_closest_name() {
    let output = Test::new().run(&["run", "restart-prodution", "--sim"]);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(2), "{stderr}");
    assert!(stderr.contains("error: no runbook named `restart-prodution`"), "{stderr}");
    assert!(stderr.contains("did you mean `restart-production`?"), "{stderr}");
}

#[test]
fn without_a_runbooks_folder_the_error_says_where_to_look() {
    let test = Test::new().without_env("RUNBOOK_DIR");
    let home = test.home().to_path_buf();
    let test = test.current_dir(&home);
    let output = test.run(&["list"]);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(2), "{stderr}");
    assert!(stderr.contains("no `runbooks/` folder here or in any parent folder"), "{stderr}");
    assert!(stderr.contains("--dir"), "{stderr}");
}

#[test]
fn show_outlines_a_rhai_runbook_without_running_it() {
    let output = Test::new().run(&["show", "restart-dyno-staging"]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    let stdout = &output.stdout;
    assert!(stdout.contains("-p dyno=...  string, required"), "{stdout}");
    assert!(
        stdout.contains("  1. Current dynos\n  2. Restart the dyno\n  3. Wait until it is up"),
        "{stdout}"
    );
    assert!(
        stdout.contains("heroku::restart_dyno  [write] DELETE /apps/{app}/dynos/{dyno}"),
        "{stdout}"
    );
}

#[test]
fn show_tells_retries_timeouts_fan_outs_and_finally() {
    let runbook_text = r#"
description: Everything at once.
environments: [staging]
steps:
  - name: Restart the fleet
    do: heroku.restart
    with: { app: "${item}" }
    for_each: [a-app, b-app]
    concurrency: 2
    retry: { attempts: 3, delay: 2s, backoff: 2 }
    timeout: 1m
    on_failure:
      - name: Look at the dynos
        do: heroku.dynos
        with: { app: "${app}" }
finally:
  - name: Formation at the end
    do: heroku.formation
    with: { app: "${app}" }
"#;
    let output =
        Test::new().file("everything.yaml", runbook_text).run(&["show", "everything-staging"]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    let stdout = &output.stdout;
    for expected in [
        "for each item of [\"a-app\",\"b-app\"], 2 at a time",
        "retry: 3 tries, 2s apart, x2 each time",
        "timeout: 1m",
        "on failure:\n         1. Look at the dynos",
        "finally (always, even after a failure or Ctrl-C):\n  1. Formation at the end",
    ] {
        assert!(stdout.contains(expected), "`{expected}` in:\n{stdout}");
    }
}

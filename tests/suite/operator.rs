//! The operator at 3 a.m.: output that says where a run goes, sums long reads up, prints an error
//! once, and `check` that catches what a run would trip on, with suggestions.

use crate::harness::{PRODUCTION, STAGING, Test, exit_code};

const STAGING_RESTART: &[&str] = &["run", "restart-staging", "--sim", "--yes"];

fn lines_with<'a>(text: &'a str, needle: &str) -> Vec<&'a str> {
    text.lines().filter(|line| line.contains(needle)).collect()
}

#[test]
fn the_header_says_where_the_run_goes() {
    let test = Test::new();
    let production =
        test.run(&["run", "restart-production", "--sim", "--dry-run", "--confirm", PRODUCTION]);
    let header = production.stderr.lines().next().unwrap_or_default();
    assert!(header.contains(&format!("{PRODUCTION} (production, PROTECTED)")), "{header}");
    assert!(header.contains("REHEARSAL (simulator): nothing reaches Heroku"), "{header}");
    assert!(header.contains("DRY-RUN: writes are planned, not sent"), "{header}");

    let staging = test.run(&["run", "status-staging", "--sim"]).code(0);
    let header = staging.stderr.lines().next().unwrap_or_default();
    assert!(header.contains(&format!("{STAGING} (staging)")), "{header}");
    assert!(!header.contains("PROTECTED") && !header.contains("DRY-RUN"), "{header}");

    let elsewhere = Test::new().sim(&[]);
    let leftover = elsewhere.run(&["run", "status-staging"]).code(0);
    let header = leftover.stderr.lines().next().unwrap_or_default();
    let url = &elsewhere.simulator().url;
    assert!(
        header.contains(&format!("API {url}, not Heroku's")),
        "a leftover HEROKU_API_URL is named: {header}"
    );
}

#[test]
fn a_protected_header_stands_out_in_colour_on_a_terminal() {
    let test = Test::new().without_env("NO_COLOR");
    let mut production =
        test.terminal(&["run", "status-production", "--sim", "--confirm", PRODUCTION]);
    let shown = production.exp_string("finished").unwrap();
    let header = shown
        .lines()
        .find(|line| line.contains("PROTECTED"))
        .unwrap_or_else(|| panic!("{shown:?}"));
    assert!(
        header.contains("\u{1b}[31m") && header.contains("\u{1b}[7m"),
        "red and reversed: {header:?}"
    );
    production.exp_eof().unwrap();
    let mut staging = test.terminal(&["run", "status-staging", "--sim"]);
    let shown = staging.exp_string("finished").unwrap();
    let header =
        shown.lines().find(|line| line.contains(STAGING)).unwrap_or_else(|| panic!("{shown:?}"));
    assert!(
        !header.contains("\u{1b}[7m") && header.contains("\u{1b}[32m"),
        "staging is green, not reversed: {header:?}"
    );
    staging.exp_eof().unwrap();
}

#[test]
fn a_dry_run_write_is_planned_never_ticked() {
    let test = Test::new();
    let human = test.run(&["run", "restart-staging", "--sim", "--dry-run", "--yes"]).code(0);
    let stderr = &human.stderr;
    assert!(stderr.contains("○ [2/4] Restart dynos  planned, not sent"), "{stderr}");
    assert!(!stderr.contains("✓ [2/4] Restart dynos"), "{stderr}");
    assert!(stderr.contains("dry-run finished in"), "{stderr}");
    assert!(stderr.contains("nothing sent: 3 done, 1 planned"), "{stderr}");
    assert!(!stderr.contains("✓ finished"), "{stderr}");

    let json =
        test.run(&["--output", "json", "run", "restart-staging", "--sim", "--dry-run", "--yes"]);
    let events = json.events();
    let restart = events
        .iter()
        .find(|event| event["event"] == "step_finished" && event["name"] == "Restart dynos")
        .unwrap();
    assert_eq!(restart["status"], "planned");
    let finished = events.last().unwrap();
    assert_eq!(finished["steps_planned"], 1);
    assert!(
        events.iter().all(|event| event["time"].is_string()),
        "every JSON event carries its time: {events:?}"
    );
}

#[test]
fn troubleshoot_sums_up_and_shows_raw_lines_only_when_asked() {
    let test = Test::new();
    let quiet = test
        .run(&["run", "troubleshoot-production", "--sim", "--scenario", "slow-requests"])
        .code(0);
    let stderr = &quiet.stderr;
    assert!(
        stderr.lines().count() < 40,
        "a few lines, not a dump ({} lines):\n{stderr}",
        stderr.lines().count()
    );
    assert!(!stderr.contains("heroku[router]"), "{stderr}");
    for dashboard in ["papertrail: https://", "sentry: https://", "scout: https://"] {
        assert_eq!(lines_with(stderr, dashboard).len(), 1, "{dashboard} once:\n{stderr}");
    }
    assert!(stderr.contains("H12 x"), "{stderr}");
    assert!(stderr.contains("2 days ago"), "ages in words: {stderr}");
    assert!(!stderr.contains("minutes old"), "{stderr}");
    let diagnosis = stderr.find("] Diagnosis").unwrap();
    let findings = stderr[diagnosis..].find("H12 x").unwrap();
    let context = stderr[diagnosis..].find("dynos: crashed").unwrap();
    assert!(findings < context, "findings first:\n{stderr}");

    let verbose = test.run(&["run", "troubleshoot-production", "--sim", "--verbose"]).code(0);
    assert!(
        lines_with(&verbose.stderr, "heroku[router]").len() >= 100,
        "--verbose shows the raw lines"
    );
}

#[test]
fn a_rehearsal_sums_its_requests_up_by_route_before_the_summary() {
    let test = Test::new();
    let output = test.run(STAGING_RESTART).code(0);
    let stderr = &output.stderr;
    let dynos = format!("GET /apps/{STAGING}/dynos x");
    assert_eq!(lines_with(stderr, &dynos).len(), 1, "{stderr}");
    assert!(stderr.contains("(--verbose lists each):"), "{stderr}");
    let last = stderr.lines().rev().find(|line| !line.trim().is_empty()).unwrap();
    assert!(last.contains("finished in"), "the summary ends the run: {stderr}");

    let verbose = test.run(&[STAGING_RESTART, &["--verbose"]].concat()).code(0);
    let each = lines_with(&verbose.stderr, &format!("GET /apps/{STAGING}/dynos -> 200"));
    assert!(each.len() > 2, "each request listed: {}", verbose.stderr);
}

#[test]
fn an_error_is_printed_once_and_the_summary_names_its_step() {
    let test = Test::new().file(
        "wrong.yaml",
        "description: scales a process type the app does not have\nenvironments: [staging]\nsteps:\n  - name: Scale the clock\n    do: heroku.scale\n    with: { app: \"${app}\", process_type: clock, quantity: 2 }\n",
    );
    let output = test.run(&["run", "wrong-staging", "--sim", "--yes"]).code(1);
    let stderr = &output.stderr;
    assert_eq!(stderr.matches("Couldn't find that formation").count(), 1, "{stderr}");
    assert!(stderr.contains("(stopped at [1/1] Scale the clock)"), "{stderr}");
    assert!(!stderr.contains("check the app name"), "the hint fits the error: {stderr}");

    let coloured = Test::new()
        .file("wrong.yaml", &std::fs::read_to_string(test.runbooks().join("wrong.yaml")).unwrap())
        .without_env("NO_COLOR");
    let mut session = coloured.terminal(&["run", "wrong-staging", "--sim", "--yes"]);
    let shown = session.exp_eof().unwrap();
    assert_eq!(exit_code(&mut session), Some(1));
    assert!(shown.contains("\u{1b}[31m\u{1b}[1merror"), "a red error: {shown:?}");
}

#[test]
fn a_rhai_error_outside_any_step_says_what_and_where() {
    let test = Test::new().file(
        "outside.rhai",
        "//! Reads the dynos, then indexes past them.\n//! environments: staging\nlet dynos = step(\"Dynos\", || heroku::dynos(app));\nlet tenth = dynos[10].name;\n",
    );
    let output = test.run(&["run", "outside-staging", "--sim"]).code(1);
    assert!(output.stderr.contains("the script failed outside any step, at "), "{}", output.stderr);
    assert!(output.stderr.contains("outside.rhai:4: "), "{}", output.stderr);
    assert!(output.stderr.contains("out of bounds"), "{}", output.stderr);
}

#[test]
fn a_rhai_error_is_placed_where_it_happened_and_printed_once() {
    let test = Test::new()
        .file(
            "inside.rhai",
            "//! Indexes past the dynos inside a step.\n//! environments: staging\nlet dynos = step(\"Dynos\", || heroku::dynos(app));\nstep(\"Tenth\", || dynos[10].name);\n",
        )
        .file(
            "operation.rhai",
            "//! Restarts a dyno that is not there, outside any step.\n//! environments: staging\nlet x = 1;\nheroku::restart_dyno(app, \"web.9\");\n",
        )
        .file(
            "thrower.rhai",
            "//! Throws on line 4.\n//! environments: staging\nlet x = 1;\nthrow `no such dyno`;\n",
        )
        .file(
            "caller.yaml",
            "description: calls the thrower\nenvironments: [staging]\nsteps:\n  - name: Call it\n    run: thrower\n",
        );
    let inside = test.run(&["run", "inside-staging", "--sim"]).code(1);
    let stderr = &inside.stderr;
    assert_eq!(stderr.matches("out of bounds").count(), 1, "{stderr}");
    assert!(!stderr.contains("outside any step"), "{stderr}");
    assert!(stderr.contains("(stopped at [2] Tenth)"), "{stderr}");

    let operation = test.run(&["run", "operation-staging", "--sim", "--yes"]).code(1);
    assert!(
        operation.stderr.contains("operation.rhai:4 (outside any step): Heroku answered 404"),
        "{}",
        operation.stderr
    );
    assert!(operation.stderr.contains("heroku::restart_dyno at "), "{}", operation.stderr);
    assert!(operation.stderr.contains("1 write sent"), "{}", operation.stderr);

    let called = test.run(&["run", "caller-staging", "--sim"]).code(1);
    assert!(
        called.stderr.contains("thrower.rhai:4: "),
        "the callee's file, not the caller's: {}",
        called.stderr
    );
    assert!(!called.stderr.contains("caller.yaml:4"), "{}", called.stderr);
}

#[test]
fn every_write_outside_a_step_shows_and_is_counted() {
    let test = Test::new().file(
        "loose.rhai",
        "//! Scales, then restarts each web dyno, with no step.\n//! environments: staging\nheroku::scale(app, \"web\", 3);\nfor d in heroku::dynos(app, \"web\") { heroku::restart_dyno(app, d.name); }\n",
    );
    let output = test.run(&["run", "loose-staging", "--sim", "--yes"]).code(0);
    let stderr = &output.stderr;
    assert_eq!(lines_with(stderr, "    sent DELETE ").len(), 3, "each restart shows: {stderr}");
    assert_eq!(lines_with(stderr, "    sent PATCH ").len(), 1, "{stderr}");
    assert!(stderr.contains("; 4 writes sent"), "{stderr}");

    let refused = Test::new().file(
        "twice.rhai",
        "//! Scales, then asks again.\n//! environments: staging\nconfirm(\"Scale?\");\nheroku::scale(app, \"web\", 3);\nconfirm(\"Restart?\");\nheroku::restart(app);\n",
    );
    let mut session = refused.terminal(&["run", "twice-staging", "--sim"]);
    session.exp_string("Scale?").unwrap();
    session.send_line("y").unwrap();
    session.exp_string("Restart?").unwrap();
    session.send_line("n").unwrap();
    let shown = session.exp_eof().unwrap();
    assert!(shown.contains("1 write sent"), "the PATCH went out: {shown}");
    assert!(!shown.contains("step `twice`"), "no step is named after the runbook: {shown}");
}

#[test]
fn show_lists_rhai_gates_and_the_steps_of_a_called_runbook() {
    let rhai = Test::new().run(&["show", "restart-dyno"]).code(0);
    let stdout = &rhai.stdout;
    assert!(stdout.contains("gates:"), "{stdout}");
    assert!(stdout.contains("confirm("), "{stdout}");
    assert!(stdout.contains("heroku::restart_dyno: on a protected app"), "{stdout}");
    let shipped = |name: &str| {
        std::fs::read_to_string(crate::harness::shipped_runbooks().join(name)).unwrap()
    };
    let caller = Test::new()
        .file("restart.yaml", &shipped("restart.yaml"))
        .file("status.yaml", &shipped("status.yaml"))
        .file(
        "both.yaml",
        "description: restarts, then shows the status\nenvironments: [staging, production]\nsteps:\n  - name: Restart\n    run: restart\n  - name: Status\n    run: status\n",
    );
    let shown = caller.run(&["show", "both"]).code(0);
    let stdout = &shown.stdout;
    assert!(stdout.contains("its steps:"), "{stdout}");
    assert!(stdout.contains("Restart dynos  [heroku.restart, write]"), "{stdout}");
    assert!(stdout.contains("Formation  [heroku.formation, read]"), "{stdout}");
}

#[test]
fn list_aligns_long_names_and_wraps_descriptions() {
    let long = "a-runbook-with-a-very-long-name-indeed";
    let test = Test::new()
        .file(
            &format!("{long}.yaml"),
            "description: Reads the app and says how it is, in a sentence long enough to be wrapped on a narrow terminal of sixty columns.\nenvironments: [staging, production]\nsteps:\n  - name: App\n    do: heroku.app\n    with: { app: \"${app}\" }\n",
        )
        .file(
            "short.yaml",
            "description: Short.\nenvironments: [staging]\nsteps:\n  - name: App\n    do: heroku.app\n    with: { app: \"${app}\" }\n",
        )
        .env("COLUMNS", "100");
    let output = test.run(&["list"]).code(0);
    let stdout = &output.stdout;
    let app_column = |name: &str| {
        let line = stdout
            .lines()
            .find(|line| line.starts_with(&format!("  {name} ")))
            .unwrap_or_else(|| panic!("{name}: {stdout}"));
        line.find("lazona-connector").unwrap()
    };
    assert_eq!(app_column(&format!("{long}-production")), app_column("short-staging"), "{stdout}");
    assert!(
        stdout.lines().all(|line| line.chars().count() <= 100),
        "wrapped to 100 columns:\n{stdout}"
    );
    let description_lines = stdout
        .lines()
        .skip_while(|line| !line.starts_with(long))
        .take_while(|line| !line.starts_with("  a-runbook"))
        .count();
    assert!(description_lines > 1, "{stdout}");

    let json = test.run(&["--output", "json", "list"]).code(0);
    let listed: Vec<serde_json::Value> =
        json.stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    let entry = listed.iter().find(|entry| entry["name"] == long).unwrap();
    assert_eq!(entry["targets"][1]["app"], PRODUCTION);
    assert_eq!(entry["targets"][1]["protected"], true);
}

#[test]
fn history_show_is_an_audit_record() {
    let test = Test::new()
        .file(
            "tokened.yaml",
            "description: restarts with a secret param\nenvironments: [staging]\nparams:\n  token: { type: string, secret: true, default: hunter2-secret }\nsteps:\n  - name: Restart\n    do: heroku.restart\n    with: { app: \"${app}\" }\n  - name: Wait\n    do: heroku.wait_dynos_up\n    with: { app: \"${app}\" }\n",
        )
        .env("USER", "ada")
        .env("RUNBOOK_SIM_BOOT_DELAY", "3s");
    test.run(&["run", "tokened-staging", "--sim", "--yes"]).code(0);
    let run_id = test.journal_strict()[0]["run_id"].as_str().unwrap().to_string();
    let show = test.run(&["history", "show", &run_id]).code(0);
    let stdout = &show.stdout;
    assert!(!stdout.contains("hunter2-secret"), "{stdout}");
    assert!(stdout.contains("by ada"), "{stdout}");
    assert!(stdout.contains(&format!("app {STAGING} (staging)")), "{stdout}");
    assert!(stdout.contains("api http://127.0.0.1:"), "{stdout}");
    let wait =
        stdout.lines().find(|line| line.contains("done") && line.contains("[2/2] Wait")).unwrap();
    assert!(wait.contains(" requests"), "a count, not ids: {wait}");
    assert!(!wait.contains("request ids"), "{wait}");
}

#[test]
fn a_troubleshoot_run_adds_little_to_the_journal() {
    let test = Test::new();
    for scenario in ["slow-requests", "bad-release"] {
        let before = test.journal_text().len();
        test.run(&["run", "troubleshoot-production", "--sim", "--scenario", scenario]).code(0);
        let added = test.journal_text().len() - before;
        assert!(added < 10_000, "{scenario}: {added} bytes added");
    }
    assert!(!test.journal_text().contains("heroku[router]"), "no raw log line in the journal");
}

#[test]
fn a_resume_after_its_results_are_gone_reads_again_but_never_writes_again() {
    let fault = format!("GET /apps/{STAGING}/formation 500x1");
    let test = Test::new()
        .file(
            "reads.yaml",
            "description: two reads, the second failing once\nenvironments: [staging]\nsteps:\n  - id: info\n    name: App\n    do: heroku.app\n    with: { app: \"${app}\" }\n  - name: Formation of the app read first\n    do: heroku.formation\n    with: { app: \"${info.name}\" }\n",
        )
        .file(
            "writes.yaml",
            "description: a write with a result, then a read failing once\nenvironments: [staging]\nsteps:\n  - id: restarted\n    name: Restart\n    do: heroku.restart\n    with: { app: \"${app}\" }\n  - name: Formation\n    do: heroku.formation\n    with: { app: \"${app}\" }\n",
        )
        .sim(&["--fault", &fault]);
    test.run(&["run", "reads-staging"]).code(1);
    let reads_run = test.journal_strict()[0]["run_id"].as_str().unwrap().to_string();
    std::fs::remove_dir_all(test.state().join("results")).unwrap();
    let before = test.requests().len();
    test.run(&["run", "reads-staging", "--resume", &reads_run]).code(0);
    assert_eq!(
        test.requests()[before..],
        [format!("GET /apps/{STAGING}"), format!("GET /apps/{STAGING}/formation")],
        "the read whose result is gone is read again"
    );

    let test = Test::new()
        .file(
            "writes.yaml",
            "description: a write with a result, then a read failing once\nenvironments: [staging]\nsteps:\n  - id: restarted\n    name: Restart\n    do: heroku.restart\n    with: { app: \"${app}\" }\n  - name: Formation\n    do: heroku.formation\n    with: { app: \"${app}\" }\n",
        )
        .sim(&["--fault", &fault]);
    test.run(&["run", "writes-staging", "--yes"]).code(1);
    let writes_run = test.journal_strict()[0]["run_id"].as_str().unwrap().to_string();
    std::fs::remove_dir_all(test.state().join("results")).unwrap();
    let resumed = test.run(&["run", "writes-staging", "--yes", "--resume", &writes_run]).code(1);
    assert!(resumed.stderr.contains("is no longer kept"), "{}", resumed.stderr);
    assert_eq!(
        test.write_requests(),
        [format!("DELETE /apps/{STAGING}/dynos")],
        "the restart is not sent again"
    );
}

#[test]
fn help_and_flags_fit_the_command() {
    let test = Test::new();
    let help = test.run(&["sim", "serve", "--help"]).code(0);
    assert!(!help.stdout.contains("--no-input"), "{}", help.stdout);
    assert!(!help.stdout.contains("--output"), "{}", help.stdout);
    test.run(&["sim", "serve", "--output", "json"])
        .code(2)
        .stderr_has("unexpected argument '--output'");
    test.run(&["--output", "json", "sim", "serve"])
        .code(2)
        .stdout_has("--output does nothing for `runbook sim serve`");
    test.run(&["--no-input", "sim", "serve"])
        .code(2)
        .stderr_has("--no-input does nothing for `runbook sim serve`");
    test.run(&["--no-input", "list"])
        .code(2)
        .stderr_has("--no-input does nothing for `runbook list`");
    let run_help = test.run(&["run", "--help"]).code(0);
    assert!(run_help.stdout.contains("--no-input"), "{}", run_help.stdout);
    assert!(run_help.stdout.contains("--verbose"), "{}", run_help.stdout);

    let new = Test::new().empty_runbooks();
    new.run(&[
        "new",
        "db-staging",
        "--format",
        "yaml",
        "--description",
        "Look at the database.",
        "--template",
        "read-only",
    ])
    .code(0)
    .stderr_has("`db-staging` ends with the environment `staging`")
    .stderr_has("runbook new db");
}

#[test]
fn check_catches_values_of_the_wrong_type_where_they_are_written() {
    let test = Test::new()
        .file(
            "typed.yaml",
            "description: an int param into a string argument, a string into a duration\nenvironments: [staging]\nparams:\n  size: { type: int, default: 2 }\n  follow: { type: string, required: false }\nsteps:\n  - name: Logs\n    do: heroku.logs\n    with: { app: \"${app}\", filter: \"${size}\", tail: \"${follow}\" }\n",
        )
        .file(
            "spelled.rhai",
            "//! Scales to a number spelled out.\n//! environments: staging\nheroku::scale(app, \"web\", \"four\");\n",
        )
        .file(
            "stringly.rhai",
            "//! Scales to a string param.\n//! environments: staging\n//! param size: string\nheroku::scale(app, \"web\", size);\n",
        )
        .file(
            "caller.yaml",
            "description: passes a string param to an int param of the callee\nenvironments: [staging]\nparams:\n  count: { type: string, default: \"2\" }\nsteps:\n  - name: Scale\n    run: scale\n    with: { process_type: web, quantity: \"${count}\" }\n",
        )
        .file("scale.yaml", &std::fs::read_to_string(crate::harness::shipped_runbooks().join("scale.yaml")).unwrap());
    for (name, location, message) in [
        ("typed", "typed.yaml:9:37", "param `size` is an int, but `filter` takes a string"),
        ("typed", "typed.yaml:9:54", "param `follow` is a string, but `tail` takes a duration"),
        ("spelled", "spelled.rhai:3:27", "wrong value for `quantity` of `heroku::scale`"),
        (
            "stringly",
            "stringly.rhai:4:27",
            "param `size` is a string, but `quantity` of `heroku::scale` takes a whole number",
        ),
        (
            "caller",
            "caller.yaml:8:43",
            "param `count` is a string, but `quantity` of `scale` is an int",
        ),
    ] {
        let checked = test.run(&["check", name]).code(2);
        assert!(
            checked.stdout.contains(location) || checked.stderr.contains(location),
            "{name}: {location}\n{}",
            checked.shown()
        );
        assert!(checked.shown().contains(message), "{name}: {message}\n{}", checked.shown());
    }
    // The hint says the declaration that fits, in the runbook's own syntax.
    for (name, hint) in [
        ("typed", "declare the param `size` as `type: string`, or pass a value of that type"),
        ("stringly", "declare it `//! param size: int`, or pass a value of that type"),
    ] {
        let checked = test.run(&["check", name]).code(2);
        assert!(checked.shown().contains(hint), "{name}: {hint}\n{}", checked.shown());
    }
    let sim = Test::new().sim(&[]);
    sim.run(&["run", "logs-staging", "-p", "tail=soon"])
        .code(2)
        .stderr_has("param `tail` must be duration")
        .stderr_has("-p tail=10m");
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
    assert!(sim.journal().is_empty(), "a usage error starts no run");
}

#[test]
fn misspellings_get_a_suggestion_and_bad_indentation_an_explanation() {
    let test = Test::new()
        .file(
            "key.yaml",
            "description: a misspelled key\nenvironments: [staging]\nsteps:\n  - name: Restart\n    do: heroku.restart\n    confrim: \"Sure?\"\n    with: { app: \"${app}\" }\n",
        )
        .file(
            "argument.yaml",
            "description: a misspelled argument\nenvironments: [staging]\nsteps:\n  - name: Restart\n    do: heroku.restart\n    with: { app: \"${app}\", procss_type: web }\n",
        )
        .file(
            "variable.rhai",
            "//! A misspelled variable.\n//! environments: staging\nlet logs = step(\"Logs\", || heroku::logs(app));\nprint(lgos.read);\n",
        )
        .file(
            "template.yaml",
            "description: a misspelled result in a template\nenvironments: [staging]\nsteps:\n  - id: dynos\n    name: Dynos\n    do: heroku.dynos\n    with: { app: \"${app}\" }\n  - name: Count\n    script: dynso.len()\n",
        )
        .file(
            "operation.yaml",
            "description: a misspelled operation\nenvironments: [staging]\nsteps:\n  - name: Restart\n    do: heroku.restrat\n    with: { app: \"${app}\" }\n",
        )
        .file(
            "indented.yaml",
            "description: a key indented too deep\nenvironments: [staging]\nsteps:\n  - name: Restart\n    do: heroku.restart\n      with: { app: \"${app}\" }\n",
        );
    for (name, suggestion) in [
        ("key", "did you mean `confirm`?"),
        ("argument", "did you mean `process_type`?"),
        ("variable", "did you mean `logs`?"),
        ("template", "did you mean `dynos`?"),
        ("operation", "did you mean `heroku.restart`?"),
    ] {
        let checked = test.run(&["check", name]).code(2);
        assert!(checked.shown().contains(suggestion), "{name}:\n{}", checked.shown());
    }
    let indented = test.run(&["check", "indented"]).code(2);
    let shown = indented.shown();
    assert!(!shown.contains("mapping values are not allowed"), "{shown}");
    assert!(
        shown.contains("`with:` is indented deeper than the line above it (`do: heroku.restart`)"),
        "{shown}"
    );
    assert!(shown.contains("indented.yaml:6:7"), "at the line to fix: {shown}");
}

#[test]
fn a_runbook_named_like_another_on_an_environment_is_refused_everywhere() {
    let test = Test::new()
        .file(
            "restart.yaml",
            &std::fs::read_to_string(crate::harness::shipped_runbooks().join("restart.yaml")).unwrap(),
        )
        .file(
            "restart-staging.yaml",
            "description: a look-alike\nsteps:\n  - name: App\n    do: heroku.app\n    with: { app: lazona-connector-production }\n",
        )
        .sim(&[]);
    test.run(&["run", "restart-staging", "--yes"])
        .code(2)
        .stderr_has("names both a runbook file and `restart` on the environment `staging`");
    assert!(test.requests().is_empty());
    test.run(&["check"]).code(2).stderr_has("rename restart-staging.yaml");
    test.run(&["new", "restart-production", "--no-input", "--description", "x"])
        .code(2)
        .stderr_has("names both a runbook file");
    test.run(&["run", "restart", "--env", "staging", "--yes"]).code(0);
}

#[test]
fn the_header_names_an_app_given_by_param() {
    let test = Test::new()
        .file(
            "noenv.yaml",
            "description: reads the app it is given\nparams:\n  app: { type: string, required: true }\nsteps:\n  - name: App\n    do: heroku.app\n    with: { app: \"${app}\" }\n",
        )
        .sim(&[]);
    let production = test.run(&["run", "noenv", "-p", &format!("app={PRODUCTION}")]).code(0);
    let header = production.stderr.lines().next().unwrap_or_default();
    assert!(header.contains(&format!("{PRODUCTION} (from param `app`, PROTECTED)")), "{header}");
    let staging = test.run(&["run", "noenv", "-p", &format!("app={STAGING}")]).code(0);
    let header = staging.stderr.lines().next().unwrap_or_default();
    assert!(header.contains(&format!("{STAGING} (from param `app`)")), "{header}");
}

/// A failure a script caught is over: a later error of the script's own is said as itself, not as
/// the failure caught before; and an error whose message equals a step's failure is not taken for
/// that step's.
#[test]
fn a_caught_failure_never_stands_for_a_later_error() {
    let test = Test::new()
        .file(
            "caught.rhai",
            "//! Catches a failed restart, then fails on its own.\n//! environments: staging\ntry { heroku::restart_dyno(app, \"web.9\"); } catch (error) { print(`caught: ${error}`); }\nstep(\"Read\", || heroku::app(app));\nthrow \"boom of its own\";\n",
        )
        .file(
            "same.rhai",
            "//! A step fails, the script goes on, then fails the same way.\n//! environments: staging\nfn fail_with(words) { throw words; }\ntry { step(\"Fails\", || fail_with(\"same words\")); } catch (error) { print(`went on after: ${error}`); }\nfail_with(\"same words\");\n",
        );
    let caught = test.run(&["run", "caught-staging", "--sim", "--yes"]).code(1);
    assert!(caught.stderr.contains("caught: Heroku answered 404"), "{}", caught.stderr);
    assert!(
        caught.stderr.contains("caught.rhai:5: Runtime error: boom of its own"),
        "{}",
        caught.stderr
    );
    assert!(!caught.stderr.contains("heroku::restart_dyno at"), "{}", caught.stderr);

    let same = test.run(&["run", "same-staging", "--sim"]).code(1);
    assert!(same.stderr.contains("went on after: same words"), "{}", same.stderr);
    assert!(same.stderr.contains("the script failed outside any step"), "{}", same.stderr);
}

#[test]
fn a_rollback_of_a_rollback_says_it_restores_what_the_last_one_left() {
    let runbook = r#"
description: Roll back, then roll back again.
environments: [production]
steps:
  - name: First rollback
    do: heroku.rollback
    with: { app: "${app}" }
    confirm: "Roll back ${app}?"
  - name: Second rollback
    do: heroku.rollback
    with: { app: "${app}" }
    confirm: "Roll back ${app} again?"
"#;
    let tests = r#"
runbook: twice-production
tests:
  - name: the second rollback is said to undo the first
    scenario: bad-release
    answers: [type, confirm]
    expect:
      exit: 0
      output:
        - "WARNING: v44 is a rollback to v42; this restores v43 (Deploy 7e1d0c9 (new currency handling)), the release that rollback left"
      after: { release: v45 }
"#;
    let scenario = std::fs::read_to_string(
        crate::harness::shipped_runbooks().join("scenarios/bad-release.yaml"),
    )
    .unwrap();
    let test = Test::new()
        .file("twice.yaml", runbook)
        .file("scenarios/bad-release.yaml", &scenario)
        .file("tests/twice.yaml", tests);
    let outcome = test.run(&["test"]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stdout);
}

#[test]
fn a_stopped_run_counts_every_step_of_the_runbook() {
    let test = Test::new();
    let outcome = test.run(&["run", "restart-production", "--sim"]).code(3);
    assert!(
        outcome.stderr.contains(
            "stopped, not confirmed: 1 done, 0 failed, 0 skipped, 1 stopped, 2 not reached"
        ),
        "{}",
        outcome.stderr
    );
}

#[test]
fn a_name_cut_short_or_misspelt_gets_the_runbook_meant() {
    let test = Test::new();
    for (typed, meant) in [
        ("troubleshoot-prod", "troubleshoot-production"),
        ("restart-producton", "restart-production"),
        ("maintenance-of", "maintenance-off"),
    ] {
        let outcome = test.run(&["run", typed, "--sim"]).code(2);
        assert!(
            outcome.stderr.contains(&format!("did you mean `{meant}`")),
            "{typed}: {}",
            outcome.stderr
        );
    }
}

#[test]
fn the_shipped_files_point_only_to_files_that_exist() {
    let environments =
        std::fs::read_to_string(crate::harness::shipped_runbooks().join("environments.yaml"))
            .unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for word in environments.split_whitespace() {
        let word = word.trim_matches(|character: char| "(),.`".contains(character));
        if word.ends_with(".md") {
            assert!(
                root.join(word).exists(),
                "environments.yaml names {word}, which does not exist"
            );
        }
    }
}

#[test]
fn sim_serve_says_which_key_to_use() {
    let runbooks = crate::harness::shipped_runbooks();
    let mut child = std::process::Command::new(crate::harness::binary())
        .args(["sim", "serve", "--port", "0", "--account", "alice-key=alice@example.com", "--dir"])
        .arg(&runbooks)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    while !banner.contains("any client") {
        let read = std::io::BufRead::read_line(&mut reader, &mut banner).unwrap();
        assert!(read > 0, "the banner ended early: {banner}");
    }
    child.kill().unwrap();
    let _ = child.wait();
    assert!(
        banner.contains(
            "HEROKU_API_KEY=alice-key (or another --account token; it is alice@example.com)"
        ),
        "{banner}"
    );
    assert!(!banner.contains("HEROKU_API_KEY=anything"), "{banner}");
}

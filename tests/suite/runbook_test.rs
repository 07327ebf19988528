//! `runbook test`: each kind of expectation fails when it does not hold (a tester that cannot
//! fail proves nothing), tests run on simulated time, in worlds of their own, and a test file is
//! checked whole, with locations, before any test runs.

use crate::harness::{Test, shipped_runbooks};

/// A restart of staging that also puts maintenance on: two writes.
const RESTART_AND_MAINTENANCE: &str = r#"
description: Restart staging, then put it in maintenance.
environments: [staging, production]
steps:
  - name: Restart
    do: heroku.restart
    with: { app: "${app}" }
    confirm: "Restart ${app}?"
  - name: Maintenance on
    do: heroku.maintenance
    with: { app: "${app}", enabled: true }
  - name: Say next
    script: |
      "next: runbook run maintenance-off-staging"
"#;

fn tested(tests: &str) -> Test {
    Test::new().file("both.yaml", RESTART_AND_MAINTENANCE).file("tests/both.yaml", tests)
}

#[test]
fn right_expectations_pass_and_the_run_really_happened() {
    let test = tested(
        r#"
runbook: both-staging
tests:
  - name: both writes, in order, and the world after
    answers: [confirm]
    expect:
      exit: 0
      status: succeeded
      writes:
        - DELETE /apps/{app}/dynos
        - { method: PATCH, path: "/apps/{app}", body: { maintenance: true } }
      not_sent: ["POST /apps/{app}/releases"]
      next: runbook run maintenance-off-staging
      output: ["Maintenance on"]
      not_in_output: ["Traceback"]
      steps: { Restart: done, Maintenance on: done }
      after: { maintenance: true, dynos: starting, release: v42, formation: { web: 2, worker: 1 } }
  - name: the same writes as a set
    answers: [confirm]
    expect:
      writes_in_any_order: true
      writes: ["PATCH /apps/{app}", "DELETE /apps/{app}/dynos"]
"#,
    );
    let outcome = test.run(&["test"]).code(0);
    assert!(
        outcome.stdout.contains("ok   both: both writes, in order, and the world after"),
        "{}",
        outcome.stdout
    );
    assert!(outcome.stdout.contains("2 passed, 0 failed"), "{}", outcome.stdout);
}

#[test]
fn every_kind_of_expectation_fails_when_it_does_not_hold() {
    let wrong: &[(&str, &str)] = &[
        ("exit: 3", "exit code"),
        ("status: failed", "status"),
        ("writes: [\"DELETE /apps/{app}/dynos\"]", "writes sent"),
        (
            "writes: [\"DELETE /apps/{app}/dynos\", \"PATCH /apps/{app}\", \"POST /apps/{app}/releases\"]",
            "writes sent",
        ),
        ("writes: [\"PATCH /apps/{app}\", \"DELETE /apps/{app}/dynos\"]", "writes sent"),
        (
            "writes: [\"DELETE /apps/{app}/dynos\", { method: PATCH, path: \"/apps/{app}\", body: { maintenance: false } }]",
            "writes sent",
        ),
        (
            "{ writes_in_any_order: true, writes: [\"PATCH /apps/{app}\"] }",
            "writes sent (in any order)",
        ),
        ("not_sent: [\"PATCH /apps/{app}\"]", "a write that must not be sent"),
        ("next: runbook run something-else", "next: hint"),
        ("output: [\"words the run never says\"]", "output"),
        ("not_in_output: [\"Maintenance on\"]", "output"),
        ("steps: { Restart: failed }", "step `Restart`"),
        ("after: { maintenance: false }", "maintenance of lazona-connector-staging"),
        ("after: { dynos: crashed }", "dynos of lazona-connector-staging after"),
        ("after: { dynos: { worker: crashed } }", "dynos of lazona-connector-staging after"),
        ("after: { release: v41 }", "current release of lazona-connector-staging"),
        ("after: { formation: { web: 5 } }", "web dynos of lazona-connector-staging"),
    ];
    let mut file = String::from("runbook: both-staging\ntests:\n");
    for (index, (expectation, _)) in wrong.iter().enumerate() {
        let expect = if expectation.starts_with('{') {
            expectation.to_string()
        } else {
            format!("{{ {expectation} }}")
        };
        file.push_str(&format!(
            "  - name: wrong {index}\n    answers: [confirm]\n    expect: {expect}\n"
        ));
    }
    let test = tested(&file);
    let outcome = test.run(&["test", "--jobs", "2"]).code(1);
    assert!(
        outcome.stdout.contains(&format!("0 passed, {} failed", wrong.len())),
        "{}",
        outcome.stdout
    );
    let details = outcome.stdout.split("\n\nFAIL both: ").skip(1).collect::<Vec<_>>();
    assert_eq!(details.len(), wrong.len(), "{}", outcome.stdout);
    for (index, (_, what)) in wrong.iter().enumerate() {
        let detail = details
            .iter()
            .find(|detail| detail.starts_with(&format!("wrong {index}\n")))
            .unwrap_or_else(|| panic!("no details of wrong {index}:\n{}", outcome.stdout));
        assert!(
            detail.contains(&format!("\n  {what}\n    expected: "))
                && detail.contains("\n    actual:   "),
            "wrong {index} should fail on {what}:\n{detail}"
        );
        assert!(detail.contains("journal: "), "{detail}");
    }
}

#[test]
fn a_missing_write_and_an_extra_write_are_caught() {
    let test = tested(
        r#"
runbook: both-staging
tests:
  - name: expects only the restart, but maintenance goes on too
    answers: [confirm]
    expect: { writes: ["DELETE /apps/{app}/dynos"] }
  - name: expects a rollback that is never sent
    answers: [confirm]
    expect: { writes: ["DELETE /apps/{app}/dynos", "PATCH /apps/{app}", "POST /apps/{app}/releases"] }
"#,
    );
    let outcome = test.run(&["test"]).code(1);
    let shown = &outcome.stdout;
    assert!(shown.contains("expected: DELETE /apps/lazona-connector-staging/dynos\n    actual:   DELETE /apps/lazona-connector-staging/dynos; PATCH /apps/lazona-connector-staging {\"maintenance\":true}"), "{shown}");
    assert!(
        shown.contains("POST /apps/lazona-connector-staging/releases\n    actual:   DELETE"),
        "{shown}"
    );
    assert!(shown.contains("0 passed, 2 failed"), "{shown}");
}

#[test]
fn waits_and_retries_take_simulated_time_not_wall_time() {
    // A 20-second boot, then a read tried four times 30 seconds apart: 110 s on Heroku.
    let runbook = r#"
description: Restart, wait for a slow boot, then retry a read that keeps failing.
environments: [staging]
steps:
  - name: Restart
    do: heroku.restart
    with: { app: "${app}" }
  - name: Wait until every dyno is up
    do: heroku.wait_dynos_up
    with: { app: "${app}", timeout: 5m }
  - name: Flaky read
    do: heroku.dynos
    with: { app: "no-such-app" }
    retry: { attempts: 4, delay: 30s }
    continue_on_failure: true
"#;
    // The last expectation is false on purpose: a failed test keeps its journal, to read.
    let tests = r#"
runbook: slow-staging
tests:
  - name: a slow boot and three retries pass on the test's clock
    boot: 20s
    expect:
      exit: 0
      steps: { Wait until every dyno is up: done, Flaky read: failed }
      after: { dynos: up }
      output: ["a line no run prints"]
"#;
    let test = Test::new().file("slow.yaml", runbook).file("tests/slow.yaml", tests);
    let started = std::time::Instant::now();
    let outcome = test.run(&["test"]).code(1);
    let wall = started.elapsed();
    let journal = crate::harness::kept_journal(&outcome.stdout);
    let time = |record: &serde_json::Value| {
        humantime::parse_rfc3339(record["time"].as_str().unwrap()).unwrap()
    };
    let simulated = time(journal.last().unwrap()).duration_since(time(&journal[0])).unwrap();
    assert!(
        simulated >= std::time::Duration::from_secs(110),
        "the journal shows {simulated:?} of simulated time"
    );
    assert!(
        wall < std::time::Duration::from_secs(20),
        "{simulated:?} of simulated time took {wall:?} of wall time"
    );
}

#[test]
fn tests_in_parallel_do_not_share_a_world_nor_touch_the_operators_rehearsals() {
    let scale = r#"
description: Scale web of staging.
environments: [staging]
params:
  quantity: { type: int, required: true }
steps:
  - name: Scale
    do: heroku.scale
    with: { app: "${app}", process_type: web, quantity: "${quantity}" }
"#;
    let mut tests = String::from("runbook: scale-web-staging\ntests:\n");
    for quantity in 1..=6 {
        tests.push_str(&format!(
            "  - name: web at {quantity}\n    params: {{ quantity: {quantity} }}\n    expect: {{ exit: 0, after: {{ formation: {{ web: {quantity} }} }} }}\n"
        ));
    }
    tests.push_str("  - name: untouched\n    runbook: status-staging\n    expect: { exit: 0, after: { formation: { web: 2 }, dynos: up } }\n");
    let status = std::fs::read_to_string(shipped_runbooks().join("status.yaml")).unwrap();
    let crashed =
        std::fs::read_to_string(shipped_runbooks().join("scenarios/crashed-web.yaml")).unwrap();
    let test = Test::new()
        .file("scenarios/crashed-web.yaml", &crashed)
        .file("scale-web.yaml", scale)
        .file("status.yaml", &status)
        .file("tests/scale-web.yaml", &tests);
    // The operator's own rehearsal world: web crashed on staging.
    test.run(&["run", "status-staging", "--sim", "--scenario", "crashed-web"]).code(0);
    let world = test.state().join("sim-world.json");
    let before = std::fs::read_to_string(&world).unwrap();
    let outcome = test.run(&["test", "--jobs", "4"]).code(0);
    assert!(outcome.stdout.contains("7 passed, 0 failed"), "{}", outcome.stdout);
    assert_eq!(
        std::fs::read_to_string(&world).unwrap(),
        before,
        "a test changed the operator's rehearsal world"
    );
    assert!(!test.journal_text().contains("scale-web"), "a test wrote to the operator's journal");
}

#[test]
fn a_test_file_is_checked_whole_with_locations_and_nothing_runs() {
    let restart = std::fs::read_to_string(shipped_runbooks().join("restart.yaml")).unwrap();
    let test = Test::new().file("restart.yaml", &restart).file(
        "tests/restart.yaml",
        r#"runbook: restart-production
tests:
  - name: a good test that must not run, since the file is invalid
    answers: [type]
    expect: { exit: 0 }
  - name: a misspelt step
    answers: [type]
    expect: { steps: { Restart dynoz: done } }
  - name: a param the runbook does not have
    params: { proces_type: web }
    expect: { exit: 0 }
  - name: a scenario that does not exist
    scenario: crashed-webb
    expect: { exit: 0 }
"#,
    );
    let outcome = test.run(&["test"]).code(2);
    let shown = outcome.shown();
    assert!(shown.contains("tests/restart.yaml:8:"), "{shown}");
    assert!(
        shown.contains("has no step `Restart dynoz`")
            && shown.contains("did you mean `Restart dynos`?"),
        "{shown}"
    );
    assert!(
        shown.contains("tests/restart.yaml:10:") && shown.contains("did you mean `process_type`?"),
        "{shown}"
    );
    assert!(
        shown.contains("tests/restart.yaml:13:") && shown.contains("no scenario `crashed-webb`"),
        "{shown}"
    );
    assert!(shown.contains("no test ran"), "{shown}");
    assert!(!shown.contains("a good test"), "a test ran from an invalid file: {shown}");

    let misspelt = Test::new().file("restart.yaml", &restart).file(
        "tests/restart.yaml",
        "runbook: restart-production\ntests:\n  - name: x\n    answers: [yes]\n    expcet: { exit: 0 }\n",
    );
    let shown = misspelt.run(&["test"]).code(2).shown();
    assert!(
        shown.contains("tests/restart.yaml:4:") && shown.contains("did you mean `type`?")
            || shown.contains("unknown variant `yes`"),
        "{shown}"
    );
    let checked = misspelt.run(&["check"]);
    assert_eq!(checked.code, Some(2), "check reports an invalid test file: {}", checked.shown());
    assert!(
        checked.shown().contains("invalid  ") && checked.shown().contains("tests/restart.yaml"),
        "{}",
        checked.shown()
    );
}

#[test]
fn junit_coverage_and_require_tests() {
    let test = Test::new()
        .file("both.yaml", RESTART_AND_MAINTENANCE)
        .file("untested.yaml", "description: Nobody tests this.\nenvironments: [staging]\nsteps:\n  - name: App\n    do: heroku.app\n    with: { app: \"${app}\" }\n")
        .file(
            "tests/both.yaml",
            "runbook: both-staging\ntests:\n  - name: declined <early> & \"quoted\"\n    answers: [decline]\n    expect: { exit: 3, steps: { Restart: not_confirmed } }\n  - name: fails on purpose\n    answers: [decline]\n    expect: { exit: 0 }\n",
        );
    let junit = test.home().join("results.xml");
    let outcome = test.run(&["test", "--coverage", "--junit", junit.to_str().unwrap()]).code(1);
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("<testsuite name=\"both\" tests=\"2\" failures=\"1\">"), "{xml}");
    assert!(xml.contains("name=\"declined &lt;early&gt; &amp; &quot;quoted&quot;\""), "{xml}");
    assert!(xml.contains("<failure message=\"FAIL both: fails on purpose\">"), "{xml}");
    assert!(outcome.stdout.contains("both                 1/3 steps reached by 2 tests; not reached: Maintenance on, Say next"), "{}", outcome.stdout);
    assert!(outcome.stdout.contains("untested             no test"), "{}", outcome.stdout);

    let checked = test.run(&["check", "--require-tests"]);
    assert_eq!(checked.code, Some(2), "{}", checked.shown());
    assert!(
        checked.shown().contains("no test runs `untested` (--require-tests)"),
        "{}",
        checked.shown()
    );
    assert!(!checked.shown().contains("no test runs `both`"), "{}", checked.shown());
    test.run(&["check"]).code(0);
}

#[test]
fn runbook_new_writes_a_first_test_that_passes() {
    let templates = [("restart", "production"), ("read-only", "staging"), ("deploy", "staging")];
    let formats = ["yaml", "rhai"];
    for (format, (template, environments)) in
        formats.iter().flat_map(|format| templates.map(|template| (format, template)))
    {
        let test = Test::new().empty_runbooks();
        test.run(&[
            "new",
            "fresh",
            "--format",
            format,
            "--template",
            template,
            "--description",
            "A fresh one.",
            "--environments",
            environments,
        ])
        .code(0)
        .stdout_has("tests/fresh.yaml")
        .stdout_has("test it: runbook test fresh");
        let outcome = test.run(&["test", "fresh"]);
        assert_eq!(outcome.code, Some(0), "{format} {template}: {}", outcome.shown());
        test.run(&["check", "--require-tests"]).code(0);
    }
}

#[test]
fn the_test_flags_of_run_are_refused_outside_a_rehearsal() {
    let test = Test::new().sim(&[]);
    for arguments in [
        &["run", "restart-production", "--test-world", "w.json"][..],
        &["run", "restart-production", "--test-world", "w.json", "--test-answer", "type"][..],
        &["run", "restart-production", "--sim", "--test-answer", "type"][..],
    ] {
        let outcome = test.run(arguments);
        assert_eq!(outcome.code, Some(2), "{arguments:?}: {}", outcome.shown());
    }
    assert!(test.requests().is_empty(), "a refused run reached the API: {:?}", test.requests());
}

#[test]
fn the_shipped_runbooks_pass_their_tests_and_every_one_has_some() {
    let test = Test::new();
    let outcome = test.run(&["test", "--coverage"]).code(0);
    assert!(outcome.stdout.contains(" passed, 0 failed"), "{}", outcome.stdout);
    assert!(!outcome.stdout.contains("no test"), "{}", outcome.stdout);
    test.run(&["check", "--require-tests", "--deny-warnings"]).code(0);
}

#[test]
fn a_step_timeout_runs_out_under_test_as_it_does_in_a_rehearsal() {
    let runbook = r#"
description: Reads that must not take long.
environments: [staging]
steps:
  - name: Read dynos
    do: heroku.dynos
    with: { app: "${app}" }
    timeout: 3s
  - name: Slow command
    sh: "sleep 4"
    timeout: 1s
"#;
    let tests = r#"
runbook: quick-staging
tests:
  - name: an API that answers after two minutes times the step out
    world: { faults: ["GET /apps/{app}/dynos delay=2m"] }
    expect: { exit: 1, steps: { Read dynos: failed, Slow command: not_reached }, output: ["timed out after 3s"] }
  - name: a command slower than its timeout is timed out
    world: { faults: ["GET /apps/{app}/dynos delay=1s"] }
    expect: { exit: 1, steps: { Read dynos: done, Slow command: failed }, output: ["timed out after 1s"] }
"#;
    let test = Test::new().file("quick.yaml", runbook).file("tests/quick.yaml", tests);
    let outcome = test.run(&["test"]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stdout);
}

#[test]
fn a_test_run_and_its_commands_see_no_credentials_of_the_operator() {
    let runbook = r#"
description: Looks for credentials.
environments: [staging]
steps:
  - name: Look
    sh: 'test ! -e "$HOME/.netrc" && test -z "$HEROKU_API_KEY" && test -z "$RUNBOOK_DATABASE_URL" && echo "no credentials"'
"#;
    let tests = "runbook: look-staging\ntests:\n  - name: none\n    expect: { exit: 0, output: [\"no credentials\"] }\n";
    let test = Test::new()
        .file("look.yaml", runbook)
        .file("tests/look.yaml", tests)
        .env("HEROKU_API_KEY", "operator-token")
        .env("RUNBOOK_DATABASE_URL", "postgres://operator@db/team");
    std::fs::write(
        test.home().join(".netrc"),
        "machine api.heroku.com login me password operator-token\n",
    )
    .unwrap();
    let outcome = test.run(&["test"]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stdout);
}

#[test]
fn an_answer_no_question_takes_and_a_run_that_cannot_start_fail_the_test() {
    let test = tested(
        r#"
runbook: both-staging
tests:
  - name: one answer too many
    answers: [confirm, confirm]
    expect: { exit: 0 }
  - name: nothing expected, and a param the run refuses
    runbook: both-production
    expect: {}
"#,
    );
    let outcome = test.run(&["test"]).code(1);
    assert!(outcome.stdout.contains("never asked: confirm"), "{}", outcome.stdout);
    assert!(outcome.stdout.contains("FAIL both: nothing expected"), "{}", outcome.stdout);
    assert!(outcome.stdout.contains("the run's last lines:"), "{}", outcome.stdout);
}

#[test]
fn ctrl_c_stops_the_tests_and_their_runs() {
    let runbook =
        "description: Slow.\nenvironments: [staging]\nsteps:\n  - name: Wait\n    sh: sleep 30\n";
    let mut tests = String::from("runbook: slow-staging\ntests:\n");
    for index in 0..4 {
        tests.push_str(&format!("  - name: slow {index}\n    expect: {{ exit: 0 }}\n"));
    }
    let test = Test::new().file("slow.yaml", runbook).file("tests/slow.yaml", &tests);
    let child = test.spawn(&["test", "--jobs", "1"]);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let started = std::time::Instant::now();
    std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let outcome = crate::harness::Outcome::of_child(child);
    assert_eq!(outcome.code, Some(130), "{}", outcome.shown());
    assert!(outcome.stderr.contains("interrupted: 1 of 4 tests ran"), "{}", outcome.shown());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "the runner waited for its run to end by itself"
    );
}

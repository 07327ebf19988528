//! Protection follows the app: no write reaches a protected app without its name typed or given to
//! `--confirm`, whatever the runbook says and however the app reaches the request.

use crate::harness::{PRODUCTION, STAGING, Test};

const PARAM_APP: &str = r#"
description: A param called app, on a staging runbook.
environments: [staging]
params:
  app: { type: string, doc: "which app" }
steps:
  - name: Restart
    do: heroku.restart
    with: { app: "${app}" }
    confirm: "Restart ${app}?"
"#;

const NO_ENVIRONMENTS: &str = r#"
description: "No environments: the app comes from a param."
params:
  target: { type: string, doc: "the app" }
steps:
  - name: Restart
    do: heroku.restart
    with: { app: "${target}" }
    confirm: "Restart ${target}?"
"#;

const BOTH_APPS: &str = r#"
description: Restarts both apps.
environments: [staging]
steps:
  - name: Restart both
    do: heroku.restart
    for_each: [lazona-connector-staging, lazona-connector-production]
    with: { app: "${item}" }
    confirm: "Restart both?"
"#;

const NO_CONFIRM: &str = r#"
description: A write on production with no confirm.
environments: [production]
steps:
  - name: Restart
    do: heroku.restart
    with: { app: "${app}" }
"#;

const CALLER: &str = r#"
description: Calls a runbook that restarts production.
environments: [staging]
steps:
  - name: Restart production through another runbook
    run: hidden
"#;

const HIDDEN: &str = r#"
description: Restarts production, without asking.
environments: [staging]
steps:
  - name: Restart
    do: heroku.restart
    with: { app: lazona-connector-production }
"#;

const RHAI_ELSEWHERE: &str = "//! Restarts production from a staging runbook.\n//! environments: staging\nconfirm(\"Restart?\");\nstep(\"Restart\", || heroku::restart(\"lazona-connector-production\"));\n";

const RHAI_CATCH: &str = "//! Swallows the refusal.\n//! environments: production\ntry { confirm(\"Restart?\"); heroku::restart(app); } catch (error) { print(`caught ${error}`); }\nheroku::restart(app);\n";

fn no_write_to_production(test: &Test) {
    let writes = test.write_requests();
    assert!(
        writes.iter().all(|write| !write.contains(PRODUCTION)),
        "a write reached production: {writes:?}"
    );
}

#[test]
fn a_param_called_app_does_not_lower_the_bar_for_production() {
    let test = Test::new().file("param-app.yaml", PARAM_APP).sim(&[]);
    test.run(&["run", "param-app-staging", "-p", &format!("app={PRODUCTION}"), "--yes"])
        .code(3)
        .stderr_has(PRODUCTION);
    no_write_to_production(&test);
    test.run(&[
        "run",
        "param-app-staging",
        "-p",
        &format!("app={PRODUCTION}"),
        "--yes",
        "--confirm",
        PRODUCTION,
    ])
    .code(3);
    no_write_to_production(&test);
}

#[test]
fn a_runbook_without_environments_needs_the_typed_name_too() {
    let test = Test::new().file("any.yaml", NO_ENVIRONMENTS).sim(&[]);
    test.run(&["run", "any", "-p", &format!("target={PRODUCTION}"), "--yes"])
        .code(3)
        .stderr_has(&format!("pass --confirm {PRODUCTION}"));
    no_write_to_production(&test);
    test.run(&["run", "any", "-p", &format!("target={PRODUCTION}"), "--confirm", PRODUCTION])
        .code(0);
    assert_eq!(test.write_requests(), [format!("DELETE /apps/{PRODUCTION}/dynos")]);
}

#[test]
fn a_for_each_over_both_apps_sends_nothing_unless_production_is_named() {
    let test = Test::new().file("both.yaml", BOTH_APPS).sim(&[]);
    test.run(&["run", "both-staging", "--confirm", STAGING]).code(3).stderr_has(PRODUCTION);
    test.run(&["run", "both-staging", "--yes"]).code(3);
    assert!(
        test.write_requests().is_empty(),
        "not even staging: the gate is decided before the first write: {:?}",
        test.write_requests()
    );
}

#[test]
fn a_write_to_production_without_confirm_gets_an_implicit_gate() {
    let test = Test::new().file("bare.yaml", NO_CONFIRM).sim(&[]);
    test.run(&["run", "bare-production"]).code(3).stderr_has("is protected");
    test.run(&["run", "bare-production", "--yes"]).code(3);
    no_write_to_production(&test);
    test.run(&["run", "bare-production", "--confirm", PRODUCTION]).code(0);
    let confirmations = test.journaled("confirmation");
    assert!(
        confirmations
            .iter()
            .any(|event| event["answer"] == "accepted" && event["how"] == "confirm_flag"),
        "{confirmations:?}"
    );
}

#[test]
fn a_callee_that_writes_to_production_is_gated_by_its_app() {
    let test = Test::new().file("caller.yaml", CALLER).file("hidden.yaml", HIDDEN).sim(&[]);
    test.run(&["run", "caller-staging", "--yes"]).code(3);
    no_write_to_production(&test);
}

#[test]
fn rhai_calls_are_gated_by_the_app_they_name() {
    let test = Test::new().file("elsewhere.rhai", RHAI_ELSEWHERE).sim(&[]);
    test.run(&["run", "elsewhere-staging", "--yes"]).code(3);
    test.run(&["run", "elsewhere-staging", "--yes", "--confirm", STAGING]).code(3);
    no_write_to_production(&test);
}

#[test]
fn a_refusal_cannot_be_caught_by_rhai() {
    let test = Test::new().file("catch.rhai", RHAI_CATCH).sim(&[]);
    let outcome = test.run(&["run", "catch-production"]).code(3);
    assert!(!outcome.shown().contains("caught"), "{}", outcome.shown());
    no_write_to_production(&test);
    let finished = test.journaled("run_finished");
    assert_eq!(finished[0]["status"], "not_confirmed", "{finished:?}");
}

#[test]
fn an_app_given_by_its_id_is_protected_by_its_name() {
    let test = Test::new().file("any.yaml", NO_ENVIRONMENTS).sim(&[]);
    let id =
        test.simulator().get(&format!("/apps/{PRODUCTION}"))["id"].as_str().unwrap().to_string();
    test.run(&["run", "any", "-p", &format!("target={id}"), "--yes"])
        .code(3)
        .stderr_has(PRODUCTION);
    assert!(test.write_requests().is_empty(), "{:?}", test.write_requests());
}

/// Every write, its app given by id: the id is looked up once, where every write is prepared
/// (`ops::behaviour::Typed`), so each is gated by the protected name, with nothing sent.
#[test]
fn every_write_given_its_app_by_id_is_protected_by_the_name() {
    let writes = [
        ("heroku.restart", ""),
        ("heroku.restart_dyno", ", dyno: web.1"),
        ("heroku.stop", ", process_type: worker"),
        ("heroku.stop_dyno", ", dyno: web.1"),
        ("heroku.scale", ", process_type: web, quantity: 3"),
        ("heroku.maintenance", ", enabled: true"),
        ("heroku.set_config", ", vars: { FEATURE: \"on\" }"),
        ("heroku.rollback", ""),
        ("heroku.run", ", command: \"echo hi\""),
        ("heroku.promote", ", watch: 0s"),
    ];
    let test = Test::new().file("one-write.yaml", "").sim(&[]);
    let id =
        test.simulator().get(&format!("/apps/{PRODUCTION}"))["id"].as_str().unwrap().to_string();
    for (operation, more) in writes {
        let runbook = format!(
            "description: one write\nparams:\n  target: {{ type: string }}\nsteps:\n  - name: Write\n    do: {operation}\n    with: {{ app: \"${{target}}\"{more} }}\n"
        );
        std::fs::write(test.runbooks().join("one-write.yaml"), runbook).unwrap();
        test.run(&["run", "one-write", "-p", &format!("target={id}"), "--yes"])
            .code(3)
            .stderr_has(&format!("`{PRODUCTION}`"));
        assert!(test.write_requests().is_empty(), "{operation}: {:?}", test.write_requests());
    }
}

#[test]
fn the_journal_names_the_app_each_write_went_to() {
    let test = Test::new().file("param-app.yaml", PARAM_APP).sim(&[]);
    test.run(&["run", "param-app-staging", "-p", &format!("app={STAGING}"), "--yes"]).code(0);
    let sent = test.journaled("write_sent");
    assert_eq!(sent[0]["request"]["app"], STAGING, "{sent:?}");
    assert_eq!(sent[0]["request"]["path"], format!("/apps/{STAGING}/dynos"));
}

#[test]
fn an_sh_step_in_a_protected_environment_needs_the_typed_name() {
    let runbook = "description: A local command on production.\nenvironments: [production]\nsteps:\n  - name: Local\n    sh: \"echo ran\"\n";
    let test = Test::new().file("local.yaml", runbook).sim(&[]);
    let outcome = test.run(&["run", "local-production", "--yes"]).code(3);
    assert!(!outcome.stderr.contains("    ran"), "{}", outcome.stderr);
    test.run(&["run", "local-production", "--confirm", PRODUCTION]).code(0).stderr_has("ran");
}

#[test]
fn finally_steps_run_after_a_refusal_under_the_same_gates() {
    let runbook = "description: Refused, then cleans up.\nenvironments: [staging]\nsteps:\n  - name: Restart production\n    do: heroku.restart\n    with: { app: lazona-connector-production }\nfinally:\n  - name: Maintenance off on production\n    do: heroku.maintenance\n    with: { app: lazona-connector-production, enabled: false }\n  - name: Scale staging\n    do: heroku.scale\n    with: { app: lazona-connector-staging, process_type: web, quantity: 2 }\n";
    let test = Test::new().file("cleanup.yaml", runbook).sim(&[]);
    test.run(&["run", "cleanup-staging", "--yes"]).code(3);
    assert_eq!(
        test.write_requests(),
        [format!("PATCH /apps/{STAGING}/formation")],
        "the cleanup of staging ran; production stayed gated"
    );
}

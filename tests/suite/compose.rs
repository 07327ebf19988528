//! `run: other-runbook`: the same target, gates, dry-run and journal; checked before anything runs.

use crate::harness::{STAGING, Test, shipped_runbooks};

const AFTER_DEPLOY: &str = r#"
description: Restart web after a deploy, then look.
environments: [staging, production]
steps:
  - name: Restart web
    run: restart
    with: { process_type: web }
  - name: Status
    run: status
"#;

/// A test with `files`, and the shipped `restart` and `status` beside them.
fn folder_with(files: &[(&str, &str)]) -> Test {
    let mut test = Test::new();
    for (name, text) in files {
        test = test.file(name, text);
    }
    for shipped in ["restart.yaml", "status.yaml"] {
        let text = std::fs::read_to_string(shipped_runbooks().join(shipped)).unwrap();
        test = test.file(shipped, &text);
    }
    test
}

#[test]
fn a_runbook_runs_another_with_the_same_target_gates_and_dry_run() {
    let test = folder_with(&[("after-deploy.yaml", AFTER_DEPLOY)]).sim(&[]);
    let dry = test.run(&["--output", "json", "run", "after-deploy-staging", "--dry-run"]);
    assert_eq!(dry.code, Some(0), "{}", dry.stdout);
    let plan = dry.events().last().unwrap()["plan"].clone();
    assert_eq!(plan[0]["path"], format!("/apps/{STAGING}/formations/web"));
    assert!(test.write_requests().is_empty());
    let refused = test.run(&["run", "after-deploy-staging"]);
    assert_eq!(refused.code, Some(3), "the called runbook's gate holds: {}", refused.stderr);
    assert!(test.write_requests().is_empty());
    let live = test.run(&["--output", "json", "run", "after-deploy-staging", "--yes"]);
    assert_eq!(live.code, Some(0), "{}", live.stdout);
    assert_eq!(test.write_requests(), [format!("DELETE /apps/{STAGING}/formations/web")]);
    let events = live.events();
    let nested: Vec<String> = events
        .iter()
        .filter(|event| event["event"] == "step_finished" && event["phase"] == "run")
        .map(|event| event["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        nested,
        [
            "Current dynos",
            "Restart dynos",
            "Wait until every dyno is up",
            "Dynos now",
            "App",
            "Formation",
            "Dynos"
        ]
    );
    let outer: Vec<&str> = events
        .iter()
        .filter(|event| event["event"] == "step_finished" && event.get("phase").is_none())
        .map(|event| event["summary"].as_str().unwrap())
        .collect();
    assert_eq!(outer, ["ran `restart`", "ran `status`"]);
}

fn check_problem(files: &[(&str, &str)], name: &str) -> String {
    let output = folder_with(files).run(&["check", name]);
    assert_eq!(output.code, Some(2), "{name} should be invalid: {}", output.stdout);
    output.stderr
}

#[test]
fn cycles_unknown_params_and_environments_are_check_errors() {
    let a = "description: A.\nenvironments: [staging]\nsteps:\n  - run: b\n";
    let b = "description: B.\nenvironments: [staging]\nsteps:\n  - run: a\n";
    let problem = check_problem(&[("a.yaml", a), ("b.yaml", b)], "a");
    assert!(
        problem.contains("`b` has 1 problem(s) of its own") || problem.contains("a cycle"),
        "{problem}"
    );
    let problem = check_problem(&[("a.yaml", a), ("b.yaml", b)], "b");
    assert!(
        problem.contains("`a` has 1 problem(s) of its own") || problem.contains("a cycle"),
        "{problem}"
    );
    let own = "description: Self.\nenvironments: [staging]\nsteps:\n  - run: own\n";
    let problem = check_problem(&[("own.yaml", own)], "own");
    assert!(problem.contains("a cycle: `own` runs `own`"), "{problem}");
    assert!(problem.contains("own.yaml:4:10]"), "{problem}");
    let unknown = "description: U.\nenvironments: [staging]\nsteps:\n  - run: restart\n    with: { colour: red }\n";
    assert!(
        check_problem(&[("unknown.yaml", unknown)], "unknown")
            .contains("`restart` takes no param `colour`")
    );
    let missing = "description: M.\nenvironments: [staging]\nsteps:\n  - run: dyno\n";
    let dyno = "description: D.\nenvironments: [staging]\nparams:\n  dyno: { required: true }\nsteps:\n  - do: heroku.restart_dyno\n    with: { app: \"${app}\", dyno: \"${dyno}\" }\n    confirm: sure?\n";
    assert!(
        check_problem(&[("missing.yaml", missing), ("dyno.yaml", dyno)], "missing")
            .contains("`dyno` needs the param `dyno`")
    );
    let narrow = "description: N.\nenvironments: [staging]\nsteps:\n  - do: heroku.app\n    with: { app: \"${app}\" }\n";
    let wide = "description: W.\nenvironments: [staging, production]\nsteps:\n  - run: narrow\n";
    assert!(
        check_problem(&[("narrow.yaml", narrow), ("wide.yaml", wide)], "wide")
            .contains("`narrow` does not run against `production`")
    );
}

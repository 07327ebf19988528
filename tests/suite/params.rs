//! Typed params: durations, lists and choices checked before the first step; missing required ones
//! asked for on a terminal (a choice list for enums) and an error naming `-p` off it.

use crate::harness::{Outcome, STAGING, Test};

const TYPED: &str = r#"
description: Restart some process types for a while.
environments: [staging]
params:
  kinds: { type: list, required: true, enum: [web, worker], doc: "process types to restart" }
  wait: { type: duration, default: 2m, doc: "how long to wait" }
steps:
  - name: Restart each
    do: heroku.restart
    with: { app: "${app}", process_type: "${item}" }
    for_each: "${kinds}"
  - name: Wait
    do: heroku.wait_dynos_up
    with: { app: "${app}", timeout: "${wait}" }
"#;

fn typed() -> Test {
    Test::new().file("typed.yaml", TYPED).sim(&[])
}

fn run(test: &Test, arguments: &[&str]) -> Outcome {
    test.run(&[&["--output", "json", "run", "typed-staging"], arguments].concat())
}

#[test]
fn a_list_param_feeds_for_each_and_a_duration_a_timeout() {
    let test = typed();
    let output = run(&test, &["-p", "kinds=web, worker", "-p", "wait=30s"]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    assert_eq!(
        test.write_requests(),
        [
            format!("DELETE /apps/{STAGING}/formations/web"),
            format!("DELETE /apps/{STAGING}/formations/worker")
        ]
    );
    let started = &output.events()[0];
    assert_eq!(started["params"]["kinds"], serde_json::json!(["web", "worker"]));
}

#[test]
fn ill_typed_values_are_refused_before_anything_is_sent() {
    let test = typed();
    for (argument, message) in [
        ("wait=soon", "param `wait` must be duration"),
        ("kinds=web,clock", "param `kinds` must be one of web, worker (`clock` is not)"),
    ] {
        let output = run(&test, &["-p", "kinds=web", "-p", argument]);
        assert_eq!(output.code, Some(2), "{argument}");
        let events = output.events();
        assert!(
            events[0]["message"].as_str().unwrap().starts_with(message),
            "{argument}: {events:?}"
        );
    }
    let output = run(&test, &[]);
    assert_eq!(output.code, Some(2));
    assert_eq!(output.events()[0]["hint"], "pass it with `-p kinds=VALUE`");
    assert!(test.requests().is_empty());
}

#[test]
fn a_missing_required_param_is_asked_for_on_a_terminal() {
    let test = Test::new().sim(&[]);
    let mut session = test.terminal(&["run", "restart-dyno-staging", "--yes"]);
    session.exp_string("-p dyno (the dyno to restart").unwrap();
    session.send_line("web.2").unwrap();
    session.exp_string("finished").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(test.write_requests(), [format!("DELETE /apps/{STAGING}/dynos/web.2")]);
}

#[test]
fn a_missing_choice_is_picked_from_a_list() {
    let test = Test::new()
        .file(
            "pick.yaml",
            "description: Pick a process type.\nenvironments: [staging]\nparams:\n  kind: { type: string, required: true, enum: [web, worker] }\nsteps:\n  - do: heroku.restart\n    with: { app: \"${app}\", process_type: \"${kind}\" }\n",
        )
        .sim(&[]);
    let mut session = test.terminal(&["run", "pick-staging", "--yes"]);
    session.exp_string("worker").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(100));
    session.send("\x1b[B").unwrap();
    session.send_line("").unwrap();
    session.exp_string("finished").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(test.write_requests(), [format!("DELETE /apps/{STAGING}/formations/worker")]);
}

const PICK_RHAI: &str = "//! Restart one process type.\n//! environments: staging\n//! param kind: string in web|worker -- the process type\nheroku::restart(app, kind);\n";

#[test]
fn a_rhai_header_declares_allowed_values() {
    let test = Test::new().file("pick.rhai", PICK_RHAI).sim(&[]);
    let run = |value: &str| test.run(&["run", "pick-staging", "--yes", "-p", value]);
    let refused = run("kind=clock");
    let stderr = &refused.stderr;
    assert_eq!(refused.code, Some(2), "{stderr}");
    assert!(
        stderr.contains("param `kind` must be one of web, worker (`clock` is not)"),
        "{stderr}"
    );
    assert!(test.requests().is_empty(), "{:?}", test.requests());
    let accepted = run("kind=worker");
    assert_eq!(accepted.code, Some(0), "{}", accepted.stderr);
    assert_eq!(test.write_requests(), [format!("DELETE /apps/{STAGING}/formations/worker")]);
}

#[test]
fn allowed_values_on_a_number_are_a_check_error() {
    let output = Test::new()
        .file(
            "numbers.yaml",
            "description: Numbers.\nenvironments: [staging]\nparams:\n  count: { type: int, enum: [\"1\", \"2\"] }\nsteps:\n  - do: heroku.dynos\n    with: { app: \"${app}\" }\n",
        )
        .file(
            "odd.rhai",
            "//! Odd header.\n//! environments: staging\n//! param kind: string maybe\nheroku::dynos(app);\n",
        )
        .run(&["check"]);
    let stderr = &output.stderr;
    assert_eq!(output.code, Some(2), "{stderr}");
    assert!(
        stderr.contains("numbers.yaml:4:3]")
            && stderr.contains("`count` is int and cannot have a set of allowed values"),
        "{stderr}"
    );
    assert!(
        stderr.contains("odd.rhai:3:11]") && stderr.contains("unexpected `maybe` after the type"),
        "{stderr}"
    );
}
